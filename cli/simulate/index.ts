/**
 * `tandem simulate`: run the scheduler once on a CIB (or a native configuration and state) and
 * print what Pacemaker's crm_simulate prints, or the diffable `--summary`. This is the CLI's
 * composition root for the command, so it reads the clock (the default for `--now`) and the files.
 */
import type { Command } from 'commander';
import { formatSummary, schedule } from '../../coordinator/scheduler/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { loadCibXmlFile, loadNativeFiles } from './load-input.ts';
import { renderSimulation } from './render-simulation.ts';

interface SimulateOptions {
  xml?: string;
  config?: string;
  state?: string;
  now?: string;
  summary?: boolean;
  showScores?: boolean;
}

/** Parses `--now` (ISO-8601) to milliseconds since the epoch. */
export function parseNow(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--now "${text}" is not an ISO-8601 time: write e.g. 2025-01-01T00:00:00Z`,
      ExitCode.usage,
    );
  }
  return ms;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the scheduler on a CIB and show the transition, like crm_simulate -S')
    .option('--xml <file>', 'Pacemaker CIB XML (configuration and status), e.g. cibadmin --query output')
    .option('--config <file>', 'native configuration file (default: the root -f file)')
    .option('--state <file>', 'saved cluster state for --config (default: every node online, no history)')
    .option('--now <time>', 'the time the scheduler sees, ISO-8601 (default: now)')
    .option('--summary', 'print the sorted, diffable four-section summary')
    .option('--show-scores', 'also print allocation scores (crm_simulate -s) and the reasons')
    .action(async (opts: SimulateOptions, cmd: Command) => {
      const rootFile = cmd.parent?.opts<{ file?: string }>().file;
      const configPath = opts.config ?? rootFile;
      if (opts.summary === true && opts.showScores === true) {
        throw new CliError('--summary and --show-scores cannot be combined: pick one', ExitCode.usage);
      }
      if (opts.xml !== undefined && configPath !== undefined) {
        throw new CliError('give either --xml or --config/-f, not both', ExitCode.usage);
      }
      if (opts.xml === undefined && configPath === undefined) {
        throw new CliError(
          'nothing to simulate: pass --xml CIB.xml, or --config cluster.json (or -f cluster.json)',
          ExitCode.usage,
        );
      }
      if (opts.state !== undefined && opts.xml !== undefined) {
        throw new CliError(
          '--state goes with --config: a CIB XML file carries its own status',
          ExitCode.usage,
        );
      }
      const now = opts.now !== undefined ? parseNow(opts.now) : Date.now();
      const loaded =
        opts.xml !== undefined
          ? await loadCibXmlFile(opts.xml)
          : await loadNativeFiles(configPath ?? '', opts.state);
      if (!loaded.ok) throw new CliError(loaded.error);
      for (const w of loaded.value.warnings) process.stderr.write(`tandem: warning: ${w}\n`);
      const input = { config: loaded.value.config, status: loaded.value.status, now };
      const transition = schedule(input);
      const text =
        opts.summary === true
          ? formatSummary(transition)
          : renderSimulation(
              input,
              transition,
              opts.showScores === true ? 'scores' : 'full',
              opts.now !== undefined ? { nowText: opts.now } : {},
            );
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
}
