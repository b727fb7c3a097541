/**
 * Node attributes of this node (pingd, …), as pacemaker-attrd keeps them:
 *
 * - **transient** attributes live in memory only and are gone after a restart (the CIB's
 *   `transient_attributes`); **permanent** ones are persisted to `${stateDir}/node-attributes.json`
 *   (atomically) and loaded by `open`.
 * - **dampening**: with `dampenMs` > 0 a change is written only after the value has stayed put for
 *   that long (each further change restarts the wait, as attrd does); a change back to the written
 *   value within the window cancels the pending write, so a flapping value causes no event.
 * - subscribers get one event per written change (value null = deleted).
 *
 * Timers come from the Clock; dispose() cancels pending writes (they are dropped, not written).
 */
import { join } from 'node:path';
import type { Attributes } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { Clock, Timer } from '../executor/clock.ts';
import { AgentUsageError } from '../executor/errors.ts';
import { readJsonIfExists, writeJsonAtomic } from './atomic-json-file.ts';

export const AttributeLifetime = { transient: 'transient', permanent: 'permanent' } as const;
export type AttributeLifetime = (typeof AttributeLifetime)[keyof typeof AttributeLifetime];

export interface AttributeChange {
  name: string;
  /** null: deleted. */
  value: string | null;
  previous: string | null;
  lifetime: AttributeLifetime;
}

export type AttributeListener = (change: AttributeChange) => void;

export interface SetOptions {
  dampenMs?: number;
  /** Default transient. */
  lifetime?: AttributeLifetime;
}

export interface NodeAttributesOptions {
  clock: Clock;
  /** Where permanent attributes are kept; without it permanent attributes are refused. */
  stateDir?: string;
  /** Persistence failures (the in-memory value stays; the next write retries). */
  onError?: (err: Error) => void;
}

export const PERMANENT_ATTRIBUTES_FILE = 'node-attributes.json';

interface PendingWrite {
  value: string | null;
  timer: Timer;
}

export class NodeAttributes {
  readonly #clock: Clock;
  readonly #file: string | undefined;
  readonly #onError: ((err: Error) => void) | undefined;
  readonly #values: Record<AttributeLifetime, Map<string, string>> = {
    transient: new Map(),
    permanent: new Map(),
  };
  readonly #pending = new Map<string, PendingWrite>();
  readonly #listeners = new Set<AttributeListener>();
  #persisting: Promise<void> = Promise.resolve();
  #disposed = false;

  private constructor(options: NodeAttributesOptions, permanent: Attributes) {
    this.#clock = options.clock;
    this.#file =
      options.stateDir !== undefined ? join(options.stateDir, PERMANENT_ATTRIBUTES_FILE) : undefined;
    this.#onError = options.onError;
    for (const [k, v] of Object.entries(permanent)) this.#values.permanent.set(k, v);
  }

  /** Loads permanent attributes from the state dir (if any); an unreadable or corrupt file is an error value. */
  static async open(options: NodeAttributesOptions): Promise<ParseResult<NodeAttributes>> {
    const permanent: Attributes = {};
    if (options.stateDir !== undefined) {
      const path = join(options.stateDir, PERMANENT_ATTRIBUTES_FILE);
      let data: unknown;
      try {
        data = await readJsonIfExists(path);
      } catch (err) {
        return {
          ok: false,
          error: `${path}: ${err instanceof Error ? err.message : String(err)}; fix or remove the file`,
        };
      }
      if (data !== undefined) {
        if (typeof data !== 'object' || data === null || Array.isArray(data)) {
          return {
            ok: false,
            error: `${path}: expected a JSON object of name → string value; fix or remove the file`,
          };
        }
        for (const [k, v] of Object.entries(data)) {
          if (typeof v === 'string') permanent[k] = v;
        }
      }
    }
    return { ok: true, value: new NodeAttributes(options, permanent) };
  }

  /** Only transient attributes, in memory, no persistence (tests, simulation). */
  static inMemory(clock: Clock): NodeAttributes {
    return new NodeAttributes({ clock }, {});
  }

  get(name: string, lifetime: AttributeLifetime = 'transient'): string | undefined {
    return this.#values[lifetime].get(name);
  }

  /** The value waiting for its dampening window, if a write is pending. */
  pendingValue(name: string, lifetime: AttributeLifetime = 'transient'): string | null | undefined {
    return this.#pending.get(`${lifetime}\0${name}`)?.value;
  }

  all(lifetime: AttributeLifetime = 'transient'): Attributes {
    return Object.fromEntries([...this.#values[lifetime].entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Sets (value null: deletes) an attribute, after `dampenMs` if given. */
  set(name: string, value: string | null, options: SetOptions = {}): void {
    if (this.#disposed) return;
    const lifetime = options.lifetime ?? 'transient';
    if (lifetime === 'permanent' && this.#file === undefined) {
      throw new AgentUsageError(
        `permanent attribute "${name}": this NodeAttributes has no stateDir to persist it in`,
      );
    }
    const key = `${lifetime}\0${name}`;
    const pending = this.#pending.get(key);
    const current = this.#values[lifetime].get(name) ?? null;
    const dampenMs = options.dampenMs ?? 0;
    if (pending !== undefined) {
      pending.timer.cancel();
      this.#pending.delete(key);
    }
    if (value === current) return; // unchanged, or changed back within the window
    if (dampenMs <= 0) {
      this.#write(name, value, lifetime);
      return;
    }
    const timer = this.#clock.setTimer(dampenMs, () => {
      this.#pending.delete(key);
      this.#write(name, value, lifetime);
    });
    this.#pending.set(key, { value, timer });
  }

  delete(name: string, options: SetOptions = {}): void {
    this.set(name, null, options);
  }

  #write(name: string, value: string | null, lifetime: AttributeLifetime): void {
    const values = this.#values[lifetime];
    const previous = values.get(name) ?? null;
    if (previous === value) return;
    if (value === null) values.delete(name);
    else values.set(name, value);
    if (lifetime === 'permanent') this.#persist();
    const change: AttributeChange = { name, value, previous, lifetime };
    for (const listener of this.#listeners) listener(change);
  }

  #persist(): void {
    const file = this.#file;
    if (file === undefined) return;
    const snapshot = this.all('permanent');
    this.#persisting = this.#persisting
      .then(() => writeJsonAtomic(file, snapshot))
      .catch((err: unknown) => this.#onError?.(err instanceof Error ? err : new Error(String(err))));
  }

  /** Resolves when every permanent change so far is on disk. */
  flush(): Promise<void> {
    return this.#persisting;
  }

  /** Called for every written change; returns the unsubscribe function. */
  subscribe(listener: AttributeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels pending dampened writes and drops subscribers; waits for persistence in flight. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const p of this.#pending.values()) p.timer.cancel();
    this.#pending.clear();
    this.#listeners.clear();
    await this.#persisting;
  }
}
