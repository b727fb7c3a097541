/**
 * `tandem status --output-as json`: a stable API (apiVersion "tandem.status/v1"; fields are only
 * added within v1). Built from the daemon's StatusSnapshot and one pure `schedule()` run over it
 * (where things run now, and the scheduler's reasons for what is not running).
 *
 * Fields:
 *   cluster: name, stack ("tandem"), dc (name or null), dcEpoch, source ("dc" | "local"),
 *     lastUpdated / lastChange (ISO-8601 or null), lastUpdatedOn (node), nodesConfigured,
 *     resourceInstancesConfigured, disabled, blocked,
 *     quorum { quorate, votes, expectedVotes, needed, twoNode, waitForAll, witness },
 *     witness { kind, address?, holder (null = none), error? },
 *     lease { node, mayRun, remainingMs (null = no expiry) },
 *     transitionRunning
 *   nodes[]: name, id, online, standby, maintenance, unclean, pending, shutdown, isDc,
 *     membership (member | lost | unclean | fenced | left), resourcesRunning
 *   resources[]: id (primitive), instance, agent, group?, clone?, role (Started | Stopped),
 *     nodes[], failed, blocked, managed, disabled, orphaned
 *   failures[]: rsc, node, operation, intervalMs, opKey, rc, rcText, status, exitReason?,
 *     lastRcChange (ISO-8601)?, execTimeMs?
 *   fenceFailures[]: node, action (reboot | off), attempts, reason, lastFailed (ISO-8601):
 *     fencing that failed; the node's resources are not recovered until it succeeds
 *   notRunning[]: rsc, reasons[] (the scheduler's explanation), hint? (what to run)
 *   constraints[]: leftovers of move/ban (id, rsc, node, score, expires?, expired)
 *   warnings[]: safety warnings (e.g. the two-node configuration without witness and fencing)
 */
import { describeRc } from '../../agent/executor/index.ts';
import { INFINITY, type ClusterConfig, type OpRecord } from '../../coordinator/cib/index.ts';
import { cliConstraints } from '../../coordinator/controller/index.ts';
import { schedule, type Transition } from '../../coordinator/scheduler/index.ts';
import type { StatusSnapshot } from '../../daemon/status-snapshot.ts';
import {
  currentDisplay,
  effectiveMeta,
  isTrue,
  listPrimitives,
  type ClusterDisplay,
} from '../render/index.ts';

export const STATUS_API_VERSION = 'tandem.status/v1';

export const TWO_NODE_WARNING =
  'this configuration cannot survive a cut link between the nodes safely: two nodes, no witness and no fencing (both may run the resources); configure a witness (tandem.conf witness=redis://…) or fencing';

export interface StatusFailure {
  rsc: string;
  node: string;
  operation: string;
  intervalMs: number;
  opKey: string;
  rc: number;
  rcText: string;
  status: string;
  exitReason?: string;
  lastRcChange?: string;
  execTimeMs?: number;
}

export interface StatusDocument {
  apiVersion: typeof STATUS_API_VERSION;
  cluster: {
    name: string;
    stack: 'tandem';
    dc: string | null;
    dcEpoch: number;
    source: 'dc' | 'local';
    lastUpdated: string;
    lastUpdatedOn: string;
    lastChange: string | null;
    nodesConfigured: number;
    resourceInstancesConfigured: number;
    disabled: number;
    blocked: number;
    quorum: {
      quorate: boolean;
      votes: number;
      expectedVotes: number;
      needed: number;
      twoNode: boolean;
      waitForAll: boolean;
      witness: string;
    };
    witness: { kind: string; address?: string; holder: string | null; error?: string };
    lease: { node: string; mayRun: boolean; remainingMs: number | null };
    transitionRunning: boolean;
  };
  nodes: {
    name: string;
    id: string;
    online: boolean;
    standby: boolean;
    maintenance: boolean;
    unclean: boolean;
    pending: boolean;
    shutdown: boolean;
    isDc: boolean;
    membership: string;
    resourcesRunning: number;
  }[];
  resources: {
    id: string;
    instance: string;
    agent: string;
    group?: string;
    clone?: string;
    role: 'Started' | 'Stopped';
    nodes: string[];
    failed: boolean;
    blocked: boolean;
    managed: boolean;
    disabled: boolean;
    orphaned: boolean;
  }[];
  failures: StatusFailure[];
  fenceFailures: { node: string; action: string; attempts: number; reason: string; lastFailed: string }[];
  notRunning: { rsc: string; reasons: string[]; hint?: string }[];
  constraints: { id: string; rsc: string; node: string; score: number; expires?: string; expired: boolean }[];
  warnings: string[];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isFailedOp(op: OpRecord): boolean {
  if (op.opStatus !== 0) return op.opStatus !== -1 && op.opStatus !== 1;
  const expected = op.targetRc ?? 0;
  if (op.rc === expected) return false;
  if (op.operation === 'monitor' && op.intervalMs === 0 && (op.rc === 0 || op.rc === 7)) return false;
  return true;
}

const EXEC_STATUS_TEXT: Record<number, string> = {
  [-1]: 'pending',
  0: 'complete',
  1: 'Cancelled',
  2: 'Timed Out',
  3: 'NOT SUPPORTED',
  4: 'Error',
  5: 'Hard error',
  6: 'Fatal error',
  7: 'Not installed',
  8: 'Internal communication failure',
  9: 'Cannot execute now',
  10: 'No fence device',
};

export function failuresOf(snapshot: StatusSnapshot): StatusFailure[] {
  const out: StatusFailure[] = [];
  for (const n of snapshot.status.nodes) {
    for (const h of n.history) {
      const rsc = h.id.replace(/:\d+$/, '');
      const op = h.ops.find((o) => o.id === `${h.id}_last_failure_0`);
      if (op === undefined || !isFailedOp(op)) continue;
      out.push({
        rsc,
        node: n.name,
        operation: op.operation === 'monitor' && op.intervalMs === 0 ? 'probe' : op.operation,
        intervalMs: op.intervalMs,
        opKey: `${rsc}_${op.operation}_${op.intervalMs}`,
        rc: op.rc,
        rcText: describeRc(op.rc),
        status: EXEC_STATUS_TEXT[op.opStatus] ?? String(op.opStatus),
        ...(op.exitReason !== undefined && op.exitReason !== '' ? { exitReason: op.exitReason } : {}),
        ...(op.lastRcChange !== undefined ? { lastRcChange: iso(op.lastRcChange * 1000) } : {}),
        ...(op.execTimeMs !== undefined ? { execTimeMs: op.execTimeMs } : {}),
      });
    }
  }
  return out.sort((a, b) => (a.rsc + a.node < b.rsc + b.node ? -1 : 1));
}

function stonithActionOf(config: ClusterConfig): string {
  const a = (config.properties['stonith-action'] ?? 'reboot').trim().toLowerCase();
  return a === 'off' || a === 'poweroff' ? 'off' : 'reboot';
}

function stonithEnabled(config: ClusterConfig): boolean {
  const v = config.properties['stonith-enabled'];
  return v === undefined || isTrue(v);
}

export interface BuiltStatus {
  document: StatusDocument;
  transition: Transition;
  display: ClusterDisplay;
}

export function buildStatus(snapshot: StatusSnapshot): BuiltStatus {
  const { config, status } = snapshot;
  const transition = schedule({ config, status, now: snapshot.now });
  const display = currentDisplay(config, status, transition);
  const places = new Map(listPrimitives(config).map((p) => [p.primitive.id, p]));
  const membership = new Map(snapshot.membership.map((m) => [m.name, m.state]));
  const running = new Map<string, number>();
  for (const inst of display.instances) for (const n of inst.nodes) running.set(n, (running.get(n) ?? 0) + 1);
  const dc = snapshot.source === 'dc' ? snapshot.answeredBy : (status.dc ?? null);

  const resources: StatusDocument['resources'] = display.instances.map((inst) => {
    const place = places.get(inst.rsc);
    const view = transition.resources.find((r) => r.instance === inst.instance && r.rsc === inst.rsc);
    const managedMeta = place !== undefined ? effectiveMeta(config, place, 'is-managed') : undefined;
    const role = place !== undefined ? effectiveMeta(config, place, 'target-role') : undefined;
    return {
      id: inst.rsc,
      instance: inst.instance,
      agent: view?.agent ?? '',
      ...(place?.group !== undefined ? { group: place.group.id } : {}),
      ...(place?.clone !== undefined ? { clone: place.clone.id } : {}),
      role: inst.nodes.length > 0 ? 'Started' : 'Stopped',
      nodes: [...inst.nodes].sort(),
      failed: inst.flags.includes('failed'),
      blocked: inst.flags.includes('blocked'),
      managed: !(managedMeta !== undefined && !isTrue(managedMeta)) && !inst.flags.includes('unmanaged'),
      disabled: role !== undefined && role.toLowerCase() === 'stopped',
      orphaned: inst.flags.includes('orphaned'),
    };
  });

  const failures = failuresOf(snapshot);
  const onlineNodes = display.nodes.filter((n) => n.online).map((n) => n.name);
  /** Whether an online node runs no instance of the anonymous clone (true for unique clones). */
  const anonymousCloneLacksNode = (cloneId: string): boolean => {
    const place = listPrimitives(config).find((p) => p.clone?.id === cloneId);
    if (place === undefined) return true;
    const unique = effectiveMeta(config, place, 'globally-unique');
    if (unique !== undefined && isTrue(unique)) return true;
    const runs = new Set(resources.filter((x) => x.clone === cloneId).flatMap((x) => x.nodes));
    return onlineNodes.some((n) => !runs.has(n));
  };
  const notRunning: StatusDocument['notRunning'] = [];
  // Not running, or not going to run once the DC's transition is done (a failed start being
  // stopped), or blocked: say why.
  const placedNext = new Map(transition.resources.map((v) => [`${v.rsc}\0${v.instance}`, v]));
  for (const r of resources) {
    const next = placedNext.get(`${r.id}\0${r.instance}`);
    const staying = r.role === 'Started' && next?.next !== null && !r.blocked;
    if (staying || r.disabled || notRunning.some((n) => n.rsc === r.id)) continue;
    // A stopped instance of an anonymous clone is surplus, not a problem, when every online node
    // already runs one (clone-max counts nodes that are offline now).
    if (r.clone !== undefined && r.role === 'Stopped' && !anonymousCloneLacksNode(r.clone)) continue;
    const reasons = transition.explanation.reasons.filter(
      (x) => x.rsc === r.id || x.rsc === r.instance || x.rsc === r.group || x.rsc === r.clone,
    );
    const lines = reasons.map((x) => (x.node !== undefined ? `${x.node}: ${x.reason}` : x.reason));
    const failed = failures.filter((f) => f.rsc === r.id);
    for (const f of failed) {
      lines.push(
        `${f.operation} failed on ${f.node}${f.lastRcChange !== undefined ? ` at ${f.lastRcChange}` : ''} (${f.rcText}${f.exitReason !== undefined ? `: ${f.exitReason}` : ''})`,
      );
    }
    if (!snapshot.quorum.quorate) lines.push('the partition has no quorum');
    for (const f of snapshot.fenceFailures) {
      lines.push(`recovery from ${f.node} waits for fencing, which failed (${f.reason})`);
    }
    if (lines.length === 0)
      lines.push(
        snapshot.source === 'local' ? 'no DC: placement unknown' : 'not placed (no reason recorded)',
      );
    notRunning.push({
      rsc: r.id,
      reasons: lines,
      ...(failed.length > 0
        ? { hint: `run \`tandem resource cleanup ${r.group ?? r.clone ?? r.id}\` once the cause is fixed` }
        : {}),
    });
  }

  const warnings: string[] = [];
  if (config.nodes.length === 2 && snapshot.witness.kind === 'none' && !stonithEnabled(config))
    warnings.push(TWO_NODE_WARNING);
  if (snapshot.source === 'local')
    warnings.push(`no DC reachable: this is ${snapshot.answeredBy}'s own view`);

  let total = 0;
  let disabled = 0;
  for (const place of listPrimitives(config)) {
    const n = place.clone ? Number(place.clone.metaAttributes['clone-max'] ?? config.nodes.length) : 1;
    total += n;
    const role = effectiveMeta(config, place, 'target-role');
    if (role !== undefined && role.toLowerCase() === 'stopped') disabled += n;
  }

  const nodes: StatusDocument['nodes'] = display.nodes.map((n) => ({
    name: n.name,
    id: config.nodes.find((c) => c.name === n.name)?.id ?? '',
    online: n.online,
    standby: n.flags.includes('standby'),
    maintenance: n.flags.includes('maintenance'),
    unclean: n.flags.includes('unclean'),
    pending: n.flags.includes('pending'),
    shutdown: n.flags.includes('shutdown'),
    isDc: n.name === dc,
    membership: membership.get(n.name) ?? 'lost',
    resourcesRunning: running.get(n.name) ?? 0,
  }));

  const q = snapshot.quorum;
  const document: StatusDocument = {
    apiVersion: STATUS_API_VERSION,
    cluster: {
      name: config.clusterName,
      stack: 'tandem',
      dc,
      dcEpoch: snapshot.dcEpoch,
      source: snapshot.source,
      lastUpdated: iso(snapshot.now),
      lastUpdatedOn: snapshot.localNode,
      lastChange: snapshot.lastChange !== undefined ? iso(snapshot.lastChange) : null,
      nodesConfigured: config.nodes.length,
      resourceInstancesConfigured: total,
      disabled,
      blocked: resources.filter((r) => r.blocked).length,
      quorum: {
        quorate: q.quorate,
        votes: q.votes,
        expectedVotes: q.expectedVotes,
        needed: q.needed,
        twoNode: q.twoNode,
        waitForAll: q.waitForAll,
        witness: q.witness,
      },
      witness: {
        kind: snapshot.witness.kind,
        ...(snapshot.witness.address !== undefined ? { address: snapshot.witness.address } : {}),
        holder: snapshot.witness.holder === '' ? null : snapshot.witness.holder,
        ...(snapshot.witness.error !== undefined ? { error: snapshot.witness.error } : {}),
      },
      lease: snapshot.lease,
      transitionRunning: snapshot.transitionRunning,
    },
    nodes,
    resources,
    failures,
    fenceFailures: snapshot.fenceFailures.map((f) => ({
      node: f.node,
      action: stonithActionOf(config),
      attempts: f.attempts,
      reason: f.reason,
      lastFailed: iso(f.at),
    })),
    notRunning,
    constraints: cliConstraints(config, snapshot.now).map(({ constraint: c, expired }) => ({
      id: c.id,
      rsc: c.rsc,
      node: c.node ?? '',
      score: c.score ?? INFINITY,
      ...(c.expires !== undefined ? { expires: c.expires } : {}),
      expired,
    })),
    warnings,
  };
  return { document, transition, display };
}
