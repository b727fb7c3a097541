/**
 * Node commands: `node standby|unstandby|maintenance|unmaintenance NODE…|--all` (the permanent
 * node attributes standby=on / maintenance=on, as pcs sets them offline), `node attribute NODE
 * name=value…` (empty value removes), and `cluster node add|remove NODE`.
 */
import type { ClusterConfig, NodeConfig } from '../../coordinator/cib/index.ts';
import { applyAttributes, parseNameValues, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';

const NODE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function checkNodeName(name: string): CommandResult<string> {
  if (NODE_NAME.test(name)) return success(name);
  return usageError(`invalid node name '${name}': use a host name (letters, digits, '_', '.', '-')`);
}

function unknownNode(config: ClusterConfig, name: string): string {
  const known = config.nodes.map((n) => n.name);
  return (
    `unknown node '${name}' (nodes: ${known.length > 0 ? known.join(', ') : 'none'}): ` +
    `add it with \`tandem cluster node add ${name}\``
  );
}

export type NodeFlag = 'standby' | 'maintenance';

export function nodeFlagCommand(
  config: ClusterConfig,
  args: readonly string[],
  flag: NodeFlag,
  on: boolean,
): CommandResult<ConfigEdit> {
  const command = `node ${on ? '' : 'un'}${flag}`;
  const split = splitFlags(args, { booleans: ['--all'] }, command);
  if (!split.ok) return split;
  const all = split.value.flags.get('--all') === true;
  const names = split.value.words;
  if (all === names.length > 0) {
    return usageError(
      `usage: tandem ${command} NODE... | --all (offline there is no local node to default to)`,
    );
  }
  const next = structuredClone(config);
  const targets: NodeConfig[] = [];
  if (all) targets.push(...next.nodes);
  for (const name of names) {
    const node = next.nodes.find((n) => n.name === name);
    if (!node) return invalid(unknownNode(next, name));
    targets.push(node);
  }
  for (const node of targets) {
    if (on) node.attributes[flag] = 'on';
    else delete node.attributes[flag];
  }
  return success({ config: next, warnings: [] });
}

/** `node attribute NODE name=value…` (with no pairs it is a listing, handled elsewhere). */
export function nodeAttributeCommand(
  config: ClusterConfig,
  args: readonly string[],
): CommandResult<ConfigEdit> {
  const command = 'node attribute';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const [name, ...rest] = split.value.words;
  if (name === undefined || rest.length === 0)
    return usageError('usage: tandem node attribute NODE name=value...');
  const pairs = parseNameValues(rest, 'node attributes', command);
  if (!pairs.ok) return pairs;
  const next = structuredClone(config);
  const node = next.nodes.find((n) => n.name === name);
  if (!node) return invalid(unknownNode(next, name));
  applyAttributes(node.attributes, pairs.value);
  return success({ config: next, warnings: [] });
}

/** `cluster node add NODE` (offline: adds the node to the configuration; addr= options ignored). */
export function nodeAddCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--start', '--enable', '--force'] }, 'cluster node add');
  if (!split.ok) return split;
  const [name, ...options] = split.value.words;
  if (name === undefined) return usageError('usage: tandem cluster node add NODE');
  const valid = checkNodeName(name);
  if (!valid.ok) return valid;
  if (config.nodes.some((n) => n.name === name)) return invalid(`node '${name}' is already in the cluster`);
  const next = structuredClone(config);
  const ids = new Set(next.nodes.map((n) => n.id));
  let id = next.nodes.length + 1;
  while (ids.has(String(id))) id++;
  next.nodes.push({ id: String(id), name, attributes: {} });
  const warnings =
    options.length > 0 ? [`ignored ${options.join(' ')}: node addresses belong in tandemd's config`] : [];
  return success({ config: next, warnings });
}

/** `cluster node remove|delete NODE`: drops the node and the location constraints naming it. */
export function nodeRemoveCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--force'] }, 'cluster node remove');
  if (!split.ok) return split;
  const [name, extra] = split.value.words;
  if (name === undefined || extra !== undefined) return usageError('usage: tandem cluster node remove NODE');
  if (!config.nodes.some((n) => n.name === name)) return invalid(unknownNode(config, name));
  const next = structuredClone(config);
  next.nodes = next.nodes.filter((n) => n.name !== name);
  const gone = next.constraints.location.filter((c) => c.node === name).map((c) => c.id);
  next.constraints.location = next.constraints.location.filter((c) => c.node !== name);
  return success({
    config: next,
    warnings: gone.map((c) => `removed constraint '${c}' (it named node '${name}')`),
  });
}
