/**
 * A throwaway redis-server (lab/redis-server.ts) on a free loopback port for one test, stopped by
 * PID in that test's teardown even on failure, plus SIGSTOP/SIGCONT to play a frozen witness.
 */
import type { ExecutionContext } from 'ava';
import { startRedisServer, type RedisServer as LabRedisServer } from '../../../lab/redis-server.ts';

export interface RedisServer extends LabRedisServer {
  /** SIGSTOP / SIGCONT the server (a frozen witness). */
  freeze(): void;
  thaw(): void;
}

export async function startRedis(t: ExecutionContext): Promise<RedisServer> {
  const started = await startRedisServer();
  if (!started.ok) throw new Error(started.error);
  const srv = started.value;
  t.teardown(async () => {
    try {
      process.kill(srv.pid, 'SIGCONT'); // a frozen server cannot handle its TERM
    } catch {
      // already gone
    }
    await srv.stop();
  });
  return {
    ...srv,
    freeze: () => process.kill(srv.pid, 'SIGSTOP'),
    thaw: () => process.kill(srv.pid, 'SIGCONT'),
  };
}
