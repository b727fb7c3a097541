import test from 'ava';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './helpers.ts';

const execFileP = promisify(execFile);

// bin/tandem runs the bundle build/tandem.mjs when it is fresh, else compiles cli/ through tsx on
// every call (~2 s each on a busy machine; 18 calls here). Bring the bundles up to date first
// (a quick no-op when they are; scripts/build.sh renames them into place, so concurrent runs are
// safe), as `npm test` does before it starts.
test.before(async () => {
  await execFileP('bash', ['scripts/build.sh'], { timeout: 120_000 });
});

async function tandem(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP('bin/tandem', args, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('tandem agent run: rc with its meaning, status, exit reason; exit 0 only on success', async (t) => {
  const stateDir = await tempDir('cli-run');
  t.teardown(() => rm(stateDir, { recursive: true, force: true }));
  const common = ['--state-dir', stateDir, '--instance', 'cli1'];
  const probe = await tandem([
    'agent',
    'run',
    'ocf:heartbeat:Dummy',
    'monitor',
    '--interval',
    '10s',
    ...common,
  ]);
  t.is(probe.code, 1);
  t.regex(
    probe.stdout,
    /^ocf:heartbeat:Dummy monitor on cli1: rc=7 \(not running\), status: complete, \d+ ms$/m,
  );
  t.regex(probe.stdout, /^exit reason: No process state file found$/m);
  const start = await tandem([
    'agent',
    'run',
    'ocf:heartbeat:Dummy',
    'start',
    'fake=x',
    '--timeout',
    '5s',
    ...common,
  ]);
  t.is(start.code, 0, start.stderr);
  t.regex(start.stdout, /rc=0 \(ok\), status: complete/);
  const json = await tandem(['agent', 'run', 'ocf:heartbeat:Dummy', 'monitor', '--json', ...common]);
  t.is(json.code, 0);
  t.like(JSON.parse(json.stdout) as object, { resource: 'cli1', action: 'monitor', status: 'done', rc: 0 });
  const refused = await tandem(['agent', 'run', 'ocf:heartbeat:IPaddr2', 'start', ...common]);
  t.is(refused.code, 1);
  t.regex(refused.stdout, /rc=6 \(not configured\), status: Invalid parameters/);
  t.regex(refused.stdout, /exit reason: ocf:heartbeat:IPaddr2 requires parameter "ip"/);
});

test('tandem agent: usage errors exit 2 and name the fix', async (t) => {
  const bad = await tandem(['agent', 'run', 'ocf:Dummy', 'start']);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /ocf agents are written ocf:PROVIDER:TYPE/);
  const badParam = await tandem(['agent', 'run', 'ocf:heartbeat:Dummy', 'start', 'novalue']);
  t.is(badParam.code, 2);
  t.regex(badParam.stderr, /"novalue" is not a parameter: write name=value/);
  const badTimeout = await tandem(['agent', 'run', 'ocf:heartbeat:Dummy', 'start', '--timeout', 'soon']);
  t.is(badTimeout.code, 2);
  t.regex(badTimeout.stderr, /--timeout: "soon" is not a duration/);
});

test('tandem agent list and meta-data', async (t) => {
  const all = await tandem(['agent', 'list']);
  t.is(all.code, 0);
  const lines = all.stdout.trim().split('\n');
  for (const want of [
    'ocf:heartbeat:Dummy',
    'ocf:heartbeat:IPaddr2',
    'ocf:pacemaker:ping',
    'ocf:tandem:Dummy',
  ]) {
    t.true(lines.includes(want), want);
  }
  const hb = await tandem(['agent', 'list', 'ocf:heartbeat']);
  t.true(
    hb.stdout
      .trim()
      .split('\n')
      .every((l) => l.startsWith('ocf:heartbeat:')),
  );
  t.is((await tandem(['agent', 'list', 'lsb:x'])).code, 2);
  const md = await tandem(['agent', 'meta-data', 'ocf:heartbeat:Dummy']);
  t.is(md.code, 0);
  t.regex(md.stdout, /<resource-agent name="Dummy"/);
  const parsed = await tandem(['agent', 'meta-data', 'ocf:tandem:Dummy', '--json']);
  t.is(parsed.code, 0, parsed.stderr);
  t.true(
    (JSON.parse(parsed.stdout) as { parameters: { name: string }[] }).parameters.some(
      (p) => p.name === 'state',
    ),
  );
  const missing = await tandem(['agent', 'meta-data', 'ocf:nope:Nothing']);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /not found: install it or check the provider and type/);
});

test('built-in ocf:tandem:Dummy runs in-process, and installed with install-ocf it runs forked', async (t) => {
  const root = await tempDir('cli-ocf');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const stateDir = join(root, 'state');
  const inproc = ['--state-dir', stateDir, '--instance', 'bd1'];
  t.is((await tandem(['agent', 'run', 'ocf:tandem:Dummy', 'start', ...inproc])).code, 0);
  t.regex((await tandem(['agent', 'run', 'ocf:tandem:Dummy', 'monitor', ...inproc])).stdout, /rc=0 \(ok\)/);
  t.is((await tandem(['agent', 'run', 'ocf:tandem:Dummy', 'stop', ...inproc])).code, 0);
  t.regex(
    (await tandem(['agent', 'run', 'ocf:tandem:Dummy', 'monitor', ...inproc])).stdout,
    /rc=7 \(not running\)/,
  );

  const install = await tandem(['agent', 'install-ocf', root]);
  t.is(install.code, 0, install.stderr);
  t.regex(install.stdout, new RegExp(`installed ${join(root, 'resource.d', 'tandem', 'Dummy')}`));
  // Through the executor's OCF runner (a fork of the installed wrapper), not the in-process agent.
  const { Executor } = await import('../../../agent/executor/index.ts');
  const executor = new Executor({ ocfRoot: root, stateDir });
  t.teardown(() => executor.dispose());
  const agent = { standard: 'ocf' as const, provider: 'tandem', type: 'Dummy' };
  for (const [action, rc] of [
    ['monitor', 7],
    ['start', 0],
    ['monitor', 0],
    ['stop', 0],
    ['monitor', 7],
  ] as const) {
    const r = await executor.execute({ resource: 'fd1', agent, action, timeoutMs: 20000 });
    t.like(r, { status: 'done', rc }, `${action}: ${r.exitReason ?? r.stderr}`);
  }
});
