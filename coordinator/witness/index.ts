/** The witness (third vote): a lease at most one node holds. Embedded default: none. */
export type { Witness, WitnessError, WitnessGrant, WitnessResult } from './types.ts';
export { NoWitness } from './no-witness.ts';
