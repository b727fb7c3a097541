/**
 * What a node needs to run one transition action without a configuration lookup: the action, the
 * primitive definition and its effective meta attributes (primitive, then group, then clone, then
 * rsc_defaults, as Pacemaker merges them).
 */
import type { Attributes, ClusterConfig, Primitive } from '../cib/index.ts';
import type { Action } from '../scheduler/types.ts';

export interface ActionRequest {
  action: Action;
  /** Absent for actions without a resource (fence, shutdown) or an unknown (orphaned) resource. */
  primitive?: Primitive;
  meta: Attributes;
  dcEpoch: number;
  transitionId: number;
  dc: string;
}

/**
 * The primitive `id` and its effective meta attributes, or undefined when the configuration has none.
 * A clone's child also gets the clone meta Pacemaker passes to every instance's agent
 * (`CRM_meta_clone_max`, `CRM_meta_clone_node_max`, `CRM_meta_globally_unique`), with their
 * defaults (clone-max = number of nodes): agents tell clone instances apart by them
 * (`ocf_is_clone`), and so does the lease (`leaseGuards`).
 */
export function findPrimitive(
  config: ClusterConfig,
  id: string,
): { primitive: Primitive; meta: Attributes } | undefined {
  for (const top of config.resources) {
    const layers: Attributes[] = [top.metaAttributes];
    let candidates: Primitive[];
    if (top.kind === 'primitive') {
      candidates = [top];
      layers.length = 0;
    } else if (top.kind === 'group') candidates = top.members;
    else if (top.child.kind === 'group') {
      layers.unshift(top.child.metaAttributes);
      candidates = top.child.members;
    } else candidates = [top.child];
    const p = candidates.find((c) => c.id === id);
    if (p === undefined) continue;
    const meta: Attributes = { ...config.rscDefaults };
    if (top.kind === 'clone') {
      meta['clone-max'] = String(config.nodes.length);
      meta['clone-node-max'] = '1';
      meta['globally-unique'] = 'false';
    }
    for (const layer of [...layers].reverse()) Object.assign(meta, layer);
    Object.assign(meta, p.metaAttributes);
    return { primitive: p, meta };
  }
  return undefined;
}

export function buildActionRequest(
  action: Action,
  ctx: { config: ClusterConfig; dcEpoch: number; transitionId: number },
  dc: string,
): ActionRequest {
  const found = action.rsc !== undefined ? findPrimitive(ctx.config, action.rsc) : undefined;
  return {
    action,
    ...(found !== undefined ? { primitive: found.primitive } : {}),
    meta: found?.meta ?? {},
    dcEpoch: ctx.dcEpoch,
    transitionId: ctx.transitionId,
    dc,
  };
}
