/**
 * A real redis-server for the witness: started on a given address (inside a network namespace
 * when `nsPrefix` is given, e.g. the topology's gateway) or on a free loopback port, with no
 * persistence (`--save '' --appendonly no`), its output in a log file (never a pipe, so a chatty
 * server cannot block), ready once it answers PING within the deadline. `stop()` ends it by PID
 * (TERM, then KILL) and removes its directory; it never throws and may be called twice.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, waitFor } from './process.ts';
import { freePort } from './free-port.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface RedisServerOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default: a free loopback port (when host is 127.0.0.1), else 6379. */
  port?: number;
  /** Run inside a network namespace: the argv prefix (`['ip', 'netns', 'exec', NS]`). */
  nsPrefix?: readonly string[];
  /** How long to wait for PONG; default 10 s. */
  readyTimeoutMs?: number;
}

export interface RedisServer {
  host: string;
  port: number;
  pid: number;
  /** redis://HOST:PORT */
  url: string;
  logFile: string;
  /** Runs `redis-cli` against it (in its namespace); for tests that inspect keys. */
  cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<Result<RedisServer>> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (host === '127.0.0.1' ? await freePort() : 6379);
  const prefix = options.nsPrefix ?? [];
  const dir = await mkdtemp(join(tmpdir(), `tandem-redis-${process.pid}-`));
  const logFile = join(dir, 'redis.log');
  const argv = [
    ...prefix,
    'redis-server',
    '--bind',
    host,
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--protected-mode',
    'no',
    '--daemonize',
    'no',
  ];
  const [file, ...args] = argv;
  if (file === undefined) return { ok: false, error: 'empty command' };
  const fd = openSync(logFile, 'a');
  const child = (() => {
    try {
      return spawn(file, args, { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
  })();
  let exitCode: number | string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal ?? 'unknown';
      resolve();
    });
    child.once('error', (err) => {
      exitCode = err.message;
      resolve();
    });
  });
  const pid = child.pid ?? 0;
  let stopped = false;
  const cli = (cliArgs: readonly string[]) => {
    const full = [...prefix, 'redis-cli', '-h', host, '-p', String(port), ...cliArgs];
    return run(full[0] ?? 'redis-cli', full.slice(1), undefined, 5000);
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exitCode === undefined && pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone
      }
      const ended = await Promise.race([exited.then(() => true), delay(3000).then(() => false)]);
      if (!ended) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
        await Promise.race([exited, delay(3000)]);
      }
    }
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  const server: RedisServer = { host, port, pid, url: `redis://${host}:${port}`, logFile, cli, stop };

  const ready = await waitFor(
    async () => exitCode === undefined && (await cli(['ping'])).stdout.trim() === 'PONG',
    options.readyTimeoutMs ?? 10_000,
    50,
  );
  if (!ready) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    const why = exitCode === undefined ? 'no PONG before the deadline' : `it exited (${String(exitCode)})`;
    return {
      ok: false,
      error: `redis-server on ${host}:${port} did not start: ${why}; log: ${log.slice(-500)}`,
    };
  }
  return { ok: true, value: server };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
