/**
 * `property set NAME=VALUE…` and `property unset NAME…`: the cluster options (crm_config). As in
 * pcs, a name Pacemaker does not know is refused unless --force, and values are checked by type.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import { parseDurationMs, parseScore } from '../../coordinator/cib/index.ts';
import { applyAttributes, parseBoolean, parseNameValues, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';

type PropertyType = 'boolean' | 'duration' | 'integer' | 'string' | readonly string[];

/** Pacemaker 2.1 cluster options (`crm_attribute --list-options=cluster`) with their types. */
export const CLUSTER_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  'batch-limit': 'integer',
  'cluster-delay': 'duration',
  'cluster-infrastructure': 'string',
  'cluster-ipc-limit': 'integer',
  'cluster-name': 'string',
  'cluster-recheck-interval': 'duration',
  'concurrent-fencing': 'boolean',
  'dc-deadtime': 'duration',
  'dc-version': 'string',
  'election-timeout': 'duration',
  'enable-acl': 'boolean',
  'enable-startup-probes': 'boolean',
  'fence-reaction': ['stop', 'panic'],
  'have-watchdog': 'boolean',
  'join-finalization-timeout': 'duration',
  'join-integration-timeout': 'duration',
  'last-lrm-refresh': 'string',
  'load-threshold': 'string',
  'maintenance-mode': 'boolean',
  'migration-limit': 'integer',
  'no-quorum-policy': ['stop', 'freeze', 'ignore', 'demote', 'suicide'],
  'node-action-limit': 'integer',
  'node-health-base': 'integer',
  'node-health-green': 'integer',
  'node-health-red': 'integer',
  'node-health-strategy': ['none', 'migrate-on-red', 'only-green', 'progressive', 'custom'],
  'node-health-yellow': 'integer',
  'pe-error-series-max': 'integer',
  'pe-input-series-max': 'integer',
  'pe-warn-series-max': 'integer',
  'placement-strategy': ['default', 'utilization', 'minimal', 'balanced'],
  'priority-fencing-delay': 'duration',
  'shutdown-escalation': 'duration',
  'shutdown-lock': 'boolean',
  'shutdown-lock-limit': 'duration',
  'start-failure-is-fatal': 'boolean',
  'startup-fencing': 'boolean',
  'stonith-action': ['reboot', 'off', 'poweroff'],
  'stonith-enabled': 'boolean',
  'stonith-max-attempts': 'integer',
  'stonith-timeout': 'duration',
  'stonith-watchdog-timeout': 'string',
  'stop-all-resources': 'boolean',
  'stop-orphan-actions': 'boolean',
  'stop-orphan-resources': 'boolean',
  'symmetric-cluster': 'boolean',
  'transition-delay': 'duration',
};

function checkValue(name: string, value: string, type: PropertyType): string | undefined {
  if (typeof type !== 'string') {
    return type.includes(value) ? undefined : `${name}='${value}': use one of ${type.join(', ')}`;
  }
  switch (type) {
    case 'boolean':
      return parseBoolean(value) === undefined ? `${name}='${value}': use true or false` : undefined;
    case 'duration': {
      const d = parseDurationMs(value);
      return d.ok ? undefined : `${name}: ${d.error}`;
    }
    case 'integer': {
      const s = parseScore(value);
      return s.ok ? undefined : `${name}: ${s.error}`;
    }
    case 'string':
      return undefined;
  }
}

export function propertySetCommand(
  config: ClusterConfig,
  args: readonly string[],
): CommandResult<ConfigEdit> {
  const command = 'property set';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const force = split.value.flags.get('--force') === true;
  if (split.value.words.length === 0) return usageError('usage: tandem property set NAME=VALUE...');
  const pairs = parseNameValues(split.value.words, 'properties', command);
  if (!pairs.ok) return pairs;
  const warnings: string[] = [];
  for (const { name, value } of pairs.value) {
    const type = CLUSTER_PROPERTIES[name];
    if (type === undefined) {
      if (!force) {
        return invalid(
          `unknown cluster property '${name}': check the spelling (\`tandem property\` lists the set ones; ` +
            `known: ${Object.keys(CLUSTER_PROPERTIES).join(', ')}) or pass --force to set it anyway`,
        );
      }
      warnings.push(`'${name}' is not a Pacemaker cluster property; set anyway (--force)`);
      continue;
    }
    if (value === '') continue;
    const problem = checkValue(name, value, type);
    if (problem !== undefined) {
      if (!force) return invalid(`${problem} (or pass --force to set it anyway)`);
      warnings.push(`${problem}; set anyway (--force)`);
    }
  }
  const next = structuredClone(config);
  // The cluster name is the model's own field (exported as the cluster-name property).
  const named = pairs.value.find((p) => p.name === 'cluster-name' && p.value !== '');
  if (named) next.clusterName = named.value;
  applyAttributes(
    next.properties,
    pairs.value.filter((p) => p.name !== 'cluster-name'),
  );
  return success({ config: next, warnings });
}

export function propertyUnsetCommand(
  config: ClusterConfig,
  args: readonly string[],
): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--force'] }, 'property unset');
  if (!split.ok) return split;
  const names = split.value.words;
  if (names.length === 0) return usageError('usage: tandem property unset NAME...');
  const next = structuredClone(config);
  for (const name of names) {
    if (!(name in next.properties)) {
      if (split.value.flags.get('--force') === true) continue;
      return invalid(`cluster property '${name}' is not set: nothing to unset (pass --force to ignore)`);
    }
    delete next.properties[name];
  }
  return success({ config: next, warnings: [] });
}
