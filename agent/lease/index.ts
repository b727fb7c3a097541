/** Lease-based self-demotion: stop local resources before the lease (quorum) can have run out. */
export type { DemoteReason, LeaseKeeperOptions } from './lease-keeper.ts';
export { DEFAULT_LEASE_MARGIN_MS, DEFAULT_MAX_CLOCK_DRIFT_MS, LeaseKeeper } from './lease-keeper.ts';
export { takeoverAllowedAt } from './takeover.ts';
export type { IsolationInput, IsolationVerdict } from './isolation.ts';
export { isolationVerdict } from './isolation.ts';
export { leaseGuards } from './guarded.ts';
