/**
 * Pacemaker CIB XML (a `cibadmin --query` document) → tandem's model and cluster state.
 *
 * Reads: `<cib>` versions, crm_config, nodes, resources (primitive / group / clone), constraints
 * (rsc_location with node+score or rules, rsc_colocation, rsc_order), rsc_defaults, op_defaults,
 * and `<status>` (node_state, transient attributes, lrm operation history).
 * Anything that would change meaning and that the model cannot hold (resource sets, bundles,
 * templates, date expressions, rules inside attribute sets, …) is an error that names the element;
 * harmless extras (acls, alerts, fencing-topology, …) are listed in `warnings`. Nothing is dropped
 * silently. Pure: no I/O.
 */
import type {
  AgentRef,
  AttributeExpression,
  Attributes,
  ClusterConfig,
  ColocationConstraint,
  ExpressionOp,
  LocationConstraint,
  NodeConfig,
  OnFail,
  Operation,
  OrderConstraint,
  Primitive,
  Resource,
  ResourceStandard,
  Rule,
  Group,
  Clone,
} from './model.ts';
import type { ClusterStatus, NodeState, OpRecord, OpStatus, ResourceHistory } from './status.ts';
import { OP_XML_ATTRIBUTES } from './op-attributes.ts';
import { fail, ok, type Result } from './result.ts';
import { parseXml, type XmlElement } from './xml-tree.ts';
import { isTrue, parseDurationAt, parseIntStrict, parseScoreAt } from './xml-values.ts';

export interface CibImport {
  config: ClusterConfig;
  status: ClusterStatus;
  /** Harmless things that were not imported (named, so nothing is dropped silently). */
  warnings: string[];
}

const STANDARDS: ReadonlySet<string> = new Set(['ocf', 'lsb', 'service', 'systemd', 'stonith']);
const ON_FAIL: ReadonlySet<string> = new Set([
  'ignore',
  'block',
  'stop',
  'restart',
  'standby',
  'fence',
  'demote',
]);
const EXPRESSION_OPS: ReadonlySet<string> = new Set([
  'defined',
  'not_defined',
  'lt',
  'lte',
  'gt',
  'gte',
  'eq',
  'ne',
]);
const EXPRESSION_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'version']);
/** Harmless configuration sections tandem does not use: warned about, not imported. */
const IGNORED_SECTIONS: ReadonlySet<string> = new Set(['acls', 'alerts', 'fencing-topology', 'tags']);
/** `<cib>` attributes that carry no meaning for tandem. */
const CIB_BOOKKEEPING = new Set([
  'validate-with',
  'cib-last-written',
  'update-origin',
  'update-client',
  'update-user',
  'execution-date',
]);
/** node_state attributes that are read, or carry nothing tandem needs (ha: heartbeat-era, always "active"). */
const NODE_STATE_ATTRIBUTES = new Set([
  'id',
  'uname',
  'in_ccm',
  'crmd',
  'join',
  'expected',
  'crm-debug-origin',
  'ha',
]);
/** lrm_rsc_op attributes mapped to typed OpRecord fields (the rest go to `attributes`). */
const OP_RECORD_FIELDS = new Set([
  'id',
  'operation_key',
  'operation',
  'interval',
  'call-id',
  'rc-code',
  'op-status',
  'last-rc-change',
  'last-run',
  'exec-time',
  'queue-time',
  'op-digest',
  'transition-key',
  'transition-magic',
  'on_node',
  'crm_feature_set',
  'exit-reason',
  'crm-debug-origin',
]);

class Reader {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  warn(path: string, message: string): void {
    this.warnings.push(`${path}: ${message}`);
  }

  /** Unwraps a Result, recording its error at `path`. */
  take<T>(r: Result<T>, path: string): T | undefined {
    if (r.ok) return r.value;
    this.error(path, r.error);
    return undefined;
  }

  /** Reports child elements outside `allowed` as errors (they would be dropped). */
  onlyChildren(e: XmlElement, path: string, allowed: readonly string[]): void {
    for (const c of e.children) {
      if (!allowed.includes(c.name)) {
        this.error(
          `${path}/${c.name}`,
          `<${c.name}> inside <${e.name}> is not supported by tandem; remove it or express it with ${allowed.map((a) => `<${a}>`).join(', ') || 'attributes'}`,
        );
      }
    }
  }

  required(e: XmlElement, attr: string, path: string): string {
    const v = e.attrs[attr];
    if (v === undefined || v === '') {
      this.error(path, `<${e.name}> has no ${attr}="…"; add it`);
      return '';
    }
    return v;
  }

  noIdRef(e: XmlElement, path: string): boolean {
    if (e.attrs['id-ref'] !== undefined) {
      this.error(
        path,
        `id-ref="${e.attrs['id-ref']}" references are not supported; inline the referenced <${e.name}>`,
      );
      return false;
    }
    return true;
  }

  /** Merges the nvpairs of every `<tag>` child of `e` (instance_attributes, meta_attributes, …). */
  attributeSets(e: XmlElement, tag: string, path: string): Attributes {
    const out: Attributes = {};
    for (const set of children(e, tag)) {
      const setPath = `${path}/${tag}${idSel(set)}`;
      if (!this.noIdRef(set, setPath)) continue;
      for (const c of set.children) {
        if (c.name === 'nvpair') {
          const p = `${setPath}/nvpair${idSel(c)}`;
          if (!this.noIdRef(c, p)) continue;
          const name = this.required(c, 'name', p);
          if (name === '') continue;
          if (Object.prototype.hasOwnProperty.call(out, name)) {
            this.warn(
              p,
              `${name} is set more than once; the first value "${out[name]}" is kept, as Pacemaker does`,
            );
            continue;
          }
          out[name] = c.attrs['value'] ?? '';
        } else if (c.name === 'rule') {
          this.error(
            `${setPath}/rule`,
            `rules inside <${tag}> (conditional attributes) are not supported; set the attribute without a rule`,
          );
        } else {
          this.error(
            `${setPath}/${c.name}`,
            `<${c.name}> is not allowed in <${tag}>; use <nvpair name=… value=…>`,
          );
        }
      }
    }
    return out;
  }
}

function children(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}

function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

function idSel(e: XmlElement): string {
  const id = e.attrs['id'];
  return id === undefined ? '' : `[@id='${id}']`;
}

function isEmpty(a: Attributes): boolean {
  return Object.keys(a).length === 0;
}

export function parseCibXml(xml: string): Result<CibImport> {
  const doc = parseXml(xml);
  if (!doc.ok) return doc;
  const cib = doc.value;
  if (cib.name !== 'cib') {
    return fail(`the root element is <${cib.name}>, not <cib>; pass a full CIB (cibadmin --query output)`);
  }
  const r = new Reader();
  const config = readConfiguration(r, cib);
  const status = readStatus(r, cib, config);
  if (r.errors.length > 0) {
    return fail(
      `the CIB cannot be imported without losing meaning (${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}):\n  ` +
        r.errors.join('\n  '),
    );
  }
  return ok({ config, status, warnings: r.warnings });
}

function readVersion(r: Reader, cib: XmlElement, name: string): number {
  const v = cib.attrs[name];
  if (v === undefined) return 0;
  return r.take(parseIntStrict(v, name), `/cib/@${name}`) ?? 0;
}

function readConfiguration(r: Reader, cib: XmlElement): ClusterConfig {
  for (const a of Object.keys(cib.attrs)) {
    const known = ['admin_epoch', 'epoch', 'num_updates', 'crm_feature_set', 'have-quorum', 'dc-uuid'];
    if (!known.includes(a) && !CIB_BOOKKEEPING.has(a)) r.warn(`/cib/@${a}`, `attribute ${a} is not imported`);
  }
  const config: ClusterConfig = {
    formatVersion: 1,
    clusterName: '',
    version: {
      adminEpoch: readVersion(r, cib, 'admin_epoch'),
      epoch: readVersion(r, cib, 'epoch'),
      numUpdates: readVersion(r, cib, 'num_updates'),
    },
    properties: {},
    rscDefaults: {},
    opDefaults: {},
    nodes: [],
    resources: [],
    constraints: { location: [], colocation: [], order: [] },
  };
  r.onlyChildren(cib, '/cib', ['configuration', 'status']);
  const conf = child(cib, 'configuration');
  if (conf === undefined) {
    r.error('/cib', 'there is no <configuration> section; pass a full CIB (cibadmin --query output)');
    return config;
  }
  const p = '/cib/configuration';
  for (const section of conf.children) {
    const sp = `${p}/${section.name}`;
    switch (section.name) {
      case 'crm_config':
        r.onlyChildren(section, sp, ['cluster_property_set']);
        config.properties = r.attributeSets(section, 'cluster_property_set', sp);
        break;
      case 'rsc_defaults':
        r.onlyChildren(section, sp, ['meta_attributes']);
        config.rscDefaults = r.attributeSets(section, 'meta_attributes', sp);
        break;
      case 'op_defaults':
        r.onlyChildren(section, sp, ['meta_attributes']);
        config.opDefaults = r.attributeSets(section, 'meta_attributes', sp);
        break;
      case 'nodes':
        config.nodes = readNodes(r, section, sp);
        break;
      case 'resources':
        config.resources = readResources(r, section, sp);
        break;
      case 'constraints':
        config.constraints = readConstraints(r, section, sp);
        break;
      default:
        if (IGNORED_SECTIONS.has(section.name)) {
          if (section.children.length > 0)
            r.warn(sp, `<${section.name}> is not used by tandem and was not imported`);
        } else {
          r.error(
            sp,
            `<${section.name}> is not supported by tandem; remove it from the CIB before importing`,
          );
        }
    }
  }
  const name = config.properties['cluster-name'];
  if (name !== undefined) {
    config.clusterName = name;
    const rest: Attributes = {};
    for (const [k, v] of Object.entries(config.properties)) if (k !== 'cluster-name') rest[k] = v;
    config.properties = rest;
  }
  return config;
}

function readNodes(r: Reader, section: XmlElement, path: string): NodeConfig[] {
  r.onlyChildren(section, path, ['node']);
  const nodes: NodeConfig[] = [];
  for (const n of children(section, 'node')) {
    const np = `${path}/node${idSel(n)}`;
    const id = r.required(n, 'id', np);
    const name = n.attrs['uname'] ?? id;
    const type = n.attrs['type'];
    if (type !== undefined && type !== 'member' && type !== 'normal') {
      r.error(np, `node type "${type}" is not supported (only cluster members); remove the node`);
    }
    r.onlyChildren(n, np, ['instance_attributes', 'utilization']);
    const node: NodeConfig = { id, name, attributes: r.attributeSets(n, 'instance_attributes', np) };
    const util = r.attributeSets(n, 'utilization', np);
    if (!isEmpty(util)) node.utilization = util;
    nodes.push(node);
  }
  return nodes;
}

function readResources(r: Reader, section: XmlElement, path: string): Resource[] {
  const out: Resource[] = [];
  for (const e of section.children) {
    const p = `${path}/${e.name}${idSel(e)}`;
    switch (e.name) {
      case 'primitive': {
        const prim = readPrimitive(r, e, p, {});
        if (prim !== undefined) out.push(prim);
        break;
      }
      case 'group': {
        const g = readGroup(r, e, p, {});
        if (g !== undefined) out.push(g);
        break;
      }
      case 'clone': {
        const c = readClone(r, e, p);
        if (c !== undefined) out.push(c);
        break;
      }
      case 'master':
        r.error(p, '<master> (promotable clone) is not supported; tandem has anonymous clones only');
        break;
      default:
        r.error(p, `<${e.name}> resources are not supported by tandem; use primitive, group or clone`);
    }
  }
  return out;
}

function withInherited(own: Attributes, inherited: Attributes): Attributes {
  return { ...inherited, ...own };
}

function readDescription<T extends { description?: string }>(e: XmlElement, target: T): void {
  const d = e.attrs['description'];
  if (d !== undefined) target.description = d;
}

function readPrimitive(r: Reader, e: XmlElement, path: string, inherited: Attributes): Primitive | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const id = r.required(e, 'id', path);
  if (e.attrs['template'] !== undefined) {
    r.error(path, `template="${e.attrs['template']}" is not supported; write the class/provider/type out`);
    return undefined;
  }
  const cls = r.required(e, 'class', path);
  const type = r.required(e, 'type', path);
  if (cls !== '' && !STANDARDS.has(cls)) {
    r.error(path, `class="${cls}" is not supported; use one of ${[...STANDARDS].join(', ')}`);
  }
  const agent: AgentRef = { standard: cls as ResourceStandard, type };
  const provider = e.attrs['provider'];
  if (provider !== undefined) agent.provider = provider;
  r.onlyChildren(e, path, ['instance_attributes', 'meta_attributes', 'operations', 'utilization']);
  const prim: Primitive = {
    kind: 'primitive',
    id,
    agent,
    instanceAttributes: withInherited(r.attributeSets(e, 'instance_attributes', path), inherited),
    metaAttributes: r.attributeSets(e, 'meta_attributes', path),
    operations: [],
  };
  readDescription(e, prim);
  const util = r.attributeSets(e, 'utilization', path);
  if (!isEmpty(util)) prim.utilization = util;
  for (const ops of children(e, 'operations')) {
    const opsPath = `${path}/operations`;
    if (!r.noIdRef(ops, opsPath)) continue;
    r.onlyChildren(ops, opsPath, ['op']);
    for (const op of children(ops, 'op')) {
      const o = readOperation(r, op, `${opsPath}/op${idSel(op)}`);
      if (o !== undefined) prim.operations.push(o);
    }
  }
  return prim;
}

function readOperation(r: Reader, e: XmlElement, path: string): Operation | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const name = r.required(e, 'name', path);
  const interval = e.attrs['interval'] ?? '0';
  const op: Operation = { name, intervalMs: r.take(parseDurationAt(interval, 'interval'), path) ?? 0 };
  const id = e.attrs['id'];
  if (id !== undefined) op.id = id;
  const attributes: Attributes = {};
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'id':
      case 'name':
      case 'interval':
        break;
      case 'timeout': {
        const t = r.take(parseDurationAt(v, 'timeout'), path);
        if (t !== undefined) op.timeoutMs = t;
        break;
      }
      case 'on-fail':
        if (ON_FAIL.has(v)) op.onFail = v as OnFail;
        else r.error(path, `on-fail="${v}" is not one of ${[...ON_FAIL].join(', ')}`);
        break;
      case 'role':
        op.role = v;
        break;
      case 'enabled':
        op.enabled = isTrue(v);
        break;
      default:
        if (OP_XML_ATTRIBUTES.has(k)) attributes[k] = v;
        else r.error(path, `op attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  r.onlyChildren(e, path, ['instance_attributes']);
  Object.assign(attributes, r.attributeSets(e, 'instance_attributes', path));
  if (!isEmpty(attributes)) op.attributes = attributes;
  return op;
}

function readGroup(r: Reader, e: XmlElement, path: string, inherited: Attributes): Group | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const id = r.required(e, 'id', path);
  r.onlyChildren(e, path, ['primitive', 'meta_attributes', 'instance_attributes']);
  const groupInstance = r.attributeSets(e, 'instance_attributes', path);
  if (!isEmpty(groupInstance)) {
    r.warn(
      path,
      `group instance attributes (${Object.keys(groupInstance).join(', ')}) were copied into each member`,
    );
  }
  const inheritedHere = withInherited(groupInstance, inherited);
  const group: Group = {
    kind: 'group',
    id,
    metaAttributes: r.attributeSets(e, 'meta_attributes', path),
    members: [],
  };
  readDescription(e, group);
  for (const m of children(e, 'primitive')) {
    const prim = readPrimitive(r, m, `${path}/primitive${idSel(m)}`, inheritedHere);
    if (prim !== undefined) group.members.push(prim);
  }
  return group;
}

function readClone(r: Reader, e: XmlElement, path: string): Clone | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const id = r.required(e, 'id', path);
  r.onlyChildren(e, path, ['primitive', 'group', 'meta_attributes', 'instance_attributes']);
  const cloneInstance = r.attributeSets(e, 'instance_attributes', path);
  if (!isEmpty(cloneInstance)) {
    r.warn(
      path,
      `clone instance attributes (${Object.keys(cloneInstance).join(', ')}) were copied into its child`,
    );
  }
  const inner = e.children.filter((c) => c.name === 'primitive' || c.name === 'group');
  const first = inner[0];
  if (first === undefined || inner.length > 1) {
    r.error(path, `a clone must hold exactly one primitive or group (found ${inner.length})`);
    return undefined;
  }
  const childPath = `${path}/${first.name}${idSel(first)}`;
  const c =
    first.name === 'group'
      ? readGroup(r, first, childPath, cloneInstance)
      : readPrimitive(r, first, childPath, cloneInstance);
  if (c === undefined) return undefined;
  const clone: Clone = {
    kind: 'clone',
    id,
    metaAttributes: r.attributeSets(e, 'meta_attributes', path),
    child: c,
  };
  readDescription(e, clone);
  return clone;
}

function readConstraints(r: Reader, section: XmlElement, path: string): ClusterConfig['constraints'] {
  const out: ClusterConfig['constraints'] = { location: [], colocation: [], order: [] };
  for (const e of section.children) {
    const p = `${path}/${e.name}${idSel(e)}`;
    if (e.children.some((c) => c.name === 'resource_set')) {
      r.error(p, 'resource sets are not supported; write one constraint per pair of resources');
      continue;
    }
    switch (e.name) {
      case 'rsc_location': {
        const l = readLocation(r, e, p);
        if (l !== undefined) out.location.push(l);
        break;
      }
      case 'rsc_colocation': {
        const c = readColocation(r, e, p);
        if (c !== undefined) out.colocation.push(c);
        break;
      }
      case 'rsc_order': {
        const o = readOrder(r, e, p);
        if (o !== undefined) out.order.push(o);
        break;
      }
      default:
        r.error(p, `<${e.name}> constraints are not supported by tandem; remove it before importing`);
    }
  }
  return out;
}

function readLocation(r: Reader, e: XmlElement, path: string): LocationConstraint | undefined {
  const id = r.required(e, 'id', path);
  if (e.attrs['rsc-pattern'] !== undefined) {
    r.error(path, `rsc-pattern is not supported; write one constraint per resource with rsc="…"`);
    return undefined;
  }
  const loc: LocationConstraint = { id, rsc: r.required(e, 'rsc', path) };
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'id':
      case 'rsc':
        break;
      case 'node':
        loc.node = v;
        break;
      case 'score': {
        const s = r.take(parseScoreAt(v, 'score'), path);
        if (s !== undefined) loc.score = s;
        break;
      }
      case 'role':
        loc.role = v;
        break;
      case 'resource-discovery':
        if (v === 'always' || v === 'never' || v === 'exclusive') loc.resourceDiscovery = v;
        else r.error(path, `resource-discovery="${v}" is not one of always, never, exclusive`);
        break;
      default:
        r.error(path, `rsc_location attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  r.onlyChildren(e, path, ['rule']);
  const rules = children(e, 'rule')
    .map((rule) => readRule(r, rule, `${path}/rule${idSel(rule)}`))
    .filter((x): x is Rule => x !== undefined);
  if (rules.length > 0) loc.rules = rules;
  if (loc.node !== undefined && loc.score === undefined) {
    r.error(path, `location on node "${loc.node}" has no score; add score="INFINITY" (or another score)`);
  }
  return loc;
}

function readRule(r: Reader, e: XmlElement, path: string): Rule | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const boolOp = e.attrs['boolean-op'] ?? 'and';
  if (boolOp !== 'and' && boolOp !== 'or') {
    r.error(path, `boolean-op="${boolOp}" is not and/or`);
    return undefined;
  }
  const rule: Rule = { kind: 'rule', booleanOp: boolOp, expressions: [] };
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'boolean-op':
        break;
      case 'id':
        rule.id = v;
        break;
      case 'score': {
        const s = r.take(parseScoreAt(v, 'score'), path);
        if (s !== undefined) rule.score = s;
        break;
      }
      case 'score-attribute':
        rule.scoreAttribute = v;
        break;
      case 'role':
        rule.role = v;
        break;
      default:
        r.error(path, `rule attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  for (const c of e.children) {
    const cp = `${path}/${c.name}${idSel(c)}`;
    if (c.name === 'rule') {
      const nested = readRule(r, c, cp);
      if (nested !== undefined) rule.expressions.push(nested);
    } else if (c.name === 'expression') {
      const x = readExpression(r, c, cp);
      if (x !== undefined) rule.expressions.push(x);
    } else {
      r.error(
        cp,
        `<${c.name}> in a rule is not supported; tandem rules test node attributes (<expression>) only`,
      );
    }
  }
  return rule;
}

function readExpression(r: Reader, e: XmlElement, path: string): AttributeExpression | undefined {
  if (!r.noIdRef(e, path)) return undefined;
  const attribute = r.required(e, 'attribute', path);
  const operation = r.required(e, 'operation', path);
  if (!EXPRESSION_OPS.has(operation)) {
    if (operation !== '')
      r.error(path, `operation="${operation}" is not one of ${[...EXPRESSION_OPS].join(', ')}`);
    return undefined;
  }
  const x: AttributeExpression = { kind: 'expression', attribute, operation: operation as ExpressionOp };
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'attribute':
      case 'operation':
        break;
      case 'id':
        x.id = v;
        break;
      case 'value':
        x.value = v;
        break;
      case 'type':
        if (EXPRESSION_TYPES.has(v)) x.type = v as NonNullable<AttributeExpression['type']>;
        else r.error(path, `type="${v}" is not one of ${[...EXPRESSION_TYPES].join(', ')}`);
        break;
      case 'value-source':
        if (v === 'literal' || v === 'param' || v === 'meta') x.valueSource = v;
        else r.error(path, `value-source="${v}" is not one of literal, param, meta`);
        break;
      default:
        r.error(path, `expression attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  r.onlyChildren(e, path, []);
  return x;
}

function readColocation(r: Reader, e: XmlElement, path: string): ColocationConstraint | undefined {
  const col: ColocationConstraint = {
    id: r.required(e, 'id', path),
    rsc: r.required(e, 'rsc', path),
    withRsc: r.required(e, 'with-rsc', path),
    // The XML default score is 0 (pcs writes INFINITY explicitly).
    score: 0,
  };
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'id':
      case 'rsc':
      case 'with-rsc':
        break;
      case 'score': {
        const s = r.take(parseScoreAt(v, 'score'), path);
        if (s !== undefined) col.score = s;
        break;
      }
      case 'rsc-role':
        col.rscRole = v;
        break;
      case 'with-rsc-role':
        col.withRscRole = v;
        break;
      case 'node-attribute':
        col.nodeAttribute = v;
        break;
      case 'influence':
        col.influence = isTrue(v);
        break;
      default:
        r.error(path, `rsc_colocation attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  r.onlyChildren(e, path, []);
  return col;
}

function readOrder(r: Reader, e: XmlElement, path: string): OrderConstraint | undefined {
  const firstAction = e.attrs['first-action'] ?? 'start';
  const ord: OrderConstraint = {
    id: r.required(e, 'id', path),
    first: r.required(e, 'first', path),
    then: r.required(e, 'then', path),
    firstAction,
    thenAction: e.attrs['then-action'] ?? firstAction,
    kind: 'Mandatory',
    symmetrical: true,
  };
  let kindSet = false;
  for (const [k, v] of Object.entries(e.attrs)) {
    switch (k) {
      case 'id':
      case 'first':
      case 'then':
      case 'first-action':
      case 'then-action':
      case 'symmetrical':
        break;
      case 'kind':
        if (v === 'Mandatory' || v === 'Optional' || v === 'Serialize') {
          ord.kind = v;
          kindSet = true;
        } else r.error(path, `kind="${v}" is not one of Mandatory, Optional, Serialize`);
        break;
      case 'score': {
        const s = r.take(parseScoreAt(v, 'score'), path);
        if (s !== undefined) ord.score = s;
        break;
      }
      case 'require-all':
        ord.requireAll = isTrue(v);
        break;
      default:
        r.error(path, `rsc_order attribute ${k}="${v}" is not supported; remove it`);
    }
  }
  // Pacemaker (get_ordering_type): without kind, a legacy score of 0 means Optional, any other Mandatory.
  if (!kindSet && ord.score !== undefined) ord.kind = ord.score === 0 ? 'Optional' : 'Mandatory';
  const sym = e.attrs['symmetrical'];
  ord.symmetrical = sym === undefined ? ord.kind !== 'Serialize' : isTrue(sym);
  r.onlyChildren(e, path, []);
  return ord;
}

// ---------------------------------------------------------------------------------------------
// <status>

function readStatus(r: Reader, cib: XmlElement, config: ClusterConfig): ClusterStatus {
  const status: ClusterStatus = { haveQuorum: isTrue(cib.attrs['have-quorum'] ?? '0'), nodes: [] };
  const fs = cib.attrs['crm_feature_set'];
  if (fs !== undefined) status.crmFeatureSet = fs;
  const nameById = new Map(config.nodes.map((n) => [n.id, n.name]));
  const dcUuid = cib.attrs['dc-uuid'];
  if (dcUuid !== undefined && dcUuid !== '') status.dc = nameById.get(dcUuid) ?? dcUuid;
  const section = child(cib, 'status');
  if (section === undefined) return status;
  const path = '/cib/status';
  r.onlyChildren(section, path, ['node_state']);
  for (const ns of children(section, 'node_state')) {
    const p = `${path}/node_state${idSel(ns)}`;
    const id = ns.attrs['id'];
    const name = ns.attrs['uname'] ?? (id === undefined ? undefined : nameById.get(id));
    if (name === undefined) {
      r.error(p, `node_state names no node: add uname="…" or a <node id="${id ?? ''}"> in <nodes>`);
      continue;
    }
    status.nodes.push(readNodeState(r, ns, p, name));
  }
  return status;
}

/** `in_ccm`/`crmd` are "true"/"online" in 2.1.5, or a timestamp of the last change in 2.1.7+. */
function membershipFlag(value: string | undefined, onWord: string): boolean {
  if (value === undefined) return false;
  if (/^\d+$/.test(value)) return Number(value) > 0;
  return value === onWord || isTrue(value);
}

function readNodeState(r: Reader, e: XmlElement, path: string, name: string): NodeState {
  const join = e.attrs['join'] ?? 'down';
  const expected = e.attrs['expected'] ?? 'down';
  const node: NodeState = {
    name,
    inCcm: membershipFlag(e.attrs['in_ccm'], 'true'),
    crmd: membershipFlag(e.attrs['crmd'], 'online') ? 'online' : 'offline',
    join: join === 'member' || join === 'pending' || join === 'banned' ? join : 'down',
    expected: expected === 'member' ? 'member' : 'down',
    transientAttributes: {},
    history: [],
  };
  const id = e.attrs['id'];
  if (id !== undefined) node.id = id;
  for (const a of Object.keys(e.attrs)) {
    if (!NODE_STATE_ATTRIBUTES.has(a)) r.warn(`${path}/@${a}`, `node_state attribute ${a} is not imported`);
  }
  if (!['member', 'down', 'pending', 'banned'].includes(join)) {
    r.error(path, `join="${join}" is not one of member, down, pending, banned`);
  }
  for (const c of e.children) {
    const cp = `${path}/${c.name}`;
    if (c.name === 'transient_attributes') {
      Object.assign(node.transientAttributes, r.attributeSets(c, 'instance_attributes', cp));
      r.onlyChildren(c, cp, ['instance_attributes']);
    } else if (c.name === 'lrm') {
      r.onlyChildren(c, cp, ['lrm_resources']);
      for (const lrs of children(c, 'lrm_resources')) {
        r.onlyChildren(lrs, `${cp}/lrm_resources`, ['lrm_resource']);
        for (const lr of children(lrs, 'lrm_resource')) {
          const h = readHistory(r, lr, `${cp}/lrm_resources/lrm_resource${idSel(lr)}`);
          if (h !== undefined) node.history.push(h);
        }
      }
    } else {
      r.warn(cp, `<${c.name}> in node_state is not imported`);
    }
  }
  return node;
}

function readHistory(r: Reader, e: XmlElement, path: string): ResourceHistory | undefined {
  const id = r.required(e, 'id', path);
  const cls = e.attrs['class'] ?? '';
  if (!STANDARDS.has(cls)) {
    r.error(path, `class="${cls}" is not supported; use one of ${[...STANDARDS].join(', ')}`);
  }
  const agent: AgentRef = { standard: cls as ResourceStandard, type: e.attrs['type'] ?? '' };
  const provider = e.attrs['provider'];
  if (provider !== undefined) agent.provider = provider;
  if (e.attrs['container'] !== undefined) r.warn(path, 'container= (guest nodes) is not imported');
  r.onlyChildren(e, path, ['lrm_rsc_op']);
  const ops: OpRecord[] = [];
  for (const op of e.children) {
    if (op.name !== 'lrm_rsc_op') continue;
    const rec = readOpRecord(r, op, path);
    if (rec !== undefined) ops.push(rec);
  }
  return { id, agent, ops };
}

/** A plain decimal integer (optional sign, no spaces), else undefined (parseIntStrict decides). */
function plainInt(v: string): number | undefined {
  const n = v.length;
  if (n === 0 || n > 15) return undefined;
  let i = v.charCodeAt(0) === 45 || v.charCodeAt(0) === 43 ? 1 : 0;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(v);
}

/** The third `:`-separated field of a transition key (`action:transition:target-rc:uuid`). */
function thirdField(key: string): string | undefined {
  const a = key.indexOf(':');
  if (a < 0) return undefined;
  const b = key.indexOf(':', a + 1);
  if (b < 0) return undefined;
  const c = key.indexOf(':', b + 1);
  return c < 0 ? key.slice(b + 1) : key.slice(b + 1, c);
}

function opPath(historyPath: string, e: XmlElement): string {
  return `${historyPath}/lrm_rsc_op${idSel(e)}`;
}

/** An integer attribute of an `<lrm_rsc_op>` (its path is built only for an error). */
function opInt(r: Reader, e: XmlElement, historyPath: string, name: string): number | undefined {
  const v = e.attrs[name];
  if (v === undefined) return undefined;
  return plainInt(v) ?? r.take(parseIntStrict(v, name), opPath(historyPath, e));
}

function opRequired(r: Reader, e: XmlElement, historyPath: string, name: string): string {
  const v = e.attrs[name];
  return v !== undefined && v !== '' ? v : r.required(e, name, opPath(historyPath, e));
}

/**
 * One `<lrm_rsc_op>`. The hot loop of a large import (one per resource, node and recorded
 * operation): no closures, and the element's path is built only when there is something to report.
 */
function readOpRecord(r: Reader, e: XmlElement, historyPath: string): OpRecord | undefined {
  const a = e.attrs;
  const rec: OpRecord = {
    id: opRequired(r, e, historyPath, 'id'),
    operation: opRequired(r, e, historyPath, 'operation'),
    intervalMs: opInt(r, e, historyPath, 'interval') ?? 0,
    callId: opInt(r, e, historyPath, 'call-id') ?? 0,
    rc: opInt(r, e, historyPath, 'rc-code') ?? 0,
    opStatus: (opInt(r, e, historyPath, 'op-status') ?? 0) as OpStatus,
  };
  const operationKey = a['operation_key'];
  if (operationKey !== undefined) rec.operationKey = operationKey;
  const tk = a['transition-key'];
  if (tk !== undefined) {
    rec.transitionKey = tk;
    const target = thirdField(tk);
    if (target !== undefined && /^\d+$/.test(target)) rec.targetRc = Number(target);
  }
  const lastRcChange = opInt(r, e, historyPath, 'last-rc-change');
  if (lastRcChange !== undefined) rec.lastRcChange = lastRcChange;
  const lastRun = opInt(r, e, historyPath, 'last-run');
  if (lastRun !== undefined) rec.lastRun = lastRun;
  const execTimeMs = opInt(r, e, historyPath, 'exec-time');
  if (execTimeMs !== undefined) rec.execTimeMs = execTimeMs;
  const queueTimeMs = opInt(r, e, historyPath, 'queue-time');
  if (queueTimeMs !== undefined) rec.queueTimeMs = queueTimeMs;
  const opDigest = a['op-digest'];
  if (opDigest !== undefined) rec.opDigest = opDigest;
  const transitionMagic = a['transition-magic'];
  if (transitionMagic !== undefined) rec.transitionMagic = transitionMagic;
  const crmFeatureSet = a['crm_feature_set'];
  if (crmFeatureSet !== undefined) rec.crmFeatureSet = crmFeatureSet;
  const onNode = a['on_node'];
  if (onNode !== undefined) rec.onNode = onNode;
  const exitReason = a['exit-reason'];
  if (exitReason !== undefined) rec.exitReason = exitReason;
  let extra: Attributes | undefined;
  for (const k of Object.keys(a)) {
    if (OP_RECORD_FIELDS.has(k)) continue;
    extra ??= {};
    extra[k] = a[k] ?? '';
  }
  if (extra !== undefined) rec.attributes = extra;
  if (e.children.length > 0) r.onlyChildren(e, opPath(historyPath, e), []);
  return rec;
}
