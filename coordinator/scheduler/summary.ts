/**
 * `formatSummary(transition)`: the `tandem simulate --summary` text, the same four sections that
 * /work/shared/tools/crm-summary prints for Pacemaker, each sorted by code point.
 *
 * `[order]` is the transitive reduction of "must happen before" through every action (pseudo
 * ones included), restricted to state-changing actions, so graphs of a different shape that order
 * the same things print the same lines.
 */
import type { Action, Transition } from './types.ts';

const ORDER_VERBS = new Set([
  'start',
  'stop',
  'promote',
  'demote',
  'migrate_to',
  'migrate_from',
  'fence',
  'shutdown',
]);

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function actionLine(a: Action): string {
  const rsc = a.rsc ?? '';
  const node = a.node ?? '';
  switch (a.kind) {
    case 'probe':
      return `probe ${rsc} ${node}`;
    case 'monitor':
      return `monitor ${rsc} ${node} ${a.intervalMs ?? 0}`;
    case 'cancel':
      return `cancel ${rsc} ${node} monitor_${a.intervalMs ?? 0}`;
    case 'fence':
      return `fence ${node} ${a.fenceAction ?? 'reboot'}`;
    case 'shutdown':
      return `shutdown ${node}`;
    case 'start':
    case 'stop':
    case 'promote':
    case 'demote':
    case 'clear_failcount':
    case 'delete':
      return `${a.kind} ${rsc} ${node}`;
  }
}

export function formatSummary(t: Transition): string {
  const out: string[] = ['[nodes]'];
  out.push(
    ...t.nodes.map((n) => [n.name, n.online ? 'online' : 'offline', ...n.flags].join(' ')).sort(byCodePoint),
  );
  out.push('[resources]');
  out.push(...t.resources.map((r) => [r.rsc, r.next ?? 'Stopped', ...r.flags].join(' ')).sort(byCodePoint));
  out.push('[actions]');
  out.push(
    ...t.actions
      .filter((a) => !a.pseudo)
      .map(actionLine)
      .sort(byCodePoint),
  );
  out.push('[order]');
  out.push(...orderLines(t));
  return out.join('\n') + '\n';
}

/** Minimal "A -> B" lines between state-changing actions (the reduction of the full relation). */
export function orderLines(t: Transition): string[] {
  const byId = new Map(t.actions.map((a) => [a.id, a]));
  const inputs = new Map<string, string[]>();
  for (const e of t.edges) {
    if (!byId.has(e.before) || !byId.has(e.after)) continue;
    const l = inputs.get(e.after);
    if (l) l.push(e.before);
    else inputs.set(e.after, [e.before]);
  }
  const isKey = (id: string): boolean => {
    const a = byId.get(id);
    return a !== undefined && !a.pseudo && ORDER_VERBS.has(a.kind);
  };
  // Key ancestors of each action (through any action), memoised; cycles are cut.
  const memo = new Map<string, Set<string>>();
  const onStack = new Set<string>();
  const keyAncestors = (id: string): Set<string> => {
    const m = memo.get(id);
    if (m) return m;
    const result = new Set<string>();
    onStack.add(id);
    for (const dep of inputs.get(id) ?? []) {
      if (onStack.has(dep)) continue;
      if (isKey(dep)) result.add(dep);
      for (const x of keyAncestors(dep)) result.add(x);
    }
    onStack.delete(id);
    memo.set(id, result);
    return result;
  };
  const lines = new Set<string>();
  for (const b of t.actions) {
    if (!isKey(b.id)) continue;
    const before = keyAncestors(b.id);
    for (const a of before) {
      let redundant = false;
      for (const c of before) {
        if (c !== a && keyAncestors(c).has(a)) {
          redundant = true;
          break;
        }
      }
      if (redundant) continue;
      const aa = byId.get(a);
      if (aa) lines.add(`${actionLine(aa)} -> ${actionLine(b)}`);
    }
  }
  return [...lines].sort(byCodePoint);
}
