import type { Command } from 'commander';

/** Registers this concern's subcommands on the root `tandem` program. */
export function registerAgentCommands(_program: Command): void {
  // filled in by the work on this concern
}
