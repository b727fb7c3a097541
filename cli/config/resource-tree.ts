/**
 * Finding things in a configuration: resources at any depth (top level, group member, clone
 * child, member of a cloned group), every id in use, and the constraints that name a resource.
 * Callers edit a private copy of the configuration, so the locations returned point into it.
 */
import type {
  ClusterConfig,
  Clone,
  Group,
  Primitive,
  Resource,
  Rule,
  AttributeExpression,
} from '../../coordinator/cib/index.ts';

export interface ResourceLocation {
  resource: Resource;
  /** The group that holds it (group members only). */
  group?: Group;
  /** The clone that holds it or its group. */
  clone?: Clone;
  /** Index in `config.resources` of its top-level ancestor (itself when top level). */
  topIndex: number;
}

export function findResource(config: ClusterConfig, id: string): ResourceLocation | undefined {
  for (const [topIndex, top] of config.resources.entries()) {
    if (top.id === id) return { resource: top, topIndex };
    if (top.kind === 'group') {
      const member = top.members.find((m) => m.id === id);
      if (member) return { resource: member, group: top, topIndex };
    } else if (top.kind === 'clone') {
      const child = top.child;
      if (child.id === id) return { resource: child, clone: top, topIndex };
      if (child.kind === 'group') {
        const member = child.members.find((m) => m.id === id);
        if (member) return { resource: member, group: child, clone: top, topIndex };
      }
    }
  }
  return undefined;
}

/** Every resource, parents before children, in document order. */
export function allResources(config: ClusterConfig): Resource[] {
  const out: Resource[] = [];
  const visit = (r: Resource): void => {
    out.push(r);
    if (r.kind === 'group') r.members.forEach(visit);
    else if (r.kind === 'clone') visit(r.child);
  };
  config.resources.forEach(visit);
  return out;
}

export function allPrimitives(config: ClusterConfig): Primitive[] {
  return allResources(config).filter((r): r is Primitive => r.kind === 'primitive');
}

/** The ids of a resource and everything inside it. */
export function resourceIdsWithin(r: Resource): string[] {
  if (r.kind === 'group') return [r.id, ...r.members.map((m) => m.id)];
  if (r.kind === 'clone') return [r.id, ...resourceIdsWithin(r.child)];
  return [r.id];
}

function ruleIds(rule: Rule | AttributeExpression, out: Set<string>): void {
  if (rule.id !== undefined) out.add(rule.id);
  if (rule.kind === 'rule') rule.expressions.forEach((e) => ruleIds(e, out));
}

/** Every XML id the configuration uses (resources, operations, constraints, rules). */
export function usedIds(config: ClusterConfig): Set<string> {
  const ids = new Set<string>();
  for (const r of allResources(config)) {
    ids.add(r.id);
    if (r.kind === 'primitive') {
      for (const op of r.operations) if (op.id !== undefined) ids.add(op.id);
    }
  }
  const { location, colocation, order } = config.constraints;
  for (const c of location) {
    ids.add(c.id);
    for (const rule of c.rules ?? []) ruleIds(rule, ids);
  }
  for (const c of colocation) ids.add(c.id);
  for (const c of order) ids.add(c.id);
  return ids;
}

/** A short description of what kind of thing uses `id`, for "already in use" messages. */
export function describeId(config: ClusterConfig, id: string): string | undefined {
  const loc = findResource(config, id);
  if (loc) return `${loc.resource.kind} '${id}'`;
  const { location, colocation, order } = config.constraints;
  if (location.some((c) => c.id === id)) return `location constraint '${id}'`;
  if (colocation.some((c) => c.id === id)) return `colocation constraint '${id}'`;
  if (order.some((c) => c.id === id)) return `order constraint '${id}'`;
  return usedIds(config).has(id) ? `the id '${id}' (an operation or rule)` : undefined;
}

/** Ids of the constraints that name any of `ids`. */
export function constraintsReferencing(config: ClusterConfig, ids: ReadonlySet<string>): string[] {
  const { location, colocation, order } = config.constraints;
  return [
    ...location.filter((c) => ids.has(c.rsc)).map((c) => c.id),
    ...colocation.filter((c) => ids.has(c.rsc) || ids.has(c.withRsc)).map((c) => c.id),
    ...order.filter((c) => ids.has(c.first) || ids.has(c.then)).map((c) => c.id),
  ];
}

/** Removes (in place) the constraints that name any of `ids`; returns the removed constraint ids. */
export function removeConstraintsReferencing(config: ClusterConfig, ids: ReadonlySet<string>): string[] {
  const removed = constraintsReferencing(config, ids);
  const gone = new Set(removed);
  const c = config.constraints;
  c.location = c.location.filter((x) => !gone.has(x.id));
  c.colocation = c.colocation.filter((x) => !gone.has(x.id));
  c.order = c.order.filter((x) => !gone.has(x.id));
  return removed;
}

/** A user-facing hint for an unknown resource id. */
export function unknownResource(id: string): string {
  return `unknown resource '${id}': create it first with \`tandem resource create ${id} …\``;
}
