/** Options shared by the `tandem agent` subcommands: where agents live on this node. */
import type { Command } from 'commander';
import type { ExecutorOptions } from '../../agent/executor/index.ts';
import { DEFAULT_LSB_DIR, DEFAULT_OCF_ROOT, DEFAULT_STATE_DIR } from '../../agent/executor/index.ts';

export interface AgentLocationOptions {
  ocfRoot: string;
  lsbDir: string;
  stateDir: string;
}

export function addLocationOptions(cmd: Command): Command {
  return cmd
    .option('--ocf-root <dir>', 'OCF root (OCF_ROOT)', process.env['OCF_ROOT'] ?? DEFAULT_OCF_ROOT)
    .option('--lsb-dir <dir>', 'directory of LSB init scripts', DEFAULT_LSB_DIR)
    .option(
      '--state-dir <dir>',
      'agents state directory (HA_RSCTMP)',
      process.env['HA_RSCTMP'] ?? DEFAULT_STATE_DIR,
    );
}

export function executorLocations(
  o: AgentLocationOptions,
): Pick<ExecutorOptions, 'ocfRoot' | 'lsbDir' | 'stateDir'> {
  return { ocfRoot: o.ocfRoot, lsbDir: o.lsbDir, stateDir: o.stateDir };
}
