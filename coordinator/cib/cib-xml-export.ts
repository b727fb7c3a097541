/**
 * tandem's model (and optionally the cluster state) → a full Pacemaker `<cib>` document that
 * `crm_verify -x` accepts and `crm_simulate -x` reads as tandem meant it.
 *
 * Ids the model leaves out are generated from the owner's id, the way pcs names them
 * (`ClusterIP-instance_attributes`, `ClusterIP-monitor-interval-30s`, `location-x-rule-expr`), made
 * unique with `-1`, `-2` … when taken. The output is deterministic: same input, same bytes.
 * Pure: no I/O, no clock.
 */
import type {
  AttributeExpression,
  Attributes,
  ClusterConfig,
  Clone,
  ColocationConstraint,
  Group,
  LocationConstraint,
  NodeConfig,
  Operation,
  OrderConstraint,
  Primitive,
  Resource,
  Rule,
} from './model.ts';
import type { ClusterStatus, NodeState, OpRecord, ResourceHistory } from './status.ts';
import { computeOpDigest } from './op-digest.ts';
import { splitOpAttributes } from './op-attributes.ts';
import { formatScore } from './score.ts';
import { el, writeXml, type XmlElement } from './xml-tree.ts';
import { formatDurationMs } from './xml-values.ts';

export interface CibExportOptions {
  /** `validate-with` (default pacemaker-3.9, the newest schema Pacemaker 2.1.5 ships). */
  validateWith?: string;
  /** `crm_feature_set` (default: the status's, else 3.16.1, Pacemaker 2.1.5's). */
  crmFeatureSet?: string;
  /**
   * Compute `op-digest` for history entries that have none, from the current definition, so
   * Pacemaker sees the operation as run with the current parameters instead of scheduling a
   * restart for "changed parameters". Default false: the export says exactly what the model says
   * (tandem, like Pacemaker, reads a missing digest as a changed definition). To put digests in
   * the model itself, use `fillOpDigests(config, status)`.
   */
  fillDigests?: boolean;
}

export const DEFAULT_VALIDATE_WITH = 'pacemaker-3.9';
export const DEFAULT_CRM_FEATURE_SET = '3.16.1';
const UUID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

/** Allocates document-unique XML ids: the wanted id if free, else wanted-1, wanted-2, … */
class IdAllocator {
  private readonly used = new Set<string>();

  /** Reserves every id the model states explicitly, so generated ids never collide with them. */
  reserve(id: string | undefined): void {
    if (id !== undefined) this.used.add(id);
  }

  /** The model's own id when given, else a fresh one derived from `base`. */
  take(explicit: string | undefined, base: string): string {
    if (explicit !== undefined) return explicit;
    const clean = sanitizeId(base);
    let id = clean;
    for (let i = 1; this.used.has(id); i++) id = `${clean}-${i}`;
    this.used.add(id);
    return id;
  }
}

/** Makes an XML ID (NCName-like) from any string: `#` and `:` become `.` as in Pacemaker's ids. */
function sanitizeId(s: string): string {
  const replaced = s.replace(/[#:]/g, '.').replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(replaced) ? replaced : `_${replaced}`;
}

function reserveModelIds(ids: IdAllocator, config: ClusterConfig): void {
  const reservePrimitive = (p: Primitive): void => {
    ids.reserve(p.id);
    for (const o of p.operations) ids.reserve(o.id);
  };
  const reserveRule = (r: Rule): void => {
    ids.reserve(r.id);
    for (const x of r.expressions) {
      if (x.kind === 'rule') reserveRule(x);
      else ids.reserve(x.id);
    }
  };
  for (const r of config.resources) {
    ids.reserve(r.id);
    if (r.kind === 'primitive') reservePrimitive(r);
    else if (r.kind === 'group') r.members.forEach(reservePrimitive);
    else if (r.child.kind === 'primitive') reservePrimitive(r.child);
    else {
      ids.reserve(r.child.id);
      r.child.members.forEach(reservePrimitive);
    }
  }
  for (const l of config.constraints.location) {
    ids.reserve(l.id);
    for (const r of l.rules ?? []) reserveRule(r);
  }
  for (const c of config.constraints.colocation) ids.reserve(c.id);
  for (const o of config.constraints.order) ids.reserve(o.id);
}

function nvset(ids: IdAllocator, tag: string, setId: string, attrs: Attributes): XmlElement[] {
  const entries = Object.entries(attrs);
  if (entries.length === 0) return [];
  const id = ids.take(undefined, setId);
  return [
    el(
      tag,
      { id },
      entries.map(([name, value]) => el('nvpair', { id: ids.take(undefined, `${id}-${name}`), name, value })),
    ),
  ];
}

export function toCibXml(config: ClusterConfig, status?: ClusterStatus, opts: CibExportOptions = {}): string {
  const ids = new IdAllocator();
  reserveModelIds(ids, config);
  const featureSet = opts.crmFeatureSet ?? status?.crmFeatureSet ?? DEFAULT_CRM_FEATURE_SET;
  const cibAttrs: Record<string, string | undefined> = {
    crm_feature_set: featureSet,
    'validate-with': opts.validateWith ?? DEFAULT_VALIDATE_WITH,
    epoch: String(config.version.epoch),
    num_updates: String(config.version.numUpdates),
    admin_epoch: String(config.version.adminEpoch),
  };
  if (status !== undefined) {
    cibAttrs['have-quorum'] = status.haveQuorum ? '1' : '0';
    if (status.dc !== undefined) cibAttrs['dc-uuid'] = nodeIdOf(config, status, status.dc);
  }

  const properties: Attributes = { ...config.properties };
  if (config.clusterName !== '' && properties['cluster-name'] === undefined) {
    properties['cluster-name'] = config.clusterName;
  }
  const configuration = el('configuration', {}, [
    el('crm_config', {}, nvset(ids, 'cluster_property_set', 'cib-bootstrap-options', properties)),
    el(
      'nodes',
      {},
      config.nodes.map((n) => nodeElement(ids, n)),
    ),
    el(
      'resources',
      {},
      config.resources.map((r) => resourceElement(ids, r)),
    ),
    el('constraints', {}, [
      ...config.constraints.location.map((l) => locationElement(ids, l)),
      ...config.constraints.colocation.map((c) => colocationElement(c)),
      ...config.constraints.order.map((o) => orderElement(o)),
    ]),
  ]);
  if (Object.keys(config.rscDefaults).length > 0) {
    configuration.children.push(
      el('rsc_defaults', {}, nvset(ids, 'meta_attributes', 'rsc_defaults-options', config.rscDefaults)),
    );
  }
  if (Object.keys(config.opDefaults).length > 0) {
    configuration.children.push(
      el('op_defaults', {}, nvset(ids, 'meta_attributes', 'op_defaults-options', config.opDefaults)),
    );
  }
  const statusChildren =
    status === undefined
      ? []
      : status.nodes.map((n) => nodeStateElement(config, status, n, opts.fillDigests ?? false));
  return writeXml(el('cib', cibAttrs, [configuration, el('status', {}, statusChildren)]));
}

function nodeElement(ids: IdAllocator, n: NodeConfig): XmlElement {
  return el('node', { id: n.id, uname: n.name }, [
    ...nvset(ids, 'instance_attributes', `nodes-${n.id}`, n.attributes),
    ...nvset(ids, 'utilization', `nodes-${n.id}-utilization`, n.utilization ?? {}),
  ]);
}

function resourceElement(ids: IdAllocator, r: Resource): XmlElement {
  switch (r.kind) {
    case 'primitive':
      return primitiveElement(ids, r);
    case 'group':
      return groupElement(ids, r);
    case 'clone':
      return cloneElement(ids, r);
  }
}

function primitiveElement(ids: IdAllocator, p: Primitive): XmlElement {
  const attrs: Record<string, string | undefined> = {
    id: p.id,
    class: p.agent.standard,
    provider: p.agent.provider,
    type: p.agent.type,
    description: p.description,
  };
  const ops = p.operations.map((o) => opElement(ids, p.id, o));
  return el('primitive', attrs, [
    ...nvset(ids, 'instance_attributes', `${p.id}-instance_attributes`, p.instanceAttributes),
    ...nvset(ids, 'meta_attributes', `${p.id}-meta_attributes`, p.metaAttributes),
    ...nvset(ids, 'utilization', `${p.id}-utilization`, p.utilization ?? {}),
    ...(ops.length > 0 ? [el('operations', {}, ops)] : []),
  ]);
}

function opElement(ids: IdAllocator, rscId: string, o: Operation): XmlElement {
  const interval = formatDurationMs(o.intervalMs);
  const id = ids.take(o.id, `${rscId}-${o.name}-interval-${interval}`);
  const { xml, instance } = splitOpAttributes(o.attributes);
  const attrs: Record<string, string | undefined> = {
    id,
    name: o.name,
    interval,
    timeout: o.timeoutMs === undefined ? undefined : formatDurationMs(o.timeoutMs),
    'on-fail': o.onFail,
    role: o.role,
    enabled: o.enabled === undefined ? undefined : String(o.enabled),
    ...xml,
  };
  return el('op', attrs, nvset(ids, 'instance_attributes', `${id}-instance_attributes`, instance));
}

function groupElement(ids: IdAllocator, g: Group): XmlElement {
  return el('group', { id: g.id, description: g.description }, [
    ...nvset(ids, 'meta_attributes', `${g.id}-meta_attributes`, g.metaAttributes),
    ...g.members.map((m) => primitiveElement(ids, m)),
  ]);
}

function cloneElement(ids: IdAllocator, c: Clone): XmlElement {
  return el('clone', { id: c.id, description: c.description }, [
    ...nvset(ids, 'meta_attributes', `${c.id}-meta_attributes`, c.metaAttributes),
    c.child.kind === 'group' ? groupElement(ids, c.child) : primitiveElement(ids, c.child),
  ]);
}

function locationElement(ids: IdAllocator, l: LocationConstraint): XmlElement {
  const attrs: Record<string, string | undefined> = {
    id: l.id,
    rsc: l.rsc,
    node: l.node,
    score: l.score === undefined ? undefined : formatScore(l.score),
    role: l.role,
    'resource-discovery': l.resourceDiscovery,
  };
  return el(
    'rsc_location',
    attrs,
    (l.rules ?? []).map((r) => ruleElement(ids, r, `${l.id}-rule`)),
  );
}

function ruleElement(ids: IdAllocator, r: Rule, base: string): XmlElement {
  const id = ids.take(r.id, base);
  const attrs: Record<string, string | undefined> = {
    id,
    score: r.score === undefined ? undefined : formatScore(r.score),
    'score-attribute': r.scoreAttribute,
    'boolean-op': r.booleanOp,
    role: r.role,
  };
  return el(
    'rule',
    attrs,
    r.expressions.map((x) =>
      x.kind === 'rule' ? ruleElement(ids, x, `${id}-rule`) : expressionElement(ids, x, id),
    ),
  );
}

function expressionElement(ids: IdAllocator, x: AttributeExpression, ruleId: string): XmlElement {
  return el('expression', {
    id: ids.take(x.id, `${ruleId}-expr`),
    attribute: x.attribute,
    operation: x.operation,
    value: x.value,
    type: x.type,
    'value-source': x.valueSource,
  });
}

function colocationElement(c: ColocationConstraint): XmlElement {
  return el('rsc_colocation', {
    id: c.id,
    rsc: c.rsc,
    'with-rsc': c.withRsc,
    score: formatScore(c.score),
    'rsc-role': c.rscRole,
    'with-rsc-role': c.withRscRole,
    'node-attribute': c.nodeAttribute,
    influence: c.influence === undefined ? undefined : String(c.influence),
  });
}

/**
 * The schema allows `score` or `kind`, not both. A legacy score is written back as is when it
 * still means the model's kind (0 ⇔ Optional); otherwise kind wins and the score is dropped.
 */
function orderElement(o: OrderConstraint): XmlElement {
  const legacy =
    o.score !== undefined && (o.score === 0) === (o.kind === 'Optional') && o.kind !== 'Serialize';
  return el('rsc_order', {
    id: o.id,
    first: o.first,
    then: o.then,
    'first-action': o.firstAction,
    'then-action': o.thenAction,
    kind: legacy ? undefined : o.kind,
    score: legacy && o.score !== undefined ? formatScore(o.score) : undefined,
    symmetrical: String(o.symmetrical),
    'require-all': o.requireAll === undefined ? undefined : String(o.requireAll),
  });
}

// ---------------------------------------------------------------------------------------------
// <status>

function nodeIdOf(config: ClusterConfig, status: ClusterStatus, name: string): string {
  return (
    config.nodes.find((n) => n.name === name)?.id ??
    status.nodes.find((n) => n.name === name && n.id)?.id ??
    name
  );
}

function primitivesById(config: ClusterConfig): Map<string, Primitive> {
  const out = new Map<string, Primitive>();
  const add = (r: Resource): void => {
    if (r.kind === 'primitive') out.set(r.id, r);
    else if (r.kind === 'group') r.members.forEach(add);
    else add(r.child);
  };
  config.resources.forEach(add);
  return out;
}

function nodeStateElement(
  config: ClusterConfig,
  status: ClusterStatus,
  n: NodeState,
  fillDigests: boolean,
): XmlElement {
  const id = n.id ?? nodeIdOf(config, status, n.name);
  const prims = primitivesById(config);
  const children: XmlElement[] = [
    el('lrm', { id }, [
      el(
        'lrm_resources',
        {},
        n.history.map((h) => historyElement(config, prims, h, n.name, fillDigests)),
      ),
    ]),
  ];
  const transient = Object.entries(n.transientAttributes);
  if (transient.length > 0) {
    // Attribute names such as fail-count-X#monitor_10000 are not valid in ids; nvpair ids only need to be unique.
    const setId = `status-${id}`;
    const taken = new IdAllocator();
    children.push(
      el('transient_attributes', { id }, [
        el(
          'instance_attributes',
          { id: setId },
          transient.map(([name, value]) =>
            el('nvpair', { id: taken.take(undefined, `${setId}-${name}`), name, value }),
          ),
        ),
      ]),
    );
  }
  return el(
    'node_state',
    {
      id,
      uname: n.name,
      in_ccm: String(n.inCcm),
      crmd: n.crmd,
      'crm-debug-origin': 'tandem',
      join: n.join,
      expected: n.expected,
    },
    children,
  );
}

function historyElement(
  config: ClusterConfig,
  prims: Map<string, Primitive>,
  h: ResourceHistory,
  nodeName: string,
  fillDigests: boolean,
): XmlElement {
  // Anonymous clone histories may be recorded as `ping:1`; digests belong to the primitive `ping`.
  const prim = prims.get(h.id) ?? prims.get(h.id.replace(/:\d+$/, ''));
  return el(
    'lrm_resource',
    { id: h.id, type: h.agent.type, class: h.agent.standard, provider: h.agent.provider },
    h.ops.map((op) => opRecordElement(config, prim, h.id, op, nodeName, fillDigests)),
  );
}

function opRecordElement(
  config: ClusterConfig,
  prim: Primitive | undefined,
  rscId: string,
  op: OpRecord,
  nodeName: string,
  fillDigests: boolean,
): XmlElement {
  const isProbe = op.operation === 'monitor' && op.intervalMs === 0;
  const targetRc = op.targetRc ?? (isProbe && op.rc === 7 ? 7 : 0);
  const transitionKey = op.transitionKey ?? `${op.callId}:0:${targetRc}:${UUID_PLACEHOLDER}`;
  const digest =
    op.opDigest ??
    (fillDigests && prim !== undefined
      ? computeOpDigest(prim, op.operation, op.intervalMs, config.opDefaults)
      : undefined);
  const num = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
  return el('lrm_rsc_op', {
    id: op.id,
    operation_key: op.operationKey ?? `${rscId.replace(/:\d+$/, '')}_${op.operation}_${op.intervalMs}`,
    operation: op.operation,
    crm_feature_set: op.crmFeatureSet,
    'transition-key': transitionKey,
    'transition-magic': op.transitionMagic ?? `${op.opStatus}:${op.rc};${transitionKey}`,
    'exit-reason': op.exitReason,
    on_node: op.onNode ?? nodeName,
    'call-id': String(op.callId),
    'rc-code': String(op.rc),
    'op-status': String(op.opStatus),
    interval: String(op.intervalMs),
    'last-rc-change': num(op.lastRcChange),
    'last-run': num(op.lastRun),
    'exec-time': num(op.execTimeMs),
    'queue-time': num(op.queueTimeMs),
    'op-digest': digest,
    ...op.attributes,
  });
}
