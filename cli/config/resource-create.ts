/**
 * `resource create ID AGENT [name=value…] [op ACTION name=value…] [meta name=value…]
 *  [clone [CLONE_ID] [name=value…] | --clone] [--group G [--before X | --after X]] [--disabled]
 *  [--no-default-ops] [--force]`, as pcs 0.9–0.11 read it.
 *
 * Default operations: pcs adds the ops from the agent's meta-data; tandem has no meta-data at
 * configuration time, so it adds `monitor interval=60s` (pcs's own fallback) when no monitor is
 * given, unless --no-default-ops.
 */
import type { ClusterConfig, Primitive, Resource } from '../../coordinator/cib/index.ts';
import { resolveAgentName } from './agents.ts';
import {
  applyAttributes,
  checkId,
  flagValue,
  parseNameValues,
  splitFlags,
  splitResourceSections,
} from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { buildOperations, DEFAULT_MONITOR_INTERVAL } from './operations.ts';
import { checkCloneable, parseCloneOptions } from './resource-clone.ts';
import { addToGroup, type GroupPosition } from './resource-group.ts';
import { describeId, usedIds } from './resource-tree.ts';

const USAGE =
  'usage: tandem resource create ID STANDARD:PROVIDER:TYPE [name=value...] [op ACTION name=value...] ' +
  '[meta name=value...] [clone [CLONE_ID] [name=value...] | --group GROUP [--before ID | --after ID]] [--disabled]';

export function createCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'resource create';
  const split = splitFlags(
    args,
    {
      values: ['--group', '--before', '--after'],
      booleans: ['--disabled', '--clone', '--no-default-ops', '--force', '--agent-validation'],
    },
    command,
  );
  if (!split.ok) return split;
  const { flags } = split.value;
  const [id, agentName, ...rest] = split.value.words;
  if (id === undefined || agentName === undefined) return usageError(USAGE);
  const idOk = checkId(id, 'resource id');
  if (!idOk.ok) return idOk;
  const taken = describeId(config, id);
  if (taken !== undefined) {
    return invalid(
      `cannot create '${id}': ${taken} already uses that id; choose another id or delete it first`,
    );
  }
  const agent = resolveAgentName(agentName);
  if (!agent.ok) return agent;

  const sections = splitResourceSections(rest);
  if (sections.unsupported !== undefined) {
    return usageError(
      `\`${command}\`: '${sections.unsupported}' resources are not supported yet (use a primitive or an anonymous clone)`,
    );
  }
  const warnings: string[] = agent.value.assumed !== undefined ? [agent.value.assumed] : [];
  const instance = parseNameValues(sections.instance, 'resource options', command);
  if (!instance.ok) return instance;
  const meta = parseNameValues(sections.meta, 'meta options', command);
  if (!meta.ok) return meta;

  const used = usedIds(config);
  used.add(id);
  const ops = buildOperations(id, sections.op, used, command);
  if (!ops.ok) return ops;
  const operations = ops.value;
  if (!operations.some((o) => o.name === 'monitor') && flags.get('--no-default-ops') !== true) {
    const monitor = buildOperations(id, ['monitor', `interval=${DEFAULT_MONITOR_INTERVAL}`], used, command);
    if (!monitor.ok) return monitor;
    operations.push(...monitor.value);
  }

  const primitive: Primitive = {
    kind: 'primitive',
    id,
    agent: agent.value.agent,
    instanceAttributes: {},
    metaAttributes: {},
    operations,
  };
  applyAttributes(primitive.instanceAttributes, instance.value);
  applyAttributes(primitive.metaAttributes, meta.value);
  if (flags.get('--disabled') === true) primitive.metaAttributes['target-role'] = 'Stopped';

  const groupId = flagValue(flags, '--group');
  const before = flagValue(flags, '--before');
  const after = flagValue(flags, '--after');
  const wantsClone = sections.clone !== undefined || flags.get('--clone') === true;
  if (groupId !== undefined && wantsClone) {
    return usageError(
      `\`${command}\`: a resource cannot be both cloned and in a group: use clone or --group, not both`,
    );
  }
  if ((before !== undefined || after !== undefined) && groupId === undefined) {
    return usageError(`\`${command}\`: --before and --after need --group GROUP`);
  }
  if (before !== undefined && after !== undefined)
    return usageError(`\`${command}\`: give --before or --after, not both`);

  const next = structuredClone(config);
  let placed: Resource = primitive;
  if (wantsClone) {
    const opts = parseCloneOptions(id, sections.clone ?? [], command);
    if (!opts.ok) return opts;
    const can = checkCloneable(next, primitive, opts.value.cloneId, undefined);
    if (!can.ok) return can;
    warnings.push(...opts.value.warnings);
    placed = { kind: 'clone', id: opts.value.cloneId, metaAttributes: opts.value.meta, child: primitive };
  }
  next.resources.push(placed);
  if (groupId !== undefined) {
    const position: GroupPosition = {};
    if (before !== undefined) position.before = before;
    if (after !== undefined) position.after = after;
    const added = addToGroup(next, groupId, [id], position);
    if (!added.ok) return added;
    warnings.push(...added.value);
  }
  return success({ config: next, warnings });
}
