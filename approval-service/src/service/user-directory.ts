import {
  hashApiToken,
  safeEqualHex,
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

  constructor(users: readonly UserConfig[]) {
    this.#users = users;
  }

  /** Compares the token's hash with every user's, in constant time per user. */
  byApiToken(token: string): Actor | undefined {
    const hash = hashApiToken(token);
    let found: UserConfig | undefined;
    for (const user of this.#users) {
      const matches = user.apiTokenSha256 !== undefined && safeEqualHex(hash, user.apiTokenSha256);
      if (matches && !found) found = user;
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
