/** How the console behaves; every field has a safe default. */
export interface ConsoleOptions {
  /** A session ends after this long without a request. */
  idleTimeoutSeconds: number;
  /** A session ends this long after login, however active. */
  absoluteTimeoutSeconds: number;
  /** At most this many live sessions; the least recently used goes first beyond it. */
  maxSessions: number;
  /**
   * Failed logins an account may have before its failures must wait: 1 s, then twice as long
   * after each further failure, up to `loginWindowSeconds`. A right password always signs in.
   */
  loginLimitPerAccount: number;
  /** The same per client address. */
  loginLimitPerAddress: number;
  /** Failures are forgotten this long after the last one; also the longest wait. */
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
