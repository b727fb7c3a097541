/**
 * `resource clone ID [CLONE_ID] [meta] [name=value…]` and `resource unclone ID`.
 *
 * The RS runbook's `pcs resource clone ping connection` meets two pcs readings: pcs 0.9 ignored a
 * word that is not name=value (the clone became `ping-clone`, which the runbook's next line
 * uses); pcs 0.10+ reads it as the clone id. tandem's rule: a bare word FOLLOWED by clone options
 * (`meta` and/or name=value) is the clone id (pcs 0.10+); a bare word that is the LAST word is
 * ignored with a warning and the clone gets the default id `ID-clone` (pcs 0.9), so the runbook
 * works as written. To name such a clone explicitly: `resource clone ping connection meta`.
 */
import type { Clone, ClusterConfig, Group, Primitive } from '../../coordinator/cib/index.ts';
import { applyAttributes, checkId, isNameValue, parseBoolean, parseNameValues, splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import {
  constraintsReferencing,
  describeId,
  findResource,
  removeConstraintsReferencing,
  unknownResource,
} from './resource-tree.ts';

export interface CloneOptions {
  cloneId: string;
  meta: Record<string, string>;
  warnings: string[];
}

const BOOLEAN_CLONE_META = ['interleave', 'ordered', 'notify', 'globally-unique'];
const COUNT_CLONE_META = ['clone-max', 'clone-node-max'];

/** Reads the words after `clone` (create) or after the resource id (`resource clone`). */
export function parseCloneOptions(
  rscId: string,
  words: readonly string[],
  command: string,
): CommandResult<CloneOptions> {
  const warnings: string[] = [];
  let rest = [...words];
  let cloneId = `${rscId}-clone`;
  const [first] = rest;
  if (first !== undefined && first !== 'meta' && !isNameValue(first)) {
    rest = rest.slice(1);
    if (rest.length === 0) {
      warnings.push(
        `\`${command}\`: ignored the word '${first}' and named the clone '${cloneId}', as pcs 0.9 does ` +
          `(pcs 0.10+ would name it '${first}'); to name the clone '${first}', write ` +
          `\`tandem resource clone ${rscId} ${first} meta\``,
      );
    } else {
      const id = checkId(first, 'clone id');
      if (!id.ok) return id;
      cloneId = first;
    }
  }
  rest = rest.filter((w) => w !== 'meta');
  const pairs = parseNameValues(rest, 'clone options', command);
  if (!pairs.ok) return pairs;
  const meta: Record<string, string> = {};
  for (const { name, value } of pairs.value) {
    if (name === 'promotable' || name === 'promoted-max' || name === 'master-max') {
      return usageError(`\`${command}\`: promotable clones are not supported yet; use an anonymous clone`);
    }
    if (BOOLEAN_CLONE_META.includes(name) && parseBoolean(value) === undefined) {
      return usageError(`\`${command}\`: ${name}='${value}': use true or false`);
    }
    if (name === 'globally-unique' && parseBoolean(value) === true) {
      return usageError(
        `\`${command}\`: globally-unique clones are not supported yet; leave globally-unique=false`,
      );
    }
    if (COUNT_CLONE_META.includes(name) && !/^\d+$/.test(value)) {
      return usageError(`\`${command}\`: ${name}='${value}': use a whole number`);
    }
  }
  applyAttributes(meta, pairs.value);
  return success({ cloneId, meta, warnings });
}

/** Checks that a resource can be wrapped in a new clone, and that the clone id is free. */
export function checkCloneable(
  config: ClusterConfig,
  rsc: Primitive | Group,
  cloneId: string,
  inGroup: Group | undefined,
): CommandResult<true> {
  if (inGroup) {
    return invalid(
      `'${rsc.id}' is a member of group '${inGroup.id}': clone the whole group (\`tandem resource clone ${inGroup.id}\`) ` +
        `or take it out first (\`tandem resource group remove ${inGroup.id} ${rsc.id}\`)`,
    );
  }
  const taken = describeId(config, cloneId);
  if (taken !== undefined) {
    return invalid(
      `cannot name the clone '${cloneId}': ${taken} already uses that id; choose another clone id`,
    );
  }
  return success(true);
}

/** `resource clone ID [CLONE_ID] [meta] [name=value…]`. */
export function cloneCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'resource clone';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const [rscId, ...rest] = split.value.words;
  if (rscId === undefined)
    return usageError(`usage: tandem resource clone ID [CLONE_ID] [meta] [name=value...]`);
  const next = structuredClone(config);
  const loc = findResource(next, rscId);
  if (!loc) return invalid(unknownResource(rscId));
  const rsc = loc.resource;
  if (rsc.kind === 'clone' || loc.clone) {
    const cloneId = rsc.kind === 'clone' ? rsc.id : (loc.clone?.id ?? '');
    return invalid(
      `'${rscId}' is already cloned (clone '${cloneId}'); change it with \`tandem resource meta ${cloneId} …\``,
    );
  }
  const opts = parseCloneOptions(rscId, rest, command);
  if (!opts.ok) return opts;
  const can = checkCloneable(next, rsc, opts.value.cloneId, loc.group);
  if (!can.ok) return can;
  const clone: Clone = { kind: 'clone', id: opts.value.cloneId, metaAttributes: opts.value.meta, child: rsc };
  next.resources[loc.topIndex] = clone;
  const warnings = [...opts.value.warnings];
  const refs = constraintsReferencing(next, new Set([rsc.id]));
  if (refs.length > 0) {
    warnings.push(
      `constraints ${refs.join(', ')} name '${rscId}', which is now inside clone '${clone.id}': ` +
        `point them at '${clone.id}' (delete and re-add them)`,
    );
  }
  return success({ config: next, warnings });
}

/** `resource unclone ID` (clone id or the cloned resource's id). */
export function uncloneCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, {}, 'resource unclone');
  if (!split.ok) return split;
  const [id, extra] = split.value.words;
  if (id === undefined || extra !== undefined) return usageError('usage: tandem resource unclone ID');
  const next = structuredClone(config);
  const loc = findResource(next, id);
  if (!loc) return invalid(unknownResource(id));
  const clone = loc.resource.kind === 'clone' ? loc.resource : loc.clone;
  if (!clone) return invalid(`'${id}' is not a clone: nothing to unclone`);
  if (loc.group && loc.resource.kind === 'primitive') {
    return invalid(`'${id}' is a member of cloned group '${loc.group.id}': unclone '${clone.id}' instead`);
  }
  next.resources[loc.topIndex] = clone.child;
  const removed = removeConstraintsReferencing(next, new Set([clone.id]));
  const warnings = removed.map((c) => `removed constraint '${c}' (it named clone '${clone.id}')`);
  return success({ config: next, warnings });
}
