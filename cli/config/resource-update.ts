/**
 * Changing existing resources: `resource update`, `resource meta`, `resource enable|disable`
 * (target-role) and `resource delete|remove` (with the constraints that name what is deleted).
 */
import type { ClusterConfig, Resource } from '../../coordinator/cib/index.ts';
import { applyAttributes, parseNameValues, splitFlags, splitResourceSections } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { buildOperation, groupOperationWords } from './operations.ts';
import {
  findResource,
  removeConstraintsReferencing,
  resourceIdsWithin,
  unknownResource,
  usedIds,
} from './resource-tree.ts';

/**
 * `resource update ID [name=value…] [op ACTION name=value…] [meta name=value…]`. For a primitive
 * the pairs are agent parameters; an `op ACTION` replaces the first operation with that action (or
 * adds one), as pcs does. For a clone, the pairs are clone meta attributes (pcs: clone options).
 */
export function updateCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'resource update';
  const split = splitFlags(args, { booleans: ['--force', '--agent-validation'] }, command);
  if (!split.ok) return split;
  const [id, ...rest] = split.value.words;
  if (id === undefined) {
    return usageError(
      'usage: tandem resource update ID [name=value...] [op ACTION name=value...] [meta name=value...]',
    );
  }
  const next = structuredClone(config);
  const loc = findResource(next, id);
  if (!loc) return invalid(unknownResource(id));
  const rsc = loc.resource;
  const sections = splitResourceSections(rest);
  if (sections.clone !== undefined || sections.unsupported !== undefined) {
    return usageError(`\`${command}\`: to clone '${id}' use \`tandem resource clone ${id}\``);
  }
  const instance = parseNameValues(sections.instance, 'resource options', command);
  if (!instance.ok) return instance;
  const meta = parseNameValues(sections.meta, 'meta options', command);
  if (!meta.ok) return meta;
  applyAttributes(rsc.metaAttributes, meta.value);

  if (rsc.kind === 'primitive') {
    applyAttributes(rsc.instanceAttributes, instance.value);
    const specs = groupOperationWords(sections.op, command);
    if (!specs.ok) return specs;
    for (const spec of specs.value) {
      const index = rsc.operations.findIndex((o) => o.name === spec.action);
      const used = usedIds(next);
      const old = rsc.operations[index];
      if (old?.id !== undefined) used.delete(old.id);
      const op = buildOperation(rsc.id, spec, used, command);
      if (!op.ok) return op;
      if (index === -1) rsc.operations.push(op.value);
      else rsc.operations[index] = op.value;
    }
    return success({ config: next, warnings: [] });
  }
  if (sections.op.length > 0) {
    return invalid(`'${id}' is a ${rsc.kind}: operations belong to its primitives; update those instead`);
  }
  if (rsc.kind === 'group') {
    if (instance.value.length > 0) {
      return invalid(
        `'${id}' is a group and has no parameters: set meta attributes with \`tandem resource meta ${id} name=value\``,
      );
    }
  } else {
    applyAttributes(rsc.metaAttributes, instance.value);
  }
  return success({ config: next, warnings: [] });
}

/** `resource meta ID name=value…` (an empty value removes the attribute). */
export function metaCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'resource meta';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const [id, ...rest] = split.value.words;
  if (id === undefined || rest.length === 0)
    return usageError('usage: tandem resource meta ID name=value...');
  const pairs = parseNameValues(rest, 'meta options', command);
  if (!pairs.ok) return pairs;
  const next = structuredClone(config);
  const loc = findResource(next, id);
  if (!loc) return invalid(unknownResource(id));
  applyAttributes(loc.resource.metaAttributes, pairs.value);
  return success({ config: next, warnings: [] });
}

function clearTargetRole(r: Resource): void {
  delete r.metaAttributes['target-role'];
}

/**
 * `resource enable ID…` removes target-role from the resource, the clone or group around it and,
 * for a clone, its child (as pcs does, so nothing above or below keeps it stopped);
 * `resource disable ID…` sets target-role=Stopped on the named resource.
 */
export function enableDisableCommand(
  config: ClusterConfig,
  args: readonly string[],
  enable: boolean,
): CommandResult<ConfigEdit> {
  const command = enable ? 'resource enable' : 'resource disable';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const ids = split.value.words;
  if (ids.length === 0) return usageError(`usage: tandem ${command} ID...`);
  const next = structuredClone(config);
  for (const id of ids) {
    const loc = findResource(next, id);
    if (!loc) return invalid(unknownResource(id));
    const rsc = loc.resource;
    if (!enable) {
      rsc.metaAttributes['target-role'] = 'Stopped';
      continue;
    }
    clearTargetRole(rsc);
    if (loc.clone) clearTargetRole(loc.clone);
    if (loc.group) clearTargetRole(loc.group);
    if (rsc.kind === 'clone') clearTargetRole(rsc.child);
  }
  return success({ config: next, warnings: [] });
}

/**
 * `resource unmanage ID…` sets is-managed=false (the cluster stops starting, stopping and
 * recovering it); `resource manage ID…` removes is-managed from the resource and the group or
 * clone around it, so nothing keeps it unmanaged.
 */
export function manageCommand(
  config: ClusterConfig,
  args: readonly string[],
  manage: boolean,
): CommandResult<ConfigEdit> {
  const command = manage ? 'resource manage' : 'resource unmanage';
  const split = splitFlags(args, { booleans: ['--monitor'] }, command);
  if (!split.ok) return split;
  const ids = split.value.words;
  if (ids.length === 0) return usageError(`usage: tandem ${command} ID...`);
  const next = structuredClone(config);
  for (const id of ids) {
    const loc = findResource(next, id);
    if (!loc) return invalid(unknownResource(id));
    if (!manage) {
      loc.resource.metaAttributes['is-managed'] = 'false';
      continue;
    }
    for (const r of [loc.resource, loc.group, loc.clone]) if (r) delete r.metaAttributes['is-managed'];
    if (loc.resource.kind === 'clone') delete loc.resource.child.metaAttributes['is-managed'];
  }
  return success({ config: next, warnings: [] });
}

/**
 * `resource delete|remove ID`: removes a primitive, group (with its members) or clone (with its
 * child), and the constraints that name anything removed. A group or clone left empty goes too.
 */
export function deleteCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--force'] }, 'resource delete');
  if (!split.ok) return split;
  const [id, extra] = split.value.words;
  if (id === undefined || extra !== undefined) return usageError('usage: tandem resource delete ID');
  const next = structuredClone(config);
  const loc = findResource(next, id);
  if (!loc) return invalid(`unknown resource '${id}': nothing to delete`);
  const removedIds = new Set(resourceIdsWithin(loc.resource));
  const top = next.resources[loc.topIndex];
  const warnings: string[] = [];
  if (loc.group && loc.group.members.length > 1) {
    loc.group.members = loc.group.members.filter((m) => m.id !== id);
  } else {
    // The resource is top level, or the last member of a group, or the child of a clone: the
    // top-level entry goes (a group without members and a clone without child cannot exist).
    if (top && top.id !== id) {
      for (const extraId of resourceIdsWithin(top)) removedIds.add(extraId);
      warnings.push(`removed ${top.kind} '${top.id}' too: it would be empty`);
    }
    next.resources.splice(loc.topIndex, 1);
  }
  for (const c of removeConstraintsReferencing(next, removedIds)) warnings.push(`removed constraint '${c}'`);
  return success({ config: next, warnings });
}
