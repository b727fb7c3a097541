/**
 * LSB exit codes to OCF, as Pacemaker's services__lsb2ocf maps them: `status` (and `monitor`,
 * which runs `status`) has its own table; other actions pass 0–7 through and anything else is a
 * generic error.
 */
import { OcfRc } from './ocf-rc.ts';

/** LSB status codes tandem (like Pacemaker) gives meaning to beyond the LSB table. */
export const LsbStatus = {
  ok: 0,
  deadPidFile: 1,
  deadLockFile: 2,
  notRunning: 3,
  unknown: 4,
  notInstalled: 150,
  insufficientPriv: 151,
} as const;

export function isLsbStatusAction(action: string): boolean {
  return action === 'status' || action === 'monitor';
}

export function lsbToOcf(action: string, exitCode: number): OcfRc {
  if (isLsbStatusAction(action)) {
    switch (exitCode) {
      case 0:
        return OcfRc.ok;
      case 1:
      case 2:
      case 3:
        return OcfRc.notRunning;
      case 150:
        return OcfRc.errInstalled;
      case 151:
        return OcfRc.errPerm;
      default:
        return OcfRc.errGeneric;
    }
  }
  switch (exitCode) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
      return exitCode;
    default:
      return OcfRc.errGeneric;
  }
}
