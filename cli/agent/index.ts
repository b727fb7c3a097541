/** `tandem agent run|list|meta-data|install-ocf|check-lsb`: resource agents on this node. */
import type { Command } from 'commander';
import { registerCheckLsbCommand } from './check-lsb-command.ts';
import { registerInstallOcfCommand } from './install-ocf-command.ts';
import { registerListCommand } from './list-command.ts';
import { registerMetaDataCommand } from './meta-data-command.ts';
import { registerRunCommand } from './run-command.ts';

export { formatRunResult, parseNameValues } from './run-command.ts';

/** Registers this concern's subcommands on the root `tandem` program. */
export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description('resource agents on this node (run, list, meta-data, install-ocf, check-lsb)');
  registerRunCommand(agent);
  registerListCommand(agent);
  registerMetaDataCommand(agent);
  registerInstallOcfCommand(agent);
  registerCheckLsbCommand(agent);
}
