/**
 * Whether an action ran, apart from what the agent reported (STYLE.md "Errors"): Pacemaker's
 * PCMK_EXEC_* as names. A monitor that timed out is `{ status: 'timeout' }` with no rc.
 */
import { OpStatus } from '../../coordinator/cib/status.ts';

export const ExecStatus = {
  done: 'done',
  pending: 'pending',
  cancelled: 'cancelled',
  timeout: 'timeout',
  notSupported: 'not-supported',
  error: 'error',
  errorHard: 'error-hard',
  errorFatal: 'error-fatal',
  notInstalled: 'not-installed',
  invalid: 'invalid',
} as const;
export type ExecStatus = (typeof ExecStatus)[keyof typeof ExecStatus];

const TO_OP_STATUS: Record<ExecStatus, OpStatus> = {
  done: OpStatus.done,
  pending: OpStatus.pending,
  cancelled: OpStatus.cancelled,
  timeout: OpStatus.timeout,
  'not-supported': OpStatus.notSupported,
  error: OpStatus.error,
  'error-hard': OpStatus.errorHard,
  'error-fatal': OpStatus.errorFatal,
  'not-installed': OpStatus.notInstalled,
  invalid: OpStatus.invalid,
};

/** The CIB's numeric `op-status` for an execution status. */
export function toOpStatus(status: ExecStatus): OpStatus {
  return TO_OP_STATUS[status];
}

/** Text as crm_mon shows execution statuses. */
export function describeExecStatus(status: ExecStatus): string {
  switch (status) {
    case 'done':
      return 'complete';
    case 'pending':
      return 'pending';
    case 'cancelled':
      return 'Cancelled';
    case 'timeout':
      return 'Timed Out';
    case 'not-supported':
      return 'NOT SUPPORTED';
    case 'error':
      return 'Error';
    case 'error-hard':
      return 'Hard error';
    case 'error-fatal':
      return 'Fatal error';
    case 'not-installed':
      return 'Not installed';
    case 'invalid':
      return 'Invalid parameters';
  }
}
