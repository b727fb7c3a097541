/**
 * Stages 3 and 4: actions and orderings. Reads the unpacked view and the assignment; returns a
 * new `ActionGraph` (actions, "must happen before" edges, the final node of every instance).
 *
 * Actions (Pacemaker 2.1.5's pcmk_sched_actions / primitive / group / clone / ordering):
 * probes where a node has no history, stop/start for moves, recoveries and restarts required by a
 * mandatory order or group membership, recurring monitors after a start or where one is missing,
 * cancels under maintenance, fencing of unclean nodes, shutdown of nodes asked to leave,
 * clear_failcount for expired failures. Edges: stop before start of the same instance, group
 * member order (start in order, stop in reverse), group/clone pseudo actions (all stops of a
 * collective before its starts), order constraints (Mandatory/Optional, symmetrical), fencing
 * before the stops it implies and before every start that requires fencing, every stop on a node
 * before its shutdown, start before monitor.
 */
import type { ClusterConfig, OrderConstraint } from '../cib/model.ts';
import type { Action, ActionKind, OrderingEdge } from './types.ts';
import type { ClusterView, Instance } from './unpack.ts';

export interface ActionGraph {
  actions: Action[];
  edges: OrderingEdge[];
  /** Instance label → node after the transition (null = stopped). */
  final: Map<string, string | null>;
  /** Instances that were recovered (their failure is gone after the transition). */
  recovered: Set<string>;
}

class Builder {
  readonly actions = new Map<string, Action>();
  /** Edges without duplicates, by "before" then "after" (no concatenated keys to hash). */
  private readonly edgesFrom = new Map<string, Set<string>>();
  readonly edges: OrderingEdge[] = [];

  add(a: Omit<Action, 'id'> & { id?: string }): string {
    const id = a.id ?? actionId(a.kind, a.instance ?? a.rsc, a.node, a.intervalMs);
    if (!this.actions.has(id)) {
      const action: Action = { ...a, id };
      this.actions.set(id, action);
    }
    return id;
  }

  has(id: string): boolean {
    return this.actions.has(id);
  }

  edge(before: string, after: string): void {
    if (before === after || !this.actions.has(before) || !this.actions.has(after)) return;
    let afters = this.edgesFrom.get(before);
    if (afters === undefined) {
      afters = new Set();
      this.edgesFrom.set(before, afters);
    }
    if (afters.has(after)) return;
    afters.add(after);
    this.edges.push({ before, after });
  }
}

export function actionId(
  kind: ActionKind,
  rsc: string | undefined,
  node: string | undefined,
  intervalMs?: number,
): string {
  // Space-separated kind, rsc, node (each when given and not empty), then the interval of a
  // monitor or cancel. Built directly: this runs for every action and edge of a transition.
  let id: string = kind;
  if (rsc !== undefined && rsc !== '') id += ' ' + rsc;
  if (node !== undefined && node !== '') id += ' ' + node;
  if (kind === 'monitor' || kind === 'cancel') id += ' ' + String(intervalMs ?? 0);
  return id;
}

interface Plan {
  inst: Instance;
  stops: string[];
  start: string | null;
  next: string | null;
  managed: boolean;
}

function recurringMonitors(inst: Instance): { intervalMs: number; timeoutMs?: number }[] {
  return inst.prim.operations
    .filter(
      (o) =>
        o.name === 'monitor' &&
        o.intervalMs > 0 &&
        o.enabled !== false &&
        (o.role === undefined || /^(started|slave|unpromoted)$/i.test(o.role)),
    )
    .map((o) =>
      o.timeoutMs === undefined
        ? { intervalMs: o.intervalMs }
        : { intervalMs: o.intervalMs, timeoutMs: o.timeoutMs },
    );
}

export function buildActions(
  view: ClusterView,
  config: ClusterConfig,
  assigned: ReadonlyMap<string, string | null>,
): ActionGraph {
  const b = new Builder();
  const next = new Map(assigned);
  const nodeByName = view.nodeByName;

  const isPinned = (inst: Instance): boolean =>
    !inst.managed ||
    inst.blocked ||
    inst.active.some((n) => {
      const node = nodeByName.get(n);
      return node !== undefined && (node.maintenance || (node.unclean && !node.fence));
    });

  // Instances of each top-level resource / member id.
  const instancesOf = new Map<string, Instance[]>();
  const addTo = (k: string, i: Instance): void => {
    const l = instancesOf.get(k);
    if (l) l.push(i);
    else instancesOf.set(k, [i]);
  };
  for (const inst of view.instances) {
    addTo(inst.prim.id, inst);
    if (inst.group) addTo(inst.group.id, inst);
    if (inst.clone) addTo(inst.clone.id, inst);
  }
  const groupRows = new Map<string, Instance[][]>(); // group id (or clone id for cloned groups) → rows
  for (const r of config.resources) {
    if (r.kind === 'group') groupRows.set(r.id, [instancesOf.get(r.id) ?? []]);
    if (r.kind === 'clone' && r.child.kind === 'group') {
      const byK = new Map<string, Instance[]>();
      for (const i of instancesOf.get(r.id) ?? []) {
        const k = i.label.slice(i.label.lastIndexOf(':') + 1);
        const l = byK.get(k);
        if (l) l.push(i);
        else byK.set(k, [i]);
      }
      groupRows.set(r.id, [...byK.values()]);
    }
  }

  const cloneIds = new Set(
    config.resources
      .filter((r) => r.kind === 'clone')
      .flatMap((r) => (r.kind === 'clone' ? [r.id, r.child.id] : [])),
  );
  const isCloneId = (id: string): boolean => cloneIds.has(id);
  const mandatoryStartOrders = config.constraints.order.filter(
    (o) => mandatory(o) && o.firstAction === 'start' && (o.thenAction || o.firstAction) === 'start',
  );
  // "then" may not run unless "first" runs (mandatory order). A group's start is runnable only
  // when every member runs (a partly running group blocks its "then"), a clone's when any
  // instance does.
  const groupIds = new Set(config.resources.filter((r) => r.kind === 'group').map((r) => r.id));
  // Repeated until nothing changes: a blocked "then" blocks what is ordered after it in turn.
  const orderBlocked = new Set<string>();
  for (let changed = true, pass = 0; changed && pass < 50; pass++) {
    changed = false;
    for (const o of mandatoryStartOrders) {
      const firsts = instancesOf.get(o.first) ?? [];
      const runs = (i: Instance): boolean => next.get(i.label) !== null && next.get(i.label) !== undefined;
      if (firsts.length === 0 || (groupIds.has(o.first) ? firsts.every(runs) : firsts.some(runs))) continue;
      for (const t of instancesOf.get(o.then) ?? []) {
        if (isPinned(t)) continue;
        // An asymmetrical order only blocks a start: a "then" that stays where it runs keeps
        // running (a symmetrical one also stops it).
        const n = next.get(t.label);
        if (n === null || n === undefined) continue;
        if (!o.symmetrical && t.active.includes(n) && !t.failed.has(n)) continue;
        next.set(t.label, null);
        if (!groupIds.has(o.then) && !isCloneId(o.then)) orderBlocked.add(o.then);
        changed = true;
      }
    }
  }
  // A primitive whose start an order blocked takes its INFINITY-colocated dependents down with
  // it (pcmk__block_colocation_dependents: one level, the dependents' own dependents keep their
  // placement; a blocked group's dependents are not blocked, as crm_simulate shows).
  for (const c of config.constraints.colocation) {
    if (c.score < 1_000_000 || !orderBlocked.has(c.withRsc)) continue;
    for (const d of instancesOf.get(c.rsc) ?? []) if (!isPinned(d)) next.set(d.label, null);
  }

  // Per-instance plans.
  const plans = new Map<string, Plan>();
  for (const inst of view.instances) {
    const managed = !isPinned(inst);
    const nx = next.get(inst.label) ?? null;
    const plan: Plan = { inst, stops: [], start: null, next: nx, managed };
    if (managed) {
      const multiple = inst.active.length > 1;
      for (const n of inst.active) if (n !== nx || multiple || inst.failed.has(n)) plan.stops.push(n);
      if (nx !== null && (!inst.active.includes(nx) || plan.stops.includes(nx))) plan.start = nx;
    } else {
      plan.next = inst.active[0] ?? null;
    }
    plans.set(inst.label, plan);
  }
  const restart = (p: Plan): boolean => {
    if (!p.managed || p.start !== null || p.next === null || !p.inst.active.includes(p.next)) return false;
    if (!p.stops.includes(p.next)) p.stops.push(p.next);
    p.start = p.next;
    return true;
  };
  // Restarts required by an earlier member's start or a mandatory order's "first" start.
  for (let pass = 0, changed = true; changed && pass < 50; pass++) {
    changed = false;
    for (const rows of groupRows.values()) {
      for (const row of rows) {
        let started = false;
        for (const inst of row) {
          const p = plans.get(inst.label);
          if (!p) continue;
          if (started && restart(p)) changed = true;
          if (p.start !== null) started = true;
        }
      }
    }
    for (const o of mandatoryStartOrders) {
      // Only a symmetrical Mandatory order implies "then" (ordering_flags_for_kind: an
      // asymmetrical one only makes "then" unrunnable without "first").
      if (!o.symmetrical) continue;
      // A clone's flags are read for the node of "then" (the collective action_flags with
      // then's node; a group's start counts on the group's node): a new instance restarts a
      // running primitive or group "then" only where that instance starts; a clone's start is a
      // pseudo action without a node, so any new instance restarts a clone "then".
      const firstIsClone = isCloneId(o.first) && !isCloneId(o.then);
      const startsOf = new Set<string>();
      let anyStart = false;
      for (const i of instancesOf.get(o.first) ?? []) {
        const p = plans.get(i.label);
        if (p === undefined || p.start === null) continue;
        anyStart = true;
        startsOf.add(p.start);
      }
      if (!anyStart) continue;
      for (const t of instancesOf.get(o.then) ?? []) {
        const p = plans.get(t.label);
        if (!p || (firstIsClone && (p.next === null || !startsOf.has(p.next)))) continue;
        if (restart(p)) changed = true;
      }
    }
  }

  // Fencing and shutdown.
  for (const n of view.nodes) {
    if (n.fence)
      b.add({
        kind: 'fence',
        node: n.name,
        fenceAction: view.options.stonithAction,
        pseudo: false,
        reason: `${n.name} is unclean`,
      });
  }
  for (const n of view.nodes) {
    if (n.shutdown)
      b.add({ kind: 'shutdown', node: n.name, pseudo: false, reason: `${n.name} asked to leave` });
  }

  const recovered = new Set<string>();
  const final = new Map<string, string | null>();
  // Stops, starts, monitors, cancels.
  for (const inst of view.instances) {
    const p = plans.get(inst.label);
    if (!p) continue;
    final.set(inst.label, p.next);
    const rsc = inst.prim.id;
    const instance = inst.clone ? inst.label : undefined;
    const base = instance === undefined ? { rsc } : { rsc, instance };
    const stopIds: string[] = [];
    for (const n of p.stops) {
      const fenced = nodeByName.get(n)?.fence === true;
      const id = b.add({ ...base, kind: 'stop', node: n, pseudo: fenced, reason: stopReason(inst, n, p) });
      stopIds.push(id);
      if (fenced) b.edge(actionId('fence', undefined, n), id);
      if (inst.failed.has(n)) recovered.add(inst.label);
    }
    if (p.start !== null) {
      const sid = b.add({
        ...base,
        kind: 'start',
        node: p.start,
        pseudo: false,
        reason: startReason(inst, p),
      });
      for (const s of stopIds) b.edge(s, sid);
    }
    const runningOn = p.next;
    const maintenanceHere = (n: string): boolean =>
      inst.maintenance || nodeByName.get(n)?.maintenance === true;
    // is-managed=false alone keeps recurring monitors (only maintenance cancels them).
    const monitored =
      p.managed ||
      (runningOn !== null &&
        !inst.maintenance &&
        !inst.blocked &&
        inst.failed.size === 0 &&
        nodeByName.get(runningOn)?.maintenance !== true &&
        nodeByName.get(runningOn)?.unclean !== true);
    if (monitored && runningOn !== null) {
      const recorded =
        p.start !== null ? new Set<number>() : (inst.monitors.get(runningOn) ?? new Set<number>());
      for (const m of recurringMonitors(inst)) {
        if (recorded.has(m.intervalMs)) continue;
        const mid = b.add({
          ...base,
          kind: 'monitor',
          node: runningOn,
          intervalMs: m.intervalMs,
          ...(m.timeoutMs !== undefined ? { timeoutMs: m.timeoutMs } : {}),
          pseudo: false,
        });
        if (p.start !== null) b.edge(actionId('start', instance ?? rsc, runningOn), mid);
      }
      if (p.start === null) {
        const configured = new Set(recurringMonitors(inst).map((m) => m.intervalMs));
        for (const iv of [...recorded].sort((x, y) => x - y)) {
          if (!configured.has(iv))
            b.add({
              ...base,
              kind: 'cancel',
              node: runningOn,
              intervalMs: iv,
              pseudo: false,
              reason: 'monitor no longer configured',
            });
        }
      }
    }
    if (!p.managed) {
      for (const [n, ivs] of [...inst.monitors.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        if (!maintenanceHere(n)) continue;
        // With maintenance-mode, monitors on a node that is also in standby stay (as Pacemaker does).
        const node = nodeByName.get(n);
        if (
          view.options.maintenanceMode &&
          !inst.maintenanceOwn &&
          node?.standby === true &&
          node.maintenance !== true
        )
          continue;
        for (const iv of [...ivs].sort((x, y) => x - y)) {
          b.add({ ...base, kind: 'cancel', node: n, intervalMs: iv, pseudo: false, reason: 'maintenance' });
        }
      }
    }
  }

  // Orphans (history of resources no longer configured, still active): stop them.
  for (const o of view.orphans)
    b.add({ kind: 'stop', rsc: o.rsc, node: o.node, pseudo: false, reason: 'orphan: no longer configured' });

  // Probes.
  if (view.options.enableStartupProbes) {
    const probed = new Set<string>();
    const discoveryNever = new Map<string, Set<string>>();
    for (const l of config.constraints.location) {
      if (l.resourceDiscovery === 'never' && l.node !== undefined) {
        const s = discoveryNever.get(l.rsc) ?? new Set<string>();
        s.add(l.node);
        discoveryNever.set(l.rsc, s);
      }
    }
    for (const inst of view.instances) {
      const rsc = inst.prim.id;
      if (probed.has(rsc)) continue;
      probed.add(rsc);
      for (const n of view.nodes) {
        if (!n.online || n.unclean || n.pending || n.fence) continue;
        if (inst.known.has(n.name)) continue;
        const never = [rsc, inst.group?.id, inst.clone?.id].some(
          (id) => id !== undefined && discoveryNever.get(id)?.has(n.name),
        );
        if (never) continue;
        const pid = b.add({
          kind: 'probe',
          rsc,
          node: n.name,
          ...(inst.clone ? { instance: inst.label } : {}),
          pseudo: false,
          id: `probe ${rsc} ${n.name}`,
        });
        for (const i of instancesOf.get(rsc) ?? []) {
          const s = plans.get(i.label)?.start;
          if (s != null) b.edge(pid, actionId('start', i.clone ? i.label : rsc, s));
        }
      }
    }
  }

  // clear_failcount for expired failures.
  for (const c of view.clearFailcounts)
    b.add({
      kind: 'clear_failcount',
      rsc: c.rsc,
      node: c.node,
      pseudo: false,
      reason: 'failure-timeout expired',
    });

  // Collective pseudo actions and member order.
  const startOf = (i: Instance): string | undefined => {
    const p = plans.get(i.label);
    return p?.start != null ? actionId('start', i.clone ? i.label : i.prim.id, p.start) : undefined;
  };
  const stopsOf = (i: Instance): string[] => {
    const p = plans.get(i.label);
    return (p?.stops ?? []).map((n) => actionId('stop', i.clone ? i.label : i.prim.id, n));
  };
  const collectives: { id: string; members: Instance[] }[] = [];
  for (const r of config.resources) {
    if (r.kind === 'group' || r.kind === 'clone')
      collectives.push({ id: r.id, members: instancesOf.get(r.id) ?? [] });
  }
  for (const c of collectives) {
    const starts = c.members.map(startOf).filter((x): x is string => x !== undefined);
    const stops = c.members.flatMap(stopsOf);
    if (starts.length > 0) {
      const s = b.add({ kind: 'start', rsc: c.id, pseudo: true, id: `start ${c.id}` });
      const r = b.add({ kind: 'start', rsc: c.id, pseudo: true, id: `running ${c.id}` });
      for (const a of starts) {
        b.edge(s, a);
        b.edge(a, r);
      }
    }
    if (stops.length > 0) {
      const s = b.add({ kind: 'stop', rsc: c.id, pseudo: true, id: `stop ${c.id}` });
      const r = b.add({ kind: 'stop', rsc: c.id, pseudo: true, id: `stopped ${c.id}` });
      for (const a of stops) {
        b.edge(s, a);
        b.edge(a, r);
      }
      if (starts.length > 0) b.edge(`stopped ${c.id}`, `start ${c.id}`);
    }
  }
  for (const rows of groupRows.values()) {
    for (const row of rows) {
      for (let i = 0; i + 1 < row.length; i++) {
        const a = row[i];
        const z = row[i + 1];
        if (!a || !z) continue;
        const sa = startOf(a);
        const sz = startOf(z);
        if (sa && sz) b.edge(sa, sz);
        for (const stz of stopsOf(z)) for (const sta of stopsOf(a)) b.edge(stz, sta);
      }
    }
  }

  // Order constraints.
  const collectiveIds = new Set(config.resources.filter((r) => r.kind !== 'primitive').map((r) => r.id));
  const isCollective = (id: string): boolean => collectiveIds.has(id);
  const side = (id: string, action: string, role: 'first' | 'then'): string[] => {
    if (isCollective(id)) {
      const pseudo =
        action === 'start'
          ? role === 'first'
            ? `running ${id}`
            : `start ${id}`
          : role === 'first'
            ? `stopped ${id}`
            : `stop ${id}`;
      return b.has(pseudo) ? [pseudo] : [];
    }
    const out: string[] = [];
    for (const i of instancesOf.get(id) ?? []) {
      if (action === 'start') {
        const s = startOf(i);
        if (s) out.push(s);
      } else if (action === 'stop') out.push(...stopsOf(i));
    }
    return out;
  };
  for (const o of config.constraints.order) {
    if (o.kind === 'Serialize') continue;
    const fa = o.firstAction || 'start';
    const ta = o.thenAction || fa;
    for (const x of side(o.first, fa, 'first')) for (const y of side(o.then, ta, 'then')) b.edge(x, y);
    if (o.symmetrical) {
      const inv = (a: string): string =>
        a === 'start' ? 'stop' : a === 'stop' ? 'start' : a === 'promote' ? 'demote' : 'promote';
      for (const x of side(o.then, inv(ta), 'first'))
        for (const y of side(o.first, inv(fa), 'then')) b.edge(x, y);
    }
  }

  // Mandatory anti-colocation (anti_colocation_order, both ways): each side's stops come before
  // the other's starts, so the two never run on one node even for a moment. Between two real
  // actions the ordering holds only on the same node (pe_order_anti_colocation); a group's or
  // clone's pseudo actions have no node, so through them it holds everywhere.
  for (const c of config.constraints.colocation) {
    if (c.score > -1_000_000) continue;
    for (const [a, z] of [
      [c.rsc, c.withRsc],
      [c.withRsc, c.rsc],
    ] as const) {
      for (const x of side(a, 'stop', 'first')) {
        const xn = b.actions.get(x)?.node;
        for (const y of side(z, 'start', 'then')) {
          const yn = b.actions.get(y)?.node;
          if (xn !== undefined && yn !== undefined && xn !== yn) continue;
          b.edge(x, y);
        }
      }
    }
  }

  // Starts of resources that require fencing wait for every fencing of the transition (Pacemaker's
  // order_start_vs_fencing): an unclean node may run anything, also what its (possibly unknown,
  // e.g. after a DC change) history does not show. requires: nothing|quorum, and fence devices
  // themselves, need no fencing.
  const fences = [...b.actions.values()].filter((a) => a.kind === 'fence' && !a.pseudo);
  if (fences.length > 0) {
    const instByLabel = new Map(view.instances.map((i) => [i.label, i]));
    for (const a of [...b.actions.values()]) {
      if (a.kind !== 'start' || a.pseudo) continue;
      const inst = instByLabel.get(a.instance ?? a.rsc ?? '');
      if (inst === undefined || inst.prim.agent.standard === 'stonith') continue;
      const requires = (inst.meta['requires'] ?? 'fencing').trim().toLowerCase();
      if (requires === 'nothing' || requires === 'quorum') continue;
      for (const f of fences) b.edge(f.id, a.id);
    }
  }

  // Every stop on a node before its shutdown.
  for (const a of b.actions.values()) {
    if (a.kind === 'stop' && !a.pseudo && a.node !== undefined && nodeByName.get(a.node)?.shutdown === true) {
      b.edge(a.id, actionId('shutdown', undefined, a.node));
    }
  }

  const actions = [...b.actions.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const edges = b.edges.sort((x, y) =>
    x.before < y.before ? -1 : x.before > y.before ? 1 : x.after < y.after ? -1 : x.after > y.after ? 1 : 0,
  );
  return { actions, edges, final, recovered };
}

function mandatory(o: OrderConstraint): boolean {
  if (o.kind === 'Optional' || o.kind === 'Serialize') return false;
  if (o.score !== undefined && o.score <= 0) return false;
  return true;
}

function stopReason(inst: Instance, node: string, p: Plan): string {
  if (inst.failed.has(node)) return `${inst.label} failed on ${node}: recover`;
  if (p.next === null) return `${inst.label} cannot run anywhere`;
  if (p.next === node) return `${inst.label} restarts on ${node}`;
  return `${inst.label} moves ${node} -> ${p.next}`;
}

function startReason(inst: Instance, p: Plan): string {
  const from = inst.active[0];
  if (from === undefined) return `${inst.label} starts on ${p.start ?? ''}`;
  if (from === p.start) return `${inst.label} restarts on ${from}`;
  return `${inst.label} moves ${from} -> ${p.start ?? ''}`;
}
