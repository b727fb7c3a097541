/**
 * The pure editing layer: `applyConfigCommand(config, words)` applies one pcs-style command
 * (`['resource', 'create', 'ClusterIP', 'IPaddr2', 'ip=192.0.2.58']`) to a configuration and
 * returns the edited copy plus warnings, or an error value (usage → exit 2, invalid → exit 1).
 * No I/O; the input is never mutated. Whole-model validation (validateConfig) is the caller's.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import { type CommandResult, type ConfigEdit, usageError } from './command-result.ts';
import { colocationCommand } from './constraint-colocation.ts';
import { constraintDeleteCommand } from './constraint-delete.ts';
import { locationCommand } from './constraint-location.ts';
import { orderCommand } from './constraint-order.ts';
import { defaultsCommand } from './defaults.ts';
import { nodeAddCommand, nodeAttributeCommand, nodeFlagCommand, nodeRemoveCommand } from './node.ts';
import { propertySetCommand, propertyUnsetCommand } from './property.ts';
import { cloneCommand, uncloneCommand } from './resource-clone.ts';
import { createCommand } from './resource-create.ts';
import { groupAddCommand, groupRemoveCommand } from './resource-group.ts';
import {
  deleteCommand,
  enableDisableCommand,
  manageCommand,
  metaCommand,
  updateCommand,
} from './resource-update.ts';

type Handler = (config: ClusterConfig, args: readonly string[]) => CommandResult<ConfigEdit>;

/** Command word paths → handlers. The longest matching path wins. */
const HANDLERS: ReadonlyArray<readonly [string, Handler]> = [
  ['property set', propertySetCommand],
  ['property unset', propertyUnsetCommand],
  ['resource create', createCommand],
  ['resource delete', deleteCommand],
  ['resource remove', deleteCommand],
  ['resource update', updateCommand],
  ['resource meta', metaCommand],
  ['resource enable', (c, a) => enableDisableCommand(c, a, true)],
  ['resource disable', (c, a) => enableDisableCommand(c, a, false)],
  ['resource manage', (c, a) => manageCommand(c, a, true)],
  ['resource unmanage', (c, a) => manageCommand(c, a, false)],
  ['resource group add', groupAddCommand],
  ['resource group remove', groupRemoveCommand],
  ['resource group delete', groupRemoveCommand],
  ['resource ungroup', groupRemoveCommand],
  ['resource clone', cloneCommand],
  ['resource unclone', uncloneCommand],
  ['resource defaults', (c, a) => defaultsCommand(c, a, 'rsc')],
  ['resource rsc defaults', (c, a) => defaultsCommand(c, a, 'rsc')],
  ['resource op defaults', (c, a) => defaultsCommand(c, a, 'op')],
  ['constraint location', locationCommand],
  ['constraint colocation', colocationCommand],
  ['constraint order', orderCommand],
  ['constraint delete', constraintDeleteCommand],
  ['constraint remove', constraintDeleteCommand],
  ['node standby', (c, a) => nodeFlagCommand(c, a, 'standby', true)],
  ['node unstandby', (c, a) => nodeFlagCommand(c, a, 'standby', false)],
  ['node maintenance', (c, a) => nodeFlagCommand(c, a, 'maintenance', true)],
  ['node unmaintenance', (c, a) => nodeFlagCommand(c, a, 'maintenance', false)],
  ['node attribute', nodeAttributeCommand],
  ['cluster standby', (c, a) => nodeFlagCommand(c, a, 'standby', true)],
  ['cluster unstandby', (c, a) => nodeFlagCommand(c, a, 'standby', false)],
  ['cluster node add', nodeAddCommand],
  ['cluster node remove', nodeRemoveCommand],
  ['cluster node delete', nodeRemoveCommand],
];

function findHandler(words: readonly string[]): { handler: Handler; args: string[] } | undefined {
  let best: { handler: Handler; args: string[]; length: number } | undefined;
  for (const [path, handler] of HANDLERS) {
    const parts = path.split(' ');
    if (parts.every((p, i) => words[i] === p) && parts.length > (best?.length ?? 0)) {
      best = { handler, args: words.slice(parts.length), length: parts.length };
    }
  }
  return best;
}

/** Every editing command path, for help and tests. */
export const EDIT_COMMANDS: readonly string[] = HANDLERS.map(([path]) => path);

export function applyConfigCommand(
  config: ClusterConfig,
  words: readonly string[],
): CommandResult<ConfigEdit> {
  const found = findHandler(words);
  if (!found) {
    return usageError(`unknown configuration command 'tandem ${words.join(' ')}': see \`tandem --help\``);
  }
  return found.handler(config, found.args);
}
