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
import type { ClusterConfig, OrderConstraint } from '../../coordinator/cib/index.ts';
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
  const reasons = orderReasons(config, transition);
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
      items.push({
        change: 'Stop',
        instance: v.instance,
        details: c,
        reason: reasons.stop(v) ?? 'node availability',
      });
    } else if (next === c) {
      if (findAction(transition.actions, 'start', v, c) !== undefined) {
        const reason = failed ? undefined : reasons.restart(v);
        items.push({
          change: failed ? 'Recover' : 'Restart',
          instance: v.instance,
          details: c,
          ...(reason !== undefined ? { reason } : {}),
        });
      }
    } else {
      items.push({ change: failed ? 'Recover' : 'Move', instance: v.instance, details: `${c} -> ${next}` });
    }
  }
  return items;
}

/**
 * The "due to …" Pacemaker gives when a mandatory start order is the cause, as its action reasons
 * read: a stop because the first resource will not run (`unrunnable rsc1 start`, or `grp running`
 * for a group or clone), a restart because the first resource starts (`required rsc4 start`).
 * Anything else reads `node availability` for stops and nothing for restarts.
 */
function orderReasons(
  config: ClusterConfig,
  transition: Transition,
): { stop: (v: ResourceView) => string | undefined; restart: (v: ResourceView) => string | undefined } {
  const kind = new Map(config.resources.map((r) => [r.id, r.kind]));
  const topOf = (v: ResourceView): string => v.clone ?? v.group ?? v.rsc;
  const views = new Map<string, ResourceView[]>();
  for (const v of transition.resources) {
    const top = topOf(v);
    views.set(top, [...(views.get(top) ?? []), v]);
  }
  const starting = new Set(
    transition.actions
      .filter((a) => a.kind === 'start' && !a.pseudo && a.rsc !== undefined)
      .map((a) => a.rsc ?? ''),
  );
  // The scheduler's explanation says when no node could take an instance at all.
  const unplaceable = new Set(
    transition.explanation.reasons
      .filter((r) => r.reason.startsWith('cannot run anywhere'))
      .map((r) => r.rsc),
  );
  const previousMember = new Map<string, string>();
  for (const r of config.resources) {
    const group =
      r.kind === 'group' ? r : r.kind === 'clone' && r.child.kind === 'group' ? r.child : undefined;
    group?.members.forEach((m, i) => {
      const prev = group.members[i - 1];
      if (prev !== undefined) previousMember.set(m.id, prev.id);
    });
  }
  const label = (id: string): string => (kind.get(id) === 'primitive' ? `${id} start` : `${id} running`);
  const mandatoryFirsts = (then: string): OrderConstraint[] =>
    config.constraints.order.filter(
      (o) =>
        o.then === then &&
        (o.kind === 'Mandatory' || (o.score !== undefined && o.score > 0)) &&
        o.firstAction === 'start' &&
        o.thenAction === 'start',
    );
  return {
    stop: (v) => {
      // Pacemaker blames the order only when the instance had a node and its start was then made
      // unrunnable; an instance that no node can take stops for "node availability".
      // Clone instances that stop are surplus instances: Pacemaker gives node availability there too.
      if (v.clone !== undefined || unplaceable.has(v.instance) || unplaceable.has(v.rsc)) return undefined;
      const first = mandatoryFirsts(topOf(v)).find((o) =>
        (views.get(o.first) ?? []).every((f) => f.next === null),
      );
      return first !== undefined ? `unrunnable ${label(first.first)}` : undefined;
    },
    restart: (v) => {
      const previous = v.group !== undefined ? previousMember.get(v.rsc) : undefined;
      if (previous !== undefined && starting.has(previous)) return `required ${previous} start`;
      const first = mandatoryFirsts(topOf(v)).find((o) =>
        (views.get(o.first) ?? []).some((f) => starting.has(f.rsc)),
      );
      return first !== undefined ? `required ${label(first.first)}` : undefined;
    },
  };
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
