/**
 * The text `tandem simulate` prints, laid out as `crm_simulate -S` (Pacemaker 2.1.5) prints it:
 *
 *   [Setting effective cluster time: NOW]   when --now was given (crm_simulate --set-datetime)
 *   [N of M resource instances DISABLED and K BLOCKED from further action due to failure]
 *   Current cluster status:          crm_mon-style nodes and full resource list, before
 *   [Allocation scores:]             --show-scores: crm_simulate -s lines, then tandem's reasons
 *   Transition Summary:              Start / Stop / Move / Recover / Restart per instance
 *   Executing Cluster Transition:    every action, in an order that respects the edges
 *   Revised Cluster Status:          nodes and resources after the transition
 *
 * `--summary` prints the scheduler's formatSummary instead, unchanged.
 */
import type { ScheduleInput, Transition } from '../../coordinator/scheduler/index.ts';
import {
  currentDisplay,
  formatSummaryItems,
  renderAllocationScores,
  renderClusterStatus,
  renderExecution,
  renderInstanceCounts,
  renderReasons,
  revisedDisplay,
  summarizeChanges,
} from '../render/index.ts';

export type SimulateView = 'full' | 'scores';

export interface RenderOptions {
  /** The `--now` text as the user gave it; crm_simulate echoes its `--set-datetime`. */
  nowText?: string;
}

export function renderSimulation(
  input: ScheduleInput,
  transition: Transition,
  view: SimulateView,
  options: RenderOptions = {},
): string {
  const current = currentDisplay(input.config, input.status, transition);
  const revised = revisedDisplay(transition);
  const lines: string[] = [];
  if (options.nowText !== undefined) lines.push(`Setting effective cluster time: ${options.nowText}`);
  lines.push(...renderInstanceCounts(input.config, current));
  lines.push('Current cluster status:', ...renderClusterStatus(input.config, current, 1), '');
  if (view === 'scores') {
    lines.push('Allocation scores:', ...renderAllocationScores(input.config, transition), '');
    lines.push("tandem's explanation (not part of crm_simulate's output):", ...renderReasons(transition), '');
  }
  lines.push(
    'Transition Summary:',
    ...formatSummaryItems(summarizeChanges(input.config, transition, current)),
    '',
  );
  lines.push('Executing Cluster Transition:', ...renderExecution(transition), '');
  lines.push('Revised Cluster Status:', ...renderClusterStatus(input.config, revised, 1));
  return lines.join('\n') + '\n';
}
