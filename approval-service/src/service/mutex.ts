import type { Store } from '../store/store.js';

/**
 * Runs the service's write sections (read-modify-write of the store) one after another, each
 * given the store to use inside it. On PostgreSQL (`exclusive`), each also runs inside a
 * transaction holding the database's lock, so that other processes' sections take turns with
 * this one's. On the embedded store (`grouped`), the next section runs as soon as this one has
 * applied its changes, while their lines are flushed, and the section's promise resolves once
 * they are durable: concurrent sections share one fsync.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  run<T>(section: (store: Store) => Promise<T>): Promise<T> {
    const store = this.#store;
    if (store.grouped) {
      const ran = this.#tail.then(() => store.grouped!(section));
      this.#tail = ran.catch(() => undefined);
      return ran.then(async ({ value, durable }) => {
        await durable;
        return value;
      });
    }
    const inside = () => section(store);
    const result = this.#tail.then(store.exclusive ? () => store.exclusive!(inside) : inside);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
