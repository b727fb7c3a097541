/**
 * The DC's controller (Pacemaker's controld on the DC: te_* + the scheduler trigger).
 *
 *   event ──▶ status/config edit ──▶ dirty ──▶ schedule({config, status, now}) ──▶ save pe-input
 *                                     ▲                                             │
 *                                     └── results recorded ◀── TransitionRunner ◀───┘
 *
 * Single flight: at most one transition runs. An event while it runs marks the state dirty and
 * aborts the run (nothing new starts, running actions finish and are recorded), then the scheduler
 * runs again on the new state. After a transition that executed actions the scheduler runs once
 * more to confirm the fixed point (an empty transition); a failed or unexpected result recomputes
 * at once. Results that change nothing in the status retry later: a failed fence after
 * `fenceRetryDelayMs` (fencing gives up after `maxFenceAttempts` until the next event), actions
 * that did not run (refused, unreachable node) after `retryDelayMs`.
 * One timer: the scheduler's `recheckAt` (failure-timeout, constraint expiry), a retry, or the
 * `recheckIntervalMs` fallback, whichever comes first, armed on the Clock.
 */
import type { Clock, Timer } from '../../agent/executor/clock.ts';
import type { ClusterConfig } from '../cib/model.ts';
import type { ClusterStatus } from '../cib/status.ts';
import { emptyStatus } from '../cib/status.ts';
import type { Result } from '../cib/result.ts';
import { schedule } from '../scheduler/schedule.ts';
import type { Action, ScheduleInput, Transition } from '../scheduler/types.ts';
import type { ActionContext, ActionOutcome, ActionSink } from './action-sink.ts';
import { judgeOutcome } from './action-sink.ts';
import { type CleanupResult, cleanupStatus } from './admin.ts';
import type {
  ControllerApi,
  ControllerLogger,
  ControllerOptions,
  ControllerSnapshot,
  FenceFailure,
  MembershipView,
  OperationReport,
} from './controller-types.ts';
import { applyMembership } from './membership-facts.ts';
import { editNode, opStatusOf, recordActionOutcome, recordOperation } from './status-recorder.ts';
import { type ActionResult, type RunReport, TransitionRun } from './transition-runner.ts';

const NO_LOG: ControllerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Transitions in a row without an outside event before the controller suspects a loop. */
const MAX_CONSECUTIVE_TRANSITIONS = 25;

function stonithEnabled(config: ClusterConfig): boolean {
  const v = config.properties['stonith-enabled'];
  return v === undefined || /^(true|on|yes|y|1)$/i.test(v.trim());
}

/** Failures that leave the status as it was: retrying at once would only repeat them. */
function changesNothing(r: ActionResult): boolean {
  return (
    r.action.kind === 'fence' ||
    r.action.kind === 'shutdown' ||
    r.outcome.status === 'cancelled' ||
    r.outcome.status === 'not-connected'
  );
}

export class Controller implements ControllerApi {
  readonly #o: Required<
    Pick<
      ControllerOptions,
      'maxConcurrentActions' | 'recheckIntervalMs' | 'fenceRetryDelayMs' | 'retryDelayMs' | 'maxFenceAttempts'
    >
  > &
    ControllerOptions;
  readonly #clock: Clock;
  readonly #log: ControllerLogger;
  readonly #disposal = new AbortController();
  #config: ClusterConfig;
  #status: ClusterStatus;
  #membershipKnown = false;
  #transition: Transition | undefined;
  #transitionId = 0;
  #run: TransitionRun | undefined;
  #loop: Promise<void> | undefined;
  #dirty = false;
  #retryAt: number | undefined;
  #timer: Timer | undefined;
  #timerAt: number | undefined;
  #fenceFailures = new Map<string, FenceFailure>();
  #disposed = false;
  #consecutive = 0;

  constructor(options: ControllerOptions) {
    this.#o = {
      maxConcurrentActions: 8,
      recheckIntervalMs: 15 * 60_000,
      fenceRetryDelayMs: 2_000,
      retryDelayMs: 500,
      maxFenceAttempts: 10,
      ...options,
    };
    this.#clock = options.clock;
    this.#log = options.log ?? NO_LOG;
    this.#config = options.config;
    this.#status = { ...(options.status ?? emptyStatus()), dc: options.nodeName };
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  membershipChanged(view: MembershipView): void {
    if (this.#disposed) return;
    this.#status = applyMembership(this.#status, view, {
      stonithEnabled: stonithEnabled(this.#config),
      dc: this.#o.nodeName,
    });
    // A membership change is news about every node: fencing may be tried again.
    for (const n of view.nodes) this.#fenceFailures.delete(n.name);
    this.#membershipKnown = true;
    this.#changed('membership changed');
  }

  nodeAttributesChanged(node: string, changes: Record<string, string | null>): void {
    if (this.#disposed) return;
    const current = this.#status.nodes.find((n) => n.name === node)?.transientAttributes ?? {};
    const differs = Object.entries(changes).some(([k, v]) => (v === null ? k in current : current[k] !== v));
    if (!differs) return;
    this.#status = editNode(this.#status, node, (n) => {
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete n.transientAttributes[k];
        else n.transientAttributes[k] = v;
      }
    });
    this.#changed(`attribute changed on ${node}`);
  }

  operationResult(report: OperationReport): void {
    if (this.#disposed) return;
    const action: Action = {
      id: `${report.operation} ${report.rsc} ${report.node} ${report.intervalMs}`,
      kind: report.operation === 'monitor' ? (report.intervalMs > 0 ? 'monitor' : 'probe') : 'start',
      rsc: report.rsc,
      node: report.node,
      intervalMs: report.intervalMs,
      pseudo: false,
    };
    const judgement =
      report.operation === 'monitor'
        ? judgeOutcome(action, report.outcome)
        : report.outcome.status === 'done' && (report.outcome.rc ?? 0) === 0
          ? 'expected'
          : 'failed';
    // A recurring monitor confirming what is recorded changes nothing.
    if (judgement === 'expected') return;
    const ignored = this.#staleReport(report);
    if (ignored !== undefined) {
      this.#log.info(
        { node: report.node, rsc: report.rsc, intervalMs: report.intervalMs, why: ignored },
        'operation result ignored',
      );
      return;
    }
    this.#log.warn(
      {
        node: report.node,
        rsc: report.rsc,
        op: report.operation,
        intervalMs: report.intervalMs,
        status: report.outcome.status,
        rc: report.outcome.rc,
      },
      'operation failed',
    );
    this.#status = recordOperation(
      this.#status,
      {
        node: report.node,
        rsc: report.rsc,
        operation: report.operation,
        intervalMs: report.intervalMs,
        targetRc: 0,
        outcome: report.outcome,
        judgement,
      },
      { config: this.#config, nowMs: this.#clock.wallNow() },
    );
    this.#changed(`${report.rsc}_${report.operation}_${report.intervalMs} failed on ${report.node}`);
  }

  /**
   * Why a recurring monitor's failure is not recorded, if it is not: the monitor is no longer
   * recorded as running there (the resource was stopped or the monitor cancelled: a late result),
   * or it repeats the failure already recorded with nothing since (Pacemaker records a recurring
   * result only when it changes, so one failure episode counts once).
   */
  #staleReport(report: OperationReport): string | undefined {
    if (report.operation !== 'monitor' || report.intervalMs <= 0) return undefined;
    const node = this.#status.nodes.find((n) => n.name === report.node);
    const ops = node?.history.find((h) => h.id === report.rsc)?.ops ?? [];
    const monitor = ops.find((o) => o.id === `${report.rsc}_monitor_${report.intervalMs}`);
    if (monitor === undefined) return 'the monitor is not recorded as running (stopped or cancelled)';
    const last = ops.find((o) => o.id === `${report.rsc}_last_failure_0`);
    const newest = Math.max(...ops.map((o) => o.callId));
    const rc = report.outcome.rc ?? (report.outcome.status === 'done' ? 0 : 1);
    if (
      last !== undefined &&
      last.callId === newest &&
      last.operation === 'monitor' &&
      last.intervalMs === report.intervalMs &&
      last.rc === rc &&
      last.opStatus === opStatusOf(report.outcome.status)
    )
      return 'the same failure is already recorded';
    return undefined;
  }

  configChanged(config: ClusterConfig): void {
    if (this.#disposed) return;
    this.#config = config;
    this.#changed('configuration changed');
  }

  cleanup(rsc?: string, node?: string, options: { refresh?: boolean } = {}): Result<CleanupResult> {
    const r = cleanupStatus(this.#config, this.#status, {
      ...(rsc !== undefined ? { rsc } : {}),
      ...(node !== undefined ? { node } : {}),
      ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    });
    if (!r.ok || this.#disposed) return r;
    if (r.value.cleaned.length > 0) {
      this.#status = r.value.status;
      for (const c of r.value.cleaned) this.#fenceFailures.delete(c.node);
      this.#changed('resource cleanup');
    }
    return r;
  }

  requestRecheck(): void {
    this.#changed('recheck requested');
  }

  snapshot(): ControllerSnapshot {
    const s: ControllerSnapshot = {
      config: this.#config,
      status: this.#status,
      transitionId: this.#transitionId,
      running: this.#run !== undefined,
      fenceFailures: [...this.#fenceFailures.values()].sort((a, b) => (a.node < b.node ? -1 : 1)),
    };
    if (this.#transition !== undefined) s.transition = this.#transition;
    if (this.#timerAt !== undefined) s.recheckAt = this.#timerAt;
    return s;
  }

  async idle(): Promise<void> {
    while (this.#loop !== undefined) await this.#loop;
  }

  async dispose(): Promise<void> {
    if (!this.#disposed) {
      this.#disposed = true;
      this.#timer?.cancel();
      this.#timer = undefined;
      this.#timerAt = undefined;
      this.#run?.abort('controller disposed');
      this.#disposal.abort(new Error('controller disposed'));
    }
    await this.idle();
  }

  // ── the loop ──────────────────────────────────────────────────────────────────────────────

  #changed(reason: string): void {
    if (this.#disposed) return;
    this.#dirty = true;
    this.#consecutive = 0;
    this.#run?.abort(reason);
    this.#kick();
  }

  #kick(): void {
    if (this.#loop !== undefined || this.#disposed || !this.#membershipKnown) return;
    this.#loop = this.#runLoop()
      .catch((err: unknown) => {
        // A bug (the scheduler threw, a recorder invariant broke): log, and try again later.
        this.#log.error({ err }, 'controller loop failed');
        this.#retryAt = this.#clock.wallNow() + this.#o.fenceRetryDelayMs;
        this.#armTimer();
      })
      .finally(() => {
        this.#loop = undefined;
        // An event that arrived after the loop's last check must not be lost.
        if (this.#dirty) this.#kick();
      });
  }

  async #runLoop(): Promise<void> {
    while (this.#dirty && !this.#disposed) {
      this.#dirty = false;
      if (++this.#consecutive > MAX_CONSECUTIVE_TRANSITIONS) {
        this.#log.error(
          { transitions: MAX_CONSECUTIVE_TRANSITIONS },
          'the scheduler keeps asking for actions without converging; waiting for the next event or recheck',
        );
        this.#consecutive = 0;
        break;
      }
      const now = this.#clock.wallNow();
      const input: ScheduleInput = { config: this.#config, status: this.#status, now };
      const transition = schedule(input);
      const id = ++this.#transitionId;
      this.#transition = transition;
      this.#o.onScheduled?.();
      this.#retryAt = undefined;
      const saving = this.#o.peInputs?.save(input).then(
        (name) => name,
        (err: unknown) => {
          this.#log.warn({ err }, 'could not save the scheduler input');
          return undefined;
        },
      );
      const actions = transition.actions.filter((a) => !a.pseudo);
      let report: RunReport;
      if (actions.length === 0) {
        report = {
          completed: transition.actions.map((a) => a.id),
          failed: [],
          unexpected: [],
          skipped: [],
          aborted: false,
        };
      } else {
        this.#log.info({ transition: id, actions: actions.length }, 'transition started');
        report = await this.#execute(transition, id);
        this.#log.info(
          {
            transition: id,
            completed: report.completed.length,
            failed: report.failed.map((f) => f.id),
            unexpected: report.unexpected.map((f) => f.id),
            skipped: report.skipped.length,
            aborted: report.aborted,
            ...(report.abortReason !== undefined ? { reason: report.abortReason } : {}),
          },
          report.aborted ? 'transition aborted' : 'transition complete',
        );
        const retryOnly =
          report.failed.length > 0 && report.failed.every(changesNothing) && report.unexpected.length === 0;
        if (retryOnly) {
          const canRetry = report.failed.some(
            (f) =>
              f.action.kind !== 'fence' ||
              (this.#fenceFailures.get(f.action.node ?? '')?.attempts ?? 0) < this.#o.maxFenceAttempts,
          );
          const onlyUnrun = report.failed.every((f) => f.action.kind !== 'fence');
          if (canRetry)
            this.#retryAt =
              this.#clock.wallNow() + (onlyUnrun ? this.#o.retryDelayMs : this.#o.fenceRetryDelayMs);
        } else {
          // Results were recorded: confirm the fixed point, or recover from the failure.
          this.#dirty = true;
        }
      }
      const peInput = saving === undefined ? undefined : await saving;
      this.#armTimer();
      this.#o.onTransition?.({ id, transition, report, ...(peInput !== undefined ? { peInput } : {}) });
    }
    this.#armTimer();
  }

  async #execute(transition: Transition, id: number): Promise<RunReport> {
    const config = this.#config;
    const context: ActionContext = {
      signal: this.#disposal.signal,
      dcEpoch: this.#o.dcEpoch,
      transitionId: id,
      config,
    };
    const numbers = new Map(transition.actions.map((a, i) => [a.id, i]));
    const sink: ActionSink = { execute: (a, ctx) => this.#dispatch(a, ctx) };
    const run = new TransitionRun(transition, {
      sink,
      context,
      maxConcurrent: this.#o.maxConcurrentActions,
      onResult: (r) => this.#record(r, config, id, numbers.get(r.id) ?? 0),
    });
    this.#run = run;
    try {
      return await run.done;
    } finally {
      this.#run = undefined;
    }
  }

  /**
   * clear_failcount is done here; fencing that already failed `maxFenceAttempts` times is not
   * tried again until the next event; everything else goes to the sink.
   */
  #dispatch(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    // Fail counts live in the DC's status: clearing one is the recorder's job, not a node's.
    if (action.kind === 'clear_failcount') return Promise.resolve({ status: 'done', rc: 0 });
    if (action.kind === 'fence' && action.node !== undefined) {
      const f = this.#fenceFailures.get(action.node);
      if (f !== undefined && f.attempts >= this.#o.maxFenceAttempts) {
        return Promise.resolve({
          status: 'error',
          exitReason: `fencing ${action.node} failed ${f.attempts} times (last: ${f.reason}); not retried until the membership changes or \`tandem resource cleanup\``,
        });
      }
    }
    return this.#o.sink.execute(action, ctx);
  }

  #record(r: ActionResult, config: ClusterConfig, transitionId: number, actionNumber: number): void {
    const nowMs = this.#clock.wallNow();
    if (r.action.kind !== 'fence' && r.outcome.status === 'not-connected') {
      // The node could not be reached (Pacemaker: a lost action): not a resource failure, so no
      // history and no fail count (a stop would otherwise be INFINITY and block the resource).
      // The node's membership decides; the action is retried after `retryDelayMs` meanwhile.
      this.#log.warn({ action: r.id, exitReason: r.outcome.exitReason }, 'action not delivered');
      return;
    }
    if (r.action.kind === 'fence' && r.action.node !== undefined) {
      const node = r.action.node;
      if (r.judgement === 'expected') {
        this.#fenceFailures.delete(node);
        this.#log.info({ node }, 'node fenced');
      } else {
        const prev = this.#fenceFailures.get(node);
        const reason =
          r.outcome.exitReason ??
          `${r.outcome.status}${r.outcome.rc !== undefined ? ` rc=${r.outcome.rc}` : ''}`;
        const attempts =
          prev !== undefined && prev.attempts >= this.#o.maxFenceAttempts
            ? prev.attempts
            : (prev?.attempts ?? 0) + 1;
        this.#fenceFailures.set(node, { node, attempts, at: nowMs, reason });
        this.#log.error({ node, attempts, reason }, 'fencing failed: recovery of its resources is blocked');
      }
    } else if (r.judgement === 'failed') {
      this.#log.warn(
        { action: r.id, status: r.outcome.status, rc: r.outcome.rc, exitReason: r.outcome.exitReason },
        'action failed',
      );
    }
    this.#status = recordActionOutcome(this.#status, r.action, r.outcome, {
      config,
      nowMs,
      transitionId,
      actionNumber,
    });
  }

  #armTimer(): void {
    if (this.#disposed) return;
    const now = this.#clock.wallNow();
    const candidates: number[] = [];
    if (this.#transition?.recheckAt !== undefined) candidates.push(this.#transition.recheckAt);
    if (this.#retryAt !== undefined) candidates.push(this.#retryAt);
    if (this.#o.recheckIntervalMs > 0) candidates.push(now + this.#o.recheckIntervalMs);
    const at = candidates.length > 0 ? Math.min(...candidates) : undefined;
    if (at === this.#timerAt && this.#timer !== undefined) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === undefined) return;
    this.#timer = this.#clock.setTimer(Math.max(0, at - now), () => {
      this.#timer = undefined;
      this.#timerAt = undefined;
      this.#changed('recheck due');
    });
  }
}
