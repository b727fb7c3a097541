import test from 'ava';
import {
  BoundedOutput,
  buildOcfEnvironment,
  describeRc,
  isSuccess,
  lsbToOcf,
  opKey,
  parseAgentSpec,
  parseExitReason,
  parseMetaData,
  validateParams,
  advisedTimeoutMs,
  lsbMetaDataXml,
  toOpStatus,
} from '../../../agent/executor/index.ts';

const lsbCases: { action: string; code: number; rc: number }[] = [
  { action: 'start', code: 0, rc: 0 },
  { action: 'start', code: 1, rc: 1 },
  { action: 'stop', code: 7, rc: 7 },
  { action: 'start', code: 5, rc: 5 },
  { action: 'start', code: 8, rc: 1 },
  { action: 'start', code: 150, rc: 1 },
  { action: 'status', code: 0, rc: 0 },
  { action: 'status', code: 1, rc: 7 },
  { action: 'status', code: 2, rc: 7 },
  { action: 'status', code: 3, rc: 7 },
  { action: 'status', code: 4, rc: 1 },
  { action: 'monitor', code: 3, rc: 7 },
  { action: 'monitor', code: 150, rc: 5 },
  { action: 'status', code: 151, rc: 4 },
  { action: 'status', code: 7, rc: 1 },
];
for (const c of lsbCases) {
  test(`lsb ${c.action} exit ${c.code} → ocf rc ${c.rc}`, (t) => {
    t.is(Number(lsbToOcf(c.action, c.code)), c.rc);
  });
}

const reasonCases: { stderr: string; reason: string | undefined }[] = [
  { stderr: '', reason: undefined },
  { stderr: 'ocf-exit-reason:No process state file found\n', reason: 'No process state file found' },
  { stderr: 'noise\nocf-exit-reason:first\nmore\nocf-exit-reason: last one \n', reason: 'last one' },
  { stderr: 'ERROR: ocf-exit-reason:\n', reason: undefined },
  { stderr: `ocf-exit-reason:${'x'.repeat(300)}`, reason: 'x'.repeat(128) },
];
for (const [i, c] of reasonCases.entries()) {
  test(`exit reason parsing #${i}`, (t) => {
    t.is(parseExitReason(c.stderr), c.reason);
  });
}

const specCases: { text: string; ok: boolean; provider?: string; type?: string }[] = [
  { text: 'ocf:heartbeat:Dummy', ok: true, provider: 'heartbeat', type: 'Dummy' },
  { text: 'lsb:abiquo-tomcat', ok: true, type: 'abiquo-tomcat' },
  { text: 'ocf:Dummy', ok: false },
  { text: 'lsb:a:b', ok: false },
  { text: 'upstart:x', ok: false },
];
for (const c of specCases) {
  test(`agent spec ${c.text}`, (t) => {
    const r = parseAgentSpec(c.text);
    t.is(r.ok, c.ok);
    if (r.ok) {
      t.is(r.value.provider, c.provider);
      t.is(r.value.type, c.type ?? '');
    } else {
      t.regex(r.error, /written|standard/);
    }
  });
}

test('rc meanings as crm_mon shows them', (t) => {
  t.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191, 42].map(describeRc), [
    'ok',
    'error',
    'invalid parameter',
    'unimplemented feature',
    'insufficient privileges',
    'not installed',
    'not configured',
    'not running',
    'promoted',
    'promoted (failed)',
    'degraded',
    'promoted (degraded)',
    'unknown',
  ]);
});

test('OCF environment as Pacemaker passes it', (t) => {
  const env = buildOcfEnvironment({
    ocfRoot: '/usr/lib/ocf',
    stateDir: '/run/resource-agents',
    baseEnv: { PATH: '/bin' },
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    resource: 'ClusterIP',
    action: 'monitor',
    params: { ip: '192.0.2.10', cidr_netmask: '24' },
    meta: { 'clone-max': '2', 'target-role': 'Started' },
    timeoutMs: 20000,
    intervalMs: 10000,
    checkLevel: '10',
    nodeName: 'rsha1',
  });
  t.deepEqual(env, {
    PATH: '/bin',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '1',
    OCF_RESOURCE_INSTANCE: 'ClusterIP',
    OCF_RESOURCE_TYPE: 'IPaddr2',
    OCF_RESOURCE_PROVIDER: 'heartbeat',
    OCF_EXIT_REASON_PREFIX: 'ocf-exit-reason:',
    HA_RSCTMP: '/run/resource-agents',
    OCF_RESKEY_ip: '192.0.2.10',
    OCF_RESKEY_cidr_netmask: '24',
    OCF_RESKEY_CRM_meta_clone_max: '2',
    OCF_RESKEY_CRM_meta_target_role: 'Started',
    OCF_RESKEY_CRM_meta_timeout: '20000',
    OCF_RESKEY_CRM_meta_interval: '10000',
    OCF_RESKEY_CRM_meta_name: 'monitor',
    OCF_RESKEY_CRM_meta_on_node: 'rsha1',
    OCF_RESKEY_crm_feature_set: '3.19.6',
    OCF_CHECK_LEVEL: '10',
  });
});

const SAMPLE = `<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Sample" version="2.0">
<version>1.1</version>
<longdesc lang="en">Long
  text</longdesc>
<shortdesc lang="en">Sample agent</shortdesc>
<parameters>
<parameter name="ip" unique="1" required="1">
<longdesc lang="en">The address</longdesc>
<shortdesc lang="en">IPv4 address</shortdesc>
<content type="string" default="" />
</parameter>
<parameter name="mode" unique-group="m">
<longdesc lang="en">Mode &amp; more</longdesc>
<shortdesc lang="en">Mode</shortdesc>
<content type="select" default="fast"><option value="fast"/><option value="slow"/></content>
</parameter>
<parameter name="count" reloadable="1">
<longdesc lang="en">n</longdesc>
<shortdesc lang="en">Count</shortdesc>
<content type="integer" default="5"/>
</parameter>
</parameters>
<actions>
<action name="start" timeout="20s" />
<action name="monitor" depth="0" timeout="40s" interval="10s" />
<action name="monitor" depth="10" timeout="60" interval="1m" />
<action name="meta-data" timeout="5s" />
</actions>
</resource-agent>`;

test('meta-data parsed: parameters, defaults, actions with advised timeouts', (t) => {
  const r = parseMetaData(SAMPLE);
  if (!r.ok) return t.fail(r.error);
  const md = r.value;
  t.is(md.name, 'Sample');
  t.is(md.ocfVersion, '1.1');
  t.is(md.agentVersion, '2.0');
  t.is(md.shortdesc, 'Sample agent');
  t.is(md.longdesc, 'Long text');
  t.deepEqual(
    md.parameters.map((p) => [p.name, p.required, p.unique, p.type, p.default, p.shortdesc]),
    [
      ['ip', true, true, 'string', '', 'IPv4 address'],
      ['mode', false, true, 'select', 'fast', 'Mode'],
      ['count', false, false, 'integer', '5', 'Count'],
    ],
  );
  t.deepEqual(md.parameters[1]?.options, ['fast', 'slow']);
  t.is(md.parameters[1]?.longdesc, 'Mode & more');
  t.true(md.parameters[2]?.reloadable);
  t.deepEqual(md.actions[1], { name: 'monitor', timeoutMs: 40000, intervalMs: 10000, depth: '0' });
  t.deepEqual(md.actions[2], { name: 'monitor', timeoutMs: 60000, intervalMs: 60000, depth: '10' });
  t.is(advisedTimeoutMs(md, 'monitor'), 40000);
  t.is(advisedTimeoutMs(md, 'stop'), undefined);
});

test('meta-data errors are values', (t) => {
  const bad = parseMetaData('<nope/>');
  t.false(bad.ok);
  const broken = parseMetaData('<resource-agent name="x"><parameters>');
  t.false(broken.ok);
  t.true(parseMetaData(lsbMetaDataXml('abiquo-tomcat', 'Tomcat <stand-in>')).ok);
});

const validateCases: { params: Record<string, string>; errors: RegExp[]; warnings: RegExp[] }[] = [
  { params: { ip: '192.0.2.1' }, errors: [], warnings: [] },
  { params: {}, errors: [/Sample requires parameter "ip" \(IPv4 address\): set ip=VALUE/], warnings: [] },
  { params: { ip: '' }, errors: [/"ip"/], warnings: [] },
  { params: { ip: '192.0.2.1', bogus: 'x' }, errors: [], warnings: [/has no parameter "bogus"/] },
  {
    params: { ip: '192.0.2.1', mode: 'medium' },
    errors: [/"mode"="medium" is not one of: fast, slow/],
    warnings: [],
  },
];
for (const [i, c] of validateCases.entries()) {
  test(`parameter validation #${i}`, (t) => {
    const r = parseMetaData(SAMPLE);
    if (!r.ok) return t.fail(r.error);
    const check = validateParams('Sample', r.value, c.params);
    t.is(check.errors.length, c.errors.length);
    c.errors.forEach((re, j) => t.regex(check.errors[j] ?? '', re));
    t.is(check.warnings.length, c.warnings.length);
    c.warnings.forEach((re, j) => t.regex(check.warnings[j] ?? '', re));
    t.is(check.withDefaults['count'], '5');
    t.is(check.withDefaults['mode'], c.params['mode'] ?? 'fast');
  });
}

test('op keys and success as Pacemaker counts them', (t) => {
  t.is(opKey('ClusterIP', 'monitor', 10000), 'ClusterIP_monitor_10000');
  t.true(isSuccess({ status: 'done', rc: 0, expectedRc: 0 }));
  t.true(isSuccess({ status: 'done', rc: 190, expectedRc: 0 }));
  t.true(isSuccess({ status: 'done', rc: 7, expectedRc: 7 }));
  t.false(isSuccess({ status: 'done', rc: 7, expectedRc: 0 }));
  t.false(isSuccess({ status: 'timeout', expectedRc: 0 }));
  t.is(toOpStatus('timeout'), 2);
  t.is(toOpStatus('not-installed'), 7);
});

test('bounded output keeps the head and counts the rest', (t) => {
  const b = new BoundedOutput(10);
  b.push(Buffer.from('hello '));
  b.push(Buffer.from('world, long'));
  b.push(Buffer.from('more'));
  t.is(b.text(), 'hello worl');
  t.is(b.droppedBytes, 11);
});
