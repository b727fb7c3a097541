/** Checks shared by the constraint commands: the resource a constraint names, roles, scores. */
import { parseScore, type ClusterConfig, type Score } from '../../coordinator/cib/index.ts';
import { type CommandResult, invalid, success, usageError } from './command-result.ts';
import { findResource, unknownResource } from './resource-tree.ts';

/** pcs roles; the 0.9 names are accepted and kept as written by Pacemaker 2.1. */
const ROLES: Readonly<Record<string, string>> = {
  started: 'Started',
  stopped: 'Stopped',
  promoted: 'Promoted',
  unpromoted: 'Unpromoted',
  master: 'Master',
  slave: 'Slave',
};

export function parseRole(word: string): string | undefined {
  return ROLES[word.toLowerCase()];
}

/**
 * A constraint must name an existing resource; naming the primitive inside a clone is refused
 * unless --force, as pcs does, because Pacemaker then constrains the clone's instances oddly.
 */
export function checkConstraintResource(
  config: ClusterConfig,
  id: string,
  force: boolean,
): CommandResult<string> {
  const loc = findResource(config, id);
  if (!loc) return invalid(unknownResource(id));
  if (loc.clone && !force) {
    return invalid(
      `'${id}' is inside clone '${loc.clone.id}': constrain the clone instead (use '${loc.clone.id}'), ` +
        `or pass --force to constrain '${id}' anyway`,
    );
  }
  return success(id);
}

export function parseScoreWord(text: string, command: string): CommandResult<Score> {
  const s = parseScore(text);
  return s.ok ? success(s.value) : usageError(`\`${command}\`: ${s.error}`);
}

/** Warns when node names are not in the configuration (a typo makes the constraint a no-op). */
export function unknownNodeWarnings(config: ClusterConfig, nodes: readonly string[]): string[] {
  if (config.nodes.length === 0) return [];
  return nodes
    .filter((n) => !config.nodes.some((c) => c.name === n))
    .map(
      (n) =>
        `node '${n}' is not in the cluster (nodes: ${config.nodes.map((c) => c.name).join(', ')}): check the spelling`,
    );
}
