/**
 * `cluster setup NAME NODE…` (pcs 0.10+) or `cluster setup --name NAME NODE…` (pcs 0.9), offline:
 * a fresh configuration with those nodes. Transport, totem, quorum and address options belong to
 * tandemd's own configuration (issue 5), so they are ignored with a warning.
 */
import { emptyConfig } from '../../coordinator/cib/index.ts';
import { flagValue, isNameValue, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, success, usageError } from './command-result.ts';
import { checkNodeName } from './node.ts';

const SECTION_KEYWORDS = ['transport', 'totem', 'quorum', 'compression', 'crypto', 'link'];

export function setupCommand(args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'cluster setup';
  const split = splitFlags(
    args,
    {
      values: ['--name', '--transport'],
      booleans: [
        '--force',
        '--start',
        '--enable',
        '--local',
        '--no-keys-sync',
        '--no-cluster-uuid',
        '--corosync_conf',
      ],
    },
    command,
  );
  if (!split.ok) return split;
  const { flags } = split.value;
  const words = [...split.value.words];
  const name = flagValue(flags, '--name') ?? words.shift();
  if (name === undefined || name === '')
    return usageError('usage: tandem -f FILE cluster setup NAME NODE...');
  const warnings: string[] = [];
  const ignored: string[] = [];
  const nodes: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (SECTION_KEYWORDS.includes(word)) {
      ignored.push(...words.slice(i));
      break;
    }
    if (isNameValue(word)) {
      ignored.push(word);
      continue;
    }
    const node = checkNodeName(word);
    if (!node.ok) return node;
    if (nodes.includes(word)) return usageError(`\`${command}\`: node '${word}' is named twice`);
    nodes.push(word);
  }
  if (nodes.length === 0)
    return usageError('usage: tandem -f FILE cluster setup NAME NODE... (name at least one node)');
  for (const flag of ['--start', '--enable', '--transport']) if (flags.has(flag)) ignored.push(flag);
  if (ignored.length > 0) {
    warnings.push(
      `ignored offline: ${ignored.join(' ')} (transport, addresses and start-up belong in tandemd's config)`,
    );
  }
  return success({ config: emptyConfig(name, nodes), warnings });
}
