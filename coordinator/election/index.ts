/** DC election (pluggable; embedded = lowest agreed member name) and the DC-epoch fencing token. */
export type { Election, ElectionInput, ElectionState } from './types.ts';
export { EmbeddedElection } from './embedded-election.ts';
export type { EpochAdmission, StaleEpochError } from './epoch-guard.ts';
export { EpochGuard } from './epoch-guard.ts';
