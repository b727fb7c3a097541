/**
 * Stage 2: assign. Reads the unpacked `ClusterView` and the constraints; returns a new `Assignment`
 * (the node each primitive instance runs on after the transition, or null) plus the explanation.
 *
 * Follows Pacemaker 2.1.5 (lib/pacemaker/pcmk_sched_*.c):
 * - scores per node: symmetric-cluster base, location constraints and rules, stickiness on the
 *   current node, -INFINITY for fail counts at migration-threshold;
 * - a group is placed as its first member with the later members' scores folded in (each fold
 *   rolled back when it would leave no node available), so stickiness sums and a member's ban
 *   moves the whole group; members then follow in order and a member that cannot run stops itself
 *   and every later member;
 * - colocation: primaries are assigned before dependents; dependents' scores influence primaries;
 *   mandatory colocation with a clone = "only where an instance is assigned";
 * - node choice: higher score, fewer instances assigned so far in this run, the current node,
 *   lowest node name.
 * Constraints are indexed by resource id once, so the cost is O((resources + constraints) × nodes).
 */
import type {
  Clone,
  ClusterConfig,
  ColocationConstraint,
  LocationConstraint,
  Resource,
  Score,
} from '../cib/model.ts';
import { INFINITY } from '../cib/model.ts';
import { addScores, formatScore } from '../cib/score.ts';
import type { Explanation, NodeScore } from './types.ts';
import type { ClusterView, Instance, NodeInfo } from './unpack.ts';
import { isTrue, metaScore } from './unpack.ts';
import { ruleMatches } from './rules.ts';

export interface Assignment {
  /** Instance label → node after the transition (null = stopped). */
  next: ReadonlyMap<string, string | null>;
  explanation: Explanation;
}

/** A unit of placement: a top-level primitive, a group, or a clone. */
interface Unit {
  id: string;
  resource: Resource;
  order: number;
  /** Instances grouped per clone instance (one row for primitives and groups). */
  rows: Instance[][];
}

type Scores = Map<string, Score>;

interface Ctx {
  view: ClusterView;
  config: ClusterConfig;
  nodes: NodeInfo[];
  locByRsc: Map<string, LocationConstraint[]>;
  /** Colocations where the key is the dependent. */
  colocAsDependent: Map<string, ColocationConstraint[]>;
  /** Colocations where the key is the primary. */
  colocAsPrimary: Map<string, ColocationConstraint[]>;
  unitById: Map<string, Unit>;
  /** Member / child id → top-level unit id. */
  topOf: Map<string, string>;
  assignedCount: Map<string, number>;
  next: Map<string, string | null>;
  unitNodes: Map<string, string[]>;
  scores: NodeScore[];
  reasons: Explanation['reasons'];
  /** No new starts anywhere (no-quorum freeze, stonith enabled without a device). */
  frozen: boolean;
  /** Nothing may run (no-quorum stop, stop-all-resources). */
  stopAll: boolean;
  /** ownScores results (read-only once computed; callers copy before changing). */
  ownCache: Map<string, Scores>;
  /** A clone's instances in the order they were assigned (Pacemaker re-sorts its children). */
  cloneOrder: Map<string, Instance[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export function nodeCanHost(n: NodeInfo): boolean {
  return (
    n.online && !n.unclean && !n.standby && !n.standbyOnFail && !n.maintenance && !n.shutdown && !n.pending
  );
}

function unavailableReason(n: NodeInfo): string | undefined {
  if (n.unclean) return 'node is unclean';
  if (!n.online) return 'node is offline';
  if (n.pending) return 'node is pending';
  if (n.standby) return 'node is in standby';
  if (n.standbyOnFail) return 'node is in standby (on-fail)';
  if (n.maintenance) return 'node is in maintenance';
  if (n.shutdown) return 'node is shutting down';
  return undefined;
}

export function assign(view: ClusterView, config: ClusterConfig): Assignment {
  const ctx: Ctx = {
    view,
    config,
    nodes: view.nodes,
    locByRsc: new Map(),
    colocAsDependent: new Map(),
    colocAsPrimary: new Map(),
    unitById: new Map(),
    topOf: new Map(),
    assignedCount: new Map(view.nodes.map((n) => [n.name, 0])),
    next: new Map(),
    unitNodes: new Map(),
    scores: [],
    reasons: [],
    frozen: false,
    stopAll: false,
    ownCache: new Map(),
    cloneOrder: new Map(),
  };
  const o = view.options;
  if (!o.haveQuorum && o.noQuorumPolicy === 'freeze') ctx.frozen = true;
  if (!o.haveQuorum && (o.noQuorumPolicy === 'stop' || o.noQuorumPolicy === 'demote')) ctx.stopAll = true;
  if (o.stopAllResources) ctx.stopAll = true;
  if (o.stonithEnabled && !o.haveFencingDevice) ctx.frozen = true;

  // Units, in configuration order.
  const byLabel = new Map(view.instances.map((i) => [i.label, i]));
  const byClone = new Map<string, Instance[]>();
  for (const i of view.instances) if (i.clone) push(byClone, i.clone.id, i);
  config.resources.forEach((r, order) => {
    const rows: Instance[][] = [];
    if (r.kind === 'primitive') {
      const i = byLabel.get(r.id);
      if (i) rows.push([i]);
    } else if (r.kind === 'group') {
      rows.push(r.members.map((m) => byLabel.get(m.id)).filter((x): x is Instance => x !== undefined));
      for (const m of r.members) ctx.topOf.set(m.id, r.id);
    } else {
      const members = r.child.kind === 'primitive' ? [r.child] : r.child.members;
      ctx.topOf.set(r.child.id, r.id);
      for (const m of members) ctx.topOf.set(m.id, r.id);
      const perInstance = byClone.get(r.id) ?? [];
      const byK = new Map<string, Instance[]>();
      for (const i of perInstance) push(byK, i.label.slice(i.label.lastIndexOf(':') + 1), i);
      for (const k of [...byK.keys()].sort((a, b) => Number(a) - Number(b))) rows.push(byK.get(k) ?? []);
    }
    ctx.topOf.set(r.id, r.id);
    const unit: Unit = { id: r.id, resource: r, order, rows };
    ctx.unitById.set(r.id, unit);
  });
  for (const l of config.constraints.location) push(ctx.locByRsc, l.rsc, l);
  for (const c of config.constraints.colocation) {
    const dep = ctx.topOf.get(c.rsc);
    const pri = ctx.topOf.get(c.withRsc);
    if (dep === undefined || pri === undefined || dep === pri) continue;
    const norm: ColocationConstraint = { ...c, rsc: dep, withRsc: pri };
    push(ctx.colocAsDependent, dep, norm);
    push(ctx.colocAsPrimary, pri, norm);
  }
  // Each resource's colocation lists in Pacemaker's order (cmp_primary_priority /
  // cmp_dependent_priority): the other side's priority, then clones before groups before
  // primitives, then its id; the order decides which advisory step is rolled back.
  const variantRank = (id: string): number => {
    const k = ctx.unitById.get(id)?.resource.kind;
    return k === 'clone' ? 2 : k === 'group' ? 1 : 0;
  };
  const priorityOf = (id: string): number => {
    const first = ctx.unitById.get(id)?.rows[0]?.[0];
    return first ? metaScore(first.meta, 'priority', 0) : 0;
  };
  const byOther =
    (other: (c: ColocationConstraint) => string) =>
    (a: ColocationConstraint, b: ColocationConstraint): number => {
      const oa = other(a);
      const ob = other(b);
      return (
        priorityOf(ob) - priorityOf(oa) ||
        variantRank(ob) - variantRank(oa) ||
        (oa < ob ? -1 : oa > ob ? 1 : 0)
      );
    };
  for (const list of ctx.colocAsDependent.values()) list.sort(byOther((c) => c.withRsc));
  for (const list of ctx.colocAsPrimary.values()) list.sort(byOther((c) => c.rsc));

  // Assignment order: priority, then configuration order;
  // primaries are assigned before their dependents.
  const units = [...ctx.unitById.values()];
  const keyOf = new Map(units.map((u) => [u.id, sortKey(u)]));
  units.sort((a, b) => {
    const ka = keyOf.get(a.id);
    const kb = keyOf.get(b.id);
    if (!ka || !kb) return a.order - b.order;
    if (ka[0] !== kb[0]) return kb[0] - ka[0];
    return a.order - b.order;
  });
  const state = new Map<string, 'busy' | 'done'>();
  const visit = (u: Unit): void => {
    if (state.has(u.id)) return;
    state.set(u.id, 'busy');
    for (const c of ctx.colocAsDependent.get(u.id) ?? []) {
      const p = ctx.unitById.get(c.withRsc);
      if (p && !state.has(p.id)) visit(p);
    }
    placeUnit(ctx, u);
    state.set(u.id, 'done');
  };
  for (const u of units) visit(u);

  const seen = new Set<string>();
  const reasons = ctx.reasons.filter((r) => {
    const k = `${r.rsc}\u0000${r.node ?? ''}\u0000${r.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { next: ctx.next, explanation: { scores: ctx.scores, reasons } };
}

/**
 * Assignment order with the default placement-strategy: priority (higher first), then
 * configuration order. unpack_resources sorts by priority; allocate_resources sorts further
 * (cmp_resources) only for other placement strategies, which tandem does not implement.
 */
function sortKey(u: Unit): [number] {
  const first = u.rows[0]?.[0];
  if (!first) return [0];
  return [metaScore(first.meta, 'priority', 0)];
}

function locationScores(ctx: Ctx, rscId: string, into: Scores, who: string): void {
  for (const l of ctx.locByRsc.get(rscId) ?? []) {
    if (l.role !== undefined && !/^started$/i.test(l.role)) continue;
    if (l.node !== undefined) {
      if (!into.has(l.node)) continue;
      const s = l.score ?? 0;
      into.set(l.node, addScores(into.get(l.node) ?? 0, s));
      if (s <= -INFINITY)
        ctx.reasons.push({ rsc: who, node: l.node, reason: `-INFINITY from location constraint ${l.id}` });
      continue;
    }
    for (const rule of l.rules ?? []) {
      for (const n of ctx.nodes) {
        const lookup = (name: string): string | undefined => n.attributes.get(name);
        if (!ruleMatches(rule, lookup)) continue;
        let s: Score | undefined = rule.score;
        if (s === undefined && rule.scoreAttribute !== undefined) {
          const v = n.attributes.get(rule.scoreAttribute);
          const parsed = v === undefined ? Number.NaN : Number.parseInt(v, 10);
          s = Number.isFinite(parsed) ? Math.max(-INFINITY, Math.min(INFINITY, parsed)) : undefined;
        }
        if (s === undefined) continue;
        into.set(n.name, addScores(into.get(n.name) ?? 0, s));
        if (s <= -INFINITY) {
          ctx.reasons.push({
            rsc: who,
            node: n.name,
            reason: `-INFINITY from location constraint ${l.id} (${describeRule(rule)})`,
          });
        }
      }
    }
  }
}

function describeRule(rule: NonNullable<LocationConstraint['rules']>[number]): string {
  return rule.expressions
    .map((e) =>
      e.kind === 'rule'
        ? `(${describeRule(e)})`
        : e.operation === 'defined' || e.operation === 'not_defined'
          ? `${e.operation} ${e.attribute}`
          : `${e.attribute} ${e.operation} ${e.value ?? ''}`,
    )
    .join(` ${rule.booleanOp} `);
}

/** Base scores: 0 where allowed (symmetric) or where a location constraint names the node. */
function baseScores(ctx: Ctx, ids: string[]): Scores {
  const s: Scores = new Map();
  if (ctx.view.options.symmetricCluster) {
    for (const n of ctx.nodes) s.set(n.name, 0);
    return s;
  }
  for (const n of ctx.nodes) s.set(n.name, -INFINITY);
  const probe: Scores = new Map(ctx.nodes.map((n) => [n.name, 0]));
  for (const id of ids) {
    for (const l of ctx.locByRsc.get(id) ?? []) {
      if (l.node !== undefined && s.has(l.node)) s.set(l.node, 0);
      if (l.rules) {
        const tmp: Scores = new Map(probe);
        const mark: Scores = new Map(ctx.nodes.map((n) => [n.name, Number.NaN]));
        for (const rule of l.rules) {
          for (const n of ctx.nodes) {
            if (ruleMatches(rule, (name) => n.attributes.get(name))) mark.set(n.name, 0);
          }
        }
        for (const [name, v] of mark) if (!Number.isNaN(v) && tmp.has(name)) s.set(name, 0);
      }
    }
  }
  return s;
}

/**
 * A single instance's own scores: base, location constraints (the group's on its first member,
 * the clone's on every instance), stickiness on its current node, migration-threshold bans.
 */
function ownScores(ctx: Ctx, u: Unit, inst: Instance, memberIndex: number): Scores {
  // Depends only on the configuration and the unpacked state, never on assignments: cached.
  const key = `${inst.label}\u0000${memberIndex}`;
  const cached = ctx.ownCache.get(key);
  if (cached) return cached;
  const computed = computeOwnScores(ctx, u, inst, memberIndex);
  ctx.ownCache.set(key, computed);
  return computed;
}

function computeOwnScores(ctx: Ctx, u: Unit, inst: Instance, memberIndex: number): Scores {
  const ids = [inst.prim.id];
  if (u.resource.kind === 'group' && memberIndex === 0) ids.push(u.id);
  if (u.resource.kind === 'clone') {
    ids.push(u.id);
    if (u.resource.child.kind === 'group' && memberIndex === 0) ids.push(u.resource.child.id);
  }
  const s = baseScores(ctx, ids);
  for (const id of ids) locationScores(ctx, id, s, inst.label);
  // Stickiness on the current node.
  const stickiness = metaScore(inst.meta, 'resource-stickiness', inst.clone ? 1 : 0);
  const cur = inst.active[0];
  if (inst.managed && stickiness > 0 && inst.active.length === 1 && cur !== undefined && s.has(cur)) {
    const v = s.get(cur) ?? 0;
    if (ctx.view.options.symmetricCluster || v > -INFINITY) s.set(cur, addScores(v, stickiness));
  }
  // An unmanaged resource prefers the node it is active on at INFINITY (Pacemaker's
  // "not_managed_default" location), which its primaries see through colocation influence.
  if (!inst.managed && cur !== undefined && s.has(cur)) s.set(cur, addScores(s.get(cur) ?? 0, INFINITY));
  // migration-threshold (an anonymous clone's ban covers the whole clone on that node).
  const threshold = metaScore(inst.meta, 'migration-threshold', INFINITY);
  const counts = ctx.view.failCounts.get(inst.prim.id);
  if (counts && threshold > 0) {
    for (const [node, count] of counts) {
      if (count >= threshold && s.has(node)) {
        s.set(node, -INFINITY);
        ctx.reasons.push({
          rsc: inst.label,
          node,
          reason: `banned: fail count ${formatScore(count)} reached migration-threshold ${formatScore(threshold)}`,
        });
      }
    }
  }
  return s;
}

/**
 * A colocated resource's score scaled by a colocation factor (score / INFINITY) as
 * add_node_scores_matching_attr does: single-precision product rounded half away from zero, and
 * never 0 for a nonzero score (±1 by the factor's sign), so an advisory colocation with a
 * resource banned from a node (-INFINITY) only lowers that node by the colocation score.
 */
export function scaledScore(score: Score, factor: number): Score {
  if (factor === 0 || score === 0) return 0;
  const f = Math.fround(Math.fround(score) * Math.fround(factor));
  let w = f < 0 ? Math.ceil(f - 0.5) : Math.floor(f + 0.5);
  if (w === 0) w = factor > 0 ? 1 : -1;
  return Math.max(-INFINITY, Math.min(INFINITY, w));
}

/**
 * A clone's own node table (not an instance's): base scores, the clone's location constraints,
 * and -INFINITY where its primitive's fail count reached migration-threshold (an anonymous
 * clone's failure bans the clone itself there).
 */
function cloneScores(ctx: Ctx, u: Unit): Scores {
  const s = baseScores(ctx, [u.id]);
  locationScores(ctx, u.id, s, u.id);
  const first = u.rows[0]?.[0];
  if (!first) return s;
  const threshold = metaScore(first.meta, 'migration-threshold', INFINITY);
  const counts = ctx.view.failCounts.get(first.prim.id);
  if (counts && threshold > 0)
    for (const [node, count] of counts) if (count >= threshold && s.has(node)) s.set(node, -INFINITY);
  return s;
}

function addInto(a: Scores, b: Scores, factor: number): Scores {
  const out: Scores = new Map(a);
  for (const [n, v] of a) {
    const w = b.get(n);
    if (w === undefined) continue;
    // A negative preference for a node the other side dislikes never becomes a positive one.
    if (factor < 0 && w < 0) continue;
    out.set(n, addScores(v, scaledScore(w, factor)));
  }
  return out;
}

function usable(ctx: Ctx, n: NodeInfo, active: readonly string[]): boolean {
  if (ctx.stopAll) return false;
  if (!nodeCanHost(n)) return false;
  if (ctx.frozen) return active.includes(n.name);
  return true;
}

function anyAvailable(ctx: Ctx, s: Scores, active: readonly string[]): boolean {
  for (const n of ctx.nodes) if ((s.get(n.name) ?? -INFINITY) >= 0 && usable(ctx, n, active)) return true;
  return false;
}

/** Applies the colocations where `u` is the dependent (its primaries are already assigned). */
function applyPrimaries(
  ctx: Ctx,
  u: Unit,
  s: Scores,
  active: readonly string[],
  include: (c: ColocationConstraint) => boolean = () => true,
): Scores {
  let out = s;
  for (const c of ctx.colocAsDependent.get(u.id) ?? []) {
    if (!include(c)) continue;
    const primaryNodes = ctx.unitNodes.get(c.withRsc);
    if (primaryNodes === undefined) continue; // cycle: primary not assigned yet
    const primary = ctx.unitById.get(c.withRsc);
    const isClone = primary?.resource.kind === 'clone';
    if (c.score > -INFINITY && c.score < INFINITY) {
      out = applyAdvisory(ctx, c, primary, primaryNodes, out, active);
      continue;
    }
    const nextOut: Scores = new Map(out);
    if (primaryNodes.length === 0) {
      if (c.score > 0) {
        for (const [n, v] of nextOut) nextOut.set(n, addScores(v, -c.score));
        if (c.score >= INFINITY)
          ctx.reasons.push({
            rsc: u.id,
            reason: `colocated with ${c.withRsc}, which is not running (${c.id})`,
          });
      }
    } else if (c.score >= INFINITY) {
      for (const [n, v] of nextOut) {
        if (!primaryNodes.includes(n)) {
          nextOut.set(n, -INFINITY);
          if (v > -INFINITY) {
            ctx.reasons.push({
              rsc: u.id,
              node: n,
              reason: `-INFINITY: ${c.withRsc} ${isClone ? 'has no instance' : 'is not'} here (${c.id})`,
            });
          }
        }
      }
    } else if (c.score <= -INFINITY) {
      for (const n of primaryNodes) {
        if (nextOut.has(n)) {
          nextOut.set(n, -INFINITY);
          ctx.reasons.push({
            rsc: u.id,
            node: n,
            reason: `-INFINITY: anti-colocated with ${c.withRsc} (${c.id})`,
          });
        }
      }
    }
    out = nextOut;
  }
  return out;
}

/**
 * An advisory colocation with an assigned primary (pcmk__apply_coloc_to_weights): the score is
 * added where the primary runs, or subtracted everywhere when a positive one's primary is
 * stopped; a clone primary applies once per instance (each instance is a primary of its own); each
 * step that leaves no node available is rolled back.
 */
function applyAdvisory(
  ctx: Ctx,
  c: ColocationConstraint,
  primary: Unit | undefined,
  primaryNodes: readonly string[],
  s: Scores,
  active: readonly string[],
): Scores {
  // A clone's instances in its sorted order (the order of its children after assignment).
  const instances =
    primary?.resource.kind === 'clone'
      ? (ctx.cloneOrder.get(primary.id) ??
        primary.rows.map((row) => row[0]).filter((i): i is Instance => i !== undefined))
      : undefined;
  const places: (string | null)[] =
    instances === undefined ? [primaryNodes[0] ?? null] : instances.map((i) => ctx.next.get(i.label) ?? null);
  let out = s;
  for (const place of places) {
    if (place === null && c.score < 0) continue;
    const next: Scores = new Map(out);
    for (const [n, v] of next) {
      if (place === null) next.set(n, addScores(v, -c.score));
      else if (n === place) next.set(n, addScores(v, c.score));
    }
    if (anyAvailable(ctx, next, active)) out = next;
  }
  return out;
}

function foldGroup(ctx: Ctx, u: Unit, row: Instance[], first: Scores, active: readonly string[]): Scores {
  // contrib(i) = own(i) + contrib(i+1), the fold rolled back when it leaves no node available.
  let contrib: Scores | undefined;
  for (let i = row.length - 1; i >= 1; i--) {
    const inst = row[i];
    if (!inst) continue;
    const own = ownScores(ctx, u, inst, i);
    if (contrib === undefined) contrib = own;
    else {
      const merged = addInto(own, contrib, 1);
      contrib = anyAvailable(ctx, merged, inst.active) ? merged : own;
    }
  }
  if (contrib === undefined) return first;
  const merged = addInto(first, contrib, 1);
  return anyAvailable(ctx, merged, active) ? merged : first;
}

function applyDependents(ctx: Ctx, u: Unit, s: Scores, active: readonly string[]): Scores {
  let out = s;
  const merging = new Set<string>([u.id]);
  for (const c of ctx.colocAsPrimary.get(u.id) ?? []) {
    if (c.score === 0) continue;
    if (ctx.unitNodes.has(c.rsc)) continue;
    const dep = ctx.unitById.get(c.rsc);
    if (!dep || !hasInfluence(dep)) continue;
    out = mergeDependent(ctx, dep, out, coloFactor(c.score), active, merging);
  }
  return out;
}

function coloFactor(score: Score): number {
  return score >= INFINITY ? 1 : score <= -INFINITY ? -1 : Math.fround(score / INFINITY);
}

/** The `critical` meta attribute (default true) lets a dependent influence its primary. */
function hasInfluence(dep: Unit): boolean {
  const first = dep.rows[0]?.[0];
  return !(first && first.meta['critical'] !== undefined && !isTrue(first.meta['critical']));
}

/**
 * A dependent's scores merged into its primary's (Pacemaker 2.1.5 merge_weights with rollback):
 * the dependent's own scores scaled by `factor`; for a group its first member's, then each later
 * member's at full strength (the group's internal colocation is merged with factor
 * ±INFINITY/INFINITY: the sign of `factor` times 1); then, recursively, a primitive's or clone's
 * own dependents with factor ±(their colocation score / INFINITY). A step that leaves no node
 * available is rolled back together with everything it would have merged next. A clone merges its
 * own table (base and location constraints). Returns a new table; `merging` breaks loops.
 */
function mergeDependent(
  ctx: Ctx,
  dep: Unit,
  work: Scores,
  factor: number,
  active: readonly string[],
  merging: Set<string>,
): Scores {
  if (merging.has(dep.id)) return work;
  merging.add(dep.id);
  try {
    const sign = factor < 0 ? -1 : 1;
    let out = work;
    if (dep.resource.kind === 'clone') {
      const next = addInto(out, cloneScores(ctx, dep), factor);
      if (!anyAvailable(ctx, next, active)) return work;
      out = next;
    } else {
      const row = dep.rows[0] ?? [];
      let f = factor;
      for (let i = 0; i < row.length; i++) {
        const inst = row[i];
        if (!inst) break;
        const next = addInto(out, ownScores(ctx, dep, inst, i), f);
        if (!anyAvailable(ctx, next, active)) {
          if (dep.resource.kind === 'primitive') return work;
          break;
        }
        out = next;
        f = sign;
      }
    }
    // A group's own dependents are not followed: until the group is assigned, colocations with
    // it are not yet on its last member, where merge_weights looks for them.
    if (dep.resource.kind === 'group') return out;
    for (const c of ctx.colocAsPrimary.get(dep.id) ?? []) {
      if (c.score === 0) continue;
      const d = ctx.unitById.get(c.rsc);
      if (!d || !hasInfluence(d)) continue;
      out = mergeDependent(ctx, d, out, sign * coloFactor(c.score), active, merging);
    }
    return out;
  } finally {
    merging.delete(dep.id);
  }
}

function chooseNode(
  ctx: Ctx,
  s: Scores,
  active: readonly string[],
  exclude: ReadonlySet<string>,
  prefer?: string,
): string | null {
  let best: NodeInfo | undefined;
  let bestScore = -INFINITY;
  for (const n of ctx.nodes) {
    if (exclude.has(n.name)) continue;
    const v = s.get(n.name) ?? -INFINITY;
    if (v < 0 || !usable(ctx, n, active)) continue;
    if (!best) {
      best = n;
      bestScore = v;
      continue;
    }
    if (v !== bestScore) {
      if (v > bestScore) {
        best = n;
        bestScore = v;
      }
      continue;
    }
    const cb = ctx.assignedCount.get(best.name) ?? 0;
    const cn = ctx.assignedCount.get(n.name) ?? 0;
    if (cn !== cb) {
      if (cn < cb) best = n;
      continue;
    }
    const ab = active.includes(best.name);
    const an = active.includes(n.name);
    if (an && !ab) best = n;
    // else keep the lower name (nodes are sorted)
  }
  if (!best) return null;
  const fits = (name: string | undefined): name is string => {
    if (name === undefined || exclude.has(name)) return false;
    const n = ctx.view.nodeByName.get(name);
    return n !== undefined && usable(ctx, n, active) && (s.get(name) ?? -INFINITY) >= bestScore;
  };
  // assign_best_node: a preferred node (a clone instance's current node) wins when its score is
  // at least the best; otherwise, when the best score is positive, the current node wins among
  // the nodes with that score, before the "fewer resources" tie-break.
  if (fits(prefer)) return prefer;
  if (bestScore > 0 && fits(active[0])) return active[0];
  return best.name;
}

function recordScores(ctx: Ctx, label: string, s: Scores): void {
  for (const n of ctx.nodes) {
    let v = s.get(n.name) ?? -INFINITY;
    if (!nodeCanHost(n)) v = -INFINITY;
    ctx.scores.push({ rsc: label, node: n.name, score: v });
  }
}

function setNext(ctx: Ctx, inst: Instance, node: string | null): void {
  ctx.next.set(inst.label, node);
  if (node !== null) ctx.assignedCount.set(node, (ctx.assignedCount.get(node) ?? 0) + 1);
}

function targetStopped(inst: Instance): boolean {
  const r = inst.meta['target-role'];
  if (r !== undefined && r.trim().toLowerCase() === 'stopped') return true;
  // on-fail=stop: stop the resource and leave it stopped.
  for (const f of inst.failed.values()) if (f.onFail === 'stop') return true;
  return false;
}

/** Unmanaged or blocked instances stay exactly where they are. */
function pinned(ctx: Ctx, inst: Instance): boolean {
  if (!inst.managed || inst.blocked) return true;
  // On a maintenance node, or on an unclean node that cannot be fenced (its stops cannot run).
  return inst.active.some((n) => {
    const node = ctx.view.nodeByName.get(n);
    return node !== undefined && (node.maintenance || (node.unclean && !node.fence));
  });
}

/**
 * An anonymous clone of a primitive, as Pacemaker 2.1.5 distributes its instances
 * (distribute_children, allocate_instance):
 * - instances in pcmk__cmp_instance order: fewer active nodes, current node able to run
 *   resources, active before inactive, not failed before failed, then label;
 * - first pass: each running, non-failed instance is assigned with its current node preferred
 *   (while that node holds fewer than max/available instances and the instance may run there):
 *   it keeps the node when its score there is at least the best score; otherwise it is left
 *   for the second pass (where it can take the better node while another instance is recovered
 *   elsewhere);
 * - second pass: the rest, in order, up to clone-max;
 * - an instance inherits the clone's colocations: as dependent only the negative and INFINITY
 *   ones when every available node gets an instance (clone-max >= available nodes), as primary
 *   only the negative ones then; nodes holding clone-node-max instances are banned.
 * Writes ctx.next for every instance and ctx.unitNodes for the clone.
 */
function placeClone(ctx: Ctx, u: Unit, r: Clone): void {
  const perHost = cloneNodeMax(r);
  const insts = u.rows.map((row) => row[0]).filter((i): i is Instance => i !== undefined);
  const max = insts.length;
  const available = ctx.nodes.filter((n) => nodeCanHost(n)).length;
  const allColoc = max < available;
  const loopMax = Math.max(1, available > 0 ? Math.floor(max / available) : 1);
  const count = new Map<string, number>();
  const done = new Set<Instance>();
  let allocated = 0;
  const place = (inst: Instance, node: string | null): void => {
    setNext(ctx, inst, node);
    done.add(inst);
    if (node !== null) count.set(node, (count.get(node) ?? 0) + 1);
  };
  const curOk = (i: Instance): boolean => {
    const c = i.active[0];
    const n = c === undefined ? undefined : ctx.view.nodeByName.get(c);
    return c === undefined || (n !== undefined && nodeCanHost(n));
  };
  const failed = (i: Instance): boolean => i.failed.size > 0;
  // Between two running instances, the one whose node the clone's dependents prefer more comes
  // first (cmp_instance merges the dependents' scores into each instance's current node, only
  // positive ones).
  const currentNodeScore = new Map<Instance, number>();
  const depScore = (i: Instance): number => {
    const cur = i.active[0];
    if (cur === undefined) return 0;
    const known = currentNodeScore.get(i);
    if (known !== undefined) return known;
    let t: Scores = new Map([[cur, 0]]);
    for (const c of ctx.colocAsPrimary.get(u.id) ?? []) {
      if (c.score === 0 || ctx.unitNodes.has(c.rsc)) continue;
      const dep = ctx.unitById.get(c.rsc);
      if (!dep || !hasInfluence(dep)) continue;
      const next = mergeDependent(ctx, dep, t, coloFactor(c.score), [], new Set([u.id]));
      if ((next.get(cur) ?? 0) >= 0) t = next;
    }
    const v = t.get(cur) ?? 0;
    currentNodeScore.set(i, v);
    return v;
  };
  const order = [...insts].sort((a, b) => {
    const na = a.active.length;
    const nb = b.active.length;
    if (na > 0 && nb > 0 && na !== nb) return na - nb;
    if (curOk(a) !== curOk(b)) return curOk(a) ? -1 : 1;
    if (na > 0 !== nb > 0) return na > 0 ? -1 : 1;
    if (failed(a) !== failed(b)) return failed(a) ? 1 : -1;
    if (na > 0 && nb > 0) {
      const d = depScore(b) - depScore(a);
      if (d !== 0) return d;
    }
    return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
  });
  ctx.cloneOrder.set(u.id, order);
  const scoresOf = (inst: Instance): { s: Scores; exclude: Set<string> } => {
    // Nodes already holding clone-node-max instances are banned first, so a colocation that
    // would leave no other node is rolled back (can_run_instance before the assignment).
    const exclude = new Set<string>(parentBans);
    for (const [n, k] of count) if (k >= perHost) exclude.add(n);
    let s: Scores = new Map(ownScores(ctx, u, inst, 0));
    for (const n of exclude) if (s.has(n)) s.set(n, -INFINITY);
    s = applyPrimaries(ctx, u, s, inst.active, (c) => allColoc || c.score < 0 || c.score >= INFINITY);
    const merging = new Set<string>([u.id]);
    for (const c of ctx.colocAsPrimary.get(u.id) ?? []) {
      if (c.score === 0 || !(allColoc || c.score < 0) || ctx.unitNodes.has(c.rsc)) continue;
      const dep = ctx.unitById.get(c.rsc);
      if (!dep || !hasInfluence(dep)) continue;
      s = mergeDependent(ctx, dep, s, coloFactor(c.score), inst.active, merging);
    }
    return { s, exclude };
  };
  // can_run_instance: a node where the clone itself scores below 0 (its own location
  // constraints) is banned for every instance, whatever an instance's stickiness there.
  const parentScores = cloneScores(ctx, u);
  const parentBans = new Set([...parentScores].filter(([, v]) => v < 0).map(([n]) => n));
  const stopped = cloneStopped(r);
  let recorded = false;
  const record = (s: Scores): void => {
    if (recorded) return;
    recorded = true;
    recordScores(ctx, u.id, s);
  };
  if (!stopped) {
    for (const inst of order) {
      if (allocated >= max) break;
      if (done.has(inst) || inst.active.length === 0 || failed(inst)) continue;
      if (pinned(ctx, inst)) {
        place(inst, inst.active[0] ?? null);
        allocated++;
        continue;
      }
      if (targetStopped(inst)) continue;
      const cur = inst.active[0];
      const curNode = cur === undefined ? undefined : ctx.view.nodeByName.get(cur);
      if (cur === undefined || !curNode || !usable(ctx, curNode, inst.active)) continue;
      if ((count.get(cur) ?? 0) >= Math.min(loopMax, perHost) || parentBans.has(cur)) continue;
      if ((ownScores(ctx, u, inst, 0).get(cur) ?? -INFINITY) < 0) continue;
      const { s, exclude } = scoresOf(inst);
      record(s);
      const node = chooseNode(ctx, s, inst.active, exclude, cur);
      // A better node elsewhere: not pre-assigned here; the second pass places it.
      if (node !== null && node !== cur) continue;
      place(inst, node);
      if (node !== null) allocated++;
      else ctx.reasons.push({ rsc: inst.label, reason: explainNoNode(ctx, s) });
    }
  }
  for (const inst of order) {
    if (done.has(inst)) continue;
    if (pinned(ctx, inst)) {
      place(inst, inst.active[0] ?? null);
      continue;
    }
    if (stopped || targetStopped(inst) || allocated >= max) {
      place(inst, null);
      continue;
    }
    const { s, exclude } = scoresOf(inst);
    record(s);
    const node = chooseNode(ctx, s, inst.active, exclude);
    place(inst, node);
    if (node !== null) allocated++;
    else ctx.reasons.push({ rsc: inst.label, reason: explainNoNode(ctx, s) });
  }
  const first = insts[0];
  if (!recorded && first) recordScores(ctx, u.id, ownScores(ctx, u, first, 0));
  ctx.unitNodes.set(u.id, [...count.keys()].sort());
}

function placeUnit(ctx: Ctx, u: Unit): void {
  if (u.resource.kind === 'clone' && u.resource.child.kind === 'primitive') {
    placeClone(ctx, u, u.resource);
    return;
  }
  const nodesUsed: string[] = [];
  const exclude = new Set<string>();
  const r = u.resource;
  const isClone = r.kind === 'clone';
  const clonePerNode = isClone ? cloneNodeMax(r) : 1;
  const perNodeCount = new Map<string, number>();
  // Clone rows: active instances first so they keep their nodes.
  const rows = [...u.rows];
  if (isClone) {
    // Instances whose current node can still host them are placed first, so they keep it.
    const keeps = (row: Instance[]): number => {
      const cur = row[0]?.active[0];
      const n = cur === undefined ? undefined : ctx.view.nodeByName.get(cur);
      return n !== undefined && usable(ctx, n, row[0]?.active ?? []) ? 0 : 1;
    };
    rows.sort((a, b) => keeps(a) - keeps(b));
  }
  // First pass (clones): running instances that may stay where they are keep their node, and
  // that node is taken before any other instance is placed (distribute_children).
  const keepNode = new Map<Instance[], string>();
  const reserved = new Map<string, number>();
  if (isClone && !cloneStopped(r)) {
    for (const row of rows) {
      const first = row[0];
      if (!first || first.active.length !== 1 || targetStopped(first)) continue;
      if (row.every((i) => pinned(ctx, i)) || row.some((i) => i.blocked)) continue;
      const cur = first.active[0];
      const curNode = cur === undefined ? undefined : ctx.view.nodeByName.get(cur);
      if (cur === undefined || !curNode || !usable(ctx, curNode, first.active)) continue;
      if ((reserved.get(cur) ?? 0) >= clonePerNode) continue;
      const s0 = applyPrimaries(ctx, u, ownScores(ctx, u, first, 0), first.active);
      const sf = row.length > 1 ? foldGroup(ctx, u, row, s0, first.active) : s0;
      if ((sf.get(cur) ?? -INFINITY) < 0) continue;
      keepNode.set(row, cur);
      reserved.set(cur, (reserved.get(cur) ?? 0) + 1);
    }
    for (const [n, c] of reserved) if (c >= clonePerNode) exclude.add(n);
  }
  for (const row of rows) {
    const first = row[0];
    if (!first) continue;
    const active = first.active;
    // A row (primitive, group, or clone instance) moves as one.
    if (row.every((i) => pinned(ctx, i)) || row.some((i) => i.blocked)) {
      for (const i of row) {
        const node = i.active[0] ?? null;
        setNext(ctx, i, node);
        if (node !== null) nodesUsed.push(node);
      }
      continue;
    }
    let s = ownScores(ctx, u, first, 0);
    s = applyPrimaries(ctx, u, s, active);
    if (row.length > 1) s = foldGroup(ctx, u, row, s, active);
    // Pacemaker folds dependents into a clone per instance; a dependent's bans never stop an instance.
    if (!isClone) s = applyDependents(ctx, u, s, active);
    // Scores are recorded per row; a clone's once (its instances share them but for stickiness),
    // which keeps the explanation linear in the number of primitives.
    if (!isClone || row === rows[0]) recordScores(ctx, isClone ? u.id : first.label, s);
    let node: string | null = null;
    if (!targetStopped(first) && !(isClone && cloneStopped(r))) {
      // A running clone instance keeps its node when it still may run there (distribute_children).
      node = keepNode.get(row) ?? chooseNode(ctx, s, active, exclude);
    }
    if (node === null) {
      if (!targetStopped(first)) ctx.reasons.push({ rsc: first.label, reason: explainNoNode(ctx, s) });
    }
    // Members follow the first, in order; one that cannot run stops itself and every later one.
    let ok = node !== null;
    row.forEach((inst, i) => {
      if (pinned(ctx, inst)) {
        setNext(ctx, inst, inst.active[0] ?? null);
        return;
      }
      if (!ok || node === null) {
        setNext(ctx, inst, null);
        return;
      }
      if (i > 0) {
        const own = ownScores(ctx, u, inst, i);
        if (targetStopped(inst) || (own.get(node) ?? -INFINITY) < 0) {
          ok = false;
          setNext(ctx, inst, null);
          if (!targetStopped(inst))
            ctx.reasons.push({
              rsc: inst.label,
              node,
              reason: `cannot run on ${node}: score ${formatScore(own.get(node) ?? -INFINITY)}`,
            });
          return;
        }
      }
      setNext(ctx, inst, node);
    });
    if (node !== null) {
      nodesUsed.push(node);
      if (!keepNode.has(row)) {
        const c = (perNodeCount.get(node) ?? 0) + (reserved.get(node) ?? 0) + 1;
        perNodeCount.set(node, (perNodeCount.get(node) ?? 0) + 1);
        if (c >= clonePerNode) exclude.add(node);
      }
    }
  }
  // A unit's nodes, as its dependents see them (a group: where its first member runs).
  ctx.unitNodes.set(u.id, [...new Set(nodesUsed)].sort());
}

function explainNoNode(ctx: Ctx, s: Scores): string {
  const parts: string[] = [];
  for (const n of ctx.nodes) {
    const why = unavailableReason(n);
    parts.push(`${n.name}: ${why ?? `score ${formatScore(s.get(n.name) ?? -INFINITY)}`}`);
  }
  if (ctx.stopAll) parts.push('no quorum (no-quorum-policy) or stop-all-resources');
  if (ctx.frozen)
    parts.push('no new starts (no quorum with freeze, or stonith-enabled without a fencing device)');
  return `cannot run anywhere: ${parts.join('; ')}`;
}

function cloneNodeMax(c: Clone): number {
  const v = c.metaAttributes['clone-node-max'];
  const n = v === undefined ? 1 : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function cloneStopped(r: Resource): boolean {
  const v = r.metaAttributes['target-role'];
  return v !== undefined && v.trim().toLowerCase() === 'stopped';
}
