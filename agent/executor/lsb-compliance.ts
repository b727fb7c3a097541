/**
 * The LSB compliance checklist of Pacemaker's documentation ("LSB Compliance"), run against a real
 * script: start(stopped)=0, status(running)=0, start(running)=0, stop(running)=0,
 * status(stopped)=3, stop(stopped)=0. A script that fails stop-when-stopped causes spurious stop
 * failures (a blocked resource, or fencing); one that says 0 to status-when-stopped hides failures.
 * The check leaves the service stopped. It reads raw LSB exit codes, before the OCF mapping.
 */
import type { Executor } from './executor.ts';
import type { OperationResult } from './operation.ts';

export interface ComplianceStep {
  step: string;
  action: string;
  /** Raw exit codes that comply. */
  expected: number[];
  /** The raw exit code, or the execution status when the script did not exit. */
  got: number | string;
  ok: boolean;
  problem?: string;
}

export interface ComplianceReport {
  script: string;
  compliant: boolean;
  steps: ComplianceStep[];
}

const STEPS: ReadonlyArray<{ step: string; action: string; expected: number[]; problem: string }> = [
  {
    step: 'start when stopped',
    action: 'start',
    expected: [0],
    problem: 'start of a stopped service must return 0',
  },
  {
    step: 'status when running',
    action: 'status',
    expected: [0],
    problem: 'status of a running service must return 0',
  },
  {
    step: 'start when running',
    action: 'start',
    expected: [0],
    problem: 'start of a running service must return 0 (idempotent)',
  },
  {
    step: 'stop when running',
    action: 'stop',
    expected: [0],
    problem: 'stop of a running service must return 0',
  },
  {
    step: 'status when stopped',
    action: 'status',
    expected: [3],
    problem: 'status of a stopped service must return 3 (not running); 0 hides failures from the cluster',
  },
  {
    step: 'stop when stopped',
    action: 'stop',
    expected: [0],
    problem:
      'stop of a stopped service must return 0; otherwise every stop of a stopped service is a stop failure',
  },
];

function got(r: OperationResult): number | string {
  return r.exitCode ?? r.status;
}

export async function lsbComplianceCheck(
  executor: Executor,
  script: string,
  options: { timeoutMs?: number } = {},
): Promise<ComplianceReport> {
  const resource = `lsb-compliance-${script}`;
  const agent = { standard: 'lsb' as const, type: script };
  const run = (action: string): Promise<OperationResult> =>
    executor.execute({ resource, agent, action, timeoutMs: options.timeoutMs ?? 15_000 });
  const steps: ComplianceStep[] = [];
  // Start from a stopped service; a script that cannot even stop fails that step below.
  const initial = await run('status');
  if (initial.exitCode === 0) await run('stop');
  for (const s of STEPS) {
    const r = await run(s.action);
    const code = got(r);
    const ok = typeof code === 'number' && s.expected.includes(code);
    steps.push({
      step: s.step,
      action: s.action,
      expected: s.expected,
      got: code,
      ok,
      ...(ok ? {} : { problem: s.problem }),
    });
  }
  // Leave it stopped even when the script misbehaved above.
  const last = await run('status');
  if (last.exitCode === 0) await run('stop');
  executor.clearHistory(resource);
  return { script, compliant: steps.every((s) => s.ok), steps };
}
