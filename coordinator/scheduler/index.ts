/** The scheduler: a pure function from configuration + cluster state + time to a transition. */
export { schedule } from './schedule.ts';
export { formatSummary, orderLines, actionLine } from './summary.ts';
export { ruleMatches, expressionMatches, type AttributeLookup } from './rules.ts';
export type * from './types.ts';
