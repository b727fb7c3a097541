/**
 * ocf:tandem:Filesystem in-process against real mounts in a temp directory: tmpfs (on a mount
 * point with a space, which /proc/self/mountinfo escapes as \040), a bind mount, and an ext4 image
 * on a loop device; stop with force_unmount killing a process that holds the mount, and stop
 * refusing to report success while the mount is still busy.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBuiltinAgent, OcfRc } from '../../../resource-agents/index.ts';
import type { AgentContext, BuiltinAgent } from '../../../resource-agents/index.ts';
import { mountsAtOrBelow, readMountInfo } from '../../../resource-agents/internal/mountinfo.ts';
import { must, run, tempDir, waitFor } from './support.ts';

function filesystem(): BuiltinAgent {
  const agent = getBuiltinAgent('Filesystem');
  if (agent === undefined) throw new Error('Filesystem agent is not registered');
  return agent;
}

function context(
  params: Record<string, string>,
  stateDir: string,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): AgentContext {
  return {
    instance: `fs-${process.pid}`,
    params,
    meta: {},
    timeoutMs: opts.timeoutMs ?? 20_000,
    intervalMs: opts.intervalMs ?? 0,
    signal: new AbortController().signal,
    stateDir,
  };
}

/** A work directory whose mounts (and loop devices) are all removed at teardown, deepest first. */
async function workDir(t: ExecutionContext, tag: string): Promise<string> {
  const dir = await tempDir(t, `fs-${tag}`);
  // Registered after tempDir's rm, so it runs before it (teardowns run in reverse order).
  t.teardown(async () => {
    for (const m of mountsAtOrBelow(await readMountInfo(), dir)) {
      const r = await run('umount', [m.mountPoint]);
      if (r.code !== 0) await run('umount', ['-l', m.mountPoint]);
    }
  });
  return dir;
}

async function readFileOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

async function isMounted(dir: string): Promise<boolean> {
  return (await readMountInfo()).some((m) => m.mountPoint === dir);
}

interface Case {
  name: string;
  /** Prepares the source in `dir` and returns the agent parameters. */
  setup: (t: ExecutionContext, dir: string) => Promise<Record<string, string>> | Record<string, string>;
  fstype: string;
}

const cases: Case[] = [
  {
    name: 'tmpfs on a mount point with a space',
    fstype: 'tmpfs',
    setup: (_t, dir) => ({
      device: 'tandem-tmpfs',
      directory: join(dir, 'a b', 'mnt'),
      fstype: 'tmpfs',
      options: 'size=4m',
    }),
  },
  {
    name: 'bind mount',
    fstype: 'tmpfs',
    setup: async (t, dir) => {
      // The source lives on a tmpfs of its own, so the bind shares no device with / .
      const src = join(dir, 'src');
      await mkdir(src);
      await must(t, 'mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tandem-src', src]);
      await writeFile(join(src, 'marker'), 'bound\n');
      return { device: src, directory: join(dir, 'bound'), fstype: 'none', options: 'bind' };
    },
  },
  {
    name: 'ext4 image on a loop device',
    fstype: 'ext4',
    setup: async (t, dir) => {
      const image = join(dir, 'disk.img');
      await must(t, 'truncate', ['-s', '16M', image]);
      await must(t, 'mkfs.ext4', ['-q', '-F', image]);
      t.teardown(async () => {
        const loops = await run('losetup', ['-j', image]);
        for (const line of loops.stdout.split('\n')) {
          const dev = line.split(':')[0];
          if (dev !== undefined && dev !== '') await run('losetup', ['-d', dev]);
        }
      });
      return { device: image, directory: join(dir, 'loop'), fstype: 'ext4', options: 'loop' };
    },
  },
];

for (const c of cases) {
  test(`start/monitor/stop: ${c.name}`, async (t) => {
    const dir = await workDir(t, c.name.split(' ')[0] ?? 'x');
    const params = await c.setup(t, dir);
    const fs = filesystem();
    const ctx = (intervalMs = 0): AgentContext => context(params, dir, { intervalMs });
    const target = params.directory ?? '';

    t.is((await fs.run('validate-all', ctx())).rc, OcfRc.ok);
    t.is((await fs.run('monitor', ctx())).rc, OcfRc.notRunning, 'probe before start');
    const started = await fs.run('start', ctx());
    t.is(started.rc, OcfRc.ok, started.exitReason);
    t.true((await stat(target)).isDirectory(), 'start created the mount point');
    const entry = (await readMountInfo()).find((m) => m.mountPoint === target);
    t.is(entry?.fstype, c.fstype, 'mountinfo lists the mount point, decoded');
    t.is((await fs.run('monitor', ctx(10_000))).rc, OcfRc.ok);
    t.is((await fs.run('start', ctx())).rc, OcfRc.ok, 'start is idempotent');
    t.is(
      (await readMountInfo()).filter((m) => m.mountPoint === target).length,
      1,
      'second start did not mount again',
    );
    const stopped = await fs.run('stop', ctx());
    t.is(stopped.rc, OcfRc.ok, stopped.exitReason);
    t.false(await isMounted(target));
    t.is((await fs.run('monitor', ctx(10_000))).rc, OcfRc.notRunning);
    t.is((await fs.run('stop', ctx())).rc, OcfRc.ok, 'stop of a stopped filesystem');
  });
}

/** A `sleep` whose cwd is inside `dir`, killed at teardown if still alive. */
function holdMount(
  t: ExecutionContext,
  dir: string,
  ignoreTerm = false,
): { pid: number; exited: Promise<NodeJS.Signals | null> } {
  // With ignoreTerm the sleep inherits an ignored SIGTERM (exec keeps ignored dispositions).
  const child = ignoreTerm
    ? spawn('sh', ['-c', 'trap "" TERM; exec sleep 60'], { cwd: dir, stdio: 'ignore' })
    : spawn('sleep', ['60'], { cwd: dir, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start sleep');
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, sig) => resolve(sig)),
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { pid, exited };
}

test('stop with force_unmount=true kills the process holding the mount, then unmounts', async (t) => {
  const dir = await workDir(t, 'force');
  const params = {
    device: 'tandem-tmpfs',
    directory: join(dir, 'mnt'),
    fstype: 'tmpfs',
    force_unmount: 'true',
  };
  const fs = filesystem();
  t.is((await fs.run('start', context(params, dir))).rc, OcfRc.ok);
  const holder = holdMount(t, params.directory);
  t.true(
    await waitFor(
      async () =>
        (await run('umount', [params.directory])).code !== 0 || !(await isMounted(params.directory)),
      2000,
    ),
  );
  t.true(await isMounted(params.directory), 'the sleep keeps the mount busy');
  const r = await fs.run('stop', context(params, dir, { timeoutMs: 10_000 }));
  t.is(r.rc, OcfRc.ok, r.exitReason);
  t.is(await holder.exited, 'SIGTERM', 'TERM came first and was enough');
  t.false(await isMounted(params.directory));
});

test('stop escalates to SIGKILL when the holder ignores SIGTERM', async (t) => {
  const dir = await workDir(t, 'kill');
  const params = {
    device: 'tandem-tmpfs',
    directory: join(dir, 'mnt'),
    fstype: 'tmpfs',
    force_unmount: 'safe',
  };
  const fs = filesystem();
  t.is((await fs.run('start', context(params, dir))).rc, OcfRc.ok);
  const holder = holdMount(t, params.directory, true);
  t.true(
    await waitFor(
      async () => (await readFileOrEmpty(`/proc/${holder.pid}/cmdline`)).startsWith('sleep'),
      2000,
    ),
  );
  const r = await fs.run('stop', context(params, dir, { timeoutMs: 6000 }));
  t.is(r.rc, OcfRc.ok, r.exitReason);
  t.is(await holder.exited, 'SIGKILL');
  t.false(await isMounted(params.directory));
});

test('stop never reports success while the mount is still busy (force_unmount=false)', async (t) => {
  const dir = await workDir(t, 'busy');
  const params = {
    device: 'tandem-tmpfs',
    directory: join(dir, 'mnt'),
    fstype: 'tmpfs',
    force_unmount: 'false',
  };
  const fs = filesystem();
  t.is((await fs.run('start', context(params, dir))).rc, OcfRc.ok);
  const holder = holdMount(t, params.directory);
  const began = Date.now();
  const r = await fs.run('stop', context(params, dir, { timeoutMs: 3000 }));
  const tookMs = Date.now() - began;
  t.is(r.rc, OcfRc.errGeneric);
  t.regex(r.exitReason ?? '', new RegExp(`couldn't unmount .*in use by PIDs .*\\b${holder.pid}\\b`));
  t.true(await isMounted(params.directory), 'still mounted, and stop said so');
  t.true(tookMs < 3000, `stop stayed within its timeout (${tookMs} ms)`);
  t.is((await fs.run('monitor', context(params, dir, { intervalMs: 10_000 }))).rc, OcfRc.ok);
});

const invalid: [string, Record<string, string>, OcfRc][] = [
  ['missing device', { directory: '/mnt/x', fstype: 'tmpfs' }, OcfRc.errConfigured],
  ['relative directory', { device: 'x', directory: 'mnt/x', fstype: 'tmpfs' }, OcfRc.errConfigured],
  ['directory /', { device: 'x', directory: '/', fstype: 'tmpfs' }, OcfRc.errConfigured],
  [
    'bad force_unmount',
    { device: 'x', directory: '/mnt/x', fstype: 'tmpfs', force_unmount: 'maybe' },
    OcfRc.errConfigured,
  ],
  ['unknown fstype', { device: 'x', directory: '/mnt/x', fstype: 'tandemfs' }, OcfRc.errInstalled],
  [
    'missing loop image',
    { device: '/nonexistent/tandem.img', directory: '/mnt/x', fstype: 'ext4', options: 'loop' },
    OcfRc.errInstalled,
  ],
];
for (const [name, params, rc] of invalid) {
  test(`validate-all: ${name} → ${rc}`, async (t) => {
    const r = await filesystem().run('validate-all', context(params, '/tmp'));
    t.is(r.rc, rc);
    t.truthy(r.exitReason);
  });
}
