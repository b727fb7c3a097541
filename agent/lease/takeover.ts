import { DEFAULT_MAX_CLOCK_DRIFT_MS } from './lease-keeper.ts';

/**
 * When a peer may start what a lost node ran, on the survivor's monotonic clock.
 *
 * The lost node's votes from this survivor were timed from the SEND time of heartbeats the survivor
 * echoed, so they ran out no later than the survivor's `lostAtMono` (its last receipt +
 * peerTimeout) in real time, give or take the drift between the two monotonic clocks over that
 * interval: `maxClockDriftMs` bounds it. A witness vote is separately guaranteed over by the
 * witness server (the survivor holds the lease now). So: lostAt + maxClockDrift.
 */
export function takeoverAllowedAt(
  lostAtMono: number,
  maxClockDriftMs: number = DEFAULT_MAX_CLOCK_DRIFT_MS,
): number {
  return lostAtMono + maxClockDriftMs;
}
