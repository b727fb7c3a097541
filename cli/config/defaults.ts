/**
 * `resource defaults [update] name=value…` and `resource op defaults [update] name=value…`:
 * the one rsc_defaults / op_defaults set. The pcs 0.9 form without `update` (the RS runbook's
 * `resource defaults resource-stickiness=100`) is accepted as it is. An empty value removes.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import { parseDurationMs, parseScore } from '../../coordinator/cib/index.ts';
import { applyAttributes, parseNameValues, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, success, usageError } from './command-result.ts';

export type DefaultsKind = 'rsc' | 'op';

const SCORE_NAMES = ['resource-stickiness', 'migration-threshold', 'priority'];
const DURATION_NAMES = ['failure-timeout', 'timeout', 'interval'];

/** The words after `defaults`; with no pairs (or `config`) it is a listing, handled elsewhere. */
export function defaultsCommand(
  config: ClusterConfig,
  args: readonly string[],
  kind: DefaultsKind,
): CommandResult<ConfigEdit> {
  const command = kind === 'rsc' ? 'resource defaults' : 'resource op defaults';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  let words = split.value.words;
  if (words[0] === 'update') words = words.slice(1);
  else if (words[0] === 'set') {
    return usageError(
      `\`${command} set\`: rule-based default sets are not supported; use \`tandem ${command} update name=value...\``,
    );
  }
  if (words.length === 0) return usageError(`usage: tandem ${command} [update] name=value...`);
  const pairs = parseNameValues(words, 'defaults', command);
  if (!pairs.ok) return pairs;
  for (const { name, value } of pairs.value) {
    if (value === '') continue;
    if (SCORE_NAMES.includes(name)) {
      const s = parseScore(value);
      if (!s.ok) return usageError(`\`${command}\`: ${name}: ${s.error}`);
    }
    if (DURATION_NAMES.includes(name)) {
      const d = parseDurationMs(value);
      if (!d.ok) return usageError(`\`${command}\`: ${name}: ${d.error}`);
    }
  }
  const next = structuredClone(config);
  applyAttributes(kind === 'rsc' ? next.rscDefaults : next.opDefaults, pairs.value);
  return success({ config: next, warnings: [] });
}
