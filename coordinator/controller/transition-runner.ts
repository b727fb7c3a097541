/**
 * The graph executor (Pacemaker's te_graph_trigger / pcmk__graph_functions_t): walks a Transition,
 * starting an action once every action ordered before it has completed as expected, at most
 * `maxConcurrent` at a time, and hands each non-pseudo action to the `ActionSink`. Pseudo actions
 * (group/clone markers, stops implied by fencing) complete as soon as their predecessors have.
 *
 * An outcome that is not the expected one (a failure, or a probe that found the resource running)
 * aborts the run: nothing new starts, the actions already running are allowed to finish (their
 * results are recorded), then the run resolves so the controller can recompute. `abort()` does
 * the same from outside (a new event arrived). The runner never cancels a running action; the
 * sink's `signal` is only aborted by `dispose`-style callers through `ctx.signal`.
 */
import type { Action, Transition } from '../scheduler/types.ts';
import {
  type ActionContext,
  type ActionOutcome,
  type ActionSink,
  type OutcomeJudgement,
  judgeOutcome,
} from './action-sink.ts';

export interface ActionResult {
  id: string;
  action: Action;
  outcome: ActionOutcome;
  judgement: OutcomeJudgement;
}

export interface RunReport {
  /** Ids of actions that completed as expected (pseudo actions included), in completion order. */
  completed: string[];
  /** Actions whose outcome was a failure. */
  failed: ActionResult[];
  /** Actions that were not failures but not what the transition assumed (probe found it running). */
  unexpected: ActionResult[];
  /** Ids of actions that never started (after an abort, or unreachable through a cycle). */
  skipped: string[];
  aborted: boolean;
  abortReason?: string;
}

export interface RunOptions {
  sink: ActionSink;
  context: ActionContext;
  /** Actions running at once (default 8). */
  maxConcurrent?: number;
  /**
   * Called synchronously when an action finishes, before any action ordered after it starts, so
   * the caller can record the result in the status first. Pseudo actions are not reported.
   */
  onResult?: (result: ActionResult) => void;
  /** Called just before a non-pseudo action is handed to the sink. */
  onStart?: (action: Action) => void;
}

type State = 'pending' | 'running' | 'ok' | 'bad';

export class TransitionRun {
  readonly done: Promise<RunReport>;
  #aborted = false;
  #abortReason: string | undefined;
  #wake: (() => void) | undefined;

  constructor(transition: Transition, options: RunOptions) {
    this.done = this.#run(transition, options);
  }

  /** Stops starting new actions; running ones finish. Idempotent; the first reason is kept. */
  abort(reason: string): void {
    if (!this.#aborted) {
      this.#aborted = true;
      this.#abortReason = reason;
    }
    this.#wake?.();
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  async #run(transition: Transition, options: RunOptions): Promise<RunReport> {
    const maxConcurrent = Math.max(1, options.maxConcurrent ?? 8);
    const actions = transition.actions;
    const byId = new Map(actions.map((a) => [a.id, a]));
    const preds = new Map<string, string[]>(actions.map((a) => [a.id, []]));
    for (const e of transition.edges) {
      if (!byId.has(e.before) || !byId.has(e.after)) continue;
      preds.get(e.after)?.push(e.before);
    }
    const state = new Map<string, State>(actions.map((a) => [a.id, 'pending']));
    const report: RunReport = { completed: [], failed: [], unexpected: [], skipped: [], aborted: false };
    let running = 0;
    const ready = (a: Action): boolean =>
      state.get(a.id) === 'pending' && (preds.get(a.id) ?? []).every((p) => state.get(p) === 'ok');

    const finished = (action: Action, outcome: ActionOutcome): void => {
      running--;
      const judgement = judgeOutcome(action, outcome);
      const result: ActionResult = { id: action.id, action, outcome, judgement };
      if (judgement === 'expected') {
        state.set(action.id, 'ok');
        report.completed.push(action.id);
      } else {
        state.set(action.id, 'bad');
        (judgement === 'failed' ? report.failed : report.unexpected).push(result);
        this.abort(
          judgement === 'failed'
            ? `${action.id} failed (${outcome.status}${outcome.rc !== undefined ? `, rc=${outcome.rc}` : ''})`
            : `${action.id} returned rc=${outcome.rc ?? 0}: the resource is running there`,
        );
      }
      options.onResult?.(result);
      this.#wake?.();
    };

    for (;;) {
      // Complete pseudo actions and start real ones until nothing more can move.
      let progressed = true;
      while (progressed && !this.#aborted) {
        progressed = false;
        for (const a of actions) {
          if (this.#aborted) break;
          if (!ready(a)) continue;
          if (a.pseudo) {
            state.set(a.id, 'ok');
            report.completed.push(a.id);
            progressed = true;
            continue;
          }
          if (running >= maxConcurrent) continue;
          state.set(a.id, 'running');
          running++;
          progressed = true;
          options.onStart?.(a);
          void this.#execute(a, options).then((outcome) => finished(a, outcome));
        }
      }
      if (running === 0) break;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    for (const a of actions) if (state.get(a.id) === 'pending') report.skipped.push(a.id);
    report.aborted = this.#aborted;
    if (this.#abortReason !== undefined) report.abortReason = this.#abortReason;
    return report;
  }

  async #execute(action: Action, options: RunOptions): Promise<ActionOutcome> {
    try {
      return await options.sink.execute(action, options.context);
    } catch (err) {
      return {
        status: 'error',
        exitReason: `the action sink threw: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
}

/** Starts running `transition`; `await run.done` for the report. */
export function runTransition(transition: Transition, options: RunOptions): TransitionRun {
  return new TransitionRun(transition, options);
}
