/**
 * crm_simulate's "Executing Cluster Transition": every action of the transition in an order that
 * respects its "must happen before" edges (Kahn's algorithm; among ready actions, the transition's
 * own order), printed as pcmk_simulate.c prints injected actions.
 */
import type { Action, Transition } from '../../coordinator/scheduler/types.ts';

/** Actions sorted so that every edge's `before` comes first; actions on a cycle keep their order at the end. */
export function executionOrder(transition: Transition): Action[] {
  const index = new Map(transition.actions.map((a, i) => [a.id, i]));
  const indegree = transition.actions.map(() => 0);
  const successors = transition.actions.map((): number[] => []);
  for (const e of transition.edges) {
    const b = index.get(e.before);
    const a = index.get(e.after);
    if (b === undefined || a === undefined || a === b) continue;
    successors[b]?.push(a);
    indegree[a] = (indegree[a] ?? 0) + 1;
  }
  const ready: number[] = [];
  indegree.forEach((d, i) => {
    if (d === 0) ready.push(i);
  });
  const out: Action[] = [];
  const done = new Set<number>();
  while (ready.length > 0) {
    ready.sort((x, y) => x - y);
    const i = ready.shift();
    if (i === undefined) break;
    const action = transition.actions[i];
    if (action === undefined) continue;
    done.add(i);
    out.push(action);
    for (const s of successors[i] ?? []) {
      indegree[s] = (indegree[s] ?? 0) - 1;
      if (indegree[s] === 0) ready.push(s);
    }
  }
  transition.actions.forEach((a, i) => {
    if (!done.has(i)) out.push(a);
  });
  return out;
}

/** One `Executing Cluster Transition` line (without the `  * ` prefix). */
export function executionLine(a: Action): string {
  const node = a.node ?? '';
  const label = (a.instance ?? a.rsc ?? '').padEnd(15);
  if (a.pseudo) {
    // Collective markers are named like Pacemaker's (grp_start_0, grp_running_0, …): the task is the
    // first word of the action id (`running grp`), falling back to the action kind.
    const task = /^[a-z_]+(?= )/.exec(a.id)?.[0] ?? a.kind;
    return `Pseudo action:   ${a.rsc !== undefined ? `${a.rsc}_${task}_0` : a.id}`;
  }
  switch (a.kind) {
    case 'fence':
      return `Fencing ${node} (${a.fenceAction ?? 'reboot'})`;
    case 'shutdown':
      return `Cluster action:  do_shutdown on ${node}`;
    case 'clear_failcount':
      return `Cluster action:  clear_failcount for ${a.rsc ?? ''} on ${node}`;
    case 'probe':
      return `Resource action: ${label} monitor on ${node}`;
    case 'monitor':
      return `Resource action: ${label} monitor=${a.intervalMs ?? 0} on ${node}`;
    case 'cancel':
      return `Resource action: ${label} cancel=${a.intervalMs ?? 0} on ${node}`;
    case 'start':
    case 'stop':
    case 'promote':
    case 'demote':
    case 'delete':
      return `Resource action: ${label} ${a.kind} on ${node}`;
  }
}

export function renderExecution(transition: Transition): string[] {
  return executionOrder(transition).map((a) => `  * ${executionLine(a)}`);
}
