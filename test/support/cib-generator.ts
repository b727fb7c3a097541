/**
 * Seeded random clusters for differential tests and benchmarks: `generateCluster(options)` returns a
 * valid configuration and a matching cluster state (node_state + lrm history), the same for the same
 * options on every machine.
 *
 * What it makes (each part can be switched off):
 * - nodes `node1…nodeN`, some offline (no node_state or a clean "down" one), some in standby,
 *   with a permanent `site` attribute (a/b) and a transient `pingd` (0 or 1000, or absent);
 * - primitives `ocf:heartbeat:Dummy` with a recurring monitor; groups of 2–4 members; anonymous
 *   clones of one primitive (clone-max sometimes set);
 * - location constraints (node + score, or rules on pingd/site with defined/not_defined/lt/gte/eq);
 *   colocations (INFINITY, -INFINITY, advisory) and orders (Mandatory/Optional, sometimes not
 *   symmetrical) between top-level resources, always from a later resource to an earlier one so
 *   there are no cycles;
 * - resource-stickiness (defaults and per resource), migration-threshold, target-role=Stopped,
 *   is-managed=false;
 * - a random current placement recorded as lrm history the way the controller writes it (probes,
 *   starts, monitors with op-digest, call-ids increasing per node, timestamps before 2025-01-01),
 *   optional monitor/start failures with fail counts (feature set 3.16.1, so per-operation fail
 *   counts are read).
 *
 * `features` names the feature classes present, so a disagreement can be attributed to them.
 */
import {
  INFINITY,
  emptyConfig,
  type AttributeExpression,
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
  type OpRecord,
  type Primitive,
  type Resource,
  type ResourceHistory,
  type Rule,
  type Score,
} from '../../coordinator/cib/index.ts';
import { Prng } from './prng.ts';

export interface GenerateOptions {
  seed: number;
  nodes: number;
  /** Number of primitives (group members and clone children included). */
  resources: number;
  groups?: boolean;
  clones?: boolean;
  locations?: boolean;
  /** Location rules on node attributes (needs `locations`). */
  rules?: boolean;
  colocations?: boolean;
  orders?: boolean;
  stickiness?: boolean;
  failures?: boolean;
  offlineNodes?: boolean;
  standbyNodes?: boolean;
  /** target-role=Stopped and is-managed=false on a few resources. */
  roleAndManaged?: boolean;
  /** Fraction of (online node, resource) pairs that carry a probe result (the rest get probed). */
  probedFraction?: number;
  /** Fraction of top-level resources that run somewhere in the current state. */
  runningFraction?: number;
}

export interface GeneratedCluster {
  config: ClusterConfig;
  status: ClusterStatus;
  /** Feature classes present in this cluster (sorted), e.g. `group`, `colocation-inf`, `failure-monitor`. */
  features: string[];
}

/** Digests crm_simulate 2.1.5 computes for ocf:heartbeat:Dummy without parameters. */
const DIGEST_ONESHOT = 'f2317cad3d54cec5d7d7aa7d0bf35cf8';
const DIGEST_RECURRING = '4811cef7f7f94e3a35a70be7916cb2fd';
const FEATURE_SET = '3.16.1';
const TRANSITION_UUID = '5e1f7c2a-0000-4000-8000-00000000cafe';
/** 2023-11-14T22:13:20Z: every recorded operation is between this and 2025-01-01. */
const HISTORY_START = 1_700_000_000;

const MONITOR_INTERVALS_MS = [10_000, 15_000, 30_000] as const;

interface TopLevel {
  resource: Resource;
  /** Primitive instances to place: one per member for groups, the child for clones. */
  primitives: Primitive[];
}

export function generateCluster(options: GenerateOptions): GeneratedCluster {
  const on = (flag: boolean | undefined): boolean => flag !== false;
  const rng = new Prng(options.seed);
  const features = new Set<string>();
  const nodeNames = Array.from({ length: Math.max(1, options.nodes) }, (_, i) => `node${i + 1}`);
  const config = emptyConfig(`gen-${options.seed}`, nodeNames);
  config.version = { adminEpoch: 0, epoch: 1 + rng.int(0, 50), numUpdates: 0 };
  config.properties = { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore' };

  // Nodes: which are online, standby, and their attributes.
  const online = new Set<string>(nodeNames);
  if (on(options.offlineNodes) && nodeNames.length > 1) {
    for (const name of nodeNames) {
      if (online.size > 1 && rng.chance(0.15)) online.delete(name);
    }
  }
  if (online.size < nodeNames.length) features.add('offline-node');
  for (const node of config.nodes) {
    node.attributes = { site: rng.chance(0.5) ? 'a' : 'b' };
    if (on(options.standbyNodes) && nodeNames.length > 1 && rng.chance(0.1)) {
      node.attributes.standby = 'on';
      features.add('standby');
    }
  }

  // Resources.
  const topLevel: TopLevel[] = [];
  let budget = Math.max(0, options.resources);
  let counter = 0;
  while (budget > 0) {
    counter++;
    const roll = rng.next();
    if (on(options.groups) && budget >= 2 && roll < 0.25) {
      const size = Math.min(budget, rng.int(2, 4));
      const id = `grp${counter}`;
      const members = Array.from({ length: size }, (_, i) => makePrimitive(rng, `${id}-m${i + 1}`));
      topLevel.push({ resource: { kind: 'group', id, metaAttributes: {}, members }, primitives: members });
      features.add('group');
      budget -= size;
    } else if (on(options.clones) && roll < 0.4) {
      const child = makePrimitive(rng, `cl${counter}`);
      const meta: Record<string, string> = {};
      if (rng.chance(0.3)) {
        meta['clone-max'] = String(rng.int(1, nodeNames.length));
        features.add('clone-max');
      }
      topLevel.push({
        resource: { kind: 'clone', id: `cl${counter}-clone`, metaAttributes: meta, child },
        primitives: [child],
      });
      features.add('clone');
      budget -= 1;
    } else {
      const p = makePrimitive(rng, `rsc${counter}`);
      topLevel.push({ resource: p, primitives: [p] });
      budget -= 1;
    }
  }
  config.resources = topLevel.map((t) => t.resource);

  // Meta attributes: stickiness, migration-threshold, target-role, is-managed.
  if (on(options.stickiness)) {
    const defaultStickiness = rng.pick(['', '0', '100', '100', '1000', 'INFINITY']);
    if (defaultStickiness !== '') {
      config.rscDefaults['resource-stickiness'] = defaultStickiness;
      features.add('stickiness');
    }
    for (const t of topLevel) {
      if (rng.chance(0.1)) {
        t.resource.metaAttributes['resource-stickiness'] = rng.pick(['0', '50', '200', 'INFINITY']);
        features.add('stickiness-per-resource');
      }
    }
  }
  if (on(options.failures)) {
    if (rng.chance(0.3)) {
      config.rscDefaults['migration-threshold'] = String(rng.int(1, 3));
      features.add('migration-threshold');
    }
  }
  if (on(options.roleAndManaged)) {
    for (const t of topLevel) {
      if (rng.chance(0.04)) {
        t.resource.metaAttributes['target-role'] = 'Stopped';
        features.add('target-role-stopped');
      } else if (rng.chance(0.03)) {
        t.resource.metaAttributes['is-managed'] = 'false';
        features.add('unmanaged');
      }
    }
  }

  // Constraints between top-level resources.
  const ids = topLevel.map((t) => t.resource.id);
  let cid = 0;
  if (on(options.locations) && ids.length > 0) {
    const count = Math.max(1, Math.round(ids.length / 3));
    for (let i = 0; i < count; i++) {
      cid++;
      const rsc = rng.pick(ids);
      if (on(options.rules) && rng.chance(0.4)) {
        const id = `loc${cid}-${rsc}`;
        config.constraints.location.push({ id, rsc, rules: [makeRule(rng, id, features)] });
      } else {
        const node = rng.pick(nodeNames);
        const score = pickScore(rng);
        config.constraints.location.push({ id: `loc${cid}-${rsc}-${node}`, rsc, node, score });
        features.add(
          score === -INFINITY ? 'location-ban' : score === INFINITY ? 'location-inf' : 'location-score',
        );
      }
    }
  }
  if (on(options.colocations) && ids.length > 1) {
    const count = Math.max(1, Math.round(ids.length / 4));
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const a = rng.int(1, ids.length - 1);
      const b = rng.int(0, a - 1);
      const rsc = ids[a];
      const withRsc = ids[b];
      if (rsc === undefined || withRsc === undefined || seen.has(`${rsc} ${withRsc}`)) continue;
      seen.add(`${rsc} ${withRsc}`);
      const roll = rng.next();
      const score: Score =
        roll < 0.4 ? INFINITY : roll < 0.6 ? -INFINITY : rng.pick([-500, -100, 100, 500, 1000]);
      cid++;
      config.constraints.colocation.push({ id: `col${cid}-${rsc}-${withRsc}`, rsc, withRsc, score });
      features.add(
        score === INFINITY
          ? 'colocation-inf'
          : score === -INFINITY
            ? 'colocation-neg-inf'
            : 'colocation-advisory',
      );
      if (topLevel[a]?.resource.kind === 'clone' || topLevel[b]?.resource.kind === 'clone')
        features.add('colocation-clone');
    }
  }
  if (on(options.orders) && ids.length > 1) {
    const count = Math.max(1, Math.round(ids.length / 5));
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const b = rng.int(1, ids.length - 1);
      const a = rng.int(0, b - 1);
      const first = ids[a];
      const then = ids[b];
      if (first === undefined || then === undefined || seen.has(`${first} ${then}`)) continue;
      seen.add(`${first} ${then}`);
      const kind = rng.chance(0.7) ? 'Mandatory' : 'Optional';
      const symmetrical = rng.chance(0.8);
      cid++;
      config.constraints.order.push({
        id: `ord${cid}-${first}-${then}`,
        first,
        then,
        firstAction: 'start',
        thenAction: 'start',
        kind,
        symmetrical,
      });
      features.add(kind === 'Mandatory' ? 'order-mandatory' : 'order-optional');
      if (!symmetrical) features.add('order-asymmetrical');
    }
  }

  const status = generateStatus(rng, options, topLevel, nodeNames, online, features);
  return { config, status, features: [...features].sort() };
}

function makePrimitive(rng: Prng, id: string): Primitive {
  const interval = rng.pick(MONITOR_INTERVALS_MS);
  return {
    kind: 'primitive',
    id,
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
    instanceAttributes: {},
    metaAttributes: {},
    operations: [{ id: `${id}-monitor-interval-${interval / 1000}s`, name: 'monitor', intervalMs: interval }],
  };
}

function pickScore(rng: Prng): Score {
  const roll = rng.next();
  if (roll < 0.15) return INFINITY;
  if (roll < 0.3) return -INFINITY;
  return rng.pick([-1000, -200, -50, 50, 100, 200, 300, 500, 1000]);
}

function makeRule(rng: Prng, constraintId: string, features: Set<string>): Rule {
  const candidates: { expr: Omit<AttributeExpression, 'id' | 'kind'>; score: Score }[] = [
    { expr: { attribute: 'pingd', operation: 'not_defined' }, score: -INFINITY },
    { expr: { attribute: 'pingd', operation: 'lt', value: '1', type: 'number' }, score: -INFINITY },
    {
      expr: { attribute: 'pingd', operation: 'gte', value: '1000', type: 'number' },
      score: rng.pick([100, 500, INFINITY]),
    },
    { expr: { attribute: 'pingd', operation: 'defined' }, score: rng.pick([50, 200]) },
    {
      expr: { attribute: 'site', operation: 'eq', value: rng.pick(['a', 'b']) },
      score: rng.pick([100, 1000, -INFINITY]),
    },
  ];
  const count = rng.chance(0.3) ? 2 : 1;
  const chosen = rng.sample(candidates, count);
  const booleanOp = rng.chance(0.5) ? 'and' : 'or';
  const first = chosen[0];
  const score = count === 1 && first !== undefined ? first.score : rng.pick([-INFINITY, 200, 500]);
  for (const c of chosen) features.add(`rule-${c.expr.operation}`);
  if (count > 1) features.add(`rule-${booleanOp}`);
  return {
    kind: 'rule',
    id: `${constraintId}-rule`,
    score,
    booleanOp,
    expressions: chosen.map((c, i) => ({
      kind: 'expression',
      id: `${constraintId}-rule-expr-${i}`,
      ...c.expr,
    })),
  };
}

interface NodeBuilder {
  state: NodeState;
  callId: number;
  histories: Map<string, ResourceHistory>;
}

function generateStatus(
  rng: Prng,
  options: GenerateOptions,
  topLevel: TopLevel[],
  nodeNames: string[],
  online: Set<string>,
  features: Set<string>,
): ClusterStatus {
  const probedFraction = options.probedFraction ?? 0.9;
  const runningFraction = options.runningFraction ?? 0.7;
  const failures = options.failures !== false;
  let clock = HISTORY_START + rng.int(0, 1000);
  const tick = (): number => (clock += rng.int(1, 30));
  const builders = new Map<string, NodeBuilder>();
  const status: ClusterStatus = { haveQuorum: true, crmFeatureSet: FEATURE_SET, nodes: [] };
  for (const [i, name] of nodeNames.entries()) {
    if (online.has(name)) {
      const state: NodeState = {
        name,
        id: String(i + 1),
        inCcm: true,
        crmd: 'online',
        join: 'member',
        expected: 'member',
        transientAttributes: {},
        history: [],
      };
      const pingd = rng.next();
      if (pingd < 0.7) state.transientAttributes.pingd = '1000';
      else if (pingd < 0.9) state.transientAttributes.pingd = '0';
      builders.set(name, { state, callId: 0, histories: new Map() });
      status.nodes.push(state);
    } else if (rng.chance(0.5)) {
      // A node that left cleanly; the other offline nodes have no node_state at all.
      status.nodes.push({
        name,
        id: String(i + 1),
        inCcm: false,
        crmd: 'offline',
        join: 'down',
        expected: 'down',
        transientAttributes: {},
        history: [],
      });
    }
  }
  const onlineNames = nodeNames.filter((n) => online.has(n));
  const dc = onlineNames[0];
  if (dc !== undefined) status.dc = dc;

  const record = (
    b: NodeBuilder,
    p: Primitive,
    op: Omit<OpRecord, 'callId' | 'crmFeatureSet' | 'onNode'>,
  ): void => {
    let h = b.histories.get(p.id);
    if (h === undefined) {
      h = { id: p.id, agent: p.agent, ops: [] };
      b.histories.set(p.id, h);
      b.state.history.push(h);
    }
    b.callId++;
    const existing = h.ops.findIndex((o) => o.id === op.id);
    const full: OpRecord = { ...op, callId: b.callId, crmFeatureSet: FEATURE_SET, onNode: b.state.name };
    if (existing >= 0) h.ops[existing] = full;
    else h.ops.push(full);
  };
  const opRecord = (
    p: Primitive,
    operation: string,
    intervalMs: number,
    rc: number,
    targetRc: number,
    idSuffix = 'last_0',
  ): Omit<OpRecord, 'callId' | 'crmFeatureSet' | 'onNode'> => {
    const key = `${rng.int(1, 200)}:${rng.int(1, 40)}:${targetRc}:${TRANSITION_UUID}`;
    const t = tick();
    return {
      id:
        intervalMs > 0 && idSuffix === 'last_0'
          ? `${p.id}_${operation}_${intervalMs}`
          : `${p.id}_${idSuffix}`,
      operation,
      intervalMs,
      rc,
      opStatus: 0,
      targetRc,
      lastRcChange: t,
      lastRun: t,
      execTimeMs: rng.int(5, 80),
      queueTimeMs: 0,
      opDigest: intervalMs > 0 ? DIGEST_RECURRING : DIGEST_ONESHOT,
      transitionKey: key,
      transitionMagic: `0:${rc};${key}`,
    };
  };
  const monitorInterval = (p: Primitive): number =>
    p.operations.find((o) => o.name === 'monitor')?.intervalMs ?? 10_000;

  /** Record that p runs on b (start + monitor), maybe with a failed monitor. */
  const recordRunning = (b: NodeBuilder, p: Primitive): void => {
    record(b, p, opRecord(p, 'start', 0, 0, 0));
    const interval = monitorInterval(p);
    if (failures && rng.chance(0.08)) {
      const failed = opRecord(p, 'monitor', interval, 7, 0);
      record(b, p, failed);
      record(b, p, { ...failed, id: `${p.id}_last_failure_0` });
      const key = `${p.id}#monitor_${interval}`;
      b.state.transientAttributes[`fail-count-${key}`] = '1';
      b.state.transientAttributes[`last-failure-${key}`] = String(failed.lastRcChange ?? clock);
      features.add('failure-monitor');
    } else {
      record(b, p, opRecord(p, 'monitor', interval, 0, 0));
    }
  };
  const recordProbe = (b: NodeBuilder, p: Primitive): void => {
    if (rng.next() >= probedFraction) {
      features.add('no-history');
      return;
    }
    record(b, p, opRecord(p, 'monitor', 0, 7, 7));
  };
  /** A start that failed on b: the resource is not running there and is banned by its fail count. */
  const recordFailedStart = (b: NodeBuilder, p: Primitive): void => {
    const failed = opRecord(p, 'start', 0, 1, 0);
    record(b, p, failed);
    record(b, p, { ...failed, id: `${p.id}_last_failure_0` });
    const stop = opRecord(p, 'stop', 0, 0, 0);
    record(b, p, stop);
    b.state.transientAttributes[`fail-count-${p.id}#start_0`] = 'INFINITY';
    b.state.transientAttributes[`last-failure-${p.id}#start_0`] = String(failed.lastRcChange ?? clock);
    features.add('failure-start');
  };

  const builderList = onlineNames.flatMap((n) => {
    const b = builders.get(n);
    return b === undefined ? [] : [b];
  });
  for (const t of topLevel) {
    const r = t.resource;
    if (builderList.length === 0) break;
    const child = t.primitives[0];
    if (r.kind === 'clone' && child !== undefined) {
      const cloneMax = Number(r.metaAttributes['clone-max'] ?? nodeNames.length);
      const running = rng.chance(runningFraction)
        ? new Set(rng.sample(builderList, rng.int(1, Math.min(cloneMax, builderList.length))))
        : new Set<NodeBuilder>();
      for (const b of builderList) {
        if (running.has(b)) recordRunning(b, child);
        else if (failures && rng.chance(0.03)) recordFailedStart(b, child);
        else recordProbe(b, child);
      }
      continue;
    }
    const members = t.primitives;
    const host = rng.chance(runningFraction) ? rng.pick(builderList) : undefined;
    // Usually the whole group runs; sometimes only a prefix (a later member stopped or failed).
    const runningCount =
      host === undefined
        ? 0
        : r.kind === 'group' && rng.chance(0.15)
          ? rng.int(1, members.length)
          : members.length;
    if (host !== undefined && runningCount < members.length) features.add('group-partial');
    for (const b of builderList) {
      for (const [i, p] of members.entries()) {
        if (b === host && i < runningCount) recordRunning(b, p);
        else if (failures && rng.chance(0.03)) recordFailedStart(b, p);
        else recordProbe(b, p);
      }
    }
  }
  return status;
}
