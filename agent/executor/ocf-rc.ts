/** OCF return codes: the type lives in the built-in agent contract; here their meanings. */
import { OcfRc } from '../../resource-agents/agent-api.ts';

export { OcfRc };

const MEANING: Record<number, string> = {
  0: 'ok',
  1: 'error',
  2: 'invalid parameter',
  3: 'unimplemented feature',
  4: 'insufficient privileges',
  5: 'not installed',
  6: 'not configured',
  7: 'not running',
  8: 'promoted',
  9: 'promoted (failed)',
  190: 'degraded',
  191: 'promoted (degraded)',
};

/** crm_mon's text for an rc (`rc=7 (not running)`); unknown codes read "unknown". */
export function describeRc(rc: number): string {
  return MEANING[rc] ?? 'unknown';
}

/** True for the codes OCF 1.1 and Pacemaker define. */
export function isOcfRc(code: number): code is OcfRc {
  return code in MEANING;
}

/**
 * An agent's exit code as an OcfRc: defined codes pass through, anything else is a generic error
 * (the raw code stays available in the result as `exitCode`).
 */
export function ocfRcFromExitCode(code: number): OcfRc {
  return isOcfRc(code) ? code : OcfRc.errGeneric;
}
