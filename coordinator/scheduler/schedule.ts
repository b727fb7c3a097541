/**
 * `schedule({ config, status, now }) → Transition`: Pacemaker 2.1.5's decisions as a pure function.
 *
 * unpack → assign → actions/orderings → views. Each stage returns a new value; nothing here reads
 * a clock, does I/O or mutates its input. See README.md for the pipeline and known differences.
 */
import type { NodeFlag, NodeView, ResourceFlag, ResourceView, ScheduleInput, Transition } from './types.ts';
import { unpack } from './unpack.ts';
import { assign } from './assign.ts';
import { buildActions } from './actions.ts';
import { parseIsoTimeMs } from '../cib/iso-time.ts';

export function schedule(scheduleInput: ScheduleInput): Transition {
  const { input, nextExpiry } = withoutExpiredConstraints(scheduleInput);
  const view = unpack(input.config, input.status, input.now);
  const assignment = assign(view, input.config);
  const graph = buildActions(view, input.config, assignment.next);

  const nodes: NodeView[] = view.nodes.map((n) => {
    const flags: NodeFlag[] = [];
    if (n.standby) flags.push('standby');
    if (n.standbyOnFail) flags.push('standby_onfail');
    if (n.maintenance) flags.push('maintenance');
    if (n.pending) flags.push('pending');
    if (n.unclean && !n.fence) flags.push('unclean');
    if (n.shutdown) flags.push('shutdown');
    return { name: n.name, online: n.online && !n.fence, flags };
  });

  const resources: ResourceView[] = view.instances.map((inst) => {
    const next = graph.final.get(inst.label) ?? null;
    const onMaintenanceNode = inst.active.some((n) => view.nodeByName.get(n)?.maintenance === true);
    const unmanaged = !inst.managed || inst.blocked || onMaintenanceNode;
    const flags: ResourceFlag[] = [];
    const stillFailed =
      inst.failed.size > 0 && !graph.recovered.has(inst.label) && (unmanaged || inst.blocked);
    if (stillFailed) flags.push('failed');
    if (inst.blocked) flags.push('blocked');
    if (unmanaged) flags.push('unmanaged');
    if (inst.orphan) flags.push('orphaned');
    if (inst.failureIgnored) flags.push('failure-ignored');
    const agent = `${inst.prim.agent.standard}${inst.prim.agent.provider ? ':' + inst.prim.agent.provider : ''}:${inst.prim.agent.type}`;
    const rv: ResourceView = {
      rsc: inst.prim.id,
      instance: inst.label,
      current: [...inst.active],
      next,
      flags,
      agent,
    };
    if (inst.group) rv.group = inst.group.id;
    if (inst.clone) rv.clone = inst.clone.id;
    return rv;
  });

  const t: Transition = {
    nodes,
    resources,
    actions: graph.actions,
    edges: graph.edges,
    explanation: assignment.explanation,
  };
  if (view.recheckAt !== undefined) t.recheckAt = view.recheckAt;
  if (nextExpiry !== undefined) t.recheckAt = Math.min(t.recheckAt ?? nextExpiry, nextExpiry);
  return t;
}

/**
 * Location constraints with an `expires` time at or before `now` (moves and bans with a lifetime)
 * do not apply; the earliest later expiry becomes a recheck time. An unparsable `expires` never
 * expires (the validator reports it).
 */
function withoutExpiredConstraints(input: ScheduleInput): { input: ScheduleInput; nextExpiry?: number } {
  const location = input.config.constraints.location;
  if (!location.some((l) => l.expires !== undefined)) return { input };
  let nextExpiry: number | undefined;
  const kept = location.filter((l) => {
    if (l.expires === undefined) return true;
    const at = parseIsoTimeMs(l.expires);
    if (at === undefined) return true;
    if (at <= input.now) return false;
    nextExpiry = nextExpiry === undefined ? at : Math.min(nextExpiry, at);
    return true;
  });
  const config = { ...input.config, constraints: { ...input.config.constraints, location: kept } };
  return nextExpiry === undefined
    ? { input: { ...input, config } }
    : { input: { ...input, config }, nextExpiry };
}
