/**
 * Configuration versions as Pacemaker orders them: admin_epoch, then epoch, then num_updates.
 * `versionNumber` folds a version into one number for the membership heartbeat (which announces
 * a single number): order-preserving while epoch and num_updates stay below 10^6 (each edit
 * bumps epoch by one and resets num_updates; a million edits between admin_epoch bumps is the
 * limit, documented in the store README).
 */
import type { ConfigVersion } from '../cib/index.ts';

export function compareVersions(a: ConfigVersion, b: ConfigVersion): number {
  return a.adminEpoch - b.adminEpoch || a.epoch - b.epoch || a.numUpdates - b.numUpdates;
}

const SCALE = 1_000_000;

export function versionNumber(v: ConfigVersion): number {
  return (
    v.adminEpoch * SCALE * SCALE + Math.min(v.epoch, SCALE - 1) * SCALE + Math.min(v.numUpdates, SCALE - 1)
  );
}

export function formatVersion(v: ConfigVersion): string {
  return `${v.adminEpoch}.${v.epoch}.${v.numUpdates}`;
}
