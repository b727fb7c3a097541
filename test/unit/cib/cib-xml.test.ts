import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import { INFINITY, parseCibXml, toCibXml, type CibImport } from '../../../coordinator/cib/index.ts';
import { abiquoRsConfig } from './abiquo-rs-model.ts';
import { canonicalConfig, canonicalStatus } from './arbitraries.ts';

const FIXTURE = new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url);

function load(xml: string): CibImport {
  const r = parseCibXml(xml);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

test('import: the abiquo-rs fixture', (t) => {
  const { config, status, warnings } = load(readFileSync(FIXTURE, 'utf8'));
  t.deepEqual(warnings, []);
  t.is(config.clusterName, 'abiquo-rs');
  t.deepEqual(config.version, { adminEpoch: 0, epoch: 12, numUpdates: 4 });
  t.deepEqual(config.properties, { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore' });
  t.deepEqual(config.rscDefaults, { 'resource-stickiness': '100' });
  const [group, clone] = config.resources;
  t.is(group?.kind, 'group');
  if (group?.kind === 'group') {
    t.deepEqual(
      group.members.map((m) => `${m.id} ${m.agent.standard}:${m.agent.provider ?? ''}:${m.agent.type}`),
      [
        'vm_repository ocf:heartbeat:Filesystem',
        'ClusterIP ocf:heartbeat:IPaddr2',
        'tomcat-service lsb::abiquo-tomcat',
      ],
    );
    t.deepEqual(group.members[0]?.operations[0], {
      id: 'vm_repository-monitor-interval-20s',
      name: 'monitor',
      intervalMs: 20_000,
      timeoutMs: 40_000,
    });
  }
  t.is(clone?.kind === 'clone' ? clone.child.id : undefined, 'ping');
  t.deepEqual(config.constraints.colocation, [
    {
      id: 'colocation-abiquo_rs-ping-clone-INFINITY',
      rsc: 'abiquo_rs',
      withRsc: 'ping-clone',
      score: INFINITY,
    },
  ]);
  t.is(status.dc, 'rsha1');
  t.true(status.haveQuorum);
  t.deepEqual(
    status.nodes.map((n) => [
      n.name,
      n.id,
      n.inCcm,
      n.crmd,
      n.join,
      n.expected,
      n.transientAttributes['pingd'],
    ]),
    [
      ['rsha1', '1', true, 'online', 'member', 'member', '1000'],
      ['rsha2', '2', true, 'online', 'member', 'member', '1000'],
    ],
  );
  const probe = status.nodes[1]?.history.find((h) => h.id === 'ClusterIP')?.ops[0];
  t.like(probe, {
    id: 'ClusterIP_last_0',
    operationKey: 'ClusterIP_monitor_0',
    operation: 'monitor',
    intervalMs: 0,
    rc: 7,
    targetRc: 7,
    opStatus: 0,
  });
  const mon = status.nodes[0]?.history.find((h) => h.id === 'ClusterIP')?.ops[1];
  t.like(mon, {
    id: 'ClusterIP_monitor_30000',
    intervalMs: 30_000,
    rc: 0,
    targetRc: 0,
    onNode: 'rsha1',
    crmFeatureSet: '3.16.1',
  });
});

test('import → export → import is the identity on the fixture', (t) => {
  const first = load(readFileSync(FIXTURE, 'utf8'));
  const second = load(toCibXml(first.config, first.status));
  t.deepEqual(second.config, first.config);
  t.deepEqual(second.status, first.status);
});

test('model → CIB XML → model is the identity (property)', (t) => {
  fc.assert(
    fc.property(
      canonicalConfig().chain((c) => canonicalStatus(c).map((s) => ({ c, s }))),
      ({ c, s }) => {
        const back = parseCibXml(toCibXml(c, s));
        if (!back.ok) throw new Error(back.error);
        if (!isDeepStrictEqual(back.value.config, c)) t.deepEqual(back.value.config, c);
        if (!isDeepStrictEqual(back.value.status, s)) t.deepEqual(back.value.status, s);
        return true;
      },
    ),
    { numRuns: 50 },
  );
  t.pass();
});

test('export is deterministic and every configuration id is unique', (t) => {
  const config = abiquoRsConfig();
  // A resource whose id is what the exporter would generate for another element.
  config.resources.push({
    kind: 'primitive',
    id: 'ClusterIP-instance_attributes',
    agent: { standard: 'ocf', provider: 'pacemaker', type: 'Dummy' },
    instanceAttributes: { fake: '1' },
    metaAttributes: {},
    operations: [],
  });
  const xml = toCibXml(config);
  t.is(toCibXml(config), xml);
  const ids = [...xml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  t.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
  t.true(xml.includes('<instance_attributes id="ClusterIP-instance_attributes-1">'));
  t.true(xml.includes('<op id="ClusterIP-monitor-interval-30s" name="monitor" interval="30s"/>'));
  t.true(
    xml.includes('<nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="abiquo-rs"/>'),
  );
});

const SIMULATE_STYLE = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="3" num_updates="1" admin_epoch="1" have-quorum="0" dc-uuid="2">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o-1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes>
      <node id="1" uname="rsha1"><instance_attributes id="n1"><nvpair id="n1-s" name="standby" value="on"/></instance_attributes></node>
      <node id="2" uname="rsha2"/>
      <node id="3" uname="rsha3"/>
    </nodes>
    <resources>
      <primitive id="d" class="ocf" provider="pacemaker" type="Dummy">
        <operations>
          <op id="d-mon" name="monitor" interval="PT10S" timeout="1min" on-fail="block">
            <instance_attributes id="d-mon-ia"><nvpair id="d-mon-ia-1" name="OCF_CHECK_LEVEL" value="10"/></instance_attributes>
          </op>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="rsha1" in_ccm="false" crmd="offline" join="down" expected="down"/>
    <node_state id="2" in_ccm="1700000000" crmd="1700000001" join="member" expected="member">
      <transient_attributes id="2">
        <instance_attributes id="status-2">
          <nvpair id="status-2-fc" name="fail-count-d#monitor_10000" value="3"/>
          <nvpair id="status-2-lf" name="last-failure-d#monitor_10000" value="1700000100"/>
        </instance_attributes>
      </transient_attributes>
      <lrm id="2">
        <lrm_resources>
          <lrm_resource id="d" class="ocf" provider="pacemaker" type="Dummy">
            <lrm_rsc_op id="d_last_0" operation_key="d_start_0" operation="start" crm-debug-origin="crm_simulate" crm_feature_set="3.16.1" transition-key="2:1:0:4a6c3c54-0000-4000-8000-00000000abcd" transition-magic="0:0;2:1:0:4a6c3c54-0000-4000-8000-00000000abcd" exit-reason="" on_node="rsha2" call-id="2" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" last-run="1700000000" exec-time="12" queue-time="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" op-force-restart=" state " op-restart-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            <lrm_rsc_op id="d_monitor_10000" operation_key="d_monitor_10000" operation="monitor" transition-key="3:1:0:4a6c3c54-0000-4000-8000-00000000abcd" transition-magic="2:1;3:1:0:4a6c3c54-0000-4000-8000-00000000abcd" exit-reason="monitor timed out" on_node="rsha2" call-id="3" rc-code="1" op-status="2" interval="10000" last-rc-change="1700000100" exec-time="60000" queue-time="0"/>
            <lrm_rsc_op id="d_last_failure_0" operation_key="d_monitor_10000" operation="monitor" transition-key="3:1:0:4a6c3c54-0000-4000-8000-00000000abcd" transition-magic="0:7;3:1:0:4a6c3c54-0000-4000-8000-00000000abcd" exit-reason="not running" on_node="rsha2" call-id="4" rc-code="7" op-status="0" interval="10000" last-rc-change="1700000050"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
  </status>
</cib>`;

test('import: a crm_simulate-style CIB with failures in the lrm history', (t) => {
  const { config, status } = load(SIMULATE_STYLE);
  t.deepEqual(config.version, { adminEpoch: 1, epoch: 3, numUpdates: 1 });
  t.deepEqual(config.nodes[0]?.attributes, { standby: 'on' });
  const prim = config.resources[0];
  t.deepEqual(prim?.kind === 'primitive' ? prim.operations : undefined, [
    {
      id: 'd-mon',
      name: 'monitor',
      intervalMs: 10_000,
      timeoutMs: 60_000,
      onFail: 'block',
      attributes: { OCF_CHECK_LEVEL: '10' },
    },
  ]);
  t.false(status.haveQuorum);
  t.is(status.dc, 'rsha2');
  const [n1, n2] = status.nodes;
  t.like(n1, { name: 'rsha1', inCcm: false, crmd: 'offline', join: 'down', expected: 'down', history: [] });
  // node_state without uname: named through <nodes>; 2.1.7+ timestamps in in_ccm/crmd mean "up since".
  t.like(n2, { name: 'rsha2', id: '2', inCcm: true, crmd: 'online', join: 'member' });
  t.deepEqual(n2?.transientAttributes, {
    'fail-count-d#monitor_10000': '3',
    'last-failure-d#monitor_10000': '1700000100',
  });
  const ops = n2?.history[0]?.ops ?? [];
  t.deepEqual(ops[0], {
    id: 'd_last_0',
    operationKey: 'd_start_0',
    operation: 'start',
    intervalMs: 0,
    callId: 2,
    rc: 0,
    opStatus: 0,
    targetRc: 0,
    transitionKey: '2:1:0:4a6c3c54-0000-4000-8000-00000000abcd',
    transitionMagic: '0:0;2:1:0:4a6c3c54-0000-4000-8000-00000000abcd',
    crmFeatureSet: '3.16.1',
    exitReason: '',
    onNode: 'rsha2',
    lastRcChange: 1_700_000_000,
    lastRun: 1_700_000_000,
    execTimeMs: 12,
    queueTimeMs: 0,
    opDigest: 'f2317cad3d54cec5d7d7aa7d0bf35cf8',
    attributes: { 'op-force-restart': ' state ', 'op-restart-digest': 'f2317cad3d54cec5d7d7aa7d0bf35cf8' },
  });
  t.like(ops[1], { rc: 1, opStatus: 2, exitReason: 'monitor timed out', execTimeMs: 60_000 });
  t.like(ops[2], { id: 'd_last_failure_0', rc: 7, intervalMs: 10_000 });
  const again = load(toCibXml(config, status));
  t.deepEqual(again.status, status);
  t.deepEqual(again.config, config);
});

const wrap = (resources: string, constraints = '', extra = ''): string =>
  `<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes><node id="1" uname="a"/></nodes>
   <resources>${resources}</resources><constraints>${constraints}</constraints>${extra}</configuration><status/></cib>`;
const A = '<primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/>';
const B = '<primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/>';

const legacy: { name: string; constraints: string; want: Record<string, unknown> }[] = [
  {
    name: 'order score=0 is Optional',
    constraints: '<rsc_order id="o" first="A" then="B" score="0"/>',
    want: { kind: 'Optional', score: 0, symmetrical: true, firstAction: 'start', thenAction: 'start' },
  },
  {
    name: 'order score=INFINITY is Mandatory',
    constraints: '<rsc_order id="o" first="A" then="B" score="INFINITY"/>',
    want: { kind: 'Mandatory', score: INFINITY },
  },
  {
    name: 'order negative score is Mandatory (as Pacemaker)',
    constraints: '<rsc_order id="o" first="A" then="B" score="-5"/>',
    want: { kind: 'Mandatory', score: -5 },
  },
  {
    name: 'order kind beats score',
    constraints: '<rsc_order id="o" first="A" then="B" kind="Optional" score="100"/>',
    want: { kind: 'Optional', score: 100 },
  },
  {
    name: 'order then-action defaults to first-action',
    constraints: '<rsc_order id="o" first="A" then="B" first-action="stop"/>',
    want: { kind: 'Mandatory', firstAction: 'stop', thenAction: 'stop' },
  },
  {
    name: 'Serialize is not symmetrical by default',
    constraints: '<rsc_order id="o" first="A" then="B" kind="Serialize"/>',
    want: { kind: 'Serialize', symmetrical: false },
  },
  {
    name: 'colocation without score is 0',
    constraints: '<rsc_colocation id="c" rsc="A" with-rsc="B"/>',
    want: { score: 0, rsc: 'A', withRsc: 'B' },
  },
  {
    name: 'colocation +INFINITY and roles',
    constraints:
      '<rsc_colocation id="c" rsc="A" with-rsc="B" score="+INFINITY" rsc-role="Started" with-rsc-role="Started" influence="false"/>',
    want: { score: INFINITY, rscRole: 'Started', withRscRole: 'Started', influence: false },
  },
  {
    name: 'location with score-attribute rule',
    constraints:
      '<rsc_location id="l" rsc="A"><rule id="r" score-attribute="pingd" boolean-op="and"><expression id="e" attribute="pingd" operation="defined"/></rule></rsc_location>',
    want: {
      rules: [
        {
          kind: 'rule',
          id: 'r',
          scoreAttribute: 'pingd',
          booleanOp: 'and',
          expressions: [{ kind: 'expression', id: 'e', attribute: 'pingd', operation: 'defined' }],
        },
      ],
    },
  },
];
for (const k of legacy) {
  test(`import: ${k.name}`, (t) => {
    const { config } = load(wrap(A + B, k.constraints));
    const all = [
      ...config.constraints.order,
      ...config.constraints.colocation,
      ...config.constraints.location,
    ];
    t.is(all.length, 1);
    t.like(all[0], k.want);
  });
}

const unsupported: { name: string; xml: string; error: RegExp }[] = [
  {
    name: 'resource sets',
    xml: wrap(
      A + B,
      '<rsc_order id="o"><resource_set id="s"><resource_ref id="A"/></resource_set></rsc_order>',
    ),
    error: /rsc_order\[@id='o'\]: resource sets are not supported/,
  },
  {
    name: 'bundles',
    xml: wrap('<bundle id="bb"/>'),
    error: /resources\/bundle\[@id='bb'\]: <bundle> resources are not supported/,
  },
  { name: 'promotable master', xml: wrap('<master id="m"/>'), error: /master\[@id='m'\]: <master>/ },
  {
    name: 'date expressions',
    xml: wrap(
      A,
      '<rsc_location id="l" rsc="A"><rule id="r" score="1"><date_expression id="d" operation="gt" start="2020-01-01"/></rule></rsc_location>',
    ),
    error: /rule\[@id='r'\]\/date_expression\[@id='d'\]: <date_expression> in a rule is not supported/,
  },
  {
    name: 'rules in attribute sets',
    xml: wrap(
      '<primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="m"><rule id="r" score="1"/></meta_attributes></primitive>',
    ),
    error: /meta_attributes\[@id='m'\]\/rule: rules inside <meta_attributes>/,
  },
  {
    name: 'rsc-pattern',
    xml: wrap(A, '<rsc_location id="l" rsc-pattern="A.*" node="a" score="1"/>'),
    error: /rsc-pattern is not supported/,
  },
  {
    name: 'templates',
    xml: wrap('<primitive id="A" template="t"/>'),
    error: /template="t" is not supported/,
  },
  {
    name: 'unknown agent class',
    xml: wrap('<primitive id="A" class="nagios" type="check"/>'),
    error: /class="nagios" is not supported/,
  },
  { name: 'XML syntax error with position', xml: '<cib>\n<configuration>\n</cib>', error: /line 3, column/ },
  { name: 'not a CIB', xml: '<resources/>', error: /root element is <resources>, not <cib>/ },
  {
    name: 'bad interval',
    xml: wrap(
      '<primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="o" name="monitor" interval="often"/></operations></primitive>',
    ),
    error: /op\[@id='o'\]: interval: "often" is not a duration/,
  },
];
for (const k of unsupported) {
  test(`import refuses ${k.name}`, (t) => {
    const r = parseCibXml(k.xml);
    t.false(r.ok);
    if (!r.ok) t.regex(r.error, k.error);
  });
}

test('import warns about harmless sections instead of dropping them silently', (t) => {
  const { warnings } = load(wrap(A, '', '<acls><acl_role id="x"/></acls>'));
  t.deepEqual(warnings, ['/cib/configuration/acls: <acls> is not used by tandem and was not imported']);
});
