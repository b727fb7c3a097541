/**
 * The agent side of tandemd: runs the DC's actions on this node through the Executor, keeps the
 * recurring monitors the transitions ask for, reports monitor failures at once, and learns at start
 * what is already running (probes) so a daemon restart does not bounce resources.
 *
 * Contract of `run` (the transport's LocalActionRunner): never rejects; an action from an older
 * DC epoch is refused (`cancelled`, nothing runs); a `start` of a lease-guarded resource
 * (`leaseGuards`: not an anonymous clone instance) while the lease keeper forbids running is refused
 * as `cancelled` too: nothing ran, so the DC records no failure (no fail count) and retries. The
 * outcome's `record` is the executor's history entry for the action.
 */
import type {
  Attributes,
  ClusterConfig,
  OpRecord,
  Primitive,
  ResourceHistory,
} from '../coordinator/cib/index.ts';
import type { ActionOutcome, OperationReport } from '../coordinator/controller/index.ts';
import { EpochGuard } from '../coordinator/election/index.ts';
import { findPrimitive, type ActionRequest, type LocalActionRunner } from '../coordinator/transport/index.ts';
import type { Executor, OperationRequest, OperationResult } from '../agent/executor/index.ts';
import { isSuccess } from '../agent/executor/index.ts';
import { leaseGuards } from '../agent/lease/index.ts';
import type { MonitorScheduler } from '../agent/monitors/index.ts';
import type { DaemonLogger } from './logger.ts';

export interface NodeAgentOptions {
  node: string;
  executor: Executor;
  monitors: MonitorScheduler;
  log: DaemonLogger;
  /** Whether this node may start lease-guarded resources now (lease keeper); default always. */
  mayRun?: () => boolean;
  /**
   * Called when the DC asks for a guarded start, before the lease is checked: the node is about
   * to run something that must not run twice (it should announce itself active and want the
   * witness, so its lease stops resting on heartbeats alone).
   */
  onGuardedStart?: () => void;
}

/** Outcome of an executor result, with the history record the executor wrote. */
export function outcomeOf(result: OperationResult, record: OpRecord | undefined): ActionOutcome {
  return {
    status: result.status === 'pending' ? 'error' : result.status,
    ...(result.rc !== undefined ? { rc: result.rc } : {}),
    ...(result.exitReason !== undefined ? { exitReason: result.exitReason } : {}),
    execTimeMs: Math.round(result.durationMs),
    queueTimeMs: Math.round(result.queueTimeMs),
    ...(record !== undefined ? { record } : {}),
  };
}

/** The op definition (timeout, OCF_CHECK_LEVEL, …) of `name` at `intervalMs`, if configured. */
function opDefinition(
  p: Primitive,
  name: string,
  intervalMs: number,
): Primitive['operations'][number] | undefined {
  return p.operations.find((o) => o.name === name && o.intervalMs === intervalMs);
}

export class NodeAgent implements LocalActionRunner {
  readonly #o: NodeAgentOptions;
  readonly #guard = new EpochGuard();
  /** First result of a just-started recurring monitor, by op key. */
  /** undefined: the monitor was stopped before its first run (the RunAction must not hang). */
  readonly #firstRun = new Map<string, (r: OperationResult | undefined) => void>();
  readonly #reportListeners = new Set<(r: OperationReport) => void>();

  constructor(options: NodeAgentOptions) {
    this.#o = options;
  }

  /** Monitor results the DC did not ask for (recurring failures and recoveries). */
  onReport(cb: (r: OperationReport) => void): () => void {
    this.#reportListeners.add(cb);
    return () => this.#reportListeners.delete(cb);
  }

  /** Wire to MonitorScheduler's onResult: the first run answers RunAction, later changes are reported. */
  monitorResult(result: OperationResult, key: string, failed: boolean, changed: boolean): void {
    const waiter = this.#firstRun.get(key);
    if (waiter !== undefined) {
      this.#firstRun.delete(key);
      waiter(result);
      return;
    }
    if (!failed && !changed) return;
    const report: OperationReport = {
      node: this.#o.node,
      rsc: result.resource,
      operation: result.action,
      intervalMs: result.intervalMs,
      outcome: outcomeOf(result, this.#record(result.resource, key)),
    };
    this.#o.log.warn(
      { rsc: result.resource, intervalMs: result.intervalMs, rc: result.rc, status: result.status },
      'recurring monitor result reported to the DC',
    );
    for (const cb of [...this.#reportListeners]) cb(report);
  }

  /** Answers the RunActions still waiting for the first run of `rsc`'s monitors that were stopped. */
  #abandonFirstRuns(rsc: string, intervalMs?: number): void {
    for (const [key, waiter] of [...this.#firstRun]) {
      const match =
        intervalMs !== undefined ? key === `${rsc}_monitor_${intervalMs}` : key.startsWith(`${rsc}_monitor_`);
      if (!match) continue;
      this.#firstRun.delete(key);
      waiter(undefined);
    }
  }

  #record(rsc: string, slot: string): OpRecord | undefined {
    return this.#o.executor.history(rsc)?.ops.find((op) => op.id === slot);
  }

  #request(
    p: Primitive,
    meta: Attributes,
    action: string,
    intervalMs: number,
    timeoutMs: number | undefined,
  ): OperationRequest {
    const def = opDefinition(p, action === 'probe' ? 'monitor' : action, intervalMs);
    const checkLevel = def?.attributes?.['OCF_CHECK_LEVEL'];
    return {
      resource: p.id,
      agent: p.agent,
      action: action === 'probe' ? 'monitor' : action,
      intervalMs,
      ...(timeoutMs !== undefined
        ? { timeoutMs }
        : def?.timeoutMs !== undefined
          ? { timeoutMs: def.timeoutMs }
          : {}),
      params: p.instanceAttributes,
      meta,
      ...(checkLevel !== undefined ? { checkLevel } : {}),
    };
  }

  async #exec(req: OperationRequest, expectedRc = 0): Promise<ActionOutcome> {
    const result = await this.#o.executor.execute({ ...req, expectedRc });
    const slot = result.intervalMs > 0 ? result.opKey : `${result.resource}_last_0`;
    return outcomeOf(result, this.#record(result.resource, slot));
  }

  async run(req: ActionRequest): Promise<ActionOutcome> {
    const { action } = req;
    const admitted = this.#guard.admit(req.dcEpoch, req.dc);
    if (!admitted.ok) {
      this.#o.log.warn(
        { action: action.id, dc: req.dc, dcEpoch: req.dcEpoch },
        'action refused: stale DC epoch',
      );
      return { status: 'cancelled', exitReason: admitted.error.message };
    }
    try {
      return await this.#run(req);
    } catch (err) {
      this.#o.log.error({ err, action: action.id }, 'action failed in the node agent');
      return {
        status: 'error',
        exitReason: `node agent: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  async #run(req: ActionRequest): Promise<ActionOutcome> {
    const { action, primitive: p, meta } = req;
    const done: ActionOutcome = { status: 'done', rc: 0 };
    switch (action.kind) {
      case 'clear_failcount':
      case 'shutdown':
        return done;
      case 'delete':
        if (action.rsc !== undefined) this.#o.executor.clearHistory(action.rsc);
        return done;
      case 'cancel':
        if (action.rsc !== undefined) {
          this.#o.monitors.stop(
            action.rsc,
            action.intervalMs !== undefined ? { intervalMs: action.intervalMs } : {},
          );
          this.#abandonFirstRuns(action.rsc, action.intervalMs);
        }
        return done;
      case 'fence':
        return { status: 'no-fence-device', exitReason: 'fencing is not run by the node agent' };
      case 'promote':
      case 'demote':
        return { status: 'not-supported', exitReason: `${action.kind}: promotable clones are not supported` };
      case 'start':
      case 'stop':
      case 'probe':
      case 'monitor':
        break;
    }
    if (p === undefined) {
      // An orphan (deleted from the configuration while active): stop/probe with what the history knows.
      const hist = action.rsc !== undefined ? this.#o.executor.history(action.rsc) : undefined;
      if (hist === undefined || action.rsc === undefined) {
        return action.kind === 'stop' || action.kind === 'probe'
          ? { status: 'done', rc: action.kind === 'probe' ? 7 : 0 }
          : { status: 'invalid', exitReason: `resource ${action.rsc ?? '?'} is not in the configuration` };
      }
      const orphan: Primitive = {
        kind: 'primitive',
        id: action.rsc,
        agent: hist.agent,
        instanceAttributes: {},
        metaAttributes: {},
        operations: [],
      };
      return this.#runPrimitive(req, orphan, meta);
    }
    return this.#runPrimitive(req, p, meta);
  }

  async #runPrimitive(req: ActionRequest, p: Primitive, meta: Attributes): Promise<ActionOutcome> {
    const { action } = req;
    const timeoutMs = action.timeoutMs;
    switch (action.kind) {
      case 'start':
        if (leaseGuards(meta)) this.#o.onGuardedStart?.();
        if (leaseGuards(meta) && this.#o.mayRun !== undefined && !this.#o.mayRun()) {
          this.#o.log.warn({ rsc: p.id }, 'start refused: no quorum lease (not run; the DC retries)');
          return {
            status: 'cancelled',
            exitReason: `node ${this.#o.node} may not run ${p.id} now (no quorum lease); not started, the DC retries`,
          };
        }
        return this.#exec(this.#request(p, meta, 'start', 0, timeoutMs));
      case 'stop':
        this.#o.monitors.stop(p.id);
        this.#abandonFirstRuns(p.id);
        return this.#exec(this.#request(p, meta, 'stop', 0, timeoutMs));
      case 'probe':
        return this.#exec(this.#request(p, meta, 'probe', 0, timeoutMs), 7);
      case 'monitor': {
        const intervalMs = action.intervalMs ?? 0;
        if (intervalMs <= 0) return this.#exec(this.#request(p, meta, 'monitor', 0, timeoutMs));
        const spec = this.#request(p, meta, 'monitor', intervalMs, timeoutMs);
        const key = `${p.id}_monitor_${intervalMs}`;
        const first = new Promise<OperationResult | undefined>((resolve) => this.#firstRun.set(key, resolve));
        this.#o.monitors.start({ ...spec, intervalMs });
        const result = await first;
        if (result === undefined)
          return { status: 'cancelled', exitReason: `${key} was stopped before its first run` };
        return outcomeOf(result, this.#record(p.id, key));
      }
      case 'cancel':
      case 'clear_failcount':
      case 'delete':
      case 'demote':
      case 'fence':
      case 'promote':
      case 'shutdown':
        return { status: 'invalid', exitReason: `unexpected action kind ${action.kind}` };
    }
  }

  /**
   * At start: probe every configured primitive here; restart the recurring monitors of those found
   * running (the DC's transitions started them before this daemon restarted). Returns the ids
   * found running. The results land in the executor's history, which the DC reads.
   */
  async probeAll(config: ClusterConfig): Promise<string[]> {
    const ids: string[] = [];
    const walk = (r: ClusterConfig['resources'][number]): void => {
      if (r.kind === 'primitive') ids.push(r.id);
      else if (r.kind === 'group') for (const m of r.members) ids.push(m.id);
      else walk(r.child);
    };
    for (const r of config.resources) walk(r);
    const running: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        const found = findPrimitive(config, id);
        if (found === undefined || found.primitive.agent.standard === 'stonith') return;
        const result = await this.#o.executor.execute({
          ...this.#request(found.primitive, found.meta, 'probe', 0, undefined),
          expectedRc: 7,
        });
        if (result.status === 'done' && (result.rc === 0 || result.rc === 8)) {
          running.push(id);
          for (const op of found.primitive.operations) {
            if (op.name !== 'monitor' || !(op.intervalMs > 0) || op.enabled === false) continue;
            if (op.role !== undefined && op.role !== 'Started') continue;
            this.#o.monitors.start({
              ...this.#request(found.primitive, found.meta, 'monitor', op.intervalMs, undefined),
              intervalMs: op.intervalMs,
              startDelayMs: op.intervalMs,
            });
          }
        }
      }),
    );
    this.#o.log.info({ running: running.sort(), probed: ids.length }, 'start-up probes finished');
    return running;
  }

  /**
   * Stops the resources the executor's history says are running here, in reverse configuration
   * order. `guardedOnly` (self-demotion): only those the lease guards (`leaseGuards`), so anonymous
   * clones such as ping keep running and keep measuring; otherwise everything (cluster stop).
   */
  async stopAll(config: ClusterConfig, options: { guardedOnly?: boolean } = {}): Promise<void> {
    const active = this.#o.executor
      .histories()
      .filter((h) => isActive(h))
      .filter((h) => options.guardedOnly !== true || guardedIn(config, h.id));
    if (options.guardedOnly === true) {
      for (const h of active) {
        this.#o.monitors.stop(h.id);
        this.#abandonFirstRuns(h.id);
      }
    } else {
      this.#o.monitors.dispose();
      for (const waiter of [...this.#firstRun.values()]) waiter(undefined);
      this.#firstRun.clear();
    }
    // Reverse configuration order approximates reverse start order (groups stop last member first).
    const order = new Map<string, number>();
    let i = 0;
    const walk = (r: ClusterConfig['resources'][number]): void => {
      if (r.kind === 'primitive') order.set(r.id, i++);
      else if (r.kind === 'group') for (const m of r.members) order.set(m.id, i++);
      else walk(r.child);
    };
    for (const r of config.resources) walk(r);
    active.sort((a, b) => (order.get(b.id) ?? -1) - (order.get(a.id) ?? -1));
    for (const h of active) {
      const found = findPrimitive(config, h.id);
      const p: Primitive = found?.primitive ?? {
        kind: 'primitive',
        id: h.id,
        agent: h.agent,
        instanceAttributes: {},
        metaAttributes: {},
        operations: [],
      };
      const result = await this.#o.executor.execute(
        this.#request(p, found?.meta ?? {}, 'stop', 0, undefined),
      );
      this.#o.log.warn(
        { rsc: h.id, ok: isSuccess(result), rc: result.rc, status: result.status },
        'resource stopped by the node itself',
      );
    }
  }

  /** Resources whose last recorded operation leaves them running. */
  activeResources(): string[] {
    return this.#o.executor
      .histories()
      .filter(isActive)
      .map((h) => h.id);
  }

  /**
   * Running resources the lease guards (not anonymous clone instances): what makes this node
   * "active" for membership (takeover wait, `unclean` with stonith) and the witness.
   */
  guardedActiveResources(config: ClusterConfig): string[] {
    return this.activeResources().filter((id) => guardedIn(config, id));
  }
}

/** A resource unknown to `config` (an orphan) counts as guarded: nothing says it may run twice. */
function guardedIn(config: ClusterConfig, id: string): boolean {
  const found = findPrimitive(config, id);
  return found === undefined || leaseGuards(found.meta);
}

/** Active: the last one-shot op is a successful start or a probe/monitor that found it running. */
export function isActive(h: ResourceHistory): boolean {
  const last = h.ops.find((op) => op.id === `${h.id}_last_0`);
  if (last === undefined) return false;
  if (last.operation === 'stop') return !(last.opStatus === 0 && last.rc === 0);
  if (last.operation === 'start') return last.opStatus === 0 ? last.rc === 0 : true;
  if (last.operation === 'monitor') return last.opStatus === 0 && (last.rc === 0 || last.rc === 8);
  return false;
}
