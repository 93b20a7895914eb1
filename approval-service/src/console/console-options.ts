/** How the console behaves; every field has a safe default. */
export interface ConsoleOptions {
  /** A session ends after this long without a request. */
  idleTimeoutSeconds: number;
  /** A session ends this long after login, however active. */
  absoluteTimeoutSeconds: number;
  /** At most this many live sessions; the least recently used goes first beyond it. */
  maxSessions: number;
  /** Failed logins allowed per account within `loginWindowSeconds`. */
  loginLimitPerAccount: number;
  /** Failed logins allowed per client address within `loginWindowSeconds`. */
  loginLimitPerAddress: number;
  loginWindowSeconds: number;
  /**
   * Behind a reverse proxy that terminates TLS: trust its `X-Forwarded-Proto` and
   * `X-Forwarded-For` headers. Leave false when clients reach the service directly.
   */
  trustProxy: boolean;
}

export const defaultConsoleOptions: ConsoleOptions = {
  idleTimeoutSeconds: 30 * 60,
  absoluteTimeoutSeconds: 12 * 3600,
  maxSessions: 10_000,
  loginLimitPerAccount: 5,
  loginLimitPerAddress: 20,
  loginWindowSeconds: 15 * 60,
  trustProxy: false,
};
