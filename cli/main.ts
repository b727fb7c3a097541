/**
 * The `tandem` command: composition root of the CLI. Each concern registers its subcommands from
 * its own file; this file only wires them and maps failures to the documented exit codes
 * (cli/exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './exit-codes.ts';
import { registerConfigCommands } from './config/index.ts';
import { registerSimulateCommand } from './simulate/index.ts';
import { registerAgentCommands } from './agent/index.ts';
import { registerDemoCommand } from './demo/index.ts';
import { registerStatusCommand } from './status/register.ts';
import { registerLiveCommands } from './live/register.ts';

const program = new Command('tandem')
  .description('tandem: a high-availability cluster resource manager (Pacemaker/pcs compatible)')
  .option('-f, --file <file>', 'work on this configuration file offline (like pcs -f)')
  .showHelpAfterError()
  .exitOverride();

registerConfigCommands(program);
registerSimulateCommand(program);
registerAgentCommands(program);
registerDemoCommand(program);
registerStatusCommand(program);
registerLiveCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; everything else commander rejects is a usage error.
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else if (err instanceof CliError) {
    process.stderr.write(`tandem: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`tandem: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = ExitCode.error;
  }
}
