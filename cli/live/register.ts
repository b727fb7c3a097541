/**
 * Adds the live-only leaves to the `cluster` and `resource` commands (registered by cli/config):
 * `cluster start|stop|status`, `resource cleanup|refresh|move|ban|clear`. Loaded eagerly by
 * cli/main.ts, so it imports nothing heavy: the work is imported on first use.
 */
import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.ts';

function findCommand(program: Command, name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  return found ?? program.command(name);
}

/** Adds the live-only leaves to the `cluster` and `resource` commands (registered by cli/config). */
export function registerLiveCommands(program: Command): void {
  const leaf = (
    parent: Command,
    path: string[],
    name: string,
    summary: string,
    run?: () => Promise<void>,
  ): void => {
    parent
      .command(name)
      .description(summary)
      .argument('[args...]', 'arguments')
      .allowUnknownOption()
      .action(async (args: string[], _o: unknown, self: Command) => {
        const file = self.optsWithGlobals<{ file?: string }>().file;
        if (file !== undefined && file !== '') {
          throw new CliError(
            `\`tandem ${[...path, name].join(' ')}\` works on the live cluster only; run it without -f`,
            ExitCode.usage,
          );
        }
        if (run !== undefined) return run();
        const { runLiveCommand } = await import('./index.ts');
        return runLiveCommand([...path, name, ...args]);
      });
  };
  const cluster = findCommand(program, 'cluster');
  leaf(cluster, ['cluster'], 'start', 'start tandemd on this node (systemctl start tandem)');
  leaf(
    cluster,
    ['cluster'],
    'stop',
    '[--all] [--keep-resources]: stop this node (its resources first), or every node',
  );
  leaf(cluster, ['cluster'], 'status', 'the cluster status (same as `tandem status`)', async () => {
    const { runStatus } = await import('../status/status-command.ts');
    await runStatus({ interval: '2', outputAs: 'text', inactive: true });
  });
  const resource = findCommand(program, 'resource');
  leaf(
    resource,
    ['resource'],
    'cleanup',
    '[RESOURCE] [--node NODE]: forget failures and history, which re-probes',
  );
  leaf(resource, ['resource'], 'refresh', '[RESOURCE] [--node NODE]: as cleanup');
  leaf(
    resource,
    ['resource'],
    'move',
    'RESOURCE [NODE] [lifetime=DURATION]: prefer NODE (cli-prefer-RSC); no NODE: ban from where it runs',
  );
  leaf(
    resource,
    ['resource'],
    'ban',
    'RESOURCE [NODE] [lifetime=DURATION]: keep it off NODE (cli-ban-RSC-on-NODE)',
  );
  leaf(resource, ['resource'], 'clear', 'RESOURCE [NODE]: remove the constraints move and ban created');
}
