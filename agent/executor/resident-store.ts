/**
 * The executor's store of what built-in agents keep running between actions (ping's long-lived
 * prober): the `Residents` of their AgentContext. Disposed with the executor, so a daemon that stops
 * leaves no helper process behind.
 */
import type { Resident, Residents } from '../../resource-agents/agent-api.ts';

export class ResidentStore implements Residents {
  readonly #items = new Map<string, Resident>();
  readonly #disposing = new Set<Promise<void>>();
  #disposed = false;

  get(key: string): Resident | undefined {
    return this.#items.get(key);
  }

  set(key: string, value: Resident): void {
    if (this.#disposed) {
      // An action abandoned at dispose time that still creates something: end it at once.
      void this.#dispose(value);
      return;
    }
    const old = this.#items.get(key);
    this.#items.set(key, value);
    if (old !== undefined && old !== value) void this.#dispose(old);
  }

  release(key: string): Promise<void> {
    const old = this.#items.get(key);
    if (old === undefined) return Promise.resolve();
    this.#items.delete(key);
    return this.#dispose(old);
  }

  get size(): number {
    return this.#items.size;
  }

  #dispose(r: Resident): Promise<void> {
    const p = r.dispose().catch(() => undefined);
    this.#disposing.add(p);
    void p.finally(() => this.#disposing.delete(p));
    return p;
  }

  /** Disposes of everything kept, and waits for disposals under way. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const all = [...this.#items.values()];
    this.#items.clear();
    for (const r of all) void this.#dispose(r);
    await Promise.all([...this.#disposing]);
  }
}
