/**
 * crm_mon / crm_simulate-style text rendering of cluster state and transitions, shared by
 * `tandem simulate` and `tandem status`. Pure functions: data in, lines out.
 */
export {
  currentDisplay,
  revisedDisplay,
  listPrimitives,
  effectiveMeta,
  isTrue,
  type ClusterDisplay,
  type InstanceDisplay,
  type NodeDisplay,
  type PrimitivePlace,
} from './cluster-display.ts';
export {
  renderClusterStatus,
  renderNodeList,
  renderResourceList,
  renderInstanceCounts,
  primitiveLine,
} from './crm-mon-text.ts';
export { summarizeChanges, formatSummaryItems, type SummaryItem } from './transition-summary.ts';
export { executionOrder, executionLine, renderExecution } from './execution.ts';
export { renderAllocationScores, renderReasons } from './scores.ts';
export { compareNodeNames, sortNodeNames } from './node-order.ts';
