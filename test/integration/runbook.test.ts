/**
 * The Abiquo RS runbook (examples/abiquo-rs/runbook.sh: the guide's pcs lines with `pcs`
 * replaced by `tandem -f FILE`) runs through bin/tandem on a temporary file; the resulting model
 * is what the guide describes, the warnings appear, and the exported CIB passes Pacemaker's
 * own `crm_verify -x`.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfigFile, type ClusterConfig } from '../../coordinator/cib/index.ts';
import { runConfigCommand } from '../../cli/config/run.ts';

const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: readonly string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const tandem = (file: string, line: string): Promise<Run> =>
  run('bin/tandem', ['-f', file, ...line.split(' ')]);

interface Fixture {
  dir: string;
  file: string;
  runbook: Run;
  config: ClusterConfig;
}

async function runbook(t: { teardown: (fn: () => Promise<void>) => void }): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-runbook-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'rs.json');
  const result = await run('bash', ['examples/abiquo-rs/runbook.sh', file]);
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) throw new Error(`runbook output unreadable: ${loaded.error}\n${result.stderr}`);
  return { dir, file, runbook: result, config: loaded.value };
}

test('the runbook builds the RS configuration, warns, and its CIB passes crm_verify', async (t) => {
  t.timeout(240_000);
  const { dir, file, runbook: result, config } = await runbook(t);
  t.is(result.code, 0, result.stderr);

  // The model the guide describes.
  t.is(config.clusterName, 'pacemaker1');
  t.deepEqual(
    config.nodes.map((n) => n.name),
    ['rsha1', 'rsha2'],
  );
  t.deepEqual(config.properties, { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore' });
  t.deepEqual(config.rscDefaults, { 'resource-stickiness': '100' });
  t.deepEqual(
    config.resources.map((r) => [r.kind, r.id]),
    [
      ['group', 'abiquo_rs'],
      ['clone', 'ping-clone'],
    ],
  );
  const [group, clone] = config.resources;
  t.deepEqual(group?.kind === 'group' ? group.members.map((m) => [m.id, m.agent]) : undefined, [
    ['vm_repository', { standard: 'ocf', provider: 'heartbeat', type: 'Filesystem' }],
    ['ClusterIP', { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' }],
    ['tomcat-service', { standard: 'lsb', type: 'abiquo-tomcat' }],
  ]);
  t.is(clone?.kind === 'clone' ? clone.child.id : undefined, 'ping');
  t.deepEqual(config.constraints.colocation, [
    {
      id: 'colocation-abiquo_rs-ping-clone-INFINITY',
      rsc: 'abiquo_rs',
      withRsc: 'ping-clone',
      score: 1_000_000,
    },
  ]);
  t.deepEqual(config.constraints.location, []);
  t.notRegex(JSON.stringify(config), /10\.60\./, 'the guide addresses are replaced by documentation ones');

  // The two warnings the runbook must produce.
  t.regex(result.stderr, /warning: .*ignored the word 'connection' and named the clone 'ping-clone'/);
  t.regex(result.stderr, /warning: .*no location rule uses the pingd attribute/);

  // Export passes Pacemaker's own checker.
  const xml = join(dir, 'rs.xml');
  const exported = await tandem(file, `cluster cib ${xml}`);
  t.is(exported.code, 0, exported.stderr);
  const verify = await run('crm_verify', ['-x', xml]);
  t.is(verify.code, 0, verify.stderr + verify.stdout);

  // The README's fix: the pingd rule silences the warning and still verifies.
  const rule = await tandem(
    file,
    'constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or not_defined pingd',
  );
  t.is(rule.code, 0, rule.stderr);
  const check = await tandem(file, 'cluster verify');
  t.is(check.code, 0, check.stderr);
  t.notRegex(check.stderr, /pingd/);
  const xml2 = join(dir, 'rs-fixed.xml');
  t.is((await tandem(file, `cluster cib ${xml2}`)).code, 0);
  const verify2 = await run('crm_verify', ['-x', xml2]);
  t.is(verify2.code, 0, verify2.stderr + verify2.stdout);
});

test('bin/tandem exit codes: 1 with the fix named, 2 for usage', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-exit-codes-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'c.json');
  const setup = await tandem(file, 'cluster setup pacemaker1 rsha1 rsha2');
  t.is(setup.code, 0, setup.stderr);
  const cases: { args: string[]; code: number; stderr: RegExp }[] = [
    {
      args: ['-f', file, 'resource', 'group', 'add', 'abiquo_rs', 'nosuch'],
      code: 1,
      stderr: /unknown resource 'nosuch': create it first with `tandem resource create nosuch …`/,
    },
    {
      args: ['-f', file, 'resource', 'create', 'x', 'Dummy', '--bogus'],
      code: 2,
      stderr: /unknown option --bogus/,
    },
    { args: ['resource', 'create', 'x', 'Dummy'], code: 1, stderr: /pass -f FILE/ },
    { args: ['-f', file, 'resource', 'frobnicate'], code: 2, stderr: /unknown command 'frobnicate'/ },
  ];
  for (const c of cases) {
    const r = await run('bin/tandem', c.args);
    t.is(r.code, c.code, `${c.args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, c.stderr);
  }
});

test('every kind of configuration the commands make exports to a CIB crm_verify accepts', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-all-kinds-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'c.json');
  const quiet = { stdout: () => undefined, stderr: () => undefined };
  const lines = [
    'cluster setup c n1 n2',
    'property set stonith-enabled=false symmetric-cluster=true',
    'resource create a Dummy op monitor interval=10s timeout=20s on-fail=restart start timeout=30s meta migration-threshold=3 --disabled',
    'resource create b Dummy --group g',
    'resource create c lsb:abiquo-tomcat --group g --before b',
    'resource clone g interleave=true',
    'resource create p ping host_list=192.0.2.1 multiplier=1000 clone',
    'constraint order stop a then start g-clone kind=Optional symmetrical=false',
    'constraint order p-clone then a',
    'constraint colocation add Started a with g-clone 50',
    'constraint colocation add a with p-clone',
    'constraint location a rule score-attribute=pingd defined pingd and ( #uname eq n1 or rack gt integer 3 )',
    'constraint location a rule score=-INFINITY pingd lt 1 or not_defined pingd',
    'constraint location g-clone avoids n2=200',
    'constraint location a prefers n1',
    'node standby n2',
    'node attribute n1 rack=4',
    'resource op defaults timeout=30s',
    'resource defaults update resource-stickiness=10',
  ];
  for (const line of lines) await runConfigCommand(line.split(' '), file, quiet);
  const xml = join(dir, 'c.xml');
  await runConfigCommand(['cluster', 'cib', xml], file, quiet);
  const verify = await run('crm_verify', ['-V', '-x', xml]);
  t.is(verify.code, 0, verify.stderr + verify.stdout);
});
