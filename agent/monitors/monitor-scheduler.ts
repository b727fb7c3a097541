/**
 * Recurring monitors. Each monitor runs once at start (after `startDelayMs`), then `intervalMs`
 * after the previous run *finished* (on the monotonic clock, as Pacemaker's executor re-arms
 * recurring ops), through the executor's per-resource queue.
 *
 * Re-arms are rounded up by a small timer slack (at most 5% of the interval, 1 s) so that monitors
 * come due together (see `timerSlack`).
 *
 * A failure (status other than done, or an rc other than expected: timeout, error, rc 7 where 0
 * was expected, …) is reported at once to `onFailure`, every time it happens, and kept as the
 * monitor's last result; it is never swallowed. Results of monitors being stopped (cancelled) are
 * not failures. dispose() stops every monitor (timers cancelled, running operations cancelled).
 */
import type { Clock, Timer } from '../executor/clock.ts';
import { AgentUsageError } from '../executor/errors.ts';
import type { OperationRequest, OperationResult } from '../executor/operation.ts';
import { isSuccess, opKey } from '../executor/operation.ts';

/** What the monitors need of the executor. */
export interface MonitorExecutor {
  execute(request: OperationRequest): Promise<OperationResult>;
  forgetRecurring?(resource: string, action: string, intervalMs: number): void;
}

export interface MonitorSpec extends Omit<OperationRequest, 'signal' | 'action' | 'intervalMs'> {
  /** Default `monitor`. */
  action?: string;
  /** > 0. */
  intervalMs: number;
  /** Delay before the first run (`start-delay`); default 0. */
  startDelayMs?: number;
}

export interface MonitorEvent {
  result: OperationResult;
  /** The op key, `RSC_monitor_10000`. */
  key: string;
  failed: boolean;
  /** Failures in a row, counting this one (0 when this one succeeded). */
  consecutiveFailures: number;
  /** rc or status differs from the previous run (always true for the first run). */
  changed: boolean;
}

export interface MonitorSchedulerOptions {
  executor: MonitorExecutor;
  clock: Clock;
  /** Called synchronously for every failed run. */
  onFailure: (event: MonitorEvent) => void;
  /** Called for every run, failed or not, after onFailure. */
  onResult?: (event: MonitorEvent) => void;
  /**
   * Timer slack, as a fraction of the interval (default 0.05, never more than 1 s): each re-arm is
   * rounded up to a multiple of it on the monotonic clock, so monitors with similar intervals come
   * due together and the process wakes once for several of them (systemd's AccuracySec, Linux's
   * timer slack). 100 monitors at 10 s wake it ~2 times a second instead of 10. 0: exact re-arms.
   */
  timerSlack?: number;
}

export const DEFAULT_TIMER_SLACK = 0.05;
const MAX_TIMER_SLACK_MS = 1000;

interface Active {
  spec: MonitorSpec;
  key: string;
  action: string;
  timer: Timer | undefined;
  controller: AbortController | undefined;
  stopped: boolean;
  last: OperationResult | undefined;
  consecutiveFailures: number;
  runs: number;
}

export interface MonitorState {
  key: string;
  resource: string;
  intervalMs: number;
  runs: number;
  consecutiveFailures: number;
  last?: OperationResult;
}

export class MonitorScheduler {
  readonly #o: MonitorSchedulerOptions;
  readonly #active = new Map<string, Active>();

  constructor(options: MonitorSchedulerOptions) {
    this.#o = options;
  }

  /** Starts (or restarts with the new spec) the recurring operation `RSC_ACTION_INTERVAL`. */
  start(spec: MonitorSpec): string {
    if (!(spec.intervalMs > 0)) {
      throw new AgentUsageError(
        `monitor of ${spec.resource}: intervalMs must be > 0, got ${spec.intervalMs}`,
      );
    }
    const action = spec.action ?? 'monitor';
    const key = opKey(spec.resource, action, spec.intervalMs);
    this.#halt(key, false);
    const m: Active = {
      spec,
      key,
      action,
      timer: undefined,
      controller: undefined,
      stopped: false,
      last: undefined,
      consecutiveFailures: 0,
      runs: 0,
    };
    this.#active.set(key, m);
    m.timer = this.#o.clock.setTimer(spec.startDelayMs ?? 0, () => this.#run(m));
    return key;
  }

  #run(m: Active): void {
    m.timer = undefined;
    if (m.stopped) return;
    const controller = new AbortController();
    m.controller = controller;
    const { startDelayMs: _delay, action: _action, ...request } = m.spec;
    void this.#o.executor
      .execute({ ...request, action: m.action, intervalMs: m.spec.intervalMs, signal: controller.signal })
      .then((result) => {
        m.controller = undefined;
        if (m.stopped || result.status === 'cancelled') return;
        const failed = !isSuccess(result);
        const prev = m.last;
        m.last = result;
        m.runs += 1;
        m.consecutiveFailures = failed ? m.consecutiveFailures + 1 : 0;
        const event: MonitorEvent = {
          result,
          key: m.key,
          failed,
          consecutiveFailures: m.consecutiveFailures,
          changed: prev === undefined || prev.rc !== result.rc || prev.status !== result.status,
        };
        // Re-arm first, so a throwing listener cannot end the monitor.
        m.timer = this.#o.clock.setTimer(this.#rearmDelayMs(m.spec.intervalMs), () => this.#run(m));
        if (failed) this.#o.onFailure(event);
        this.#o.onResult?.(event);
      });
  }

  /** `intervalMs`, rounded up so the run comes due at a multiple of the slack. */
  #rearmDelayMs(intervalMs: number): number {
    const slackMs = Math.min(intervalMs * (this.#o.timerSlack ?? DEFAULT_TIMER_SLACK), MAX_TIMER_SLACK_MS);
    if (!(slackMs >= 1)) return intervalMs;
    const now = this.#o.clock.monoNow();
    return Math.ceil((now + intervalMs) / slackMs) * slackMs - now;
  }

  #halt(key: string, forget: boolean): boolean {
    const m = this.#active.get(key);
    if (m === undefined) return false;
    m.stopped = true;
    m.timer?.cancel();
    m.controller?.abort('monitor stopped');
    this.#active.delete(key);
    if (forget) this.#o.executor.forgetRecurring?.(m.spec.resource, m.action, m.spec.intervalMs);
    return true;
  }

  /** Stops a resource's monitors (all, or the one with this action and interval). Returns how many. */
  stop(resource: string, match: { action?: string; intervalMs?: number } = {}): number {
    let n = 0;
    for (const m of [...this.#active.values()]) {
      if (m.spec.resource !== resource) continue;
      if (match.action !== undefined && m.action !== match.action) continue;
      if (match.intervalMs !== undefined && m.spec.intervalMs !== match.intervalMs) continue;
      if (this.#halt(m.key, true)) n += 1;
    }
    return n;
  }

  list(): MonitorState[] {
    return [...this.#active.values()]
      .map((m) => ({
        key: m.key,
        resource: m.spec.resource,
        intervalMs: m.spec.intervalMs,
        runs: m.runs,
        consecutiveFailures: m.consecutiveFailures,
        ...(m.last !== undefined ? { last: m.last } : {}),
      }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  get size(): number {
    return this.#active.size;
  }

  /** Stops every monitor. */
  dispose(): void {
    for (const key of [...this.#active.keys()]) this.#halt(key, false);
  }
}
