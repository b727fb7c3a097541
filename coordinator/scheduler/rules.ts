/**
 * Location-rule evaluation on node attributes (Pacemaker's `pe_test_rule` / `evaluate_attr_comparison`).
 *
 * Reads a rule and a node-attribute lookup; returns whether the rule matches. Pure.
 * Undefined attributes: `defined` is false, `not_defined` true, every comparison is unsatisfied
 * (so `pingd lt 1` alone does not ban a node where pingd was never set).
 */
import type { AttributeExpression, Rule } from '../cib/model.ts';

export type AttributeLookup = (name: string) => string | undefined;

export function ruleMatches(rule: Rule, attrs: AttributeLookup): boolean {
  if (rule.expressions.length === 0) return true;
  if (rule.booleanOp === 'or') {
    return rule.expressions.some((e) =>
      e.kind === 'rule' ? ruleMatches(e, attrs) : expressionMatches(e, attrs),
    );
  }
  return rule.expressions.every((e) =>
    e.kind === 'rule' ? ruleMatches(e, attrs) : expressionMatches(e, attrs),
  );
}

export function expressionMatches(expr: AttributeExpression, attrs: AttributeLookup): boolean {
  const actual = attrs(expr.attribute);
  if (expr.operation === 'defined') return actual !== undefined;
  if (expr.operation === 'not_defined') return actual === undefined;
  // value-source param/meta reference resource parameters; not supported in node-attribute rules here.
  if (expr.valueSource === 'param' || expr.valueSource === 'meta') return false;
  const wanted = expr.value;
  if (actual === undefined || wanted === undefined) return false;
  const type = expr.type ?? defaultType(expr.operation, actual, wanted);
  const cmp = compareValues(type, actual, wanted);
  switch (expr.operation) {
    case 'eq':
      return cmp === 0;
    case 'ne':
      return cmp !== 0;
    case 'lt':
      return cmp < 0;
    case 'lte':
      return cmp <= 0;
    case 'gt':
      return cmp > 0;
    case 'gte':
      return cmp >= 0;
  }
}

function defaultType(
  op: AttributeExpression['operation'],
  a: string,
  b: string,
): 'string' | 'integer' | 'number' | 'version' {
  if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') {
    return a.includes('.') || b.includes('.') ? 'number' : 'integer';
  }
  return 'string';
}

function compareValues(type: 'string' | 'integer' | 'number' | 'version', a: string, b: string): number {
  if (type === 'integer' || type === 'number') {
    const x = type === 'integer' ? parseIntPrefix(a) : Number.parseFloat(a);
    const y = type === 'integer' ? parseIntPrefix(b) : Number.parseFloat(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x < y ? -1 : x > y ? 1 : 0;
    return compareStrings(a, b);
  }
  if (type === 'version') return compareVersions(a, b);
  return compareStrings(a, b);
}

function parseIntPrefix(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m?.[1] === undefined ? Number.NaN : Number(m[1]);
}

function compareStrings(a: string, b: string): number {
  // Pacemaker compares strings case-insensitively (strcasecmp).
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareVersions(a: string, b: string): number {
  const xs = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const ys = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const n = Math.max(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
