import test from 'ava';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Executor, SpawnProcessRunner, netnsProcessRunner } from '../../../agent/executor/index.ts';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);

async function addresses(ns: string, dev: string): Promise<string> {
  const { stdout } = await run('ip', ['-n', ns, '-o', '-4', 'addr', 'show', 'dev', dev]);
  return stdout;
}

test('stock ocf:heartbeat:IPaddr2 inside a test namespace: start, address present, monitor 0, stop, gone', async (t) => {
  const ns = `tandem-exec-${process.pid}`;
  const stateDir = await tempDir('ipaddr2');
  await run('ip', ['netns', 'add', ns]);
  t.teardown(async () => {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  });
  await run('ip', ['-n', ns, 'link', 'add', 'tva', 'type', 'veth', 'peer', 'name', 'tvb']);
  for (const dev of ['lo', 'tva', 'tvb']) await run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
  // The static address IPaddr2 (findif) expects on the interface, not managed by the cluster.
  await run('ip', ['-n', ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'tva']);

  const executor = new Executor({
    stateDir,
    processRunner: netnsProcessRunner(new SpawnProcessRunner(), ns),
  });
  t.teardown(() => executor.dispose());
  const agent = { standard: 'ocf' as const, provider: 'heartbeat', type: 'IPaddr2' };
  const params = { ip: '192.0.2.50', cidr_netmask: '24', nic: 'tva' };
  const op = (action: string) =>
    executor.execute({ resource: 'ClusterIP', agent, action, params, timeoutMs: 20000 });

  const probe = await op('monitor');
  t.like(probe, { status: 'done', rc: 7 });
  const start = await op('start');
  t.like(start, { status: 'done', rc: 0 }, start.exitReason ?? start.stderr);
  t.regex(await addresses(ns, 'tva'), /inet 192\.0\.2\.50\/24/);
  t.like(await op('monitor'), { status: 'done', rc: 0 });
  t.like(await op('stop'), { status: 'done', rc: 0 });
  t.notRegex(await addresses(ns, 'tva'), /192\.0\.2\.50/);
  t.like(await op('monitor'), { status: 'done', rc: 7 });
  t.like(await op('stop'), { status: 'done', rc: 0 }, 'stop of a stopped address succeeds');
  // Nothing leaked to the test's own namespace.
  const { stdout } = await run('ip', ['-o', '-4', 'addr']);
  t.notRegex(stdout, /192\.0\.2\.50/);
});
