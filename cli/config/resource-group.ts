/**
 * Groups: `resource group add G M… [--before|--after X]` (creates G or extends it; a member of
 * another group moves, as in pcs) and `resource group remove|ungroup G [M…]` (takes members out;
 * all of them when none is named). An emptied group is deleted with the constraints naming it.
 */
import type { ClusterConfig, Group, Primitive } from '../../coordinator/cib/index.ts';
import { checkId, flagValue, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { describeId, findResource, removeConstraintsReferencing, unknownResource } from './resource-tree.ts';

export interface GroupPosition {
  before?: string;
  after?: string;
}

/**
 * Moves the named primitives into group `groupId` (in place on a private copy), creating the group
 * at the end of the resources when it does not exist. Returns warnings (emptied groups removed).
 */
export function addToGroup(
  next: ClusterConfig,
  groupId: string,
  memberIds: readonly string[],
  position: GroupPosition,
): CommandResult<string[]> {
  const gid = checkId(groupId, 'group id');
  if (!gid.ok) return gid;
  const groupLoc = findResource(next, groupId);
  if (groupLoc && groupLoc.resource.kind !== 'group') {
    return invalid(`'${groupId}' is a ${groupLoc.resource.kind}, not a group: choose another group id`);
  }
  if (!groupLoc) {
    const taken = describeId(next, groupId);
    if (taken !== undefined)
      return invalid(`cannot create group '${groupId}': ${taken} already uses that id`);
  }
  const existing = groupLoc?.resource.kind === 'group' ? groupLoc.resource : undefined;
  const seen = new Set<string>();
  const members: Primitive[] = [];
  for (const id of memberIds) {
    if (seen.has(id)) return usageError(`'${id}' is named twice: name each member once`);
    seen.add(id);
    if (id === groupId) return invalid(`a group cannot contain itself: '${id}' is the group's id`);
    const loc = findResource(next, id);
    if (!loc) return invalid(unknownResource(id));
    if (loc.resource.kind !== 'primitive') {
      return invalid(`'${id}' is a ${loc.resource.kind}: only primitive resources can be group members`);
    }
    if (loc.clone) {
      return invalid(
        `'${id}' is inside clone '${loc.clone.id}': a cloned resource cannot join a group; ` +
          `\`tandem resource unclone ${loc.clone.id}\` first`,
      );
    }
    if (loc.group?.id === groupId && position.before === undefined && position.after === undefined) {
      return invalid(
        `'${id}' is already in group '${groupId}' (use --before or --after to move it within the group)`,
      );
    }
    members.push(loc.resource);
  }
  const anchor = position.before ?? position.after;
  if (anchor !== undefined) {
    if (!existing?.members.some((m) => m.id === anchor)) {
      return invalid(
        `cannot place members ${position.before ? 'before' : 'after'} '${anchor}': it is not in group '${groupId}'`,
      );
    }
    if (seen.has(anchor))
      return invalid(`'${anchor}' is being moved itself: choose another resource for --before/--after`);
  }

  // Take the members out of where they are now.
  const emptied: Group[] = [];
  next.resources = next.resources.filter((r) => !seen.has(r.id));
  for (const r of next.resources) {
    if (r.kind === 'group' && r !== existing && r.members.some((m) => seen.has(m.id))) {
      r.members = r.members.filter((m) => !seen.has(m.id));
      if (r.members.length === 0) emptied.push(r);
    }
  }
  let group = existing;
  if (!group) {
    group = { kind: 'group', id: groupId, metaAttributes: {}, members: [] };
    next.resources.push(group);
  }
  const kept = group.members.filter((m) => !seen.has(m.id));
  let at = kept.length;
  if (anchor !== undefined) {
    const i = kept.findIndex((m) => m.id === anchor);
    at = position.before !== undefined ? i : i + 1;
  }
  group.members = [...kept.slice(0, at), ...members, ...kept.slice(at)];

  const warnings: string[] = [];
  for (const g of emptied) {
    next.resources = next.resources.filter((r) => r !== g);
    const removed = removeConstraintsReferencing(next, new Set([g.id]));
    warnings.push(`group '${g.id}' is now empty and was removed`);
    for (const c of removed) warnings.push(`removed constraint '${c}' (it named group '${g.id}')`);
  }
  return success(warnings);
}

/** `resource group add G M… [--before X | --after X]`. */
export function groupAddCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'resource group add';
  const split = splitFlags(args, { values: ['--before', '--after'] }, command);
  if (!split.ok) return split;
  const [groupId, ...memberIds] = split.value.words;
  if (groupId === undefined || memberIds.length === 0) {
    return usageError(
      'usage: tandem resource group add GROUP RESOURCE... [--before RESOURCE | --after RESOURCE]',
    );
  }
  const before = flagValue(split.value.flags, '--before');
  const after = flagValue(split.value.flags, '--after');
  if (before !== undefined && after !== undefined)
    return usageError(`\`${command}\`: give --before or --after, not both`);
  const next = structuredClone(config);
  const position: GroupPosition = {};
  if (before !== undefined) position.before = before;
  if (after !== undefined) position.after = after;
  const added = addToGroup(next, groupId, memberIds, position);
  if (!added.ok) return added;
  return success({ config: next, warnings: added.value });
}

/** `resource group remove|delete G [M…]` and `resource ungroup G [M…]`. */
export function groupRemoveCommand(
  config: ClusterConfig,
  args: readonly string[],
): CommandResult<ConfigEdit> {
  const split = splitFlags(args, {}, 'resource group remove');
  if (!split.ok) return split;
  const [groupId, ...memberIds] = split.value.words;
  if (groupId === undefined) return usageError('usage: tandem resource group remove GROUP [RESOURCE...]');
  const next = structuredClone(config);
  const loc = findResource(next, groupId);
  if (!loc) return invalid(`unknown group '${groupId}'`);
  const group = loc.resource;
  if (group.kind !== 'group') return invalid(`'${groupId}' is a ${group.kind}, not a group`);
  const names = memberIds.length === 0 ? group.members.map((m) => m.id) : memberIds;
  for (const id of names) {
    if (!group.members.some((m) => m.id === id))
      return invalid(`'${id}' is not a member of group '${groupId}'`);
  }
  const taking = new Set(names);
  const taken = group.members.filter((m) => taking.has(m.id));
  group.members = group.members.filter((m) => !taking.has(m.id));
  const warnings: string[] = [];
  if (group.members.length === 0) {
    if (loc.clone) {
      return invalid(
        `cannot take every member out of cloned group '${groupId}': \`tandem resource unclone ${loc.clone.id}\` first`,
      );
    }
    next.resources.splice(loc.topIndex, 1, ...taken);
    const removed = removeConstraintsReferencing(next, new Set([groupId]));
    warnings.push(`group '${groupId}' is now empty and was removed`);
    for (const c of removed) warnings.push(`removed constraint '${c}' (it named group '${groupId}')`);
  } else {
    next.resources.splice(loc.topIndex + 1, 0, ...taken);
  }
  return success({ config: next, warnings });
}
