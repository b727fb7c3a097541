import { AgentUsageError } from './errors.ts';

/** A FIFO counting semaphore: the bound on concurrent operations per node. */
export class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new AgentUsageError(`maxConcurrent must be an integer ≥ 1, got ${limit}`);
    this.#free = limit;
  }

  get inUse(): number {
    return this.limit - this.#free;
  }

  /** Resolves when a slot is held; the returned function releases it (once). */
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    return new Promise((resolve) => {
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        const next = this.#waiters.shift();
        if (next) next();
        else this.#free += 1;
      };
      if (this.#free > 0) {
        this.#free -= 1;
        resolve(release);
        return;
      }
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      const onAbort = (): void => {
        const at = this.#waiters.indexOf(grant);
        if (at !== -1) this.#waiters.splice(at, 1);
        resolve(undefined);
      };
      if (signal?.aborted) {
        resolve(undefined);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(grant);
    });
  }
}
