/** The witness (third vote): a lease at most one node holds. Embedded default: none. */
export type { Witness, WitnessError, WitnessGrant, WitnessResult } from './types.ts';
export { NoWitness } from './no-witness.ts';
export type { MemoryWitnessOptions } from './memory-witness.ts';
export { MemoryWitness, MemoryWitnessServer } from './memory-witness.ts';
export type { RedisWitnessOptions } from './redis-witness.ts';
export { DEFAULT_WITNESS_LEASE_MS, RedisWitness, witnessKeys } from './redis-witness.ts';
export type { WitnessKeeperOptions } from './witness-keeper.ts';
export { WitnessKeeper, wantsWitness } from './witness-keeper.ts';
