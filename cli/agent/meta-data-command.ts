/** `tandem agent meta-data STANDARD:PROVIDER:TYPE`: the agent's meta-data XML (or parsed, --json). */
import type { Command } from 'commander';
import { Executor, parseAgentSpec } from '../../agent/executor/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { AgentLocationOptions } from './agent-options.ts';
import { addLocationOptions, executorLocations } from './agent-options.ts';
import { loadBuiltinAgents } from './builtin-agents.ts';

export function registerMetaDataCommand(agent: Command): void {
  addLocationOptions(
    agent
      .command('meta-data')
      .description("print an agent's meta-data XML (like crm_resource --show-metadata)")
      .argument('<agent>', 'STANDARD:PROVIDER:TYPE or lsb:NAME')
      .option('--json', 'print the parsed parameters and actions as JSON'),
  ).action(async (spec: string, opts: AgentLocationOptions & { json?: boolean }) => {
    const ref = parseAgentSpec(spec);
    if (!ref.ok) throw new CliError(ref.error, ExitCode.usage);
    const builtins = ref.value.provider === 'tandem' ? (await loadBuiltinAgents()).agents : [];
    const executor = new Executor({ ...executorLocations(opts), builtinAgents: builtins });
    try {
      const md = await executor.metaData(ref.value);
      if (!md.ok) throw new CliError(md.error);
      process.stdout.write(opts.json === true ? `${JSON.stringify(md.value.meta, null, 2)}\n` : md.value.xml);
    } finally {
      await executor.dispose();
    }
  });
}
