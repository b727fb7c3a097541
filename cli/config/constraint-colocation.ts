/**
 * `constraint colocation add [ROLE] RSC with [ROLE] WITH [SCORE] [score=SCORE] [id=ID]` (score
 * defaults to INFINITY; `… with ping-clone score=INFINITY` and `… with ping-clone INFINITY` are the
 * same, as in pcs) and `constraint colocation delete|remove RSC WITH`.
 * Generated id: `colocation-RSC-WITH-SCORE`. A second colocation of the same pair needs --force.
 */
import {
  formatScore,
  INFINITY,
  type ClusterConfig,
  type ColocationConstraint,
} from '../../coordinator/cib/index.ts';
import { checkId, parseBoolean, parseNameValue, sanitizeId, splitFlags, uniqueId } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { checkConstraintResource, parseRole, parseScoreWord } from './constraint-common.ts';
import { describeId, usedIds } from './resource-tree.ts';

const USAGE =
  'usage: tandem constraint colocation add [ROLE] RSC with [ROLE] WITH_RSC [SCORE | score=SCORE] [id=ID]';

export function colocationCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--force'] }, 'constraint colocation');
  if (!split.ok) return split;
  const force = split.value.flags.get('--force') === true;
  const [sub, ...words] = split.value.words;
  if (sub === 'add') return colocationAdd(config, words, force);
  if (sub === 'delete' || sub === 'remove') return colocationRemove(config, words);
  return usageError(`${USAGE} | tandem constraint colocation remove RSC WITH_RSC`);
}

function colocationAdd(
  config: ClusterConfig,
  args: readonly string[],
  force: boolean,
): CommandResult<ConfigEdit> {
  const command = 'constraint colocation add';
  const words = [...args];
  // A leading word is a role only when "with" comes third: ROLE RSC with ….
  const rscRole = words[1] !== 'with' && words[2] === 'with' ? parseRole(words[0] ?? '') : undefined;
  if (rscRole !== undefined) words.shift();
  const [rsc, withWord, ...afterWith] = words;
  if (rsc === undefined || withWord !== 'with' || afterWith.length === 0) return usageError(USAGE);
  const second = afterWith[1];
  const withRscRole =
    second !== undefined && parseNameValue(second) === undefined ? parseRole(afterWith[0] ?? '') : undefined;
  if (withRscRole !== undefined) afterWith.shift();
  const [withRsc, ...options] = afterWith;
  if (withRsc === undefined) return usageError(USAGE);
  if (rsc === withRsc) return invalid(`cannot colocate '${rsc}' with itself: name two different resources`);

  let score = INFINITY;
  let id: string | undefined;
  let nodeAttribute: string | undefined;
  let influence: boolean | undefined;
  const [first] = options;
  if (first !== undefined && parseNameValue(first) === undefined) {
    const s = parseScoreWord(first, command);
    if (!s.ok) return s;
    score = s.value;
    options.shift();
  }
  for (const option of options) {
    const nv = parseNameValue(option);
    if (nv === undefined)
      return usageError(`\`${command}\`: expected name=value after the score, got '${option}'`);
    if (nv.name === 'score') {
      const s = parseScoreWord(nv.value, command);
      if (!s.ok) return s;
      score = s.value;
    } else if (nv.name === 'id') {
      const ok = checkId(nv.value, 'constraint id');
      if (!ok.ok) return ok;
      id = nv.value;
    } else if (nv.name === 'node-attribute') {
      nodeAttribute = nv.value;
    } else if (nv.name === 'influence') {
      const b = parseBoolean(nv.value);
      if (b === undefined) return usageError(`\`${command}\`: influence='${nv.value}': use true or false`);
      influence = b;
    } else {
      return usageError(
        `\`${command}\`: unknown option '${nv.name}' (use score=SCORE, id=ID, node-attribute=ATTR, influence=BOOL)`,
      );
    }
  }
  for (const r of [rsc, withRsc]) {
    const ok = checkConstraintResource(config, r, force);
    if (!ok.ok) return ok;
  }
  const duplicate = config.constraints.colocation.find((c) => c.rsc === rsc && c.withRsc === withRsc);
  if (duplicate && !force) {
    return invalid(
      `'${rsc}' is already colocated with '${withRsc}' (constraint '${duplicate.id}'): ` +
        `delete it first (\`tandem constraint delete ${duplicate.id}\`) or pass --force to add another`,
    );
  }
  if (id !== undefined) {
    const taken = describeId(config, id);
    if (taken !== undefined) return invalid(`cannot add '${id}': ${taken} already uses that id`);
  } else {
    id = uniqueId(sanitizeId(`colocation-${rsc}-${withRsc}-${formatScore(score)}`), usedIds(config));
  }
  const constraint: ColocationConstraint = { id, rsc, withRsc, score };
  if (rscRole !== undefined) constraint.rscRole = rscRole;
  if (withRscRole !== undefined) constraint.withRscRole = withRscRole;
  if (nodeAttribute !== undefined) constraint.nodeAttribute = nodeAttribute;
  if (influence !== undefined) constraint.influence = influence;
  const next = structuredClone(config);
  next.constraints.colocation.push(constraint);
  return success({ config: next, warnings: [] });
}

function colocationRemove(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const [rsc, withRsc, extra] = args;
  if (rsc === undefined || withRsc === undefined || extra !== undefined) {
    return usageError('usage: tandem constraint colocation remove RSC WITH_RSC');
  }
  const gone = config.constraints.colocation.filter((c) => c.rsc === rsc && c.withRsc === withRsc);
  if (gone.length === 0) return invalid(`no colocation of '${rsc}' with '${withRsc}': nothing to remove`);
  const next = structuredClone(config);
  next.constraints.colocation = next.constraints.colocation.filter(
    (c) => !(c.rsc === rsc && c.withRsc === withRsc),
  );
  return success({ config: next, warnings: gone.map((c) => `removed constraint '${c.id}'`) });
}
