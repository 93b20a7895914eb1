import {
  apiTokenDigest,
  safeEqualBytes,
  unmatchablePasswordHash,
  verifyPasswordHash,
} from '../auth/secrets.js';
import type { UserConfig } from '../config/config-schema.js';
import type { Actor } from '../domain/model.js';

function actorOf(user: UserConfig): Actor {
  const actor: Actor = { id: user.id, displayName: user.name, groups: [...user.groups] };
  if (user.timeZone !== undefined) actor.timeZone = user.timeZone;
  return actor;
}

/** The users of the config, found by API token or console password without leaking timing. */
export class UserDirectory {
  readonly #users: readonly UserConfig[];
  /** Each user with an API token, and the token's SHA-256 as bytes (the config holds hex). */
  readonly #tokenDigests: readonly { user: UserConfig; digest: Buffer }[];

  constructor(users: readonly UserConfig[]) {
    this.#users = users;
    this.#tokenDigests = users.flatMap((user) =>
      user.apiTokenSha256 === undefined
        ? []
        : [{ user, digest: Buffer.from(user.apiTokenSha256, 'hex') }],
    );
  }

  /** Compares the token's hash with every user's, in constant time per user. */
  byApiToken(token: string): Actor | undefined {
    const digest = apiTokenDigest(token);
    let found: UserConfig | undefined;
    for (const { user, digest: theirs } of this.#tokenDigests) {
      if (safeEqualBytes(digest, theirs) && !found) found = user;
    }
    return found && actorOf(found);
  }

  /** An unknown user and a wrong password cost the same scrypt work and give the same answer. */
  async byPassword(id: string, password: string): Promise<Actor | undefined> {
    const user = this.#users.find((u) => u.id === id);
    const stored = user?.passwordHash;
    const ok = await verifyPasswordHash(stored ?? unmatchablePasswordHash, password);
    return ok && user && stored ? actorOf(user) : undefined;
  }
}
