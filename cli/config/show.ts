/**
 * Read-only listings in pcs's text layout: `property [config]`, `constraint [config]`,
 * `resource config [ID]`, `resource [op] defaults [config]`, `node attribute [NODE]`.
 * `showConfig` returns undefined when the words are not a listing (then they are an edit).
 */
import {
  formatScore,
  type AttributeExpression,
  type Attributes,
  type ClusterConfig,
  type Operation,
  type Resource,
  type Rule,
} from '../../coordinator/cib/index.ts';
import { type CommandResult, invalid, success, usageError } from './command-result.ts';
import { findResource } from './resource-tree.ts';

const LIST_WORDS = ['config', 'list', 'show'];

function pairs(attrs: Attributes): string {
  return Object.entries(attrs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function formatMs(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function formatOperation(op: Operation): string {
  const parts = [op.name, `interval=${formatMs(op.intervalMs)}`];
  if (op.timeoutMs !== undefined) parts.push(`timeout=${formatMs(op.timeoutMs)}`);
  if (op.onFail !== undefined) parts.push(`on-fail=${op.onFail}`);
  if (op.role !== undefined) parts.push(`role=${op.role}`);
  if (op.enabled !== undefined) parts.push(`enabled=${String(op.enabled)}`);
  for (const [k, v] of Object.entries(op.attributes ?? {})) parts.push(`${k}=${v}`);
  if (op.id !== undefined) parts.push(`(${op.id})`);
  return parts.join(' ');
}

function describeResource(r: Resource, indent: string, out: string[]): void {
  const meta = pairs(r.metaAttributes);
  switch (r.kind) {
    case 'primitive': {
      const { standard, provider, type } = r.agent;
      const klass = `class=${standard}${provider !== undefined ? ` provider=${provider}` : ''} type=${type}`;
      out.push(`${indent}Resource: ${r.id} (${klass})`);
      if (Object.keys(r.instanceAttributes).length > 0)
        out.push(`${indent}  Attributes: ${pairs(r.instanceAttributes)}`);
      if (meta !== '') out.push(`${indent}  Meta Attrs: ${meta}`);
      const [first, ...others] = r.operations.map(formatOperation);
      if (first !== undefined) {
        out.push(`${indent}  Operations: ${first}`);
        for (const o of others) out.push(`${indent}              ${o}`);
      }
      return;
    }
    case 'group':
      out.push(`${indent}Group: ${r.id}`);
      if (meta !== '') out.push(`${indent}  Meta Attrs: ${meta}`);
      for (const m of r.members) describeResource(m, `${indent}  `, out);
      return;
    case 'clone':
      out.push(`${indent}Clone: ${r.id}`);
      if (meta !== '') out.push(`${indent}  Meta Attrs: ${meta}`);
      describeResource(r.child, `${indent}  `, out);
      return;
  }
}

export function formatResources(config: ClusterConfig, id?: string): CommandResult<string> {
  const out: string[] = [];
  if (id !== undefined) {
    const loc = findResource(config, id);
    if (!loc) return invalid(`unknown resource '${id}'`);
    describeResource(loc.resource, ' ', out);
  } else {
    for (const r of config.resources) describeResource(r, ' ', out);
  }
  return success(out.map((l) => `${l}\n`).join(''));
}

function formatExpression(e: AttributeExpression | Rule): string {
  if (e.kind === 'rule') return `(${e.expressions.map(formatExpression).join(` ${e.booleanOp} `)})`;
  if (e.operation === 'defined' || e.operation === 'not_defined') return `${e.operation} ${e.attribute}`;
  return [e.attribute, e.operation, e.type, e.value].filter((x) => x !== undefined).join(' ');
}

export function formatConstraints(config: ClusterConfig): string {
  const { location, colocation, order } = config.constraints;
  const out = ['Location Constraints:'];
  for (const c of location) {
    const extra = [
      c.role !== undefined ? `role=${c.role}` : '',
      c.resourceDiscovery !== undefined ? `resource-discovery=${c.resourceDiscovery}` : '',
    ]
      .filter((x) => x !== '')
      .join(' ');
    if (c.node !== undefined) {
      out.push(
        `  Resource: ${c.rsc}`,
        `    ${(c.score ?? 0) < 0 ? 'Disabled' : 'Enabled'} on: ${c.node} (score:${formatScore(c.score ?? 0)}) (id:${c.id})${extra ? ` ${extra}` : ''}`,
      );
      continue;
    }
    out.push(`  Resource: ${c.rsc}`, `    Constraint: ${c.id}${extra ? ` ${extra}` : ''}`);
    for (const rule of c.rules ?? []) {
      const score =
        rule.scoreAttribute !== undefined
          ? `score-attribute=${rule.scoreAttribute}`
          : `score=${formatScore(rule.score ?? 0)}`;
      out.push(`      Rule: boolean-op=${rule.booleanOp} ${score} (id:${rule.id ?? ''})`);
      for (const e of rule.expressions)
        out.push(`        Expression: ${formatExpression(e)} (id:${e.id ?? ''})`);
    }
  }
  out.push('Ordering Constraints:');
  for (const c of order) {
    out.push(
      `  ${c.firstAction} ${c.first} then ${c.thenAction} ${c.then} (kind:${c.kind})` +
        `${c.symmetrical ? '' : ' (non-symmetrical)'} (id:${c.id})`,
    );
  }
  out.push('Colocation Constraints:');
  for (const c of colocation) {
    const roles = `${c.rscRole !== undefined ? ` (rsc-role:${c.rscRole})` : ''}${c.withRscRole !== undefined ? ` (with-rsc-role:${c.withRscRole})` : ''}`;
    out.push(`  ${c.rsc} with ${c.withRsc} (score:${formatScore(c.score)})${roles} (id:${c.id})`);
  }
  return out.map((l) => `${l}\n`).join('');
}

function formatAttributes(title: string, attrs: Attributes): string {
  const entries = Object.entries(attrs);
  if (entries.length === 0) return `${title}: (none)\n`;
  return `${title}:\n${entries.map(([k, v]) => ` ${k}: ${v}\n`).join('')}`;
}

function isListing(rest: readonly string[]): boolean {
  return rest.length === 0 || (rest.length === 1 && LIST_WORDS.includes(rest[0] ?? ''));
}

/** The listing for `words`, or undefined when `words` is not a listing command. */
export function showConfig(
  config: ClusterConfig,
  words: readonly string[],
): CommandResult<string> | undefined {
  const [family, sub, ...rest] = words;
  switch (family ?? '') {
    case 'property':
      if (sub === undefined || LIST_WORDS.includes(sub)) {
        return success(formatAttributes(`Cluster Properties (${config.clusterName})`, config.properties));
      }
      return undefined;
    case 'constraint':
      if (sub === undefined || LIST_WORDS.includes(sub)) return success(formatConstraints(config));
      return undefined;
    case 'resource': {
      if (sub === 'config' || sub === 'show') {
        if (rest.length > 1) return usageError('usage: tandem resource config [ID]');
        return formatResources(config, rest[0]);
      }
      if (sub === 'defaults' && isListing(rest))
        return success(formatAttributes('Resource Defaults', config.rscDefaults));
      if ((sub === 'op' || sub === 'rsc') && rest[0] === 'defaults' && isListing(rest.slice(1))) {
        return success(
          sub === 'op'
            ? formatAttributes('Operation Defaults', config.opDefaults)
            : formatAttributes('Resource Defaults', config.rscDefaults),
        );
      }
      return undefined;
    }
    case 'node': {
      if (sub !== 'attribute' || rest.length > 1) return undefined;
      const nodes = rest[0] === undefined ? config.nodes : config.nodes.filter((n) => n.name === rest[0]);
      if (nodes.length === 0) return invalid(`unknown node '${rest[0] ?? ''}'`);
      return success(
        `Node Attributes:\n${nodes.map((n) => ` ${n.name}: ${pairs(n.attributes)}\n`).join('')}`,
      );
    }
    default:
      return undefined;
  }
}
