/**
 * fast-check generators for configurations and cluster states.
 *
 * `canonicalConfig` produces configurations in the form CIB XML import produces (every id
 * explicit, no empty optional records, legacy order scores consistent with kind), so that
 * model → XML → model is the identity and Pacemaker's schema accepts the export. With
 * `{ anyText: true }` attribute values are arbitrary Unicode (for the JSON round trip).
 */
import fc from 'fast-check';
import type {
  AttributeExpression,
  Attributes,
  ClusterConfig,
  ColocationConstraint,
  Constraints,
  Group,
  LocationConstraint,
  NodeConfig,
  Operation,
  OrderConstraint,
  Primitive,
  Resource,
  Rule,
} from '../../../coordinator/cib/index.ts';
import type { ClusterStatus, NodeState, OpRecord } from '../../../coordinator/cib/index.ts';

const INF = 1_000_000;
const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/);
const score = fc.oneof(fc.constantFrom(INF, -INF, 0), fc.integer({ min: -INF, max: INF }));

function text(anyText: boolean): fc.Arbitrary<string> {
  // XML 1.0 cannot carry most control characters, so CIB-safe text avoids them.
  return anyText ? fc.string({ unit: 'grapheme', maxLength: 12 }) : fc.stringMatching(/^[ -~]{0,12}$/);
}

function attrs(anyText: boolean, maxKeys = 3): fc.Arbitrary<Attributes> {
  return fc.dictionary(name, text(anyText), { maxKeys });
}

const agent = fc.constantFrom<Primitive['agent']>(
  { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
  { standard: 'ocf', provider: 'pacemaker', type: 'Dummy' },
  { standard: 'ocf', provider: 'pacemaker', type: 'ping' },
  { standard: 'lsb', type: 'abiquo-tomcat' },
  { standard: 'systemd', type: 'httpd' },
);

function operations(anyText: boolean): fc.Arbitrary<Omit<Operation, 'id'>[]> {
  const interval = fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 600 }).map((s) => s * 1000),
    fc.integer({ min: 1, max: 99_999 }),
  );
  // start/stop are one-shot in Pacemaker; a recurring one (rarely generated) is an error both sides report.
  const nameAndInterval = fc.oneof(
    fc.record({ name: fc.constant('monitor'), intervalMs: interval }),
    {
      weight: 4,
      arbitrary: fc.record({ name: fc.constantFrom('start', 'stop'), intervalMs: fc.constant(0) }),
    },
    { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('start', 'stop'), intervalMs: interval }) },
  );
  const op = fc
    .tuple(
      nameAndInterval,
      fc.record(
        {
          timeoutMs: fc.integer({ min: 1, max: 300_000 }),
          onFail: fc.constantFrom('ignore', 'block', 'stop', 'restart', 'standby'),
          role: fc.constantFrom('Started', 'Stopped'),
          enabled: fc.boolean(),
          attributes: fc.oneof(
            fc.constant({ OCF_CHECK_LEVEL: '10' }),
            fc.constant({ 'record-pending': 'true', description: 'probe' }),
            attrs(anyText, 2).filter((a) => Object.keys(a).length > 0),
          ),
        },
        { requiredKeys: [] },
      ),
    )
    .map(([ni, rest]) => ({ ...ni, ...rest }));
  return fc.uniqueArray(op, { maxLength: 3, selector: (o) => `${o.name}_${o.intervalMs}` });
}

interface PrimitiveShape {
  agent: Primitive['agent'];
  instanceAttributes: Attributes;
  metaAttributes: Attributes;
  operations: Omit<Operation, 'id'>[];
  description?: string;
  utilization?: Attributes;
}

function primitiveShape(anyText: boolean): fc.Arbitrary<PrimitiveShape> {
  return fc.record(
    {
      agent,
      instanceAttributes: attrs(anyText),
      metaAttributes: fc.constantFrom<Attributes>(
        {},
        { 'target-role': 'Stopped' },
        { 'resource-stickiness': '50', 'is-managed': 'false' },
      ),
      operations: operations(anyText),
      description: text(anyText),
      utilization: fc.constant({ cpu: '2' }),
    },
    { requiredKeys: ['agent', 'instanceAttributes', 'metaAttributes', 'operations'] },
  );
}

type ResourceShape =
  | { kind: 'primitive'; p: PrimitiveShape }
  | { kind: 'group'; members: PrimitiveShape[]; meta: Attributes }
  | {
      kind: 'clone';
      child: { kind: 'primitive'; p: PrimitiveShape } | { kind: 'group'; members: PrimitiveShape[] };
      meta: Attributes;
    };

function resourceShape(anyText: boolean): fc.Arbitrary<ResourceShape> {
  const p = primitiveShape(anyText);
  const members = fc.array(p, { minLength: 1, maxLength: 3 });
  const meta = fc.constantFrom<Attributes>(
    {},
    { 'target-role': 'Started' },
    { 'clone-max': '2', interleave: 'true' },
  );
  return fc.oneof(
    p.map((x) => ({ kind: 'primitive' as const, p: x })),
    fc.record({ members, meta }).map((g) => ({ kind: 'group' as const, ...g })),
    fc
      .record({
        child: fc.oneof(
          p.map((x) => ({ kind: 'primitive' as const, p: x })),
          members.map((m) => ({ kind: 'group' as const, members: m })),
        ),
        meta,
      })
      .map((c) => ({ kind: 'clone' as const, ...c })),
  );
}

/** Turns shapes into resources with unique ids r1, r2, … (ops: RSC-op-N). */
function buildResources(shapes: ResourceShape[]): Resource[] {
  let n = 0;
  const prim = (s: PrimitiveShape): Primitive => {
    const id = `r${++n}`;
    const out: Primitive = {
      kind: 'primitive',
      id,
      agent: s.agent,
      instanceAttributes: s.instanceAttributes,
      metaAttributes: s.metaAttributes,
      operations: s.operations.map((o, i) => ({ id: `${id}-op-${i}`, ...o })),
    };
    if (s.description !== undefined) out.description = s.description;
    if (s.utilization !== undefined) out.utilization = s.utilization;
    return out;
  };
  return shapes.map((s): Resource => {
    switch (s.kind) {
      case 'primitive':
        return prim(s.p);
      case 'group':
        return { kind: 'group', id: `g${++n}`, metaAttributes: s.meta, members: s.members.map(prim) };
      case 'clone': {
        const id = `c${++n}`;
        const child: Primitive | Group =
          s.child.kind === 'primitive'
            ? prim(s.child.p)
            : { kind: 'group', id: `g${++n}`, metaAttributes: {}, members: s.child.members.map(prim) };
        return { kind: 'clone', id, metaAttributes: s.meta, child };
      }
    }
  });
}

function topIds(resources: Resource[]): string[] {
  return resources.map((r) => r.id);
}

function expression(nodeNames: string[]): fc.Arbitrary<Omit<AttributeExpression, 'id'>> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('expression' as const),
      attribute: fc.constantFrom('pingd', 'site'),
      operation: fc.constantFrom('defined' as const, 'not_defined' as const),
    }),
    fc
      .record(
        {
          kind: fc.constant('expression' as const),
          attribute: fc.constantFrom('pingd', '#uname'),
          operation: fc.constantFrom(
            'lt' as const,
            'lte' as const,
            'gt' as const,
            'gte' as const,
            'eq' as const,
            'ne' as const,
          ),
          value: fc.constantFrom('1', '1000', ...nodeNames),
          type: fc.constantFrom('string' as const, 'number' as const, 'integer' as const),
        },
        { requiredKeys: ['kind', 'attribute', 'operation', 'value'] },
      )
      .map((x) =>
        x.type !== undefined && x.type !== 'string' && Number.isNaN(Number(x.value))
          ? { ...x, type: 'string' as const }
          : x,
      ),
  );
}

function location(resourceIds: string[], nodeNames: string[], i: number): fc.Arbitrary<LocationConstraint> {
  const id = `loc-${i}`;
  const byNode = fc
    .record({ rsc: fc.constantFrom(...resourceIds), node: fc.constantFrom(...nodeNames), score })
    .map((l) => ({ id, ...l }));
  const byRule = fc
    .record({
      rsc: fc.constantFrom(...resourceIds),
      booleanOp: fc.constantFrom('and' as const, 'or' as const),
      score,
      expressions: fc.array(expression(nodeNames), { minLength: 1, maxLength: 3 }),
      nested: fc.boolean(),
    })
    .map(({ rsc, booleanOp, score: s, expressions, nested }): LocationConstraint => {
      const ruleId = `${id}-rule`;
      const exprs: (AttributeExpression | Rule)[] = expressions.map((x, j) => ({
        id: `${ruleId}-expr-${j}`,
        ...x,
      }));
      if (nested) {
        exprs.push({
          kind: 'rule',
          id: `${ruleId}-inner`,
          booleanOp: 'and',
          expressions: [
            { kind: 'expression', id: `${ruleId}-inner-expr`, attribute: 'pingd', operation: 'defined' },
          ],
        });
      }
      return { id, rsc, rules: [{ kind: 'rule', id: ruleId, score: s, booleanOp, expressions: exprs }] };
    });
  return fc.oneof(byNode, byRule);
}

function pair(ids: string[]): fc.Arbitrary<[string, string]> {
  return fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)).filter(([a, b]) => a !== b);
}

function colocation(ids: string[], i: number): fc.Arbitrary<ColocationConstraint> {
  return fc
    .record({ p: pair(ids), score, influence: fc.boolean() }, { requiredKeys: ['p', 'score'] })
    .map(({ p, score: s, influence }) => {
      const c: ColocationConstraint = { id: `col-${i}`, rsc: p[0], withRsc: p[1], score: s };
      if (influence !== undefined) c.influence = influence;
      return c;
    });
}

function order(ids: string[], i: number): fc.Arbitrary<OrderConstraint> {
  return fc
    .record({
      p: pair(ids),
      firstAction: fc.constantFrom('start', 'stop'),
      thenAction: fc.constantFrom('start', 'stop'),
      kind: fc.constantFrom('Mandatory' as const, 'Optional' as const, 'Serialize' as const),
      symmetrical: fc.boolean(),
      legacyScore: fc.boolean(),
    })
    .map(({ p, firstAction, thenAction, kind, symmetrical, legacyScore }) => {
      const o: OrderConstraint = {
        id: `ord-${i}`,
        first: p[0],
        then: p[1],
        firstAction,
        thenAction,
        kind,
        symmetrical: kind === 'Serialize' ? false : symmetrical,
      };
      if (legacyScore && kind !== 'Serialize') o.score = kind === 'Optional' ? 0 : INF;
      return o;
    });
}

export function canonicalConfig(opts: { anyText?: boolean } = {}): fc.Arbitrary<ClusterConfig> {
  const anyText = opts.anyText ?? false;
  return fc
    .record({
      clusterName: name,
      version: fc.record({ adminEpoch: fc.nat(5), epoch: fc.nat(1000), numUpdates: fc.nat(50) }),
      properties: fc.constantFrom<Attributes>(
        { 'stonith-enabled': 'false' },
        { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore', 'symmetric-cluster': 'true' },
        { 'stonith-enabled': 'false', 'maintenance-mode': 'false', 'cluster-recheck-interval': '5min' },
      ),
      rscDefaults: fc.constantFrom<Attributes>(
        {},
        { 'resource-stickiness': '100' },
        { 'migration-threshold': '3', 'failure-timeout': '60s' },
      ),
      opDefaults: fc.constantFrom<Attributes>({}, { timeout: '30s' }),
      nodeCount: fc.integer({ min: 1, max: 4 }),
      nodeAttrs: fc.array(
        fc.constantFrom<Attributes>({}, { standby: 'on' }, { site: 'a', maintenance: 'off' }),
        { minLength: 4, maxLength: 4 },
      ),
      shapes: fc.array(resourceShape(anyText), { maxLength: 5 }),
    })
    .chain((base) => {
      const nodes: NodeConfig[] = Array.from({ length: base.nodeCount }, (_, i) => ({
        id: String(i + 1),
        name: `node${i + 1}`,
        attributes: base.nodeAttrs[i] ?? {},
      }));
      const resources = buildResources(base.shapes);
      const ids = topIds(resources);
      const nodeNames = nodes.map((n) => n.name);
      const constraints =
        ids.length < 2
          ? fc.constant<Constraints>({ location: [], colocation: [], order: [] })
          : fc.record({
              location: fc
                .tuple(...[0, 1, 2].map((i) => location(ids, nodeNames, i)))
                .chain((ls) => fc.subarray(ls)),
              colocation: fc.tuple(...[0, 1].map((i) => colocation(ids, i))).chain((cs) => fc.subarray(cs)),
              order: fc.tuple(...[0, 1].map((i) => order(ids, i))).chain((os) => fc.subarray(os)),
            });
      return constraints.map((c): ClusterConfig => ({
        formatVersion: 1,
        clusterName: base.clusterName,
        version: base.version,
        properties: base.properties,
        rscDefaults: base.rscDefaults,
        opDefaults: base.opDefaults,
        nodes,
        resources,
        constraints: c,
      }));
    });
}

function opRecord(rsc: string, i: number): fc.Arbitrary<OpRecord> {
  return fc
    .record(
      {
        operation: fc.constantFrom('start', 'stop', 'monitor'),
        intervalMs: fc.constantFrom(0, 10_000),
        rc: fc.constantFrom(0, 1, 7),
        opStatus: fc.constantFrom(0 as const, 2 as const, 4 as const),
        lastRcChange: fc.integer({ min: 1_600_000_000, max: 1_800_000_000 }),
        execTimeMs: fc.nat(60_000),
        queueTimeMs: fc.nat(100),
        exitReason: fc.stringMatching(/^[a-z ]{0,10}$/),
        attributes: fc.constant({ 'op-force-restart': ' ip ', 'op-restart-digest': 'abc' }),
      },
      { requiredKeys: ['operation', 'intervalMs', 'rc', 'opStatus'] },
    )
    .map((r) => {
      const key = `${rsc}_${r.operation}_${r.intervalMs}`;
      const tk = `${i + 3}:1:0:4a6c3c54-0000-4000-8000-00000000abcd`;
      const out: OpRecord = {
        ...r,
        id: r.intervalMs === 0 ? `${rsc}_last_${i}` : key,
        operationKey: key,
        callId: i + 3,
        targetRc: 0,
        transitionKey: tk,
        transitionMagic: `${r.opStatus}:${r.rc};${tk}`,
        crmFeatureSet: '3.16.1',
        onNode: 'x',
        opDigest: '0123456789abcdef0123456789abcdef',
      };
      return out;
    });
}

/** States for the nodes of `config`, histories for its primitives, in the form import produces. */
export function canonicalStatus(config: ClusterConfig): fc.Arbitrary<ClusterStatus> {
  const prims: Primitive[] = [];
  const walk = (r: Resource): void => {
    if (r.kind === 'primitive') prims.push(r);
    else if (r.kind === 'group') r.members.forEach(walk);
    else walk(r.child);
  };
  config.resources.forEach(walk);
  const node = (n: NodeConfig): fc.Arbitrary<NodeState> =>
    fc
      .record({
        inCcm: fc.boolean(),
        online: fc.boolean(),
        join: fc.constantFrom('member' as const, 'down' as const, 'pending' as const),
        expected: fc.constantFrom('member' as const, 'down' as const),
        transientAttributes: fc.constantFrom<Attributes>(
          {},
          { pingd: '1000' },
          { pingd: '0', 'fail-count-x#monitor_10000': '2' },
        ),
        histories: fc.subarray(prims),
      })
      .chain((s) =>
        fc
          .tuple(...s.histories.map((p) => fc.array(opRecord(p.id, 0), { minLength: 1, maxLength: 2 })))
          .map((opss) => {
            const state: NodeState = {
              name: n.name,
              id: n.id,
              inCcm: s.inCcm,
              crmd: s.online ? 'online' : 'offline',
              join: s.join,
              expected: s.expected,
              transientAttributes: s.transientAttributes,
              history: s.histories.map((p, k) => ({
                id: p.id,
                agent: p.agent,
                ops: (opss[k] ?? []).map((o) => ({ ...o, onNode: n.name })),
              })),
            };
            return state;
          }),
      );
  return fc
    .record({
      haveQuorum: fc.boolean(),
      nodes: fc.tuple(...config.nodes.map(node)),
      dc: fc.constantFrom(...config.nodes.map((n) => n.name)),
    })
    .map((s) => ({ haveQuorum: s.haveQuorum, dc: s.dc, crmFeatureSet: '3.16.1', nodes: s.nodes }));
}
