/**
 * Structural reading of the native JSON configuration: unknown JSON → ClusterConfig, field by
 * field, with errors naming the JSON path. Semantics (unknown resources, bad scores…) are
 * `validateConfig`'s job; this only guarantees the value has the model's shape.
 */
import type {
  AgentRef,
  AttributeExpression,
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
import {
  arrayOf,
  attributes,
  bool,
  Fields,
  int,
  isPlainObject,
  oneOf,
  setOpt,
  str,
  type Reader,
} from './shape.ts';

const STANDARDS = ['ocf', 'lsb', 'service', 'systemd', 'stonith'] as const;
const ON_FAIL = ['ignore', 'block', 'stop', 'restart', 'standby', 'fence', 'demote'] as const;
const EXPRESSION_OPS = ['defined', 'not_defined', 'lt', 'lte', 'gt', 'gte', 'eq', 'ne'] as const;

const agentRef: Reader<AgentRef> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an agent {standard, provider?, type}');
  const standard = f.req('standard', oneOf(STANDARDS));
  const type = f.req('type', str);
  const provider = f.opt('provider', str);
  f.done();
  if (standard === undefined || type === undefined) return undefined;
  const a: AgentRef = { standard, type };
  setOpt(a, 'provider', provider);
  return a;
};

const operation: Reader<Operation> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an operation');
  const name = f.req('name', str);
  const intervalMs = f.req('intervalMs', int);
  const op: Operation = { name: name ?? '', intervalMs: intervalMs ?? 0 };
  setOpt(op, 'id', f.opt('id', str));
  setOpt(op, 'timeoutMs', f.opt('timeoutMs', int));
  setOpt(op, 'onFail', f.opt('onFail', oneOf(ON_FAIL)));
  setOpt(op, 'role', f.opt('role', str));
  setOpt(op, 'enabled', f.opt('enabled', bool));
  setOpt(op, 'attributes', f.opt('attributes', attributes));
  f.done();
  return name === undefined || intervalMs === undefined ? undefined : op;
};

function readPrimitive(v: unknown, path: string, e: Parameters<Reader<Primitive>>[2]): Primitive | undefined {
  const f = new Fields(v, path, e, 'a primitive');
  f.req('kind', oneOf(['primitive'] as const));
  const id = f.req('id', str);
  const agent = f.req('agent', agentRef);
  const p: Primitive = {
    kind: 'primitive',
    id: id ?? '',
    agent: agent ?? { standard: 'ocf', type: '' },
    instanceAttributes: f.req('instanceAttributes', attributes) ?? {},
    metaAttributes: f.req('metaAttributes', attributes) ?? {},
    operations: f.req('operations', arrayOf(operation)) ?? [],
  };
  setOpt(p, 'description', f.opt('description', str));
  setOpt(p, 'utilization', f.opt('utilization', attributes));
  f.done();
  return id === undefined || agent === undefined ? undefined : p;
}

const primitive: Reader<Primitive> = readPrimitive;

const group: Reader<Group> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a group');
  f.req('kind', oneOf(['group'] as const));
  const id = f.req('id', str);
  const g: Group = {
    kind: 'group',
    id: id ?? '',
    metaAttributes: f.req('metaAttributes', attributes) ?? {},
    members: f.req('members', arrayOf(primitive)) ?? [],
  };
  setOpt(g, 'description', f.opt('description', str));
  f.done();
  return id === undefined ? undefined : g;
};

const cloneChild: Reader<Primitive | Group> = (v, path, e) => {
  const kind = isPlainObject(v) ? v['kind'] : undefined;
  if (kind === 'group') return group(v, path, e);
  if (kind === 'primitive') return primitive(v, path, e);
  e.add(`${path}.kind`, `expected "primitive" or "group", found ${JSON.stringify(kind)}`);
  return undefined;
};

const clone: Reader<Clone> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a clone');
  f.req('kind', oneOf(['clone'] as const));
  const id = f.req('id', str);
  const child = f.req('child', cloneChild);
  const c: Clone = {
    kind: 'clone',
    id: id ?? '',
    metaAttributes: f.req('metaAttributes', attributes) ?? {},
    child: child ?? { kind: 'group', id: '', metaAttributes: {}, members: [] },
  };
  setOpt(c, 'description', f.opt('description', str));
  f.done();
  return id === undefined || child === undefined ? undefined : c;
};

const resource: Reader<Resource> = (v, path, e) => {
  const kind = isPlainObject(v) ? v['kind'] : undefined;
  switch (kind) {
    case 'primitive':
      return primitive(v, path, e);
    case 'group':
      return group(v, path, e);
    case 'clone':
      return clone(v, path, e);
    default:
      e.add(`${path}.kind`, `expected "primitive", "group" or "clone", found ${JSON.stringify(kind)}`);
      return undefined;
  }
};

const expression: Reader<AttributeExpression> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an expression');
  f.req('kind', oneOf(['expression'] as const));
  const attribute = f.req('attribute', str);
  const op = f.req('operation', oneOf(EXPRESSION_OPS));
  const x: AttributeExpression = {
    kind: 'expression',
    attribute: attribute ?? '',
    operation: op ?? 'defined',
  };
  setOpt(x, 'id', f.opt('id', str));
  setOpt(x, 'value', f.opt('value', str));
  setOpt(x, 'type', f.opt('type', oneOf(['string', 'integer', 'number', 'version'] as const)));
  setOpt(x, 'valueSource', f.opt('valueSource', oneOf(['literal', 'param', 'meta'] as const)));
  f.done();
  return attribute === undefined || op === undefined ? undefined : x;
};

const rule: Reader<Rule> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a rule');
  f.req('kind', oneOf(['rule'] as const));
  const booleanOp = f.req('booleanOp', oneOf(['and', 'or'] as const));
  const r: Rule = {
    kind: 'rule',
    booleanOp: booleanOp ?? 'and',
    expressions: f.req('expressions', arrayOf(ruleItem)) ?? [],
  };
  setOpt(r, 'id', f.opt('id', str));
  setOpt(r, 'score', f.opt('score', int));
  setOpt(r, 'scoreAttribute', f.opt('scoreAttribute', str));
  setOpt(r, 'role', f.opt('role', str));
  f.done();
  return booleanOp === undefined ? undefined : r;
};

function ruleItem(
  v: unknown,
  path: string,
  e: Parameters<Reader<Rule>>[2],
): AttributeExpression | Rule | undefined {
  const kind = isPlainObject(v) ? v['kind'] : undefined;
  if (kind === 'rule') return rule(v, path, e);
  if (kind === 'expression') return expression(v, path, e);
  e.add(`${path}.kind`, `expected "expression" or "rule", found ${JSON.stringify(kind)}`);
  return undefined;
}

const location: Reader<LocationConstraint> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a location constraint');
  const id = f.req('id', str);
  const rsc = f.req('rsc', str);
  const l: LocationConstraint = { id: id ?? '', rsc: rsc ?? '' };
  setOpt(l, 'node', f.opt('node', str));
  setOpt(l, 'score', f.opt('score', int));
  setOpt(l, 'rules', f.opt('rules', arrayOf(rule)));
  setOpt(l, 'role', f.opt('role', str));
  setOpt(
    l,
    'resourceDiscovery',
    f.opt('resourceDiscovery', oneOf(['always', 'never', 'exclusive'] as const)),
  );
  setOpt(l, 'expires', f.opt('expires', str));
  f.done();
  return id === undefined || rsc === undefined ? undefined : l;
};

const colocation: Reader<ColocationConstraint> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a colocation constraint');
  const id = f.req('id', str);
  const rsc = f.req('rsc', str);
  const withRsc = f.req('withRsc', str);
  const score = f.req('score', int);
  const c: ColocationConstraint = { id: id ?? '', rsc: rsc ?? '', withRsc: withRsc ?? '', score: score ?? 0 };
  setOpt(c, 'rscRole', f.opt('rscRole', str));
  setOpt(c, 'withRscRole', f.opt('withRscRole', str));
  setOpt(c, 'nodeAttribute', f.opt('nodeAttribute', str));
  setOpt(c, 'influence', f.opt('influence', bool));
  f.done();
  return id === undefined || rsc === undefined || withRsc === undefined || score === undefined
    ? undefined
    : c;
};

const order: Reader<OrderConstraint> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an order constraint');
  const id = f.req('id', str);
  const first = f.req('first', str);
  const then = f.req('then', str);
  const firstAction = f.req('firstAction', str);
  const thenAction = f.req('thenAction', str);
  const kind = f.req('kind', oneOf(['Mandatory', 'Optional', 'Serialize'] as const));
  const symmetrical = f.req('symmetrical', bool);
  const o: OrderConstraint = {
    id: id ?? '',
    first: first ?? '',
    then: then ?? '',
    firstAction: firstAction ?? 'start',
    thenAction: thenAction ?? 'start',
    kind: kind ?? 'Mandatory',
    symmetrical: symmetrical ?? true,
  };
  setOpt(o, 'score', f.opt('score', int));
  setOpt(o, 'requireAll', f.opt('requireAll', bool));
  f.done();
  const complete = [id, first, then, firstAction, thenAction, kind, symmetrical].every(
    (x) => x !== undefined,
  );
  return complete ? o : undefined;
};

const node: Reader<NodeConfig> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a node');
  const id = f.req('id', str);
  const name = f.req('name', str);
  const n: NodeConfig = { id: id ?? '', name: name ?? '', attributes: f.req('attributes', attributes) ?? {} };
  setOpt(n, 'utilization', f.opt('utilization', attributes));
  f.done();
  return id === undefined || name === undefined ? undefined : n;
};

/** Reads a formatVersion-1 configuration object. */
export const clusterConfig: Reader<ClusterConfig> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a tandem configuration');
  const before = e.errors.length;
  const vf = new Fields(
    f.req('version', (x) => x),
    `${path === '' ? '' : path + '.'}version`,
    e,
    'a version',
  );
  const version = {
    adminEpoch: vf.req('adminEpoch', int) ?? 0,
    epoch: vf.req('epoch', int) ?? 0,
    numUpdates: vf.req('numUpdates', int) ?? 0,
  };
  vf.done();
  const cf = new Fields(
    f.req('constraints', (x) => x),
    `${path === '' ? '' : path + '.'}constraints`,
    e,
    'constraints',
  );
  const constraints = {
    location: cf.req('location', arrayOf(location)) ?? [],
    colocation: cf.req('colocation', arrayOf(colocation)) ?? [],
    order: cf.req('order', arrayOf(order)) ?? [],
  };
  cf.done();
  const config: ClusterConfig = {
    formatVersion: 1,
    clusterName: f.req('clusterName', str) ?? '',
    version,
    properties: f.req('properties', attributes) ?? {},
    rscDefaults: f.req('rscDefaults', attributes) ?? {},
    opDefaults: f.req('opDefaults', attributes) ?? {},
    nodes: f.req('nodes', arrayOf(node)) ?? [],
    resources: f.req('resources', arrayOf(resource)) ?? [],
    constraints,
  };
  f.req('formatVersion', oneOf([1] as const));
  f.done();
  return e.errors.length === before ? config : undefined;
};
