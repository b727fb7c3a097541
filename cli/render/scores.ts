/**
 * Allocation scores as `crm_simulate -s` (2.1.5) prints them, then tandem's own reasons, marked as
 * such because crm_simulate has nothing like them.
 */
import { formatScore, type ClusterConfig } from '../../coordinator/cib/index.ts';
import type { Transition } from '../../coordinator/scheduler/types.ts';

/**
 * `pcmk__primitive_assign: ClusterIP allocation score on rsha1: 0`; group-level scores under
 * `pcmk__group_assign`, clone-level ones (the clone and its `:N` instances before assignment)
 * under `pcmk__clone_allocate`, as 2.1.5 names the functions that log them.
 */
export function renderAllocationScores(config: ClusterConfig, transition: Transition): string[] {
  const groups = new Set<string>();
  const clones = new Set<string>();
  for (const r of config.resources) {
    if (r.kind === 'group') groups.add(r.id);
    if (r.kind === 'clone') {
      clones.add(r.id);
      if (r.child.kind === 'group') groups.add(r.child.id);
    }
  }
  return transition.explanation.scores.map((s) => {
    const fn = groups.has(s.rsc)
      ? 'pcmk__group_assign'
      : clones.has(s.rsc)
        ? 'pcmk__clone_allocate'
        : 'pcmk__primitive_assign';
    return `${fn}: ${s.rsc} allocation score on ${s.node}: ${formatScore(s.score)}`;
  });
}

export function renderReasons(transition: Transition): string[] {
  if (transition.explanation.reasons.length === 0) return ['  * (no reasons recorded)'];
  return transition.explanation.reasons.map(
    (r) => `  * ${r.rsc}${r.node !== undefined ? ` on ${r.node}` : ''}: ${r.reason}`,
  );
}
