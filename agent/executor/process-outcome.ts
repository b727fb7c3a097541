/** A forked agent's ProcessResult as an execution status (the rc mapping is the caller's). */
import type { RunOutcome } from './agent-runner.ts';
import { timeoutReason } from './agent-runner.ts';
import { parseExitReason } from './exit-reason.ts';
import { OcfRc } from './ocf-rc.ts';
import type { ProcessResult } from './process-runner.ts';

/**
 * Maps how the process ended; `mapExit` turns an exit code into an rc for the standard. fork/exec
 * errors follow Pacemaker's services__handle_exec_error: missing or not executable → not-installed
 * (rc 5), permission → error (rc 4), anything else → error (rc 1).
 */
export function outcomeOfProcess(
  result: ProcessResult,
  timeoutMs: number,
  mapExit: (exitCode: number) => OcfRc,
): RunOutcome {
  const io = { output: result.stdout, stderr: result.stderr };
  const reason = parseExitReason(result.stderr);
  const withReason = reason !== undefined ? { exitReason: reason } : {};
  const o = result.outcome;
  switch (o.kind) {
    case 'exited':
      if (o.exitCode !== null) {
        return { status: 'done', rc: mapExit(o.exitCode), exitCode: o.exitCode, ...withReason, ...io };
      }
      return {
        status: 'error',
        exitReason: `Resource agent was interrupted by ${o.exitSignal ?? 'a'} signal`,
        ...io,
      };
    case 'timeout':
      return { status: 'timeout', exitReason: timeoutReason(timeoutMs), ...io };
    case 'cancelled':
      return { status: 'cancelled', exitReason: 'Operation cancelled', ...io };
    case 'spawn-error':
      switch (o.code) {
        case 'ENOENT':
        case 'EISDIR':
        case 'ENOTDIR':
        case 'EINVAL':
        case 'ENOEXEC':
          return { status: 'not-installed', rc: OcfRc.errInstalled, exitReason: o.message, ...io };
        case 'EACCES':
        case 'EPERM':
          return { status: 'error', rc: OcfRc.errPerm, exitReason: o.message, ...io };
        default:
          return { status: 'error', rc: OcfRc.errGeneric, exitReason: o.message, ...io };
      }
  }
}
