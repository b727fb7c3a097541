import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Executor, lsbComplianceCheck } from '../../../agent/executor/index.ts';
import { killPids, processAlive, readPids, tempDir, writeScript } from './helpers.ts';

/**
 * A tiny LSB service: start runs a sleeping daemon (its stdio detached) with a pid file. The
 * non-compliant variant fails stop-when-stopped and says "running" when stopped.
 */
function script(dir: string, name: string, compliant: boolean): string {
  const pidFile = join(dir, `${name}.pid`);
  return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          ${name}
# Short-Description: test service ${name}
### END INIT INFO
PIDFILE=${pidFile}
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
case "$1" in
  start)
    running && exit 0
    sleep 1000 </dev/null >/dev/null 2>&1 &
    echo $! > "$PIDFILE"
    exit 0;;
  stop)
    if running; then kill "$(cat "$PIDFILE")"; rm -f "$PIDFILE"; exit 0; fi
    ${compliant ? 'exit 0' : 'exit 1'};;
  status)
    running && exit 0
    ${compliant ? '[ -f "$PIDFILE" ] && exit 1; exit 3' : 'exit 0'};;
  restart) "$0" stop; "$0" start;;
  *) echo "Usage: $0 {start|stop|status|restart}"; exit 2;;
esac
`;
}

async function setup(t: {
  teardown: (fn: () => Promise<void> | void) => void;
}): Promise<{ dir: string; executor: Executor }> {
  const dir = await tempDir('lsb');
  await writeScript(join(dir, 'good-svc'), script(dir, 'good-svc', true));
  await writeScript(join(dir, 'bad-svc'), script(dir, 'bad-svc', false));
  const executor = new Executor({ lsbDir: dir });
  t.teardown(async () => {
    await executor.dispose();
    killPids([...(await readPids(join(dir, 'good-svc.pid'))), ...(await readPids(join(dir, 'bad-svc.pid')))]);
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, executor };
}

test('a real LSB script: start, monitor runs status, stop; status codes mapped to OCF', async (t) => {
  const { dir, executor } = await setup(t);
  const agent = { standard: 'lsb' as const, type: 'good-svc' };
  const op = (action: string) => executor.execute({ resource: 'svc', agent, action, timeoutMs: 10000 });
  t.like(await op('monitor'), { status: 'done', rc: 7, exitCode: 3 });
  const start = await op('start');
  t.like(start, { status: 'done', rc: 0 });
  t.true(start.durationMs < 2000, 'the daemon holding no pipe, start returns at once');
  const [pid] = await readPids(join(dir, 'good-svc.pid'));
  t.true(await processAlive(pid ?? 0));
  t.like(await op('monitor'), { status: 'done', rc: 0, exitCode: 0 });
  t.like(await op('stop'), { status: 'done', rc: 0 });
  t.like(await op('status'), { status: 'done', rc: 7 });
  t.like(await op('promote'), { status: 'not-supported', rc: 3 });
  const md = await executor.metaData(agent);
  if (!md.ok) return t.fail(md.error);
  t.is(md.value.meta.shortdesc, 'test service good-svc');
  t.like(
    md.value.meta.actions.find((a) => a.name === 'monitor'),
    { timeoutMs: 15000, intervalMs: 15000 },
  );
  const missing = await executor.execute({
    resource: 'x',
    agent: { standard: 'lsb', type: 'nope' },
    action: 'start',
  });
  t.like(missing, { status: 'not-installed', rc: 5 });
});

test('lsbComplianceCheck passes a compliant script and flags a non-compliant one', async (t) => {
  const { dir, executor } = await setup(t);
  const good = await lsbComplianceCheck(executor, 'good-svc', { timeoutMs: 10000 });
  t.true(good.compliant, JSON.stringify(good.steps));
  t.is(good.steps.length, 6);
  const bad = await lsbComplianceCheck(executor, 'bad-svc', { timeoutMs: 10000 });
  t.false(bad.compliant);
  t.deepEqual(
    bad.steps.filter((s) => !s.ok).map((s) => [s.step, s.got]),
    [
      ['status when stopped', 0],
      ['stop when stopped', 1],
    ],
  );
  t.regex(
    bad.steps.find((s) => s.step === 'stop when stopped')?.problem ?? '',
    /stop of a stopped service must return 0/,
  );
  // Both left stopped.
  for (const name of ['good-svc', 'bad-svc']) {
    for (const pid of await readPids(join(dir, `${name}.pid`))) t.false(await processAlive(pid));
  }
});

test('tandem agent check-lsb reports the failed steps and exits 1', async (t) => {
  const { dir } = await setup(t);
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const result = await promisify(execFile)(
    'bin/tandem',
    ['agent', 'check-lsb', 'bad-svc', '--lsb-dir', dir],
    {
      timeout: 30_000,
    },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
  );
  t.is(result.code, 1);
  t.regex(result.stdout, /^FAIL stop when stopped: stop returned 1 \(expected 0\)/m);
  t.regex(result.stdout, /^FAIL status when stopped: status returned 0 \(expected 3\)/m);
  t.regex(result.stdout, /^ok {3}start when stopped: start returned 0$/m);
  t.regex(result.stdout, /lsb:bad-svc is NOT LSB compliant/);
});
