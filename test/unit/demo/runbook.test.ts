/**
 * The demo's runbook adaptation (pure), the recording shim's record format, and the failover
 * summary statistics.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adaptRunbookCommand,
  parseRecords,
  recordingShim,
  summarize,
  type DemoSettings,
} from '../../../cli/demo/index.ts';

const netns: DemoSettings = {
  mode: 'netns',
  exportDir: '/x/export',
  mountDir: '/x/vm_repository',
  floatingIp: '192.0.2.58',
  nic: 'eth0',
  gatewayIp: '192.0.2.1',
  pingIntervalMs: 200,
};
const loopback: DemoSettings = { ...netns, mode: 'loopback' };

const cases: Array<{
  name: string;
  input: string;
  settings: DemoSettings;
  expected: string;
  changed: boolean;
}> = [
  {
    name: 'setup unchanged',
    input: 'cluster setup pacemaker1 rsha1 rsha2',
    settings: netns,
    expected: 'cluster setup pacemaker1 rsha1 rsha2',
    changed: false,
  },
  {
    name: 'clone keeps its stray word',
    input: 'resource clone ping connection',
    settings: netns,
    expected: 'resource clone ping connection',
    changed: false,
  },
  {
    name: 'NFS becomes a bind mount of the tmpfs export',
    input:
      'resource create vm_repository ocf:heartbeat:Filesystem device=192.0.2.72:/opt/vm_repository directory=/opt/vm_repository fstype=nfs options=defaults',
    settings: netns,
    expected:
      'resource create vm_repository ocf:tandem:Filesystem device=/x/export directory=/x/vm_repository fstype=none options=bind op monitor interval=5s timeout=20s',
    changed: true,
  },
  {
    name: 'NFS in loopback mode is a Dummy',
    input:
      'resource create vm_repository ocf:heartbeat:Filesystem device=a:/b directory=/c fstype=nfs options=defaults',
    settings: loopback,
    expected: 'resource create vm_repository ocf:tandem:Dummy',
    changed: true,
  },
  {
    name: 'IPaddr2 is tandem’s own on the node interface',
    input: 'resource create ClusterIP ocf:heartbeat:IPaddr2 ip=192.0.2.58 cidr_netmask=24',
    settings: netns,
    expected:
      'resource create ClusterIP ocf:tandem:IPaddr2 ip=192.0.2.58 cidr_netmask=24 nic=eth0 dad_timeout=100ms arp_count=2 op monitor interval=1s timeout=10s',
    changed: true,
  },
  {
    name: 'IPaddr2 in loopback mode is a Dummy',
    input: 'resource create ClusterIP ocf:heartbeat:IPaddr2 ip=192.0.2.58 cidr_netmask=24',
    settings: loopback,
    expected: 'resource create ClusterIP ocf:tandem:Dummy',
    changed: true,
  },
  {
    name: 'the LSB service gets a 1 s monitor',
    input: 'resource create tomcat-service lsb:abiquo-tomcat',
    settings: netns,
    expected: 'resource create tomcat-service lsb:abiquo-tomcat op monitor interval=1s timeout=10s',
    changed: true,
  },
  {
    name: 'ping: tandem’s agent, the gateway, sub-second interval',
    input: 'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 timeout=5 attempts=3',
    settings: { ...netns, gatewayIp: '198.51.100.1', pingIntervalMs: 300 },
    expected:
      'resource create ping ocf:tandem:ping host_list=198.51.100.1 timeout=100ms attempts=2 dampen=0 op monitor interval=300ms timeout=5s',
    changed: true,
  },
  {
    name: 'an agent the demo does not know stays',
    input: 'resource create other ocf:heartbeat:Dummy',
    settings: netns,
    expected: 'resource create other ocf:heartbeat:Dummy',
    changed: false,
  },
];

for (const c of cases) {
  test(`adaptRunbookCommand: ${c.name}`, (t) => {
    const input = c.input.split(' ');
    const r = adaptRunbookCommand(input, c.settings);
    t.is(r.words.join(' '), c.expected);
    t.deepEqual(r.original, input);
    t.is(r.notes.length > 0, c.changed);
  });
}

test('parseRecords drops -f FILE and keeps arguments with spaces', (t) => {
  const r = parseRecords('3\n-f\n/tmp/x.json\nstatus\n6\nresource\ncreate\na b\n--file\n');
  t.false(r.ok, 'a record cut short is refused');
  const ok = parseRecords('3\n-f\n/tmp/x.json\nstatus\n3\nresource\ncreate\na b\n');
  t.deepEqual(ok, { ok: true, value: [['status'], ['resource', 'create', 'a b']] });
  t.false(parseRecords('x\n').ok);
});

test('the recording shim writes what parseRecords reads', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-demo-unit-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const shim = join(dir, 'shim');
  const record = join(dir, "rec'ord");
  await writeFile(shim, recordingShim(record));
  await chmod(shim, 0o755);
  for (const args of [
    ['-f', '/c.json', 'resource', 'create', 'x', 'ocf:tandem:Dummy', 'fake=a b'],
    ['-f', '/c.json', 'property', 'set', 'no-quorum-policy=ignore'],
  ]) {
    const code = await new Promise<number>((resolve) =>
      execFile(shim, args, (err) => resolve(err === null ? 0 : typeof err.code === 'number' ? err.code : 1)),
    );
    t.is(code, 0);
  }
  t.deepEqual(parseRecords(await readFile(record, 'utf8')), {
    ok: true,
    value: [
      ['resource', 'create', 'x', 'ocf:tandem:Dummy', 'fake=a b'],
      ['property', 'set', 'no-quorum-policy=ignore'],
    ],
  });
});

const stats: Array<{ values: number[]; median: number; min: number; max: number }> = [
  { values: [5], median: 5, min: 5, max: 5 },
  { values: [3, 1, 2], median: 2, min: 1, max: 3 },
  { values: [4, 1, 3, 2], median: 2.5, min: 1, max: 4 },
];
for (const s of stats) {
  test(`summarize ${s.values.join(',')}`, (t) => {
    t.deepEqual(summarize(s.values), { median: s.median, min: s.min, max: s.max, n: s.values.length });
  });
}
test('summarize of nothing is NaN', (t) => {
  t.true(Number.isNaN(summarize([]).median));
});
