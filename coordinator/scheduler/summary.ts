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

/**
 * Sorts strings by UTF-16 code units, as `a < b` compares them: Array.prototype.sort's default
 * order, which V8 runs without calling back into a comparator (much faster on large transitions).
 */
function sortedByCodePoint(lines: string[]): string[] {
  return lines.sort();
}

/** Appends `items` one by one (a spread of a large array into push() overflows the call stack). */
function append(out: string[], items: readonly string[]): void {
  for (const s of items) out.push(s);
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
  append(
    out,
    sortedByCodePoint(t.nodes.map((n) => [n.name, n.online ? 'online' : 'offline', ...n.flags].join(' '))),
  );
  out.push('[resources]');
  append(out, sortedByCodePoint(t.resources.map((r) => [r.rsc, r.next ?? 'Stopped', ...r.flags].join(' '))));
  out.push('[actions]');
  append(out, sortedByCodePoint(t.actions.filter((a) => !a.pseudo).map(actionLine)));
  out.push('[order]');
  append(out, orderLines(t));
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
  const keys = new Set<string>();
  for (const a of t.actions) if (!a.pseudo && ORDER_VERBS.has(a.kind)) keys.add(a.id);
  const isKey = (id: string): boolean => keys.has(id);
  // Each action's line once (an action is on many order lines).
  const lineOf = new Map<string, string>();
  const lineFor = (a: Action): string => {
    let line = lineOf.get(a.id);
    if (line === undefined) {
      line = actionLine(a);
      lineOf.set(a.id, line);
    }
    return line;
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
      if (aa) lines.add(`${lineFor(aa)} -> ${lineFor(b)}`);
    }
  }
  return sortedByCodePoint([...lines]);
}
