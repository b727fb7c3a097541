/**
 * Registers `tandem status [-r] [--watch [--interval S]] [--output-as text|json|xml] [--local]`:
 * the cluster as the DC sees it (through the local tandemd), in crm_mon's layout or as a stable
 * JSON/XML API. The rendering is loaded on first use, so other commands do not pay for it.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { StatusOptions } from './status-command.ts';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'cluster status like crm_mon -1: nodes, resources, failures, quorum, witness, lease, why not running',
    )
    .option('-r, --inactive', 'also show inactive resources (Full List of Resources)')
    .option('-w, --watch', 'refresh in place until interrupted (like crm_mon without -1)')
    .option('-i, --interval <seconds>', 'refresh interval with --watch', '2')
    .addOption(
      new Option('--output-as <format>', 'output format').choices(['text', 'json', 'xml']).default('text'),
    )
    .option('--local', "this node's own view, without asking the DC")
    .action(async (o: StatusOptions) => {
      const { runStatus } = await import('./status-command.ts');
      await runStatus(o);
    });
}
