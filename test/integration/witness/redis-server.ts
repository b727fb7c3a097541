/**
 * Starts a throwaway redis-server on a free loopback port for one test and stops it (by PID) in
 * that test's teardown, even on failure. Reusable by other integration tests that need a witness.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

export interface RedisServer {
  host: string;
  port: number;
  pid: number;
  /** SIGSTOP / SIGCONT the server (a frozen witness). */
  freeze(): void;
  thaw(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => sock.write('PING\r\n'));
    sock.setTimeout(200, () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.once('error', () => resolve(false));
  });
}

export async function startRedis(t: ExecutionContext): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-redis-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const pid = child.pid;
  if (pid === undefined)
    throw new Error('redis-server did not start: is the redis-server package installed?');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    }
    await exited;
  });
  const end = performance.now() + 5000;
  while (!(await ping(port))) {
    if (performance.now() > end)
      throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    host: '127.0.0.1',
    port,
    pid,
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
  };
}
