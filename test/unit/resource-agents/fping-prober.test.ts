/**
 * The ping agent's long-lived prober against a scripted stand-in for fping (a shell script printing
 * fping's `-l` lines): verdicts from reply and `timed out` lines, no flapping on a single lost
 * reply, restart when fping exits, a failure value when it cannot run, and dispose ending it.
 */
import test from 'ava';
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { isAlive, waitFor } from '../../../lab/process.ts';
import {
  FpingProber,
  chooseSentinel,
  parseFpingLoopLine,
} from '../../../resource-agents/internal/fping-prober.ts';

const lines: [string, ReturnType<typeof parseFpingLoopLine>][] = [
  ['192.0.2.1  : [0], 64 bytes, 0.043 ms (0.043 avg, 0% loss)', { host: '192.0.2.1', seq: 0, kind: 'reply' }],
  ['gw.example : [12], timed out (NaN avg, 100% loss)', { host: 'gw.example', seq: 12, kind: 'timeout' }],
  ['ICMP Host Unreachable from 192.0.2.9 for ICMP Echo sent to 192.0.2.1', undefined],
  ['', undefined],
  ['192.0.2.1 : [3], something else', undefined],
];
for (const [line, expected] of lines) {
  test(`parseFpingLoopLine(${JSON.stringify(line.slice(0, 40))})`, (t) => {
    t.deepEqual(parseFpingLoopLine(line), expected);
  });
}

test('chooseSentinel: a loopback address not among the hosts', (t) => {
  t.is(chooseSentinel(['192.0.2.1']), '127.0.0.1');
  t.is(chooseSentinel(['127.0.0.1', '127.0.0.2']), '127.0.0.3');
});

/** A stand-in for fping: a shell script printing fping's lines, then staying (exec sleep) or exiting. */
async function fakeFping(t: ExecutionContext, body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-fake-fping-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'fping');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const say = (l: string): string => `echo '${l}'`;
const reply = (h: string, n: number): string => say(`${h} : [${n}], 64 bytes, 0.05 ms (0.05 avg, 0% loss)`);
const lost = (h: string, n: number): string => say(`${h} : [${n}], timed out (NaN avg, 100% loss)`);
const GW = '192.0.2.1';
const S = '127.0.0.1';

/** Periods long enough that only the scripted lines decide (the silence rules never fire). */
const slow = { periodMs: 5000, timeoutMs: 5000 };

test('a single lost reply does not flap (attempts=2); two in a row do; the next reply brings it back', async (t) => {
  const marker = join(tmpdir(), `tandem-fake-fping-${process.pid}-done`);
  const fping = await fakeFping(
    t,
    [
      reply(GW, 0),
      reply(S, 0),
      lost(GW, 1),
      reply(S, 1),
      reply(GW, 2),
      reply(S, 2),
      `touch ${marker}`,
      'exec sleep 30',
    ].join('\n'),
  );
  t.teardown(() => rm(marker, { force: true }));
  const changes: string[][] = [];
  const p = new FpingProber({
    fping,
    hosts: [GW],
    attempts: 2,
    ...slow,
    onChange: (r) => changes.push([...r]),
  });
  t.teardown(() => p.dispose());
  t.true(await p.waitSettled(5000));
  t.true(
    await waitFor(
      () =>
        access(marker).then(
          () => true,
          () => false,
        ),
      5000,
    ),
  );
  t.deepEqual(changes, [[GW]], 'one change only: reachable');
  t.deepEqual([...p.reachable()], [GW]);

  const fping2 = await fakeFping(
    t,
    [reply(GW, 0), lost(GW, 1), lost(GW, 2), reply(GW, 3), 'exec sleep 30'].join('\n'),
  );
  const changes2: string[][] = [];
  const p2 = new FpingProber({
    fping: fping2,
    hosts: [GW],
    attempts: 2,
    ...slow,
    onChange: (r) => changes2.push([...r]),
  });
  t.teardown(() => p2.dispose());
  t.true(await waitFor(() => changes2.length >= 3, 5000), JSON.stringify(changes2));
  t.deepEqual(changes2, [[GW], [], [GW]], 'reachable, unreachable after 2 losses, reachable again');
});

test('fping that cannot run: failure names it, waitSettled gives up at once', async (t) => {
  const fping = await fakeFping(t, 'echo "fping: nosuch.invalid: Name or service not known" >&2; exit 2');
  const p = new FpingProber({ fping, hosts: ['nosuch.invalid'], attempts: 1, ...slow });
  t.teardown(() => p.dispose());
  const began = performance.now();
  t.false(await p.waitSettled(5000));
  t.true(performance.now() - began < 3000);
  t.regex(p.failure ?? '', /fping exited with code 2: fping: nosuch\.invalid: Name or service not known/);
});

test('fping that exits is started again; verdicts survive; dispose ends it by PID', async (t) => {
  const fping = await fakeFping(t, [reply(GW, 0), 'exec sleep 30'].join('\n'));
  const p = new FpingProber({ fping, hosts: [GW], attempts: 1, ...slow });
  t.teardown(() => p.dispose());
  t.true(await p.waitSettled(5000));
  const first = p.pid;
  if (first === undefined) return t.fail('no fping running');
  process.kill(first, 'SIGKILL');
  t.true(await waitFor(() => p.starts === 2 && p.pid !== undefined, 5000), `starts ${p.starts}`);
  t.deepEqual([...p.reachable()], [GW], 'the verdict is kept across the restart');
  const second = p.pid;
  await p.dispose();
  t.true(second !== undefined && !isAlive(second), 'fping ended by dispose');
});
