/**
 * How the controller writes results into the cluster status, as Pacemaker's controller writes
 * the CIB `<status>` (controld_execd.c / pcmk__create_history_xml, te_events.c update_failcount).
 * Pure functions: each returns a new ClusterStatus and never mutates its input.
 *
 * History slots per resource and node (`<lrm_rsc_op id=…>`):
 * - `RSC_last_0`: the last non-recurring operation (start, stop, probe, promote, …), failed or not;
 * - `RSC_last_failure_0`: the last failed operation, recurring or not;
 * - `RSC_monitor_INTERVAL`: a recurring monitor's result (removed when it is cancelled, and when
 *   the resource stops, as Pacemaker deletes the history of cancelled recurring operations).
 * Call ids increase per node in the order results reach the DC (the scheduler reads history in
 * call-id order). Times are seconds. `op-digest` is the digest of the current definition, so the
 * scheduler does not read the entry as "parameters changed".
 *
 * Fail counts are transient attributes `fail-count-RSC#OP_INTERVAL` / `last-failure-RSC#OP_INTERVAL`
 * (per-operation names: the status's crmFeatureSet is raised to at least 3.0.13 so the scheduler
 * reads them). A failed start adds INFINITY when start-failure-is-fatal (default true), else 1; a
 * failed stop adds INFINITY (Pacemaker's failed-stop-offset); other failures add 1; on-fail=ignore
 * records the failure but no fail count. A probe that finds the resource running is not a failure.
 */
import type { ClusterConfig, Primitive } from '../cib/model.ts';
import { INFINITY } from '../cib/model.ts';
import type { ClusterStatus, NodeState, OpRecord } from '../cib/status.ts';
import { OpStatus } from '../cib/status.ts';
import { computeOpDigest } from '../cib/op-digest.ts';
import { md5Hex } from '../cib/md5.ts';
import { parseScore } from '../cib/score.ts';
import type { Action } from '../scheduler/types.ts';
import {
  type ActionOutcome,
  type ActionStatus,
  type OutcomeJudgement,
  expectedRc,
  judgeOutcome,
} from './action-sink.ts';

/** The feature set tandem's controller writes (Pacemaker 2.1.5's), ≥ 3.0.13 for per-op fail counts. */
export const CONTROLLER_FEATURE_SET = '3.16.1';

export interface RecordContext {
  config: ClusterConfig;
  /** Wall time of the result, ms since the epoch (written as seconds). */
  nowMs: number;
  /** Transition the action belonged to (for transition-key); 0 for unsolicited results. */
  transitionId?: number;
  /** Position of the action in its transition (transition-key's first field). */
  actionNumber?: number;
}

const OP_STATUS: Record<ActionStatus, OpStatus> = {
  done: OpStatus.done,
  cancelled: OpStatus.cancelled,
  timeout: OpStatus.timeout,
  'not-supported': OpStatus.notSupported,
  error: OpStatus.error,
  'error-hard': OpStatus.errorHard,
  'error-fatal': OpStatus.errorFatal,
  'not-installed': OpStatus.notInstalled,
  invalid: OpStatus.invalid,
  'not-connected': OpStatus.notConnected,
  'no-fence-device': OpStatus.noFenceDevice,
};

/** The CIB `op-status` for an action status. */
export function opStatusOf(status: ActionStatus): OpStatus {
  return OP_STATUS[status];
}

/** rc written when the action did not report one (Pacemaker: unknown error, or not installed). */
function defaultRc(status: ActionStatus): number {
  if (status === 'done') return 0;
  if (status === 'not-installed') return 5;
  if (status === 'not-supported') return 3;
  if (status === 'invalid') return 2;
  return 1;
}

/** A stable 36-character id in UUID form for transition keys (Pacemaker decodes `%36s`). */
export function transitionUuid(clusterName: string): string {
  const h = md5Hex(`tandem:${clusterName}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function compareFeatureSet(a: string, b: string): number {
  const xs = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const ys = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const d = (xs[i] ?? 0) - (ys[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Every primitive of the configuration by id (group members and clone children included). */
export function primitivesById(config: ClusterConfig): Map<string, Primitive> {
  const out = new Map<string, Primitive>();
  for (const r of config.resources) {
    if (r.kind === 'primitive') out.set(r.id, r);
    else if (r.kind === 'group') for (const m of r.members) out.set(m.id, m);
    else if (r.child.kind === 'primitive') out.set(r.child.id, r.child);
    else for (const m of r.child.members) out.set(m.id, m);
  }
  return out;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && /^(true|on|yes|y|1)$/i.test(v.trim());
}

/** A copy of a node state that can be edited (history arrays and records copied on write). */
function cloneNode(n: NodeState): NodeState {
  return {
    ...n,
    transientAttributes: { ...n.transientAttributes },
    history: n.history.map((h) => ({ ...h, ops: [...h.ops] })),
  };
}

/** Applies `edit` to a copy of node `name` (created offline when missing); returns the new status. */
export function editNode(
  status: ClusterStatus,
  name: string,
  edit: (node: NodeState) => void,
): ClusterStatus {
  let found = false;
  const nodes = status.nodes.map((n) => {
    if (n.name !== name) return n;
    found = true;
    const c = cloneNode(n);
    edit(c);
    return c;
  });
  if (!found) {
    const c: NodeState = {
      name,
      inCcm: false,
      crmd: 'offline',
      join: 'down',
      expected: 'down',
      transientAttributes: {},
      history: [],
    };
    edit(c);
    nodes.push(c);
  }
  return { ...status, nodes };
}

function maxCallId(node: NodeState): number {
  let m = 0;
  for (const h of node.history) for (const op of h.ops) m = Math.max(m, op.callId);
  return m;
}

/** One operation result to record (from a transition action or an unsolicited report). */
export interface OperationResult {
  node: string;
  rsc: string;
  /** The operation as the CIB names it: `monitor` for probes and recurring monitors. */
  operation: string;
  intervalMs: number;
  targetRc: number;
  outcome: ActionOutcome;
  judgement: OutcomeJudgement;
}

/**
 * Records one operation result on `status`: history slot(s), and for failures the fail count.
 * Cancelled results are not recorded (the operation did not finish).
 */
export function recordOperation(
  status: ClusterStatus,
  result: OperationResult,
  ctx: RecordContext,
): ClusterStatus {
  const { outcome } = result;
  if (outcome.status === 'cancelled') return status;
  const prim = primitivesById(ctx.config).get(result.rsc);
  const nowSec = Math.floor(ctx.nowMs / 1000);
  const failed = result.judgement === 'failed';
  let next = editNode(status, result.node, (node) => {
    let history = node.history.find((h) => h.id === result.rsc);
    if (history === undefined) {
      if (prim === undefined) return; // neither configured nor known: nothing to attach it to
      history = { id: result.rsc, agent: prim.agent, ops: [] };
      node.history.push(history);
    }
    const callId = maxCallId(node) + 1;
    const rc = outcome.rc ?? defaultRc(outcome.status);
    const opStatus = opStatusOf(outcome.status);
    const key = `${ctx.actionNumber ?? 0}:${ctx.transitionId ?? 0}:${result.targetRc}:${transitionUuid(ctx.config.clusterName)}`;
    const base: OpRecord = {
      ...(outcome.record?.attributes ? { attributes: { ...outcome.record.attributes } } : {}),
      id: '',
      operation: result.operation,
      intervalMs: result.intervalMs,
      callId,
      rc,
      opStatus,
      targetRc: result.targetRc,
      lastRcChange: nowSec,
      execTimeMs: outcome.execTimeMs ?? outcome.record?.execTimeMs ?? 0,
      queueTimeMs: outcome.queueTimeMs ?? outcome.record?.queueTimeMs ?? 0,
      transitionKey: key,
      transitionMagic: `${opStatus}:${rc};${key}`,
      crmFeatureSet: CONTROLLER_FEATURE_SET,
      onNode: result.node,
      exitReason: outcome.exitReason ?? outcome.record?.exitReason ?? '',
      operationKey: `${result.rsc}_${result.operation}_${result.intervalMs}`,
    };
    if (result.intervalMs === 0) base.lastRun = nowSec;
    if (prim !== undefined)
      base.opDigest = computeOpDigest(prim, result.operation, result.intervalMs, ctx.config.opDefaults);
    const put = (id: string, rec: OpRecord): void => {
      if (history === undefined) return;
      history.ops = history.ops.filter((o) => o.id !== id);
      history.ops.push({ ...rec, id });
    };
    const recurring = result.intervalMs > 0;
    if (failed) {
      put(`${result.rsc}_last_failure_0`, base);
      if (!recurring) put(`${result.rsc}_last_0`, base);
    } else if (recurring) {
      const id = `${result.rsc}_monitor_${result.intervalMs}`;
      const prev = history.ops.find((o) => o.id === id);
      // last-rc-change moves only when the rc changes (a monitor re-reporting the same rc keeps it).
      if (
        prev !== undefined &&
        prev.rc === rc &&
        prev.opStatus === opStatus &&
        prev.lastRcChange !== undefined
      )
        base.lastRcChange = prev.lastRcChange;
      put(id, base);
    } else {
      put(`${result.rsc}_last_0`, base);
      if (result.operation === 'stop') {
        // A stop cancels the recurring monitors; Pacemaker deletes their history.
        history.ops = history.ops.filter((o) => o.intervalMs === 0 || o.id.endsWith('_last_failure_0'));
      }
    }
  });
  if (failed && !ignoresFailures(prim, result.operation, result.intervalMs)) {
    next = addFailCount(next, result, ctx, nowSec);
  }
  return next;
}

function ignoresFailures(prim: Primitive | undefined, operation: string, intervalMs: number): boolean {
  const def = prim?.operations.find((o) => o.name === operation && o.intervalMs === intervalMs);
  return def?.onFail === 'ignore';
}

/** `fail-count-RSC#OP_INTERVAL` (Pacemaker ≥ 1.1.17 names). */
export function failCountName(rsc: string, operation: string, intervalMs: number): string {
  return `fail-count-${rsc}#${operation}_${intervalMs}`;
}

export function lastFailureName(rsc: string, operation: string, intervalMs: number): string {
  return `last-failure-${rsc}#${operation}_${intervalMs}`;
}

function addFailCount(
  status: ClusterStatus,
  result: OperationResult,
  ctx: RecordContext,
  nowSec: number,
): ClusterStatus {
  const startFatal =
    ctx.config.properties['start-failure-is-fatal'] === undefined ||
    isTrue(ctx.config.properties['start-failure-is-fatal']);
  const infinite =
    result.intervalMs === 0 && ((result.operation === 'start' && startFatal) || result.operation === 'stop');
  const countName = failCountName(result.rsc, result.operation, result.intervalMs);
  const next = editNode(status, result.node, (node) => {
    const prev = parseScore(node.transientAttributes[countName] ?? '0');
    const before = prev.ok ? prev.value : 0;
    const value = infinite || before + 1 >= INFINITY ? INFINITY : before + 1;
    node.transientAttributes[countName] = value >= INFINITY ? 'INFINITY' : String(value);
    node.transientAttributes[lastFailureName(result.rsc, result.operation, result.intervalMs)] =
      String(nowSec);
  });
  const fs = next.crmFeatureSet;
  if (fs === undefined || compareFeatureSet(fs, '3.0.13') < 0)
    return { ...next, crmFeatureSet: CONTROLLER_FEATURE_SET };
  return next;
}

/** Removes a resource's fail counts (all nodes when `node` is absent); `rsc` matches clone instances too. */
export function clearFailCounts(status: ClusterStatus, rsc: string, node?: string): ClusterStatus {
  const matches = (k: string): boolean => {
    for (const prefix of ['fail-count-', 'last-failure-']) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const name = rest.includes('#') ? rest.slice(0, rest.indexOf('#')) : rest;
      const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
      if (base === rsc) return true;
    }
    return false;
  };
  return {
    ...status,
    nodes: status.nodes.map((n) => {
      if (node !== undefined && n.name !== node) return n;
      const keys = Object.keys(n.transientAttributes).filter(matches);
      const failure = n.history.some(
        (h) => h.id === rsc && h.ops.some((o) => o.id === `${rsc}_last_failure_0`),
      );
      if (keys.length === 0 && !failure) return n;
      const c = cloneNode(n);
      for (const k of keys) delete c.transientAttributes[k];
      for (const h of c.history)
        if (h.id === rsc) h.ops = h.ops.filter((o) => o.id !== `${rsc}_last_failure_0`);
      return c;
    }),
  };
}

/** A fenced node is down, its history and transient attributes erased (its resources are stopped). */
export function markFenced(status: ClusterStatus, node: string): ClusterStatus {
  return editNode(status, node, (n) => {
    n.inCcm = false;
    n.crmd = 'offline';
    n.join = 'down';
    n.expected = 'down';
    n.transientAttributes = {};
    n.history = [];
  });
}

/**
 * Records the outcome of one transition action: resource operations through `recordOperation`,
 * `cancel` drops the recurring monitor's record, `clear_failcount` the fail counts and last
 * failure, `delete` the resource's history, a successful `fence` marks the node fenced, a
 * successful `shutdown` marks it expected down. A failed fence changes nothing (the node stays
 * unclean, which blocks the recovery of its resources).
 */
export function recordActionOutcome(
  status: ClusterStatus,
  action: Action,
  outcome: ActionOutcome,
  ctx: RecordContext,
): ClusterStatus {
  if (action.pseudo) return status;
  const judgement = judgeOutcome(action, outcome);
  const ok = judgement === 'expected';
  const node = action.node;
  const rsc = action.rsc;
  switch (action.kind) {
    case 'fence':
      return ok && node !== undefined ? markFenced(status, node) : status;
    case 'shutdown':
      return ok && node !== undefined
        ? editNode(status, node, (n) => {
            n.expected = 'down';
          })
        : status;
    case 'clear_failcount':
      return rsc !== undefined ? clearFailCounts(status, rsc, node) : status;
    case 'cancel':
      if (!ok || node === undefined || rsc === undefined) return status;
      return editNode(status, node, (n) => {
        for (const h of n.history)
          if (h.id === rsc) h.ops = h.ops.filter((o) => o.id !== `${rsc}_monitor_${action.intervalMs ?? 0}`);
      });
    case 'delete':
      if (!ok || node === undefined || rsc === undefined) return status;
      return editNode(status, node, (n) => {
        n.history = n.history.filter((h) => h.id !== rsc);
      });
    case 'start':
    case 'stop':
    case 'promote':
    case 'demote':
    case 'monitor':
    case 'probe': {
      if (node === undefined || rsc === undefined) return status;
      return recordOperation(
        status,
        {
          node,
          rsc,
          operation: action.kind === 'probe' ? 'monitor' : action.kind,
          intervalMs: action.kind === 'monitor' ? (action.intervalMs ?? 0) : 0,
          targetRc: expectedRc(action),
          outcome,
          judgement,
        },
        ctx,
      );
    }
  }
}
