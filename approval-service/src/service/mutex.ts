/** Runs a section inside something that holds it apart from other processes' writes. */
export type ExclusiveSection = <T>(section: () => Promise<T>) => Promise<T>;

/**
 * Runs async sections one after another (read-modify-write of the store). Given `across`
 * (the PostgreSQL store's `exclusive`), each section also runs inside it, so that sections of
 * other processes on the same database take turns with this one's too.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #across: ExclusiveSection | undefined;

  constructor(across?: ExclusiveSection) {
    this.#across = across;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    const across = this.#across;
    const result = this.#tail.then(across ? () => across(section) : section);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
