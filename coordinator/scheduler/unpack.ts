/**
 * Stage 1: unpack. Reads the configuration, the cluster status and `now`; returns a new
 * `ClusterView` (nodes with their state, one `Instance` per primitive instance with where it is
 * active, failures and fail counts). Pure: no input is mutated.
 *
 * Mirrors Pacemaker 2.1.5's lib/pengine/unpack.c where it matters for the decisions: node
 * online/unclean determination with and without fencing, op history walked in call-id order
 * (last op wins), fail counts from transient attributes (per-op names only when the feature set
 * is >= 3.0.13), failure-timeout expiry against `now`.
 */
import type { Attributes, Clone, ClusterConfig, Group, OnFail, Primitive } from '../cib/model.ts';
import { INFINITY } from '../cib/model.ts';
import type { ClusterStatus, NodeState, OpRecord, ResourceHistory } from '../cib/status.ts';
import { parseDurationMs } from '../cib/duration.ts';
import { parseScore } from '../cib/score.ts';

export interface Options {
  stonithEnabled: boolean;
  stonithAction: 'reboot' | 'off';
  noQuorumPolicy: 'stop' | 'freeze' | 'ignore' | 'demote';
  symmetricCluster: boolean;
  maintenanceMode: boolean;
  startFailureIsFatal: boolean;
  enableStartupProbes: boolean;
  stopAllResources: boolean;
  haveQuorum: boolean;
  /** stonith enabled and at least one stonith-class primitive configured. */
  haveFencingDevice: boolean;
  perOpFailCounts: boolean;
}

export interface NodeInfo {
  name: string;
  id: string;
  online: boolean;
  unclean: boolean;
  standby: boolean;
  standbyOnFail: boolean;
  maintenance: boolean;
  shutdown: boolean;
  pending: boolean;
  /** Permanent attributes overlaid with transient ones (transient wins), plus #uname, #id, #kind … */
  attributes: ReadonlyMap<string, string>;
  /** Will be fenced in this transition. */
  fence: boolean;
}

export interface FailureInfo {
  node: string;
  onFail: OnFail;
  operation: string;
  intervalMs: number;
}

/** One primitive instance: a primitive, or one anonymous clone instance (`ping:0`). */
export interface Instance {
  /** `vm_repository`, or `ping:0` for clone instances. */
  label: string;
  prim: Primitive;
  group?: Group;
  clone?: Clone;
  /** Index within its group (0 when not in a group). */
  memberIndex: number;
  meta: Attributes;
  /** Nodes it is active on now (sorted). */
  active: string[];
  /** Nodes where it has any history (probed or ran). */
  known: Set<string>;
  /** Failures needing recovery, by node. */
  failed: Map<string, FailureInfo>;
  /** A stop failed without fencing: the resource is blocked in place. */
  blocked: boolean;
  failureIgnored: boolean;
  managed: boolean;
  maintenance: boolean;
  /** The resource's own maintenance meta attribute (not the cluster-wide mode). */
  maintenanceOwn: boolean;
  /** Recurring monitors recorded as running, by node → interval set. */
  monitors: Map<string, Set<number>>;
  orphan: boolean;
}

export interface ClusterView {
  options: Options;
  /** Sorted by name. */
  nodes: NodeInfo[];
  nodeByName: ReadonlyMap<string, NodeInfo>;
  /** In configuration order (clone instances in instance order). */
  instances: Instance[];
  /** rsc id (primitive id) → fail count per node (after expiry). */
  failCounts: Map<string, Map<string, number>>;
  /** clear_failcount actions (rsc id, node) for expired failures. */
  clearFailcounts: { rsc: string; node: string }[];
  recheckAt?: number;
  /** History of resources no longer configured that is still active (stopped as orphans). */
  orphans: { rsc: string; node: string; agent: string }[];
}

export function isTrue(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  return s === 'true' || s === 'on' || s === 'yes' || s === 'y' || s === '1';
}

function boolOpt(props: Attributes, name: string, dflt: boolean): boolean {
  const v = props[name];
  return v === undefined ? dflt : isTrue(v);
}

function compareFeatureSet(a: string, b: string): number {
  const xs = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const ys = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function unpackOptions(config: ClusterConfig, status: ClusterStatus): Options {
  const p = config.properties;
  const stonithEnabled = boolOpt(p, 'stonith-enabled', true);
  const nqpRaw = (p['no-quorum-policy'] ?? 'stop').trim().toLowerCase();
  let noQuorumPolicy: Options['noQuorumPolicy'] =
    nqpRaw === 'ignore' || nqpRaw === 'freeze' || nqpRaw === 'demote' ? nqpRaw : 'stop';
  if (nqpRaw === 'suicide' || nqpRaw === 'fence') noQuorumPolicy = 'stop';
  const stonithAction = (p['stonith-action'] ?? 'reboot').trim().toLowerCase();
  const haveDevice = allPrimitives(config).some((x) => x.agent.standard === 'stonith');
  return {
    stonithEnabled,
    stonithAction: stonithAction === 'off' || stonithAction === 'poweroff' ? 'off' : 'reboot',
    noQuorumPolicy,
    symmetricCluster: boolOpt(p, 'symmetric-cluster', true),
    maintenanceMode: boolOpt(p, 'maintenance-mode', false),
    startFailureIsFatal: boolOpt(p, 'start-failure-is-fatal', true),
    enableStartupProbes: boolOpt(p, 'enable-startup-probes', true),
    stopAllResources: boolOpt(p, 'stop-all-resources', false),
    haveQuorum: status.haveQuorum,
    haveFencingDevice: stonithEnabled && haveDevice,
    perOpFailCounts:
      status.crmFeatureSet !== undefined && compareFeatureSet(status.crmFeatureSet, '3.0.13') >= 0,
  };
}

export function allPrimitives(config: ClusterConfig): Primitive[] {
  const out: Primitive[] = [];
  for (const r of config.resources) {
    if (r.kind === 'primitive') out.push(r);
    else if (r.kind === 'group') out.push(...r.members);
    else if (r.child.kind === 'primitive') out.push(r.child);
    else out.push(...r.child.members);
  }
  return out;
}

function unpackNode(
  name: string,
  id: string,
  permanent: Attributes,
  state: NodeState | undefined,
  opts: Options,
  config: ClusterConfig,
  dc: string | undefined,
): NodeInfo {
  const attrs = new Map<string, string>();
  for (const [k, v] of Object.entries(permanent)) attrs.set(k, v);
  if (state) for (const [k, v] of Object.entries(state.transientAttributes)) attrs.set(k, v);
  attrs.set('#uname', name);
  attrs.set('#id', id);
  attrs.set('#kind', 'cluster');
  attrs.set('#is_dc', dc === name ? 'true' : 'false');
  attrs.set('#cluster-name', config.clusterName);
  let online = false;
  let unclean = false;
  let pending = false;
  if (state) {
    const member = state.crmd === 'online' && state.join === 'member';
    if (opts.stonithEnabled) {
      // determine_online_status_fencing
      if (state.inCcm && member) online = true;
      else if (state.inCcm && state.crmd === 'online' && state.join === 'pending') pending = true;
      else if (!state.inCcm && state.crmd !== 'online' && state.expected === 'down') online = false;
      else if (state.join === 'down' && state.expected === 'down') online = false;
      else if (state.expected === 'member' || state.inCcm) unclean = true;
    } else {
      // determine_online_status_no_fencing
      if (!state.inCcm) online = false;
      else if (state.crmd === 'online') {
        if (state.join === 'member') online = true;
        else if (state.join === 'pending') pending = true;
      } else if (state.expected === 'member') unclean = true;
    }
  }
  const shutdownAttr = attrs.get('shutdown');
  return {
    name,
    id,
    online,
    unclean,
    // Pacemaker reads node attributes only for nodes with a node_state (a node that never joined
    // shows no standby flag).
    standby: state !== undefined && isTrue(attrs.get('standby')),
    standbyOnFail: false,
    maintenance: isTrue(attrs.get('maintenance')),
    shutdown: online && shutdownAttr !== undefined && shutdownAttr !== '0' && shutdownAttr !== '',
    pending,
    attributes: attrs,
    fence: false,
  };
}

/** Resolved meta attributes: rsc_defaults < clone < group < primitive (Pacemaker's inheritance). */
export function resolveMeta(
  config: ClusterConfig,
  prim: Primitive,
  group?: Group,
  clone?: Clone,
): Attributes {
  return {
    ...config.rscDefaults,
    ...(clone?.metaAttributes ?? {}),
    ...(group?.metaAttributes ?? {}),
    ...prim.metaAttributes,
  };
}

export function metaScore(meta: Attributes, name: string, dflt: number): number {
  const v = meta[name];
  if (v === undefined) return dflt;
  const r = parseScore(v);
  return r.ok ? r.value : 0;
}

function sortOps(ops: readonly OpRecord[]): readonly OpRecord[] {
  // Most histories hold one operation (a probe): nothing to sort or copy.
  if (ops.length < 2) return ops;
  // Last op wins by call-id; pending ops (-1) sort last; ties keep a stable order by id.
  return [...ops].sort((a, b) => {
    const ca = a.callId < 0 ? Number.MAX_SAFE_INTEGER : a.callId;
    const cb = b.callId < 0 ? Number.MAX_SAFE_INTEGER : b.callId;
    if (ca !== cb) return ca - cb;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

interface HistoryOutcome {
  active: boolean;
  failed?: FailureInfo;
  blocked: boolean;
  fenceNode: boolean;
  failureIgnored: boolean;
  monitors: Set<number>;
  /** The node stays known even when stopped. */
  known: boolean;
}

function defaultOnFail(prim: Primitive, operation: string, intervalMs: number, opts: Options): OnFail {
  const def = prim.operations.find((o) => o.name === operation && o.intervalMs === intervalMs);
  if (def?.onFail) return def.onFail;
  if (operation === 'stop') return opts.stonithEnabled ? 'fence' : 'block';
  return 'restart';
}

/** Walks one resource's history on one node in call-id order. */
function walkHistory(
  history: ResourceHistory,
  prim: Primitive,
  node: string,
  opts: Options,
  failureTimeoutMs: number,
  nowMs: number,
  managed = true,
): HistoryOutcome {
  const out: HistoryOutcome = {
    active: false,
    blocked: false,
    fenceNode: false,
    failureIgnored: false,
    monitors: new Set(),
    known: true,
  };
  let failed: FailureInfo | undefined;
  for (const op of sortOps(history.ops)) {
    const target = op.targetRc ?? (op.operation === 'monitor' && op.intervalMs === 0 ? 7 : 0);
    const isProbe = op.operation === 'monitor' && op.intervalMs === 0;
    const rcOk =
      op.opStatus === 0 && (op.rc === target || (isProbe && (op.rc === 0 || op.rc === 7 || op.rc === 8)));
    if (op.opStatus === -1) {
      // In flight: a pending start/stop counts as active (Pacemaker treats it so until the result).
      if (op.operation === 'start' || op.operation === 'stop' || op.operation === 'promote')
        out.active = true;
      continue;
    }
    if (op.opStatus === 1) continue; // cancelled
    if (rcOk) {
      switch (op.operation) {
        case 'start':
        case 'promote':
        case 'demote':
        case 'migrate_from':
          out.active = true;
          failed = undefined;
          break;
        case 'stop':
          out.active = false;
          failed = undefined;
          out.monitors.clear();
          break;
        case 'monitor':
          if (op.intervalMs > 0) {
            if (op.rc === 0 || op.rc === 8) out.monitors.add(op.intervalMs);
          } else {
            out.active = op.rc === 0 || op.rc === 8;
            if (!out.active) {
              failed = undefined;
              out.monitors.clear();
            }
          }
          break;
        default:
          break;
      }
      continue;
    }
    // "Not running" from an unmanaged resource is no failure: it is stopped there, and earlier
    // failures are cleared (remap_operation for PCMK_OCF_NOT_RUNNING).
    if (!managed && op.opStatus === 0 && op.rc === 7) {
      out.active = false;
      failed = undefined;
      out.monitors.clear();
      continue;
    }
    // A failure.
    const expired =
      failureTimeoutMs > 0 &&
      op.lastRcChange !== undefined &&
      op.lastRcChange * 1000 + failureTimeoutMs <= nowMs;
    const onFail = defaultOnFail(prim, op.operation, op.intervalMs, opts);
    if (op.operation === 'monitor' && op.intervalMs > 0 && op.opStatus === 0 && op.rc === 7 && expired) {
      // An expired failure of a recurring monitor is ignored (Pacemaker re-probes it).
      continue;
    }
    if (onFail === 'ignore') {
      out.failureIgnored = true;
      if (op.operation === 'start') out.active = true;
      continue;
    }
    if (op.operation === 'stop') {
      out.active = true;
      if (onFail === 'fence' && opts.stonithEnabled) out.fenceNode = true;
      else out.blocked = true;
      failed = { node, onFail, operation: op.operation, intervalMs: op.intervalMs };
      continue;
    }
    if (op.operation === 'monitor' && op.intervalMs === 0 && op.rc === 7) {
      out.active = false;
      continue;
    }
    // Failed start, monitor, promote…: the resource is considered active and failed here.
    out.active = true;
    out.monitors.delete(op.intervalMs);
    if (onFail === 'block') out.blocked = true;
    if (onFail === 'fence' && opts.stonithEnabled) out.fenceNode = true;
    failed = { node, onFail, operation: op.operation, intervalMs: op.intervalMs };
  }
  if (failed) out.failed = failed;
  return out;
}

export function unpack(config: ClusterConfig, status: ClusterStatus, nowMs: number): ClusterView {
  const opts = unpackOptions(config, status);
  const stateByName = new Map<string, NodeState>();
  for (const s of status.nodes) if (!stateByName.has(s.name)) stateByName.set(s.name, s);
  const nodes: NodeInfo[] = [];
  const seen = new Set<string>();
  config.nodes.forEach((n, i) => {
    if (seen.has(n.name)) return;
    seen.add(n.name);
    nodes.push(
      unpackNode(
        n.name,
        n.id || String(i + 1),
        n.attributes,
        stateByName.get(n.name),
        opts,
        config,
        status.dc,
      ),
    );
  });
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));

  // Instances, in configuration order.
  const instances: Instance[] = [];
  const byPrimitive = new Map<string, Instance[]>();
  // The instances of one anonymous clone primitive share their resolved meta attributes and their
  // `known` set (the history of any instance makes every instance known on that node), so a clone
  // costs O(nodes), not O(nodes²), here. Neither is mutated after unpack.
  const sharedByClonePrimitive = new Map<string, { meta: Attributes; known: Set<string> }>();
  const mkInstance = (
    prim: Primitive,
    label: string,
    memberIndex: number,
    group?: Group,
    clone?: Clone,
  ): Instance => {
    let shared = clone ? sharedByClonePrimitive.get(prim.id) : undefined;
    if (shared === undefined) {
      shared = { meta: resolveMeta(config, prim, group, clone), known: new Set() };
      if (clone) sharedByClonePrimitive.set(prim.id, shared);
    }
    const meta = shared.meta;
    const maintenance = opts.maintenanceMode || isTrue(meta['maintenance']);
    const managedMeta = meta['is-managed'];
    const inst: Instance = {
      label,
      prim,
      memberIndex,
      meta,
      active: [],
      known: shared.known,
      failed: new Map(),
      blocked: false,
      failureIgnored: false,
      managed: !maintenance && (managedMeta === undefined || isTrue(managedMeta)),
      maintenance,
      maintenanceOwn: isTrue(meta['maintenance']),
      monitors: new Map(),
      orphan: false,
    };
    if (group) inst.group = group;
    if (clone) inst.clone = clone;
    instances.push(inst);
    const list = byPrimitive.get(prim.id) ?? [];
    list.push(inst);
    byPrimitive.set(prim.id, list);
    return inst;
  };
  for (const r of config.resources) {
    if (r.kind === 'primitive') mkInstance(r, r.id, 0);
    else if (r.kind === 'group') r.members.forEach((m, i) => mkInstance(m, m.id, i, r));
    else {
      const max = cloneMax(r, nodes.length);
      for (let k = 0; k < max; k++) {
        if (r.child.kind === 'primitive') mkInstance(r.child, `${r.child.id}:${k}`, 0, undefined, r);
        else {
          const g = r.child;
          g.members.forEach((m, i) => mkInstance(m, `${m.id}:${k}`, i, g, r));
        }
      }
    }
  }

  // Op history of online and unclean nodes (offline clean nodes: their resources are stopped).
  const orphans: ClusterView['orphans'] = [];
  const cloneNextFree = new Map<string, number>();
  for (const node of nodes) {
    const state = stateByName.get(node.name);
    if (!state) continue;
    // Without fencing an unclean node is simply down: its resources are assumed stopped.
    const readHistory = node.online || node.pending || (node.unclean && opts.stonithEnabled);
    const histories = [...state.history].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Several histories can map to one anonymous clone primitive (`ping`, `ping:1`): merge per primitive.
    const cloneSeenOnNode = new Map<string, Instance>();
    for (const h of histories) {
      const baseId = h.id.includes(':') ? h.id.slice(0, h.id.indexOf(':')) : h.id;
      const list = byPrimitive.get(h.id) ?? byPrimitive.get(baseId);
      if (!list || list.length === 0) {
        if (readHistory) {
          const o = walkHistory(h, orphanPrimitive(h), node.name, opts, 0, nowMs);
          if (o.active && node.online) orphans.push({ rsc: h.id, node: node.name, agent: agentName(h) });
        }
        continue;
      }
      const first = list[0];
      if (!first) continue;
      const failureTimeoutMs = durationMeta(first.meta['failure-timeout']);
      const o = walkHistory(h, first.prim, node.name, opts, failureTimeoutMs, nowMs, first.managed);
      let inst: Instance | undefined;
      if (first.clone) {
        inst = cloneSeenOnNode.get(first.prim.id);
        if (!inst) {
          // Every instance of the primitive is known on this node (anonymous clone; the
          // instances share one `known` set).
          first.known.add(node.name);
          if (o.active && readHistory) {
            const next = cloneNextFree.get(first.prim.id) ?? 0;
            inst = list[next];
            if (inst) {
              cloneNextFree.set(first.prim.id, next + 1);
              cloneSeenOnNode.set(first.prim.id, inst);
            }
          }
        }
      } else {
        inst = first;
        inst.known.add(node.name);
      }
      if (!inst || !readHistory) continue;
      if (o.active && !inst.active.includes(node.name)) inst.active.push(node.name);
      if (o.failed) inst.failed.set(node.name, o.failed);
      if (o.blocked) inst.blocked = true;
      if (o.failureIgnored) inst.failureIgnored = true;
      if (o.fenceNode && !node.fence) node.fence = true;
      if (o.failed?.onFail === 'standby') node.standbyOnFail = true;
      if (o.monitors.size > 0) inst.monitors.set(node.name, o.monitors);
    }
  }
  for (const i of instances) i.active.sort();

  // Fail counts and failure-timeout expiry.
  const failCounts = new Map<string, Map<string, number>>();
  const clearFailcounts: { rsc: string; node: string }[] = [];
  let recheckAt: number | undefined;
  // Fail counts indexed once per node (primitive id → count, last failure): O(attributes).
  const countsByNode = new Map<string, Map<string, { count: number; lastFailure: number }>>();
  for (const node of nodes) {
    const state = stateByName.get(node.name);
    if (state) countsByNode.set(node.name, readFailCounts(state.transientAttributes, opts.perOpFailCounts));
  }
  for (const [primId, list] of [...byPrimitive.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const first = list[0];
    if (!first) continue;
    const failureTimeoutMs = durationMeta(first.meta['failure-timeout']);
    for (const node of nodes) {
      const entry = countsByNode.get(node.name)?.get(primId);
      if (!entry) continue;
      const { count, lastFailure } = entry;
      if (count <= 0) continue;
      if (failureTimeoutMs > 0 && lastFailure > 0) {
        const expiresAt = lastFailure * 1000 + failureTimeoutMs;
        if (expiresAt <= nowMs) {
          if (node.online) clearFailcounts.push({ rsc: primId, node: node.name });
          continue;
        }
        recheckAt = recheckAt === undefined ? expiresAt : Math.min(recheckAt, expiresAt);
      }
      const m = failCounts.get(primId) ?? new Map<string, number>();
      m.set(node.name, count);
      failCounts.set(primId, m);
    }
  }

  // A node is fenced when it is unclean (or a stop failed there) and fencing can happen.
  for (const n of nodes) {
    if (n.unclean) n.fence = true;
    if (n.fence && !(opts.stonithEnabled && opts.haveFencingDevice)) n.fence = false;
    if (n.fence) n.unclean = true;
  }

  const view: ClusterView = {
    options: opts,
    nodes,
    nodeByName,
    instances,
    failCounts,
    clearFailcounts,
    orphans,
  };
  if (recheckAt !== undefined) view.recheckAt = recheckAt;
  return view;
}

function agentName(h: ResourceHistory): string {
  return `${h.agent.standard}${h.agent.provider ? ':' + h.agent.provider : ''}:${h.agent.type}`;
}

function orphanPrimitive(h: ResourceHistory): Primitive {
  return {
    kind: 'primitive',
    id: h.id,
    agent: h.agent,
    instanceAttributes: {},
    metaAttributes: {},
    operations: [],
  };
}

export function durationMeta(v: string | undefined): number {
  if (v === undefined) return 0;
  const r = parseDurationMs(v);
  return r.ok ? r.value : 0;
}

export function cloneMax(c: Clone, nodeCount: number): number {
  const v = c.metaAttributes['clone-max'];
  if (v === undefined) return nodeCount;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : nodeCount;
}

/**
 * Fail counts on one node by primitive id: the sum of `fail-count-RSC#op_interval` (feature set
 * >= 3.0.13) or of the legacy `fail-count-RSC` (older), never both (generate_fail_regexes in
 * lib/pengine/failcounts.c); anonymous clone instance names (`RSC:N`) count for the primitive.
 */
function readFailCounts(
  attrs: Attributes,
  perOp: boolean,
): Map<string, { count: number; lastFailure: number }> {
  const out = new Map<string, { count: number; lastFailure: number }>();
  for (const [k, v] of Object.entries(attrs)) {
    const prefix = k.startsWith('fail-count-')
      ? 'fail-count-'
      : k.startsWith('last-failure-')
        ? 'last-failure-'
        : undefined;
    if (prefix === undefined) continue;
    const rest = k.slice(prefix.length);
    const hash = rest.indexOf('#');
    if (hash >= 0 !== perOp) continue;
    const name = hash >= 0 ? rest.slice(0, hash) : rest;
    const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
    const e = out.get(base) ?? { count: 0, lastFailure: 0 };
    if (prefix === 'fail-count-') {
      const sc = parseScore(v);
      const n = sc.ok ? sc.value : 0;
      e.count = n >= INFINITY || e.count >= INFINITY ? INFINITY : e.count + n;
    } else {
      const n = Number.parseInt(v, 10);
      if (Number.isFinite(n)) e.lastFailure = Math.max(e.lastFailure, n);
    }
    out.set(base, e);
  }
  return out;
}
