/**
 * The ping agent's long-lived fping against a real gateway (a peer network namespace): how long a
 * lost gateway takes to be noticed — the route blackholed (fping cannot even send, and prints
 * nothing) and the gateway address gone (requests time out) — and that it comes back; then the
 * in-process agent under an Executor: one fping for many monitors, ended by stop, by the
 * executor's dispose, and by the death of its parent.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { Executor } from '../../../agent/executor/index.ts';
import { FpingProber } from '../../../resource-agents/internal/fping-prober.ts';
import { builtinAgents } from '../../../resource-agents/index.ts';
import { must, netnsPair, run, tempDir, waitFor } from './support.ts';
import { isAlive } from '../../../lab/process.ts';

/** fping run inside namespace `ns` (ip netns exec execs, so the PID stays fping's). */
async function fpingIn(t: ExecutionContext, ns: string): Promise<string> {
  const dir = await tempDir(t, 'fping-ns');
  const file = join(dir, 'fping');
  await writeFile(file, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/fping "$@"\n`);
  await chmod(file, 0o755);
  return file;
}

/** Resolves with ms from now until `p` reports the gateway's verdict `up`. */
function timeUntil(changes: { at: number; up: boolean }[], up: boolean, since: number, timeoutMs: number) {
  return waitFor(() => changes.some((c) => c.at >= since && c.up === up), timeoutMs, 5).then((ok) =>
    ok ? (changes.find((c) => c.at >= since && c.up === up)?.at ?? NaN) - since : undefined,
  );
}

const GATEWAY = '192.0.2.2';

for (const [periodMs, timeoutMs, attempts] of [
  [200, 200, 2],
  [100, 100, 2],
] as const) {
  test(`gateway loss noticed within attempts × period + timeout (+1 period): period ${periodMs} ms, timeout ${timeoutMs} ms, attempts ${attempts}`, async (t) => {
    const pair = await netnsPair(t, '192.0.2.1/24', `${GATEWAY}/24`);
    const changes: { at: number; up: boolean }[] = [];
    const p = new FpingProber({
      fping: await fpingIn(t, pair.node),
      hosts: [GATEWAY],
      periodMs,
      timeoutMs,
      attempts,
      onChange: (r) => changes.push({ at: performance.now(), up: r.has(GATEWAY) }),
    });
    t.teardown(() => p.dispose());
    t.true(await p.waitSettled(5000), p.failure);
    t.deepEqual([...p.reachable()], [GATEWAY]);
    // Worst case: the loss right after a reply; + one period of scheduling slack on a loaded machine.
    const bound = attempts * periodMs + timeoutMs + periodMs + 500;
    const figures: string[] = [];

    for (const fault of ['blackhole route', 'gateway address removed'] as const) {
      const since = performance.now();
      if (fault === 'blackhole route')
        await must(t, 'ip', ['-n', pair.node, 'route', 'add', 'blackhole', `${GATEWAY}/32`]);
      else await must(t, 'ip', ['-n', pair.peer, 'addr', 'del', `${GATEWAY}/24`, 'dev', pair.peerIf]);
      const down = await timeUntil(changes, false, since, 5000);
      t.not(down, undefined, `${fault}: never noticed`);
      t.true((down ?? Infinity) < bound, `${fault}: noticed after ${down?.toFixed(0)} ms (bound ${bound})`);
      figures.push(`${fault}: ${down?.toFixed(0)} ms`);

      const healed = performance.now();
      if (fault === 'blackhole route')
        await must(t, 'ip', ['-n', pair.node, 'route', 'del', 'blackhole', `${GATEWAY}/32`]);
      else await must(t, 'ip', ['-n', pair.peer, 'addr', 'add', `${GATEWAY}/24`, 'dev', pair.peerIf]);
      const up = await timeUntil(changes, true, healed, 5000);
      t.not(up, undefined, `${fault}: the gateway's return was not noticed`);
      figures.push(`back ${up?.toFixed(0)} ms`);
    }
    t.log(`period ${periodMs} ms, timeout ${timeoutMs} ms, attempts ${attempts}: ${figures.join(', ')}`);
    t.is(p.starts, 1, 'fping was never restarted');
  });
}

test('in an Executor: one fping for all monitors, pingd pushed on change, ended by stop and by dispose', async (t) => {
  const stateDir = await tempDir(t, 'ping-exec');
  const attrs: { name: string; value: string | null }[] = [];
  const executor = new Executor({
    stateDir,
    builtinAgents: builtinAgents.values(),
    setNodeAttribute: (name, value) => attrs.push({ name, value }),
  });
  t.teardown(() => executor.dispose());
  const agent = { standard: 'ocf' as const, provider: 'tandem', type: 'ping' };
  const params = { host_list: '127.0.0.1', timeout: '200ms', attempts: '2', dampen: '0', multiplier: '10' };
  const fpings = async (): Promise<number[]> => {
    // This process's fpings for 127.0.0.1 (sentinel 127.0.0.2): the other tests' have other hosts.
    const r = await run('pgrep', [
      '-P',
      String(process.pid),
      '-f',
      'fping .* 127\\.0\\.0\\.1 127\\.0\\.0\\.2$',
    ]);
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
  };

  for (const name of ['ping-a', 'ping-b']) {
    const started = await executor.execute({ resource: name, agent, action: 'start', params });
    t.is(started.rc, 0, started.exitReason);
  }
  t.is((await fpings()).length, 2, 'one fping per instance');
  const before = await fpings();
  for (let i = 0; i < 5; i++) {
    const r = await executor.execute({
      resource: 'ping-a',
      agent,
      action: 'monitor',
      intervalMs: 200,
      params,
    });
    t.is(r.rc, 0, r.exitReason);
  }
  t.deepEqual(await fpings(), before, 'monitors reuse the running fping');
  t.true(attrs.some((a) => a.name === 'pingd' && a.value === '10'));

  t.is((await executor.execute({ resource: 'ping-a', agent, action: 'stop', params })).rc, 0);
  t.true(await waitFor(async () => (await fpings()).length === 1, 3000), 'stop ends its fping');
  const last = await fpings();
  await executor.dispose();
  t.true(
    await waitFor(() => last.every((pid) => !isAlive(pid)), 3000),
    'dispose of the executor ends the other',
  );
});

test('fping dies with its parent (SIGKILL of the daemon): the closed pipe ends it within a period', async (t) => {
  const dir = await tempDir(t, 'ping-orphan');
  const script = join(dir, 'prober.mts');
  const proberModule = new URL('../../../resource-agents/internal/fping-prober.ts', import.meta.url).href;
  await writeFile(
    script,
    [
      `import { FpingProber } from ${JSON.stringify(proberModule)};`,
      `const p = new FpingProber({ fping: '/usr/bin/fping', hosts: ['127.0.0.1'], periodMs: 100, timeoutMs: 100, attempts: 2 });`,
      `await p.waitSettled(5000);`,
      `process.stdout.write(String(p.pid) + '\\n');`,
      `setInterval(() => undefined, 1000);`,
    ].join('\n'),
  );
  const tsx = new URL('../../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', tsx, script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const killChild = (): void => {
    if (child.pid !== undefined && isAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
  };
  t.teardown(killChild);
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  t.true(await waitFor(() => out.includes('\n'), 15000), 'the prober started');
  const fpingPid = Number(out.trim());
  t.true(fpingPid > 0 && isAlive(fpingPid));
  t.teardown(() => {
    if (isAlive(fpingPid)) process.kill(fpingPid, 'SIGKILL');
  });
  killChild();
  t.true(await waitFor(() => !isAlive(fpingPid), 3000), 'fping outlived its parent');
});
