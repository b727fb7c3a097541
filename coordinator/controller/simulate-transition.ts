/**
 * What `crm_simulate -S` does: pretend every action of a transition succeeded (probes find the
 * resource stopped, everything else returns 0) and record the results as the controller would.
 * Scheduling again on the result must ask for no further starts or stops: the fixed point the
 * live cluster reaches when nothing fails.
 */
import type { ClusterConfig } from '../cib/model.ts';
import type { ClusterStatus } from '../cib/status.ts';
import type { Action, Transition } from '../scheduler/types.ts';
import { expectedRc } from './action-sink.ts';
import { recordActionOutcome } from './status-recorder.ts';

/** Actions in an order that respects every edge (ties: transition order); cycles are appended last. */
export function topologicalOrder(transition: Transition): Action[] {
  const byId = new Map(transition.actions.map((a) => [a.id, a]));
  const indegree = new Map(transition.actions.map((a) => [a.id, 0]));
  const succ = new Map<string, string[]>();
  for (const e of transition.edges) {
    if (!byId.has(e.before) || !byId.has(e.after)) continue;
    indegree.set(e.after, (indegree.get(e.after) ?? 0) + 1);
    const l = succ.get(e.before) ?? [];
    l.push(e.after);
    succ.set(e.before, l);
  }
  const out: Action[] = [];
  const done = new Set<string>();
  for (let progressed = true; progressed;) {
    progressed = false;
    for (const a of transition.actions) {
      if (done.has(a.id) || (indegree.get(a.id) ?? 0) > 0) continue;
      done.add(a.id);
      out.push(a);
      progressed = true;
      for (const s of succ.get(a.id) ?? []) indegree.set(s, (indegree.get(s) ?? 0) - 1);
    }
  }
  for (const a of transition.actions) if (!done.has(a.id)) out.push(a);
  return out;
}

/** The status after every action of `transition` succeeded at `nowMs`. */
export function applyTransitionSimulated(
  config: ClusterConfig,
  status: ClusterStatus,
  transition: Transition,
  nowMs: number,
  transitionId = 0,
): ClusterStatus {
  let s = status;
  topologicalOrder(transition).forEach((a, i) => {
    if (a.pseudo) return;
    s = recordActionOutcome(
      s,
      a,
      { status: 'done', rc: expectedRc(a) },
      {
        config,
        nowMs,
        transitionId,
        actionNumber: i,
      },
    );
  });
  return s;
}
