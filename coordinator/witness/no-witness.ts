import type { Witness, WitnessGrant, WitnessResult } from './types.ts';

const notConfigured = { kind: 'unavailable', message: 'no witness configured (witness: none)' } as const;

/** The embedded default: there is no third vote; every request answers `unavailable`. */
export class NoWitness implements Witness {
  readonly kind = 'none';
  readonly leaseMs = 0;
  acquire(): Promise<WitnessResult<WitnessGrant>> {
    return Promise.resolve({ ok: false, error: notConfigured });
  }
  renew(): Promise<WitnessResult<WitnessGrant>> {
    return Promise.resolve({ ok: false, error: notConfigured });
  }
  release(): Promise<WitnessResult<void>> {
    return Promise.resolve({ ok: false, error: notConfigured });
  }
  holder(): Promise<WitnessResult<string>> {
    return Promise.resolve({ ok: true, value: '' });
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
