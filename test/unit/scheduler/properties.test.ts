/**
 * Scheduler invariants no table covers, on generated clusters (test/support/cib-generator.ts):
 * never throws, nothing placed where a location constraint says -INFINITY, a primitive never runs
 * on two nodes, a clone never puts two instances on one node, every stop comes before the start
 * it makes room for, mandatory orders hold between starts, deterministic, and idempotent once the
 * transition is applied (scheduling the resulting state again starts and stops nothing).
 */
import { fc, testProp } from '@fast-check/ava';
import type { ClusterConfig, ClusterStatus, NodeState, OpRecord } from '../../../coordinator/cib/index.ts';
import { formatSummary, schedule, type Transition } from '../../../coordinator/scheduler/index.ts';
import { generateCluster } from '../../support/cib-generator.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

const clusterArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    nodes: fc.integer({ min: 1, max: 6 }),
    resources: fc.integer({ min: 1, max: 20 }),
  })
  .map((o) => ({ ...o, cluster: generateCluster({ seed: o.seed, nodes: o.nodes, resources: o.resources }) }));

// Reproduce a failure with FC_SEED=<seed> [FC_PATH=<path>] from the failure message.
const RUNS = {
  numRuns: 60,
  ...(process.env['FC_SEED'] !== undefined ? { seed: Number(process.env['FC_SEED']) } : {}),
  ...(process.env['FC_PATH'] !== undefined ? { path: process.env['FC_PATH'] } : {}),
};

type Generated = { cluster: ReturnType<typeof generateCluster> };

/** `check` returns true, or false / a message naming what broke. */
function prop(name: string, check: (g: Generated) => boolean | string): void {
  testProp(
    name,
    [clusterArb],
    (t, g) => {
      t.is(check(g), true);
    },
    RUNS,
  );
}

function run(config: ClusterConfig, status: ClusterStatus): Transition {
  return schedule({ config, status, now: NOW });
}

/** Nodes each primitive instance runs on after applying the transition's starts and stops to `current`. */
function runningAfter(t: Transition): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of t.resources) out.set(r.instance, new Set(r.current));
  // All stops, then all starts (a restart stops and starts on the same node).
  for (const kind of ['stop', 'start'] as const) {
    for (const a of t.actions) {
      if (a.kind !== kind || a.node === undefined) continue;
      const set = out.get(a.instance ?? a.rsc ?? '');
      if (!set) continue;
      if (kind === 'stop') set.delete(a.node);
      else set.add(a.node);
    }
  }
  return out;
}

function reaches(t: Transition, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of t.edges) next.set(e.before, [...(next.get(e.before) ?? []), e.after]);
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const x = stack.pop() ?? '';
    if (x === to) return true;
    for (const y of next.get(x) ?? []) {
      if (!seen.has(y)) {
        seen.add(y);
        stack.push(y);
      }
    }
  }
  return false;
}

prop('never throws and places nothing on a -INFINITY location', ({ cluster }) => {
  const t = run(cluster.config, cluster.status);
  const banned = new Set<string>();
  for (const l of cluster.config.constraints.location) {
    if (l.node !== undefined && l.score !== undefined && l.score <= -1_000_000)
      banned.add(`${l.rsc} ${l.node}`);
  }
  for (const r of t.resources) {
    if (r.next === null || r.flags.includes('unmanaged')) continue;
    for (const id of [r.rsc, r.group, r.clone]) {
      if (id !== undefined && banned.has(`${id} ${r.next}`)) return false;
    }
  }
  return true;
});

prop('a primitive never runs on two nodes; a clone never twice on one node', ({ cluster }) => {
  const t = run(cluster.config, cluster.status);
  const after = runningAfter(t);
  const perCloneNode = new Set<string>();
  for (const r of t.resources) {
    if (r.flags.includes('unmanaged')) continue;
    const nodes = after.get(r.instance) ?? new Set<string>();
    if (nodes.size > 1) return false;
    // The view and the actions agree.
    if ((r.next === null ? 0 : 1) !== nodes.size || (r.next !== null && !nodes.has(r.next))) return false;
    if (r.clone !== undefined && r.next !== null) {
      const k = `${r.clone} ${r.next}`;
      if (perCloneNode.has(k)) return false;
      perCloneNode.add(k);
    }
  }
  return true;
});

prop('stops come before the starts they make room for; mandatory orders hold', ({ cluster }) => {
  const t = run(cluster.config, cluster.status);
  const byInstance = new Map<string, { stops: string[]; starts: string[] }>();
  for (const a of t.actions) {
    if (a.kind !== 'start' && a.kind !== 'stop') continue;
    if (a.node === undefined) continue; // collective pseudo actions
    const key = a.instance ?? a.rsc ?? '';
    const e = byInstance.get(key) ?? { stops: [], starts: [] };
    (a.kind === 'stop' ? e.stops : e.starts).push(a.id);
    byInstance.set(key, e);
  }
  for (const { stops, starts } of byInstance.values()) {
    for (const s of stops) for (const st of starts) if (!reaches(t, s, st)) return false;
  }
  for (const o of cluster.config.constraints.order) {
    if (o.kind !== 'Mandatory' || o.firstAction !== 'start' || (o.thenAction || 'start') !== 'start')
      continue;
    const firstStarts = t.actions.filter((a) => a.kind === 'start' && !a.pseudo && a.rsc === o.first);
    const thenStarts = t.actions.filter((a) => a.kind === 'start' && !a.pseudo && a.rsc === o.then);
    for (const f of firstStarts) for (const s of thenStarts) if (!reaches(t, f.id, s.id)) return false;
  }
  return true;
});

prop('deterministic: the same input gives the same transition', ({ cluster }) => {
  const a = run(cluster.config, cluster.status);
  const b = run(structuredClone(cluster.config), structuredClone(cluster.status));
  return JSON.stringify(a) === JSON.stringify(b) && formatSummary(a) === formatSummary(b);
});

prop('does not mutate its input', ({ cluster }) => {
  const before = JSON.stringify(cluster);
  run(cluster.config, cluster.status);
  return JSON.stringify(cluster) === before;
});

/** The state after every action of `t` succeeded, as the controller would record it. */
function applyTransition(config: ClusterConfig, status: ClusterStatus, t: Transition): ClusterStatus {
  const fenced = new Set(
    t.actions.filter((a) => a.kind === 'fence' || a.kind === 'shutdown').map((a) => a.node),
  );
  const cleared = new Set(
    t.actions.filter((a) => a.kind === 'clear_failcount').map((a) => `${a.rsc} ${a.node}`),
  );
  const monitorsOf = new Map<string, OpRecord[]>();
  const prims = config.resources.flatMap((r) =>
    r.kind === 'primitive'
      ? [r]
      : r.kind === 'group'
        ? r.members
        : r.child.kind === 'primitive'
          ? [r.child]
          : r.child.members,
  );
  let callId = 1000;
  for (const p of prims) {
    monitorsOf.set(
      p.id,
      p.operations
        .filter((o) => o.name === 'monitor' && o.intervalMs > 0)
        .map((o) => ({
          id: `${p.id}_monitor_${o.intervalMs}`,
          operation: 'monitor',
          intervalMs: o.intervalMs,
          callId: 0,
          rc: 0,
          opStatus: 0,
        })),
    );
  }
  const agentOf = new Map(prims.map((p) => [p.id, p.agent]));
  const nodes: NodeState[] = status.nodes.map((n) => {
    if (fenced.has(n.name)) {
      return {
        ...n,
        inCcm: false,
        crmd: 'offline',
        join: 'down',
        expected: 'down',
        transientAttributes: {},
        history: [],
      };
    }
    const attrs = Object.fromEntries(
      Object.entries(n.transientAttributes).filter(([k]) => {
        const m = /^(?:fail-count|last-failure)-([^#:]+)/.exec(k);
        return !(m && cleared.has(`${m[1]} ${n.name}`));
      }),
    );
    const online = n.inCcm && n.crmd === 'online' && n.join === 'member';
    if (!online) return { ...n, transientAttributes: attrs };
    const history = [];
    const unmanagedHere = new Set(
      t.resources
        .filter((r) => r.flags.includes('unmanaged') && r.current.includes(n.name))
        .map((r) => r.rsc),
    );
    const running = new Set(t.resources.filter((r) => r.next === n.name).map((r) => r.rsc));
    for (const p of prims) {
      if (unmanagedHere.has(p.id)) {
        const old = n.history.find((h) => h.id === p.id);
        if (old) history.push(old);
        continue;
      }
      const agent = agentOf.get(p.id) ?? p.agent;
      if (running.has(p.id)) {
        const ops: OpRecord[] = [
          { id: `${p.id}_last_0`, operation: 'start', intervalMs: 0, callId: callId++, rc: 0, opStatus: 0 },
          ...(monitorsOf.get(p.id) ?? []).map((m) => ({ ...m, callId: callId++ })),
        ];
        history.push({ id: p.id, agent, ops });
      } else {
        const ops: OpRecord[] = [
          {
            id: `${p.id}_last_0`,
            operation: 'monitor',
            intervalMs: 0,
            callId: callId++,
            rc: 7,
            opStatus: 0,
            targetRc: 7,
          },
        ];
        history.push({ id: p.id, agent, ops });
      }
    }
    return { ...n, transientAttributes: attrs, history };
  });
  return { ...status, nodes };
}

prop('idempotent once applied: the next run starts and stops nothing', ({ cluster }) => {
  // A stickiness above every finite preference the generator writes (scores up to 1000) makes
  // the placement stable; with less, exact ties are broken by "fewer resources assigned so far",
  // which changes once the first transition has run (Pacemaker's compare_nodes does the same).
  const config = structuredClone(cluster.config);
  config.rscDefaults['resource-stickiness'] = '5000';
  for (const r of config.resources) delete r.metaAttributes['resource-stickiness'];
  // Pacemaker 2.1.5 merges a dependent group's later members into the primary at full strength
  // (merge_weights recurses through the group's internal INFINITY colocation with factor ±1), so
  // once a group runs, an advisory colocation with it moves the primary by the members'
  // stickiness: not idempotent in Pacemaker either. The same holds for a primitive dependent:
  // once it runs, its stickiness (scaled by the colocation's factor) pulls its primary, which
  // crm_simulate shows by moving the primary on the second run (fast-check counterexample
  // cib-generator seed 826951, 6 nodes, 16 resources: rsc2 with rsc1 at 100 moves rsc1 from node6
  // to node4 and restarts the clone ordered after it, in Pacemaker as in tandem; golden case
  // not-idempotent-advisory-colocation). So advisory colocations are left out here.
  config.constraints.colocation = config.constraints.colocation.filter((c) => Math.abs(c.score) >= 1_000_000);
  const first = run(config, cluster.status);
  const second = run(config, applyTransition(config, cluster.status, first));
  const changes = second.actions.filter(
    (a) => !a.pseudo && (a.kind === 'start' || a.kind === 'stop' || a.kind === 'fence'),
  );
  return (
    changes.length === 0 ||
    `second run still changes: ${changes.map((a) => a.id).join(', ')}\n${formatSummary(first)}`
  );
});
