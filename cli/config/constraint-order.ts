/**
 * `constraint order [ACTION] FIRST then [ACTION] THEN [kind=Mandatory|Optional|Serialize]
 * [symmetrical=true|false] [require-all=true|false] [id=ID]` (actions default to start) and `constraint order
 * remove|delete RSC…` (every order constraint naming RSC). Generated id:
 * `order-FIRST-THEN-KIND` with the kind in lower case. A duplicate needs --force.
 */
import { type ClusterConfig, type OrderConstraint, type OrderKind } from '../../coordinator/cib/index.ts';
import { checkId, parseBoolean, parseNameValue, sanitizeId, splitFlags, uniqueId } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { checkConstraintResource, parseScoreWord } from './constraint-common.ts';
import { describeId, usedIds } from './resource-tree.ts';

const USAGE =
  'usage: tandem constraint order [ACTION] FIRST then [ACTION] THEN [kind=Mandatory|Optional|Serialize] ' +
  '[symmetrical=true|false] [id=ID]';
const ACTIONS = ['start', 'stop', 'promote', 'demote'];
const KINDS: readonly OrderKind[] = ['Mandatory', 'Optional', 'Serialize'];

export function orderCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const command = 'constraint order';
  const split = splitFlags(args, { booleans: ['--force'] }, command);
  if (!split.ok) return split;
  const force = split.value.flags.get('--force') === true;
  const words = [...split.value.words];
  if (words[0] === 'remove' || words[0] === 'delete') return orderRemove(config, words.slice(1));
  if (words[0] === 'set')
    return usageError(`\`${command} set\`: resource sets are not supported yet; add one constraint per pair`);
  let firstAction = 'start';
  if (ACTIONS.includes(words[0] ?? '') && words[2] === 'then') firstAction = words.shift() ?? 'start';
  const [first, thenWord, ...rest] = words;
  if (first === undefined || thenWord !== 'then') return usageError(USAGE);
  let thenAction = 'start';
  if (ACTIONS.includes(rest[0] ?? '') && rest.length >= 2 && parseNameValue(rest[1] ?? '') === undefined) {
    thenAction = rest.shift() ?? 'start';
  }
  const [then, ...options] = rest;
  if (then === undefined) return usageError(USAGE);
  if (first === then) return invalid(`cannot order '${first}' after itself: name two different resources`);

  let kind: OrderKind = 'Mandatory';
  let symmetrical: boolean | undefined;
  let score: number | undefined;
  let id: string | undefined;
  let requireAll: boolean | undefined;
  for (const option of options) {
    const nv = parseNameValue(option);
    if (nv === undefined)
      return usageError(`\`${command}\`: expected name=value options after '${then}', got '${option}'`);
    switch (nv.name) {
      case 'kind': {
        const k = KINDS.find((x) => x.toLowerCase() === nv.value.toLowerCase());
        if (k === undefined)
          return usageError(`\`${command}\`: kind='${nv.value}': use Mandatory, Optional or Serialize`);
        kind = k;
        break;
      }
      case 'symmetrical': {
        const b = parseBoolean(nv.value);
        if (b === undefined)
          return usageError(`\`${command}\`: symmetrical='${nv.value}': use true or false`);
        symmetrical = b;
        break;
      }
      case 'score': {
        const s = parseScoreWord(nv.value, command);
        if (!s.ok) return s;
        score = s.value;
        break;
      }
      case 'id': {
        const ok = checkId(nv.value, 'constraint id');
        if (!ok.ok) return ok;
        id = nv.value;
        break;
      }
      case 'require-all': {
        const b = parseBoolean(nv.value);
        if (b === undefined)
          return usageError(`\`${command}\`: require-all='${nv.value}': use true or false`);
        requireAll = b;
        break;
      }
      default:
        return usageError(
          `\`${command}\`: unknown option '${nv.name}' (use kind, symmetrical, require-all, id)`,
        );
    }
  }
  for (const r of [first, then]) {
    const ok = checkConstraintResource(config, r, force);
    if (!ok.ok) return ok;
  }
  const duplicate = config.constraints.order.find(
    (c) =>
      c.first === first && c.then === then && c.firstAction === firstAction && c.thenAction === thenAction,
  );
  if (duplicate && !force) {
    return invalid(
      `'${first}' is already ordered before '${then}' (constraint '${duplicate.id}'): ` +
        `delete it first (\`tandem constraint delete ${duplicate.id}\`) or pass --force to add another`,
    );
  }
  if (id !== undefined) {
    const taken = describeId(config, id);
    if (taken !== undefined) return invalid(`cannot add '${id}': ${taken} already uses that id`);
  } else {
    id = uniqueId(sanitizeId(`order-${first}-${then}-${kind.toLowerCase()}`), usedIds(config));
  }
  const constraint: OrderConstraint = {
    id,
    first,
    then,
    firstAction,
    thenAction,
    kind,
    // Pacemaker: symmetrical defaults to true, except for Serialize, which cannot be symmetrical.
    symmetrical: symmetrical ?? kind !== 'Serialize',
  };
  if (score !== undefined) constraint.score = score;
  if (requireAll !== undefined) constraint.requireAll = requireAll;
  const next = structuredClone(config);
  next.constraints.order.push(constraint);
  return success({ config: next, warnings: [] });
}

function orderRemove(config: ClusterConfig, ids: readonly string[]): CommandResult<ConfigEdit> {
  if (ids.length === 0) return usageError('usage: tandem constraint order remove RSC...');
  const names = new Set(ids);
  const gone = config.constraints.order.filter((c) => names.has(c.first) || names.has(c.then));
  if (gone.length === 0)
    return invalid(`no order constraint names ${ids.map((i) => `'${i}'`).join(', ')}: nothing to remove`);
  const next = structuredClone(config);
  next.constraints.order = next.constraints.order.filter((c) => !gone.some((g) => g.id === c.id));
  return success({ config: next, warnings: gone.map((c) => `removed constraint '${c.id}'`) });
}
