/**
 * The file side of `tandem -f FILE …`, in process: setup, edits with validation (refused edits
 * leave the file byte for byte), epoch bumps, listings, verify, XML export/import and XML files.
 */
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseCibXml } from '../../../coordinator/cib/index.ts';
import { runConfigCommand, type ConfigIo } from '../../../cli/config/run.ts';
import { CliError, type ExitCode } from '../../../cli/exit-codes.ts';
import { RUNBOOK, words } from './support.ts';

interface Captured extends ConfigIo {
  out: string[];
  err: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
}

async function tempDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-config-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function tandem(file: string | undefined, line: string, io: ConfigIo = capture()): Promise<void> {
  await runConfigCommand(words(line), file, io);
}

/** Runs a command expected to fail; returns the CliError. */
async function failing(file: string | undefined, line: string, io: ConfigIo = capture()): Promise<CliError> {
  try {
    await tandem(file, line, io);
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error(`expected \`${line}\` to fail`);
}

async function setUpRunbook(file: string): Promise<void> {
  await tandem(file, 'cluster setup pacemaker1 rsha1 rsha2');
  for (const line of RUNBOOK) await tandem(file, line);
}

test('without -f: exit 1, says to pass -f FILE', async (t) => {
  const err = await failing(undefined, 'property set stonith-enabled=false');
  t.is(err.exitCode, 1);
  t.regex(err.message, /pass -f FILE/);
});

test('a missing file: exit 1, says how to create it', async (t) => {
  const dir = await tempDir(t);
  const err = await failing(join(dir, 'none.json'), 'property');
  t.is(err.exitCode, 1);
  t.regex(err.message, /does not exist: create it with `tandem -f .* cluster setup NAME NODE\.\.\.`/);
});

test('cluster setup creates the file and refuses to overwrite it without --force', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await tandem(file, 'cluster setup pacemaker1 rsha1 rsha2');
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) return t.fail(loaded.error);
  t.is(loaded.value.clusterName, 'pacemaker1');
  t.deepEqual(
    loaded.value.nodes.map((n) => n.name),
    ['rsha1', 'rsha2'],
  );
  const err = await failing(file, 'cluster setup other rsha3');
  t.is(err.exitCode, 1);
  t.regex(err.message, /already exists: pass --force/);
  await tandem(file, 'cluster setup other rsha3 --force');
  const again = await loadConfigFile(file);
  t.true(again.ok && again.value.clusterName === 'other');
});

test('edits bump the epoch and save', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await tandem(file, 'cluster setup pacemaker1 rsha1 rsha2');
  const first = await loadConfigFile(file);
  await tandem(file, 'property set stonith-enabled=false');
  const second = await loadConfigFile(file);
  if (!first.ok || !second.ok) return t.fail('load failed');
  t.is(second.value.version.epoch, first.value.version.epoch + 1);
  t.deepEqual(second.value.properties, { 'stonith-enabled': 'false' });
});

const refused: { line: string; code: ExitCode; stderr?: RegExp; message: RegExp }[] = [
  {
    line: 'resource group add abiquo_rs nosuch',
    code: 1,
    message: /unknown resource 'nosuch': create it first/,
  },
  { line: 'resource create x Dummy --bogus', code: 2, message: /unknown option --bogus/ },
  {
    // Checked against the installed agent's meta-data (resource-agents), as pcs does.
    line: 'resource create vip ocf:heartbeat:IPaddr2 ipp=192.0.2.9',
    code: 1,
    stderr:
      /tandem: error: invalid parameter 'ipp' for 'vip'.*\n.*required parameter 'ip' missing for 'vip': add ip=VALUE/,
    message: /`tandem resource create vip` refused \(see above\); the file was not changed/,
  },
  {
    line: 'resource update ClusterIP ipp=192.0.2.9',
    code: 1,
    stderr: /invalid parameter 'ipp' for 'ClusterIP'/,
    message: /refused/,
  },
  {
    line: 'resource meta ClusterIP resource-stickiness=abc',
    code: 1,
    stderr: /tandem: error: .*resource-stickiness.*\(fix: /,
    message: /refused: the configuration would be invalid .*the file was not changed/,
  },
];

for (const r of refused) {
  test(`refused edits leave the file untouched: ${r.line}`, async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'c.json');
    await setUpRunbook(file);
    const before = await readFile(file, 'utf8');
    const io = capture();
    const err = await failing(file, r.line, io);
    t.is(err.exitCode, r.code);
    t.regex(err.message, r.message);
    if (r.stderr) t.regex(io.err.join(''), r.stderr);
    t.is(await readFile(file, 'utf8'), before);
  });
}

test('warnings print once: only new ones after each edit', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await tandem(file, 'cluster setup pacemaker1 rsha1 rsha2');
  for (const line of RUNBOOK.slice(0, -1)) await tandem(file, line);
  const io = capture();
  await tandem(file, RUNBOOK[RUNBOOK.length - 1] ?? '', io);
  const err = io.err.join('');
  t.regex(
    err,
    /tandem: warning: .*no location rule uses the pingd attribute.*\(fix: .*pingd lt 1 or not_defined pingd\)/,
  );
  const next = capture();
  await tandem(file, 'resource meta abiquo_rs resource-stickiness=100', next);
  t.notRegex(next.err.join(''), /pingd/);
});

test('listings go to stdout', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await setUpRunbook(file);
  const cases: [string, RegExp][] = [
    ['property', /stonith-enabled: false\n no-quorum-policy: ignore/],
    ['property config', /no-quorum-policy: ignore/],
    ['resource defaults', /resource-stickiness: 100/],
    ['resource op defaults', /Operation Defaults: \(none\)/],
    [
      'constraint',
      /abiquo_rs with ping-clone \(score:INFINITY\) \(id:colocation-abiquo_rs-ping-clone-INFINITY\)/,
    ],
    [
      'resource config',
      /Group: abiquo_rs\n {3}Resource: vm_repository \(class=ocf provider=heartbeat type=Filesystem\)/,
    ],
    ['resource config ping-clone', /Clone: ping-clone\n {3}Resource: ping/],
    ['node attribute', /rsha1: \n rsha2: /],
  ];
  for (const [line, expected] of cases) {
    const io = capture();
    await tandem(file, line, io);
    t.regex(io.out.join(''), expected, line);
  }
});

test('cluster verify: warnings, exit 0; errors exit 1', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await setUpRunbook(file);
  const io = capture();
  await tandem(file, 'cluster verify', io);
  t.regex(io.err.join(''), /warning: .*pingd/);
  const broken = join(dir, 'broken.json');
  const text = (await readFile(file, 'utf8')).replace(
    '"resource-stickiness": "100"',
    '"resource-stickiness": "lots"',
  );
  await writeFile(broken, text);
  const err = await failing(broken, 'cluster verify');
  t.is(err.exitCode, 1);
  t.regex(err.message, /configuration invalid: \d+ error/);
});

test('cluster cib exports XML; cib-push imports it into another file', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await setUpRunbook(file);
  const io = capture();
  await tandem(file, 'cluster cib', io);
  t.regex(io.out.join(''), /^<cib [^>]*epoch=/);
  const xml = join(dir, 'out.xml');
  await tandem(file, `cluster cib ${xml}`);
  const parsed = parseCibXml(await readFile(xml, 'utf8'));
  if (!parsed.ok) return t.fail(parsed.error);
  const other = join(dir, 'other.json');
  await tandem(other, `cluster cib-push ${xml}`);
  const a = await loadConfigFile(file);
  const b = await loadConfigFile(other);
  if (!a.ok || !b.ok) return t.fail('load failed');
  t.deepEqual(b.value.resources, a.value.resources);
  t.deepEqual(b.value.constraints, a.value.constraints);
  t.is(
    b.value.version.epoch,
    a.value.version.epoch + 1,
    'the pushed configuration moves the version forward',
  );
});

test('a FILE ending in .xml is kept as Pacemaker CIB XML', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'cib.xml');
  await setUpRunbook(file);
  const text = await readFile(file, 'utf8');
  t.regex(text, /^<cib /);
  const parsed = parseCibXml(text);
  if (!parsed.ok) return t.fail(parsed.error);
  t.deepEqual(
    parsed.value.config.resources.map((r) => r.id),
    ['abiquo_rs', 'ping-clone'],
  );
});

test('cib-push refuses a broken or invalid CIB and leaves the file untouched', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await setUpRunbook(file);
  const before = await readFile(file, 'utf8');
  const xml = join(dir, 'out.xml');
  await tandem(file, `cluster cib ${xml}`);
  const exported = await readFile(xml, 'utf8');
  const cases: [string, string][] = [
    ['not XML', 'this is not a CIB'],
    ['unknown resource in a constraint', exported.replace('with-rsc="ping-clone"', 'with-rsc="nosuch"')],
  ];
  for (const [what, text] of cases) {
    const bad = join(dir, 'bad.xml');
    await writeFile(bad, text);
    const err = await failing(file, `cluster cib-push ${bad}`);
    t.is(err.exitCode, 1, what);
    t.is(await readFile(file, 'utf8'), before, what);
  }
  const missing = await failing(file, `cluster cib-push ${join(dir, 'none.xml')}`);
  t.regex(missing.message, /does not exist: export one with `cibadmin --query/);
});

test('cib-push of a Pacemaker CIB (the abiquo-rs fixture) creates the file', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'c.json');
  await tandem(file, 'cluster cib-push test/fixtures/abiquo-rs.cib.xml');
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) return t.fail(loaded.error);
  t.deepEqual(
    loaded.value.resources.map((r) => r.id),
    ['abiquo_rs', 'ping-clone'],
  );
});
