/**
 * `tandem agent check-lsb NAME`: Pacemaker's LSB compliance checklist against a real init script
 * (it starts and stops the service). Exits 0 when compliant, 1 with the failed steps otherwise.
 */
import type { Command } from 'commander';
import { Executor, lsbComplianceCheck } from '../../agent/executor/index.ts';
import { parseDurationMs } from '../../coordinator/cib/duration.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { AgentLocationOptions } from './agent-options.ts';
import { addLocationOptions, executorLocations } from './agent-options.ts';

export function registerCheckLsbCommand(agent: Command): void {
  addLocationOptions(
    agent
      .command('check-lsb')
      .description('check an LSB init script the way the cluster needs it (starts and stops the service!)')
      .argument('<name>', 'script name in the init directory, e.g. abiquo-tomcat')
      .option('--timeout <duration>', 'timeout of each action', '15s'),
  ).action(async (name: string, opts: AgentLocationOptions & { timeout: string }) => {
    const timeout = parseDurationMs(opts.timeout);
    if (!timeout.ok) throw new CliError(`--timeout: ${timeout.error}`, ExitCode.usage);
    const executor = new Executor(executorLocations(opts));
    try {
      const report = await lsbComplianceCheck(executor, name, { timeoutMs: timeout.value });
      for (const s of report.steps) {
        process.stdout.write(
          `${s.ok ? 'ok  ' : 'FAIL'} ${s.step}: ${s.action} returned ${s.got}${s.ok ? '' : ` (expected ${s.expected.join(' or ')}): ${s.problem ?? ''}`}\n`,
        );
      }
      process.stdout.write(
        report.compliant ? `lsb:${name} is LSB compliant\n` : `lsb:${name} is NOT LSB compliant\n`,
      );
      process.exitCode = report.compliant ? ExitCode.ok : ExitCode.error;
    } finally {
      await executor.dispose();
    }
  });
}
