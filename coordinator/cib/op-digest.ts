/**
 * Pacemaker's `op-digest` for an operation (`pe_digest.c:calculate_main_digest` +
 * `pcmk__filter_op_for_digest` + v1 digest): MD5 of ` <parameters a="…" b="…"/>\n` with the
 * resource's instance attributes and the op's instance attributes sorted by name, plus
 * `CRM_meta_timeout` (ms) for recurring operations only. Matching digests tell the scheduler the
 * operation ran with the current definition; a mismatch means "parameters changed, restart".
 */
import type { Attributes, ClusterConfig, Operation, Primitive, Resource } from './model.ts';
import type { ClusterStatus } from './status.ts';
import { md5Hex } from './md5.ts';
import { splitOpAttributes } from './op-attributes.ts';
import { parseDurationMs } from './duration.ts';
import { escapeXmlAttr } from './xml-tree.ts';

/** Pacemaker's default operation timeout. */
export const DEFAULT_OP_TIMEOUT_MS = 20_000;

/** The op definition that a history entry (name + interval) belongs to, if configured. */
export function findOperation(primitive: Primitive, name: string, intervalMs: number): Operation | undefined {
  return primitive.operations.find((o) => o.name === name && o.intervalMs === intervalMs);
}

/** Timeout an action gets: its op's timeout, else op_defaults `timeout`, else 20s. */
export function effectiveTimeoutMs(op: Operation | undefined, opDefaults: Attributes): number {
  if (op?.timeoutMs !== undefined) return op.timeoutMs;
  const d = opDefaults['timeout'];
  if (d !== undefined) {
    const parsed = parseDurationMs(d);
    if (parsed.ok) return parsed.value;
  }
  return DEFAULT_OP_TIMEOUT_MS;
}

export function computeOpDigest(
  primitive: Primitive,
  name: string,
  intervalMs: number,
  opDefaults: Attributes = {},
): string {
  const op = findOperation(primitive, name, intervalMs);
  const params = new Map<string, string>();
  for (const [k, v] of Object.entries(primitive.instanceAttributes)) params.set(k, v);
  for (const [k, v] of Object.entries(splitOpAttributes(op?.attributes).instance)) params.set(k, v);
  for (const k of [...params.keys()]) {
    if (k.startsWith('CRM_meta_') || FILTERED.has(k)) params.delete(k);
  }
  if (intervalMs > 0) params.set('CRM_meta_timeout', String(effectiveTimeoutMs(op, opDefaults)));
  const names = [...params.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const attrs = names.map((k) => ` ${k}="${escapeXmlAttr(params.get(k) ?? '')}"`).join('');
  return md5Hex(` <parameters${attrs}/>\n`);
}

const FILTERED = new Set([
  'id',
  'crm_feature_set',
  'op-digest',
  'on_node',
  'on_node_uuid',
  'pcmk_external_ip',
]);

/**
 * A copy of `status` where every history entry without an `opDigest` gets the digest of the
 * current definition (entries of resources not in `config` are left alone). For scenarios and
 * differential tests that mean "these operations ran with today's parameters".
 */
export function fillOpDigests(config: ClusterConfig, status: ClusterStatus): ClusterStatus {
  const prims = new Map<string, Primitive>();
  const add = (r: Resource): void => {
    if (r.kind === 'primitive') prims.set(r.id, r);
    else if (r.kind === 'group') r.members.forEach(add);
    else add(r.child);
  };
  config.resources.forEach(add);
  return {
    ...status,
    nodes: status.nodes.map((n) => ({
      ...n,
      history: n.history.map((h) => {
        const prim = prims.get(h.id) ?? prims.get(h.id.replace(/:\d+$/, ''));
        if (prim === undefined) return h;
        return {
          ...h,
          ops: h.ops.map((op) =>
            op.opDigest !== undefined
              ? op
              : { ...op, opDigest: computeOpDigest(prim, op.operation, op.intervalMs, config.opDefaults) },
          ),
        };
      }),
    })),
  };
}
