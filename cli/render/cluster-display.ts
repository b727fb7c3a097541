/**
 * What crm_mon-style text shows: nodes with their state and each primitive instance with the nodes
 * it is active on. Two are built per simulation: the current state (from the configuration, the
 * recorded status and the scheduler's view of where things run now) and the revised state (the
 * transition's target). Pure functions of their arguments.
 */
import type {
  Attributes,
  ClusterConfig,
  Clone,
  Group,
  Primitive,
  Resource,
} from '../../coordinator/cib/index.ts';
import type { ClusterStatus, NodeState, OpRecord } from '../../coordinator/cib/index.ts';
import type { NodeFlag, ResourceFlag, Transition } from '../../coordinator/scheduler/types.ts';

export interface NodeDisplay {
  name: string;
  online: boolean;
  flags: NodeFlag[];
}

export interface InstanceDisplay {
  /** Primitive id. */
  rsc: string;
  /** `ping:0` for clone instances, else the primitive id. */
  instance: string;
  nodes: string[];
  flags: ResourceFlag[];
}

export interface ClusterDisplay {
  nodes: NodeDisplay[];
  instances: InstanceDisplay[];
}

/** A primitive with the group and clone it sits in (if any) and its top-level resource. */
export interface PrimitivePlace {
  primitive: Primitive;
  group?: Group;
  clone?: Clone;
  top: Resource;
}

/** Every primitive of the configuration in document order. */
export function listPrimitives(config: ClusterConfig): PrimitivePlace[] {
  const out: PrimitivePlace[] = [];
  for (const top of config.resources) {
    switch (top.kind) {
      case 'primitive':
        out.push({ primitive: top, top });
        break;
      case 'group':
        for (const m of top.members) out.push({ primitive: m, group: top, top });
        break;
      case 'clone':
        if (top.child.kind === 'group') {
          for (const m of top.child.members) out.push({ primitive: m, group: top.child, clone: top, top });
        } else {
          out.push({ primitive: top.child, clone: top, top });
        }
        break;
    }
  }
  return out;
}

/** Pacemaker's crm_is_true. */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', 'on', 'yes', 'y', '1'].includes(value.toLowerCase());
}

/** A meta attribute as the primitive sees it: its own, else its group's, else its clone's, else rsc_defaults. */
export function effectiveMeta(
  config: ClusterConfig,
  place: PrimitivePlace,
  name: string,
): string | undefined {
  return (
    place.primitive.metaAttributes[name] ??
    place.group?.metaAttributes[name] ??
    place.clone?.metaAttributes[name] ??
    config.rscDefaults[name]
  );
}

export function isDisabled(meta: string | undefined): boolean {
  return meta !== undefined && meta.toLowerCase() === 'stopped';
}

/** The revised state: where the transition leaves every instance. */
export function revisedDisplay(transition: Transition): ClusterDisplay {
  return {
    nodes: transition.nodes.map((n) => ({ name: n.name, online: n.online, flags: [...n.flags] })),
    instances: transition.resources.map((r) => ({
      rsc: r.rsc,
      instance: r.instance,
      nodes: r.next === null ? [] : [r.next],
      flags: [...r.flags],
    })),
  };
}

/**
 * The current state: nodes from the recorded status, instances where the scheduler found them
 * active (`ResourceView.current`). `failed` is read from the operation history (a failed operation
 * recorded on a node where the instance is still active); `blocked` and `orphaned` persist through a
 * transition and are taken from the transition's flags.
 */
export function currentDisplay(
  config: ClusterConfig,
  status: ClusterStatus,
  transition: Transition,
): ClusterDisplay {
  const states = new Map(status.nodes.map((n) => [n.name, n]));
  const nodes = config.nodes.map((n) => currentNode(n.name, n.attributes, states.get(n.name), config));
  for (const s of status.nodes) {
    if (!config.nodes.some((n) => n.name === s.name)) nodes.push(currentNode(s.name, {}, s, config));
  }
  const unmanaged = new Set<string>();
  for (const place of listPrimitives(config)) {
    const managed = effectiveMeta(config, place, 'is-managed');
    if (managed !== undefined && !isTrue(managed)) unmanaged.add(place.primitive.id);
  }
  const maintenanceMode = isTrue(config.properties['maintenance-mode']);
  const instances = transition.resources.map((r): InstanceDisplay => {
    const flags: ResourceFlag[] = [];
    if (r.current.some((node) => hasFailure(states.get(node), r.rsc))) flags.push('failed');
    for (const f of r.flags) if ((f === 'blocked' || f === 'orphaned') && r.current.length > 0) flags.push(f);
    if (unmanaged.has(r.rsc) || maintenanceMode) flags.push('unmanaged');
    return { rsc: r.rsc, instance: r.instance, nodes: [...r.current], flags };
  });
  return { nodes, instances };
}

function currentNode(
  name: string,
  configured: Attributes,
  state: NodeState | undefined,
  config: ClusterConfig,
): NodeDisplay {
  const attrs: Attributes = { ...configured, ...(state?.transientAttributes ?? {}) };
  const online = state !== undefined && state.inCcm && state.crmd === 'online' && state.join === 'member';
  const flags: NodeFlag[] = [];
  // Pacemaker reads node attributes while unpacking a node_state: a node without one is plain OFFLINE
  // even when configured in standby.
  if (state !== undefined && isTrue(attrs.standby)) flags.push('standby');
  if (state !== undefined && isTrue(attrs.maintenance)) flags.push('maintenance');
  if (state !== undefined && !online && state.expected === 'member') {
    const fencing =
      config.properties['stonith-enabled'] === undefined || isTrue(config.properties['stonith-enabled']);
    if (state.inCcm && state.crmd === 'online') flags.push('pending');
    else if (state.inCcm || fencing) flags.push('unclean');
  }
  const shutdown = attrs.shutdown;
  if (shutdown !== undefined && shutdown !== '0') flags.push('shutdown');
  return { name, online, flags };
}

/** A failure recorded for rsc on this node (the `_last_failure_` copy is ignored: it outlives recovery). */
function hasFailure(state: NodeState | undefined, rsc: string): boolean {
  if (state === undefined) return false;
  const ops = state.history.filter((h) => h.id === rsc || h.id.startsWith(`${rsc}:`)).flatMap((h) => h.ops);
  return ops.some((op) => !op.id.includes('_last_failure_') && isFailedOp(op));
}

function isFailedOp(op: OpRecord): boolean {
  if (op.opStatus !== 0) return op.opStatus !== -1 && op.opStatus !== 1;
  const expected = op.targetRc ?? 0;
  if (op.rc === expected) return false;
  // A probe finding the resource stopped or running is information, not a failure.
  if (op.operation === 'monitor' && op.intervalMs === 0 && (op.rc === 0 || op.rc === 7)) return false;
  return true;
}
