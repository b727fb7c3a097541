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

/**
 * Location constraints must name cluster nodes (a typo would make the constraint a silent no-op;
 * pcs refuses too). The message suggests the closest node name.
 */
export function checkNodes(config: ClusterConfig, nodes: readonly string[]): CommandResult<true> {
  const known = config.nodes.map((c) => c.name);
  for (const n of nodes) {
    if (known.includes(n)) continue;
    const close = known.find((k) => k.toLowerCase() === n.toLowerCase() || k.slice(0, -1) === n.slice(0, -1));
    return invalid(
      `node '${n}' is not in the cluster (nodes: ${known.length > 0 ? known.join(', ') : 'none'}): ` +
        (close !== undefined ? `did you mean '${close}'? ` : '') +
        `check the spelling or add it with \`tandem cluster node add ${n}\``,
    );
  }
  return success(true);
}
