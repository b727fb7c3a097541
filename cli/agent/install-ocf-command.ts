/** `tandem agent install-ocf [OCF_ROOT]`: tandem's agents as OCF executables under provider tandem. */
import type { Command } from 'commander';
import { DEFAULT_OCF_ROOT } from '../../agent/executor/index.ts';
import { CliError } from '../exit-codes.ts';
import { loadBuiltinAgents } from './builtin-agents.ts';

export function registerInstallOcfCommand(agent: Command): void {
  agent
    .command('install-ocf')
    .description("install tandem's agents as OCF executables (OCF_ROOT/resource.d/tandem/TYPE)")
    .argument('[ocfRoot]', 'OCF root', DEFAULT_OCF_ROOT)
    .action(async (ocfRoot: string) => {
      const { installOcf } = await loadBuiltinAgents();
      let written: string[];
      try {
        written = await installOcf(ocfRoot);
      } catch (err) {
        throw new CliError(
          `cannot install OCF agents under ${ocfRoot}: ${err instanceof Error ? err.message : String(err)} (run as root, or give a writable OCF_ROOT)`,
        );
      }
      process.stdout.write(written.map((p) => `installed ${p}\n`).join(''));
    });
}
