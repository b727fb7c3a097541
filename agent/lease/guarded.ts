import type { Attributes } from '../../coordinator/cib/model.ts';

/**
 * Whether the quorum lease guards a resource on this node: whether it must stop when the lease
 * runs out and may start only while the node holds it. Decided from the effective meta attributes
 * the DC sends with each action (`findPrimitive`):
 *
 * - anonymous clone instances (`clone-max` set, `globally-unique` not true: the ping clone) are
 *   meant to run on every node at once, so running "twice" is their purpose: not guarded. A node
 *   keeps measuring its gateway while it cannot run the group, which the isolation rule needs;
 * - `requires=nothing` (Pacemaker: may run without quorum or fencing): not guarded;
 * - everything else, including globally-unique clone instances, primitives and group members:
 *   guarded (never on two nodes at once).
 *
 * See docs/safety.md §4 ("What the lease guards").
 */
export function leaseGuards(meta: Attributes): boolean {
  if ((meta['requires'] ?? '').trim().toLowerCase() === 'nothing') return false;
  const cloneMax = Number(meta['clone-max'] ?? '0');
  const globallyUnique = /^(true|on|yes|y|1)$/i.test((meta['globally-unique'] ?? 'false').trim());
  if (Number.isFinite(cloneMax) && cloneMax > 0 && !globallyUnique) return false;
  return true;
}
