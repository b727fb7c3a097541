/**
 * The abiquo-tomcat stand-in's LSB init script (examples/abiquo-rs/abiquo-tomcat), run for real:
 * the LSB compliance checklist Pacemaker relies on (start/stop idempotent, status 0/3, status 1
 * for a stale pid file), the HTTP answer, and configuration from the defaults file.
 */
import test from 'ava';
import { freePort } from '../../../lab/free-port.ts';
import type { ExecutionContext } from 'ava';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { run, tempDir } from './support.ts';

const script = fileURLToPath(new URL('../../../examples/abiquo-rs/abiquo-tomcat', import.meta.url));

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function service(t: ExecutionContext, tag: string, env: NodeJS.ProcessEnv = {}) {
  const dir = await tempDir(t, `lsb-${tag}`);
  const pidFile = join(dir, 'abiquo-tomcat.pid');
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ABIQUO_TOMCAT_PIDFILE: pidFile,
    ABIQUO_TOMCAT_DEFAULTS: join(dir, 'defaults'),
    ...env,
  };
  const lsb = (action: string) => run(script, [action], fullEnv);
  // Registered after tempDir's removal, so it runs first: stop the service, then kill by PID if
  // the script could not.
  t.teardown(async () => {
    await lsb('stop');
    try {
      process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGKILL');
    } catch {
      // stopped
    }
  });
  return { dir, pidFile, lsb };
}

test('LSB start/status/stop with the codes Pacemaker expects, and the HTTP answer', async (t) => {
  const port = await freePort();
  const { pidFile, lsb } = await service(t, 'cycle', { ABIQUO_TOMCAT_PORT: String(port) });

  t.is((await lsb('status')).code, 3, 'status of a stopped service: 3');
  t.is((await lsb('stop')).code, 0, 'stop of a stopped service: 0');
  t.is((await lsb('start')).code, 0, 'start: 0');
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  t.true(pid > 0);
  t.deepEqual(await httpGet(port), { status: 200, body: 'abiquo-tomcat stand-in\n' });
  t.is((await lsb('status')).code, 0, 'status of a running service: 0');
  t.is((await lsb('start')).code, 0, 'start of a running service: 0');
  t.is(Number((await readFile(pidFile, 'utf8')).trim()), pid, 'and it did not start a second one');
  t.is((await lsb('restart')).code, 0);
  t.not(Number((await readFile(pidFile, 'utf8')).trim()), pid, 'restart runs a new process');
  t.is((await lsb('force-reload')).code, 0);
  t.is((await lsb('stop')).code, 0, 'stop: 0');
  t.is((await lsb('status')).code, 3);
  t.is((await lsb('reload')).code, 3, 'reload is unimplemented: 3');
  t.is((await lsb('bogus')).code, 2, 'unknown action: usage, 2');
});

test('LSB status is 1 (dead) when the pid file names no running service', async (t) => {
  const { pidFile, lsb } = await service(t, 'stale');
  await writeFile(pidFile, '999999999\n');
  t.is((await lsb('status')).code, 1);
  t.is((await lsb('stop')).code, 0, 'stop of a dead service cleans up and succeeds');
  t.is((await lsb('status')).code, 3);
});

test('LSB start fails (1) when the port is taken, and the port comes from the defaults file', async (t) => {
  const port = await freePort();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const { dir, lsb } = await service(t, 'busy');
  await writeFile(join(dir, 'defaults'), `ABIQUO_TOMCAT_PORT=${port}\n`);
  const r = await lsb('start');
  t.is(r.code, 1, r.stderr);
  t.regex(r.stderr, new RegExp(`failed to start on 127\\.0\\.0\\.1:${port}`));
  t.is((await lsb('status')).code, 3);
});
