/** `tandem agent list [STANDARD[:PROVIDER]]`: the agents on this node, one per line. */
import type { Command } from 'commander';
import { listAgents } from '../../agent/executor/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { AgentLocationOptions } from './agent-options.ts';
import { addLocationOptions } from './agent-options.ts';
import { loadBuiltinAgents } from './builtin-agents.ts';

export function registerListCommand(agent: Command): void {
  addLocationOptions(
    agent
      .command('list')
      .description(
        'list OCF agents (OCF_ROOT), LSB scripts (/etc/init.d) and the built-in ocf:tandem:* agents',
      )
      .argument('[filter]', 'ocf, ocf:PROVIDER, lsb or service'),
  ).action(async (filter: string | undefined, opts: AgentLocationOptions) => {
    const builtinTypes = (await loadBuiltinAgents()).agents.map((a) => a.type);
    const listed = await listAgents({
      ocfRoot: opts.ocfRoot,
      lsbDir: opts.lsbDir,
      builtinTypes,
      ...(filter !== undefined ? { filter } : {}),
    });
    if (!listed.ok) throw new CliError(listed.error, ExitCode.usage);
    process.stdout.write(listed.value.map((l) => `${l}\n`).join(''));
  });
}
