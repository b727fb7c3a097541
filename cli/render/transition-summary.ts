/**
 * crm_simulate's "Transition Summary": one line per primitive instance that changes, as Pacemaker
 * 2.1.5's `rsc-action-item` prints it (`pcmk_output.c`):
 *
 *   `%-8s   %-*s   ( %*s )` with the change (Start, Stop, Move, Recover, Restart), the instance
 *   and the details (`node`, `from -> to`).
 *
 * The two widths are static in Pacemaker and grow over the lines (rsc: starts at 5, becomes len + 2
 * when a name is longer; details: starts at 5, becomes len), and every line is printed with the
 * final widths, so they are computed over all lines first, in the same order.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import type { Action, ResourceView, Transition } from '../../coordinator/scheduler/types.ts';
import type { ClusterDisplay } from './cluster-display.ts';
import { listPrimitives } from './cluster-display.ts';

export interface SummaryItem {
  change: 'Start' | 'Stop' | 'Move' | 'Recover' | 'Restart';
  instance: string;
  details: string;
  reason?: string;
}

/** The changes in display order (configuration order, instances in the transition's order). */
export function summarizeChanges(
  config: ClusterConfig,
  transition: Transition,
  current: ClusterDisplay,
): SummaryItem[] {
  const order = new Map(listPrimitives(config).map((p, i) => [p.primitive.id, i]));
  const views = transition.resources
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (order.get(a.v.rsc) ?? Infinity) - (order.get(b.v.rsc) ?? Infinity) || a.i - b.i)
    .map((x) => x.v);
  const failedNow = new Set(
    current.instances.filter((i) => i.flags.includes('failed')).map((i) => `${i.rsc}|${i.instance}`),
  );
  const items: SummaryItem[] = [];
  for (const v of views) {
    if (v.flags.includes('unmanaged') || v.flags.includes('blocked')) continue;
    const failed = failedNow.has(`${v.rsc}|${v.instance}`);
    const next = v.next;
    const cur = v.current;
    if (cur.length === 0) {
      if (next !== null) items.push({ change: 'Start', instance: v.instance, details: next });
      continue;
    }
    if (cur.length > 1) {
      for (const c of cur) {
        if (c !== next) items.push({ change: 'Stop', instance: v.instance, details: c });
      }
      continue;
    }
    const c = cur[0] ?? '';
    if (next === null) {
      items.push({ change: 'Stop', instance: v.instance, details: c, reason: 'node availability' });
    } else if (next === c) {
      if (findAction(transition.actions, 'start', v, c) !== undefined) {
        items.push({ change: failed ? 'Recover' : 'Restart', instance: v.instance, details: c });
      }
    } else {
      items.push({ change: failed ? 'Recover' : 'Move', instance: v.instance, details: `${c} -> ${next}` });
    }
  }
  return items;
}

function findAction(
  actions: Action[],
  kind: Action['kind'],
  v: ResourceView,
  node: string,
): Action | undefined {
  return actions.find(
    (a) =>
      a.kind === kind &&
      !a.pseudo &&
      a.rsc === v.rsc &&
      a.node === node &&
      (a.instance === undefined || a.instance === v.instance || a.instance === v.rsc),
  );
}

/** The `Transition Summary:` lines (without the heading), widths as Pacemaker computes them. */
export function formatSummaryItems(items: SummaryItem[]): string[] {
  let rscWidth = 5;
  let detailWidth = 5;
  for (const it of items) {
    if (it.instance.length > rscWidth) rscWidth = it.instance.length + 2;
    if (it.details.length > detailWidth) detailWidth = it.details.length;
  }
  return items.map(
    (it) =>
      `  * ${it.change.padEnd(8)}   ${it.instance.padEnd(rscWidth)}   ( ${it.details.padStart(detailWidth)} )` +
      (it.reason !== undefined ? `  due to ${it.reason}` : ''),
  );
}
