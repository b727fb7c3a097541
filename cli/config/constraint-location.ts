/**
 * Location constraints, pcs syntax:
 *   constraint location RSC prefers NODE[=SCORE]…      (score defaults to INFINITY)
 *   constraint location RSC avoids NODE[=SCORE]…       (the score is negated)
 *   constraint location RSC rule [id=ID] [constraint-id=ID] [role=ROLE] [resource-discovery=…]
 *                                [score=SCORE | score-attribute=ATTR] EXPRESSION
 *   constraint location add ID RSC NODE SCORE [resource-discovery=…]
 * Generated ids as pcs makes them: `location-RSC-NODE-SCORE` (prefers/avoids; an existing
 * constraint for the same resource and node is replaced), `location-RSC` (rule).
 */
import {
  formatScore,
  INFINITY,
  type ClusterConfig,
  type LocationConstraint,
} from '../../coordinator/cib/index.ts';
import { checkId, parseNameValue, sanitizeId, splitFlags, uniqueId } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';
import { checkConstraintResource, parseRole, parseScoreWord, checkNodes } from './constraint-common.ts';
import { describeId, usedIds } from './resource-tree.ts';
import { parseRule } from './rule-expression.ts';

const USAGE =
  'usage: tandem constraint location RSC prefers|avoids NODE[=SCORE]... | ' +
  'tandem constraint location RSC rule [id=ID] [score=SCORE|score-attribute=ATTR] EXPRESSION | ' +
  'tandem constraint location add ID RSC NODE SCORE';

const DISCOVERY = ['always', 'never', 'exclusive'] as const;
type Discovery = (typeof DISCOVERY)[number];

function parseDiscovery(value: string, command: string): CommandResult<Discovery> {
  const found = DISCOVERY.find((d) => d === value);
  return found
    ? success(found)
    : usageError(`\`${command}\`: resource-discovery='${value}': use one of ${DISCOVERY.join(', ')}`);
}

export function locationCommand(config: ClusterConfig, args: readonly string[]): CommandResult<ConfigEdit> {
  const split = splitFlags(args, { booleans: ['--force'] }, 'constraint location');
  if (!split.ok) return split;
  const force = split.value.flags.get('--force') === true;
  const words = split.value.words;
  if (words[0] === 'add') return locationAdd(config, words.slice(1), force);
  const [rsc, mode, ...rest] = words;
  if (rsc === undefined || mode === undefined) return usageError(USAGE);
  switch (mode) {
    case 'prefers':
    case 'avoids':
      return preferAvoid(config, rsc, mode, rest, force);
    case 'rule':
      return locationRule(config, rsc, rest, force);
    default:
      return usageError(`\`constraint location ${rsc} ${mode}\`: expected prefers, avoids or rule. ${USAGE}`);
  }
}

function preferAvoid(
  config: ClusterConfig,
  rsc: string,
  mode: 'prefers' | 'avoids',
  specs: readonly string[],
  force: boolean,
): CommandResult<ConfigEdit> {
  const command = `constraint location ${mode}`;
  if (specs.length === 0) return usageError(`usage: tandem constraint location RSC ${mode} NODE[=SCORE]...`);
  const target = checkConstraintResource(config, rsc, force);
  if (!target.ok) return target;
  const next = structuredClone(config);
  const warnings: string[] = [];
  const nodes: string[] = [];
  for (const spec of specs) {
    const nv = parseNameValue(spec);
    const node = nv?.name ?? spec;
    let score = INFINITY;
    if (nv !== undefined) {
      const parsed = parseScoreWord(nv.value, command);
      if (!parsed.ok) return parsed;
      score = parsed.value;
    }
    if (mode === 'avoids') score = -score;
    nodes.push(node);
    const replaced = next.constraints.location.filter(
      (c) => c.rsc === rsc && c.node === node && c.rules === undefined,
    );
    for (const old of replaced) warnings.push(`replaced constraint '${old.id}' (same resource and node)`);
    next.constraints.location = next.constraints.location.filter((c) => !replaced.includes(c));
    const id = uniqueId(sanitizeId(`location-${rsc}-${node}-${formatScore(score)}`), usedIds(next));
    next.constraints.location.push({ id, rsc, node, score });
  }
  const known = checkNodes(config, nodes);
  if (!known.ok) return known;
  return success({ config: next, warnings });
}

function locationAdd(
  config: ClusterConfig,
  args: readonly string[],
  force: boolean,
): CommandResult<ConfigEdit> {
  const command = 'constraint location add';
  const [id, rsc, node, scoreText, ...options] = args;
  if (id === undefined || rsc === undefined || node === undefined || scoreText === undefined) {
    return usageError('usage: tandem constraint location add ID RSC NODE SCORE [resource-discovery=OPTION]');
  }
  const idOk = checkId(id, 'constraint id');
  if (!idOk.ok) return idOk;
  const taken = describeId(config, id);
  if (taken !== undefined) return invalid(`cannot add '${id}': ${taken} already uses that id`);
  const target = checkConstraintResource(config, rsc, force);
  if (!target.ok) return target;
  const score = parseScoreWord(scoreText, command);
  if (!score.ok) return score;
  const constraint: LocationConstraint = { id, rsc, node, score: score.value };
  for (const option of options) {
    const nv = parseNameValue(option);
    if (nv?.name !== 'resource-discovery') return usageError(`\`${command}\`: unknown option '${option}'`);
    const d = parseDiscovery(nv.value, command);
    if (!d.ok) return d;
    constraint.resourceDiscovery = d.value;
  }
  const known = checkNodes(config, [node]);
  if (!known.ok) return known;
  const next = structuredClone(config);
  next.constraints.location.push(constraint);
  return success({ config: next, warnings: [] });
}

function locationRule(
  config: ClusterConfig,
  rsc: string,
  args: readonly string[],
  force: boolean,
): CommandResult<ConfigEdit> {
  const command = 'constraint location rule';
  const target = checkConstraintResource(config, rsc, force);
  if (!target.ok) return target;
  let i = 0;
  const options = new Map<string, string>();
  for (; i < args.length; i++) {
    const nv = parseNameValue(args[i] ?? '');
    if (nv === undefined) break;
    options.set(nv.name, nv.value);
  }
  const expression = args.slice(i);
  if (expression.length === 0)
    return usageError(`\`${command}\`: missing the rule expression, e.g. pingd lt 1 or not_defined pingd`);
  const used = usedIds(config);
  const constraint: LocationConstraint = { id: '', rsc };
  let ruleId: string | undefined;
  let score: number | undefined;
  let scoreAttribute: string | undefined;
  let role: string | undefined;
  for (const [name, value] of options) {
    switch (name) {
      case 'id':
        ruleId = value;
        break;
      case 'constraint-id':
        constraint.id = value;
        break;
      case 'score': {
        const s = parseScoreWord(value, command);
        if (!s.ok) return s;
        score = s.value;
        break;
      }
      case 'score-attribute':
        scoreAttribute = value;
        break;
      case 'role': {
        role = parseRole(value);
        if (role === undefined)
          return usageError(`\`${command}\`: role='${value}': use Started, Stopped, Promoted or Unpromoted`);
        break;
      }
      case 'resource-discovery': {
        const d = parseDiscovery(value, command);
        if (!d.ok) return d;
        constraint.resourceDiscovery = d.value;
        break;
      }
      default:
        return usageError(
          `\`${command}\`: unknown option '${name}' (use id, constraint-id, role, resource-discovery, score, score-attribute)`,
        );
    }
  }
  if (score !== undefined && scoreAttribute !== undefined) {
    return usageError(`\`${command}\`: give score= or score-attribute=, not both`);
  }
  for (const [what, id] of [
    ['constraint id', constraint.id],
    ['rule id', ruleId],
  ] as const) {
    if (id === undefined || id === '') continue;
    const ok = checkId(id, what);
    if (!ok.ok) return ok;
    if (used.has(id)) return invalid(`${what} '${id}' is already in use: choose another`);
  }
  if (constraint.id === '') constraint.id = uniqueId(sanitizeId(`location-${rsc}`), used);
  used.add(constraint.id);
  ruleId ??= uniqueId(`${constraint.id}-rule`, used);
  used.add(ruleId);
  const rule = parseRule(expression, ruleId, used);
  if (!rule.ok) return rule;
  if (scoreAttribute !== undefined) rule.value.scoreAttribute = scoreAttribute;
  else rule.value.score = score ?? INFINITY;
  if (role !== undefined) constraint.role = role;
  constraint.rules = [rule.value];
  const next = structuredClone(config);
  next.constraints.location.push(constraint);
  return success({ config: next, warnings: [] });
}
