import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SpawnProcessRunner } from '../../../agent/executor/index.ts';
import { killPids, processAlive, readPids, tempDir, waitFor, writeScript } from './helpers.ts';

for (const mode of ['setpgid', 'setsid'] as const) {
  test(`${mode}: the agent leads its own process group; exit code, output and environment pass through`, async (t) => {
    const dir = await tempDir(`runner-${mode}`);
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'agent');
    await writeScript(
      script,
      `#!/bin/sh
# pid, pgrp and session of this very process (fields 1, 5, 6 of /proc/self/stat, via $$)
set -- $(cut -d' ' -f1,5,6 /proc/$$/stat) "$@"
echo "$1 $2 $3 $FOO"
echo "to stderr" >&2
exit 5
`,
    );
    const runner = new SpawnProcessRunner({ processGroup: mode });
    t.is(runner.processGroupMode, mode);
    const r = await runner.run({
      file: script,
      args: ['start'],
      env: { PATH: '/usr/bin:/bin', FOO: 'bar' },
      timeoutMs: 10000,
    });
    t.deepEqual(r.outcome, { kind: 'exited', exitCode: 5, exitSignal: null });
    const [pid, pgrp, session, foo] = r.stdout.trim().split(' ');
    t.is(Number(pid), r.pid ?? -1);
    t.is(pgrp, pid, 'group leader');
    t.is(session === pid, mode === 'setsid', 'a new session only with setsid');
    t.is(foo, 'bar');
    t.is(r.stderr, 'to stderr\n');
  });

  test(`${mode}: a missing executable is a spawn error (ENOENT); a runaway group is killed at the timeout`, async (t) => {
    const dir = await tempDir(`runner-${mode}`);
    const pidFile = join(dir, 'pids');
    t.teardown(async () => {
      killPids(await readPids(pidFile));
      await rm(dir, { recursive: true, force: true });
    });
    const runner = new SpawnProcessRunner({ processGroup: mode });
    const missing = await runner.run({ file: join(dir, 'nope'), args: [], env: {}, timeoutMs: 5000 });
    t.like(missing.outcome, { kind: 'spawn-error', code: 'ENOENT' });
    const script = join(dir, 'runaway');
    await writeScript(
      script,
      `#!/bin/sh\ntrap '' TERM\nsleep 1000 &\necho "$$ $!" > ${pidFile}\nwhile :; do wait; done\n`,
    );
    const r = await runner.run({
      file: script,
      args: [],
      env: { PATH: '/usr/bin:/bin' },
      timeoutMs: 300,
      killGraceMs: 200,
    });
    t.deepEqual(r.outcome, { kind: 'timeout' });
    const pids = await readPids(pidFile);
    t.is(pids.length, 2);
    await waitFor(
      async () => !(await processAlive(pids[0] ?? 0)) && !(await processAlive(pids[1] ?? 0)),
      3000,
    );
  });
}
