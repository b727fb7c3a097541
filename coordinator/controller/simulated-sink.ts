/**
 * In-memory action sinks (STYLE.md: the same graph walker with different action tables).
 * - `SimulatedActionSink`: every action succeeds as the transition expects (probes find the
 *   resource stopped), unless a script says otherwise; used by tests and dry runs.
 * - `RecordingActionSink`: wraps another sink and keeps every action and outcome, in order.
 */
import type { Action } from '../scheduler/types.ts';
import type { ActionContext, ActionOutcome, ActionSink } from './action-sink.ts';
import { expectedRc } from './action-sink.ts';

/** A scripted answer: a fixed outcome, or a function of the action (undefined = the default success). */
export type ScriptedOutcome =
  ActionOutcome | ((action: Action, ctx: ActionContext) => ActionOutcome | undefined);

export interface SimulatedSinkOptions {
  /** Outcomes by action id (`start ClusterIP rsha1`), used once each unless `sticky`. */
  script?: Record<string, ScriptedOutcome>;
  /** Keep scripted outcomes for every later run of the same action id (default: used once). */
  sticky?: boolean;
  /** Consulted for every action without a script entry. */
  decide?: (action: Action, ctx: ActionContext) => ActionOutcome | undefined;
  /**
   * Delay before an outcome resolves: a promise to await (e.g. a gate a test opens) per action.
   * Default: resolve on the next microtask.
   */
  delay?: (action: Action) => Promise<void> | undefined;
}

export class SimulatedActionSink implements ActionSink {
  readonly #script: Map<string, { outcome: ScriptedOutcome; times: number }>;
  readonly #options: SimulatedSinkOptions;
  /** Actions started and not yet finished (for concurrency checks). */
  running = 0;
  maxRunning = 0;

  constructor(options: SimulatedSinkOptions = {}) {
    this.#options = options;
    const times = options.sticky === true ? Number.POSITIVE_INFINITY : 1;
    this.#script = new Map(
      Object.entries(options.script ?? {}).map(([id, outcome]) => [id, { outcome, times }]),
    );
  }

  /** Adds or replaces a scripted outcome, used `times` times (default once; Infinity = always). */
  script(actionId: string, outcome: ScriptedOutcome, times = 1): void {
    this.#script.set(actionId, { outcome, times });
  }

  async execute(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await (this.#options.delay?.(action) ?? Promise.resolve());
      if (ctx.signal.aborted) return { status: 'cancelled' };
      const entry = this.#script.get(action.id);
      if (entry !== undefined && --entry.times <= 0) this.#script.delete(action.id);
      const scripted = entry?.outcome;
      const answer =
        typeof scripted === 'function'
          ? scripted(action, ctx)
          : (scripted ?? this.#options.decide?.(action, ctx));
      return answer ?? { status: 'done', rc: expectedRc(action) };
    } finally {
      this.running--;
    }
  }
}

export interface RecordedAction {
  action: Action;
  outcome: ActionOutcome;
  transitionId: number;
}

export class RecordingActionSink implements ActionSink {
  readonly records: RecordedAction[] = [];
  readonly #inner: ActionSink;

  constructor(inner: ActionSink = new SimulatedActionSink()) {
    this.#inner = inner;
  }

  async execute(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    const outcome = await this.#inner.execute(action, ctx);
    this.records.push({ action, outcome, transitionId: ctx.transitionId });
    return outcome;
  }

  /** Ids of the recorded actions, in completion order. */
  get ids(): string[] {
    return this.records.map((r) => r.action.id);
  }

  clear(): void {
    this.records.length = 0;
  }
}
