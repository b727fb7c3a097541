/**
 * pcs rule syntax for location constraints, into the model's Rule tree:
 *
 *   expr := term (and|or term)*        one operator per level; mix them with parentheses
 *   term := ( expr ) | defined ATTR | not_defined ATTR
 *         | ATTR lt|gt|lte|gte|eq|ne [string|integer|number|version] VALUE
 *
 * Ids follow pcs: the rule `CONSTRAINT-rule`, its expressions `RULE-expr`, `RULE-expr-1`, …,
 * nested rules `RULE-rule`, all made unique against `used` (the ids are added to it).
 * Date expressions are not supported yet.
 */
import type { AttributeExpression, ExpressionOp, Rule } from '../../coordinator/cib/index.ts';
import { uniqueId } from './args.ts';
import { type CommandResult, success, usageError } from './command-result.ts';

const COMPARISONS: readonly ExpressionOp[] = ['lt', 'gt', 'lte', 'gte', 'eq', 'ne'];
const TYPES = ['string', 'integer', 'number', 'version'] as const;
type ValueType = (typeof TYPES)[number];

/** A parsed expression before ids are assigned. */
type Node =
  | { kind: 'expression'; attribute: string; operation: ExpressionOp; value?: string; type?: ValueType }
  | { kind: 'combination'; op: 'and' | 'or'; children: Node[] };

/** Splits `(a` / `b)` so parentheses may be written with or without spaces. */
export function tokenizeRule(words: readonly string[]): string[] {
  return words.flatMap((w) => w.split(/([()])/).filter((t) => t !== ''));
}

class RuleParser {
  private pos = 0;
  constructor(private readonly tokens: readonly string[]) {}

  parse(): CommandResult<Node> {
    const node = this.expression();
    if (!node.ok) return node;
    const extra = this.tokens[this.pos];
    if (extra !== undefined) return this.error(`unexpected '${extra}'`);
    return node;
  }

  private error(problem: string): CommandResult<Node> {
    return usageError(
      `rule: ${problem} in '${this.tokens.join(' ')}': write e.g. \`pingd lt 1 or not_defined pingd\` ` +
        `(defined|not_defined ATTR, ATTR lt|gt|lte|gte|eq|ne [string|integer|number|version] VALUE, and/or, parentheses)`,
    );
  }

  private expression(): CommandResult<Node> {
    const first = this.term();
    if (!first.ok) return first;
    const children = [first.value];
    let op: 'and' | 'or' | undefined;
    for (;;) {
      const t = this.tokens[this.pos];
      if (t !== 'and' && t !== 'or') break;
      if (op !== undefined && op !== t) return this.error(`'and' and 'or' mixed without parentheses`);
      op = t;
      this.pos++;
      const next = this.term();
      if (!next.ok) return next;
      children.push(next.value);
    }
    if (op === undefined) return first;
    return success({ kind: 'combination', op, children });
  }

  private term(): CommandResult<Node> {
    const t = this.tokens[this.pos];
    if (t === undefined) return this.error('missing expression');
    if (t === '(') {
      this.pos++;
      const inner = this.expression();
      if (!inner.ok) return inner;
      if (this.tokens[this.pos] !== ')') return this.error(`missing ')'`);
      this.pos++;
      return inner;
    }
    if (t === ')' || t === 'and' || t === 'or') return this.error(`unexpected '${t}'`);
    if (t === 'date' || t === 'date-spec') return this.error('date expressions are not supported yet');
    if (t === 'defined' || t === 'not_defined') {
      const attribute = this.tokens[this.pos + 1];
      if (attribute === undefined || ['(', ')', 'and', 'or'].includes(attribute)) {
        return this.error(`'${t}' needs a node attribute name`);
      }
      this.pos += 2;
      return success({ kind: 'expression', attribute, operation: t });
    }
    const attribute = t;
    const op = this.tokens[this.pos + 1];
    if (op === undefined || !(COMPARISONS as readonly string[]).includes(op)) {
      return this.error(`'${attribute}' must be followed by lt, gt, lte, gte, eq or ne`);
    }
    this.pos += 2;
    let type: ValueType | undefined;
    const maybeType = this.tokens[this.pos];
    if ((TYPES as readonly string[]).includes(maybeType ?? '') && this.tokens[this.pos + 1] !== undefined) {
      type = maybeType as ValueType;
      this.pos++;
    }
    const value = this.tokens[this.pos];
    if (value === undefined || ['(', ')'].includes(value))
      return this.error(`'${attribute} ${op}' needs a value`);
    this.pos++;
    if (type === 'integer' && !/^[-+]?\d+$/.test(value)) return this.error(`'${value}' is not an integer`);
    if (type === 'number' && !Number.isFinite(Number(value))) return this.error(`'${value}' is not a number`);
    const node: Node = { kind: 'expression', attribute, operation: op as ExpressionOp, value };
    if (type !== undefined) node.type = type;
    return success(node);
  }
}

function buildExpressions(node: Node, ruleId: string, used: Set<string>): (AttributeExpression | Rule)[] {
  const children = node.kind === 'combination' ? node.children : [node];
  return children.map((child) => {
    if (child.kind === 'combination') {
      const id = uniqueId(`${ruleId}-rule`, used);
      used.add(id);
      return { kind: 'rule', id, booleanOp: child.op, expressions: buildExpressions(child, id, used) };
    }
    const id = uniqueId(`${ruleId}-expr`, used);
    used.add(id);
    const expr: AttributeExpression = {
      kind: 'expression',
      id,
      attribute: child.attribute,
      operation: child.operation,
    };
    if (child.value !== undefined) expr.value = child.value;
    if (child.type !== undefined) expr.type = child.type;
    return expr;
  });
}

/** Parses `words` into a rule with id `ruleId` (already reserved by the caller in `used`). */
export function parseRule(words: readonly string[], ruleId: string, used: Set<string>): CommandResult<Rule> {
  const parsed = new RuleParser(tokenizeRule(words)).parse();
  if (!parsed.ok) return parsed;
  const node = parsed.value;
  return success({
    kind: 'rule',
    id: ruleId,
    booleanOp: node.kind === 'combination' ? node.op : 'and',
    expressions: buildExpressions(node, ruleId, used),
  });
}
