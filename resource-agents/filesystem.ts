/**
 * ocf:tandem:Filesystem — mounts a filesystem (NFS in production; tmpfs, bind and loop mounts in
 * tests) and unmounts it, by force when asked, never reporting a successful stop while the mount
 * is still there.
 *
 * State is the kernel's mount table of this process's mount namespace (/proc/self/mountinfo); the
 * mount point is canonicalised without stat-ing it (realpath of its parent + its name), so neither
 * monitor nor stop touches a possibly hung NFS server. NFS takes the same code path as every other
 * fstype; the only differences are `umount -f` in the KILL phase of stop and no device-number
 * matching of mount users (it would stat files on the server).
 */
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { release } from 'node:os';
import type { AgentContext, AgentResult, BuiltinAgent } from './agent-api.ts';
import { OcfRc } from './agent-api.ts';
import {
  missingRequired,
  renderMetaData,
  withDefaults,
  type AgentDescription,
} from './internal/meta-data.ts';
import { mountsAtOrBelow, readMountInfo, topMountAt, type MountEntry } from './internal/mountinfo.ts';
import { findMountUsers } from './internal/mount-users.ts';
import { delay, describeFailure, findExecutable, runCommand } from './internal/run-command.ts';
import { parseBool } from './internal/values.ts';

const description: AgentDescription = {
  type: 'Filesystem',
  version: '1.0',
  shortdesc: 'Manages filesystem mounts',
  longdesc:
    'Mounts a filesystem on a directory and unmounts it. The production case is NFS ' +
    '(fstype=nfs, device=server:/export); block devices, loop files (options=loop), bind mounts ' +
    '(options=bind) and tmpfs work the same way. Monitor reads /proc/self/mountinfo and never ' +
    'touches the filesystem. Stop kills processes that keep the mount busy when force_unmount ' +
    'allows it, and fails rather than report success while the filesystem is still mounted.',
  parameters: [
    {
      name: 'device',
      shortdesc: 'Device',
      longdesc:
        'What to mount: a block device (/dev/sdb1), NFS export (server:/export), an image file ' +
        'with options=loop, a directory with options=bind, or a name for tmpfs.',
      type: 'string',
      required: true,
    },
    {
      name: 'directory',
      shortdesc: 'Mount point',
      longdesc: 'Absolute path of the mount point; created (with parents) at start when missing.',
      type: 'string',
      required: true,
      unique: true,
    },
    {
      name: 'fstype',
      shortdesc: 'Filesystem type',
      longdesc: 'Filesystem type as for mount -t: nfs, nfs4, ext4, xfs, tmpfs, … (none for bind mounts).',
      type: 'string',
      required: true,
    },
    {
      name: 'options',
      shortdesc: 'Mount options',
      longdesc:
        'Options passed as mount -o OPTIONS, e.g. ro,noatime; bind for a bind mount; loop for an image file.',
      type: 'string',
      default: '',
    },
    {
      name: 'force_unmount',
      shortdesc: 'Kill processes before unmount',
      longdesc:
        'What stop may do to processes that keep the mount busy: true = signal every process ' +
        'whose cwd, root, executable, open file or mapping is under the mount point or on its ' +
        'device (TERM during the first half of the stop timeout, then KILL); safe = the same but ' +
        'by path only, never stat-ing files (cannot hang on a dead NFS server); false = kill ' +
        'nothing (stop then fails while the mount is busy).',
      type: 'string',
      default: 'true',
    },
    {
      name: 'fast_stop',
      shortdesc: 'Bound stop to 6 seconds',
      longdesc:
        'When true, stop gives up after 6 seconds instead of using (almost) the whole stop ' +
        'timeout to terminate users and unmount.',
      type: 'boolean',
      default: 'false',
    },
  ],
  actions: [
    { name: 'start', timeout: '60s' },
    { name: 'stop', timeout: '60s' },
    { name: 'monitor', timeout: '40s', interval: '20s', depth: 0 },
    { name: 'meta-data', timeout: '5s' },
    { name: 'validate-all', timeout: '5s' },
  ],
};

const metaData = renderMetaData(description);

const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smbfs', 'smb3', 'ceph', 'glusterfs', 'aznfs', 'efs']);
type ForceMode = 'true' | 'safe' | 'false';

interface FsConfig {
  device: string;
  directory: string;
  fstype: string;
  options: string[];
  force: ForceMode;
  fastStop: boolean;
}

type Check<T> = { ok: true; value: T } | { ok: false; result: AgentResult };

function parseForce(text: string): ForceMode | undefined {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', '1', 'on', 'y'].includes(t)) return 'true';
  if (['false', 'no', '0', 'off', 'n'].includes(t)) return 'false';
  if (t === 'safe') return 'safe';
  return undefined;
}

/** Syntax-level configuration check (no access to the host). */
function parseConfig(ctx: AgentContext): Check<FsConfig> {
  const p = withDefaults(description, ctx.params);
  const missing = missingRequired(description, p);
  if (missing.length > 0) {
    return {
      ok: false,
      result: { rc: OcfRc.errConfigured, exitReason: `missing required parameter(s): ${missing.join(', ')}` },
    };
  }
  const directory = (p.directory ?? '').trim();
  if (!isAbsolute(directory) || resolve(directory) === '/') {
    return {
      ok: false,
      result: {
        rc: OcfRc.errConfigured,
        exitReason: `directory="${directory}" must be an absolute path other than /`,
      },
    };
  }
  const force = parseForce(p.force_unmount ?? 'true');
  if (force === undefined) {
    return {
      ok: false,
      result: {
        rc: OcfRc.errConfigured,
        exitReason: `force_unmount="${p.force_unmount ?? ''}" is not valid: use true, safe or false`,
      },
    };
  }
  const fast = parseBool('fast_stop', p.fast_stop, false);
  if (!fast.ok) return { ok: false, result: { rc: OcfRc.errConfigured, exitReason: fast.error } };
  return {
    ok: true,
    value: {
      device: (p.device ?? '').trim(),
      directory: resolve(directory),
      fstype: (p.fstype ?? '').trim(),
      options: (p.options ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
      force,
      fastStop: fast.value,
    },
  };
}

const isBind = (c: FsConfig): boolean => c.options.some((o) => o === 'bind' || o === 'rbind');
const isLoop = (c: FsConfig): boolean => c.options.includes('loop');
const isNetwork = (c: FsConfig): boolean => NETWORK_FS.has(c.fstype);

/** The mount point as the kernel lists it, found without stat-ing the mount point itself. */
async function canonicalMountPoint(directory: string): Promise<string> {
  try {
    return join(await realpath(dirname(directory)), basename(directory));
  } catch {
    return directory;
  }
}

function devNumbers(dev: number): { major: number; minor: number } {
  const d = BigInt(dev);
  return { major: Number((d >> 8n) & 0xfffn), minor: Number((d & 0xffn) | ((d >> 12n) & 0xfff00n)) };
}

/**
 * Whether the mount found at the mount point is this resource's device. Verified for block
 * devices (device number), loop files (the loop device's backing file) and bind mounts (device
 * number of the source); assumed for network and virtual filesystems, whose source text the
 * kernel may normalise (as the stock agent does).
 */
async function isOurMount(c: FsConfig, m: MountEntry): Promise<boolean> {
  try {
    if (isBind(c)) {
      const st = await stat(c.device);
      const d = devNumbers(st.dev);
      return d.major === m.major && d.minor === m.minor;
    }
    if (isLoop(c)) {
      const loop = /^\/dev\/(loop\d+)$/.exec(m.source);
      if (loop === null) return false;
      const backing = (await readFile(`/sys/block/${loop[1] ?? ''}/loop/backing_file`, 'utf8')).trim();
      return backing === (await realpath(c.device));
    }
    if (c.device.startsWith('/dev/')) {
      const st = await stat(c.device);
      if (!st.isBlockDevice()) return m.source === c.device;
      const d = devNumbers(st.rdev);
      return d.major === m.major && d.minor === m.minor;
    }
  } catch {
    return false;
  }
  return true;
}

async function fstypeSupported(fstype: string): Promise<boolean> {
  if (fstype === 'none' || fstype === 'auto') return true;
  try {
    const fs = await readFile('/proc/filesystems', 'utf8');
    if (fs.split('\n').some((l) => l.split('\t').pop()?.trim() === fstype)) return true;
  } catch {
    // no /proc: fall through
  }
  if (findExecutable(`mount.${fstype}`) !== null) return true;
  try {
    await stat(`/lib/modules/${release()}/kernel/fs/${fstype}`);
    return true;
  } catch {
    return false;
  }
}

async function deviceCheck(c: FsConfig): Promise<AgentResult | undefined> {
  if (!(isBind(c) || isLoop(c) || c.device.startsWith('/'))) return undefined;
  try {
    await stat(c.device);
    return undefined;
  } catch {
    return { rc: OcfRc.errInstalled, exitReason: `device ${c.device} does not exist on this host` };
  }
}

async function validate(c: FsConfig): Promise<AgentResult> {
  if (!(await fstypeSupported(c.fstype))) {
    return {
      rc: OcfRc.errInstalled,
      exitReason: `fstype ${c.fstype} is not supported here (not in /proc/filesystems, no mount.${c.fstype} helper or module): install its tools`,
    };
  }
  return (await deviceCheck(c)) ?? { rc: OcfRc.ok };
}

async function status(c: FsConfig, probe: boolean): Promise<AgentResult & { mountPoint: string }> {
  const mountPoint = await canonicalMountPoint(c.directory);
  const top = topMountAt(await readMountInfo(), mountPoint);
  if (top === undefined) return { rc: OcfRc.notRunning, mountPoint };
  if (await isOurMount(c, top)) return { rc: OcfRc.ok, mountPoint };
  if (probe) return { rc: OcfRc.notRunning, mountPoint };
  return {
    rc: OcfRc.errGeneric,
    exitReason: `another device (${top.source}) is already mounted on ${mountPoint}`,
    mountPoint,
  };
}

async function start(c: FsConfig, ctx: AgentContext): Promise<AgentResult> {
  const current = await status(c, false);
  if (current.rc !== OcfRc.notRunning) return current;
  const below = mountsAtOrBelow(await readMountInfo(), current.mountPoint);
  if (below.length > 0) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `${current.mountPoint} has filesystems mounted below it (${below.map((m) => m.mountPoint).join(', ')}): unmount them first`,
    };
  }
  if (!(await fstypeSupported(c.fstype))) {
    const modprobe = findExecutable('modprobe');
    if (modprobe !== null)
      await runCommand(modprobe, ['-q', '--', c.fstype], { signal: ctx.signal, timeoutMs: 10_000 });
  }
  const valid = await validate(c);
  if (valid.rc !== OcfRc.ok) return valid;
  try {
    await mkdir(c.directory, { recursive: true });
  } catch (err) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `cannot create mount point ${c.directory}: ${(err as Error).message}`,
    };
  }
  // A bind mount has no fstype of its own; mount(8) would otherwise try to interpret -t.
  const args = [
    ...(isBind(c) || c.fstype === 'none' ? [] : ['-t', c.fstype]),
    ...(c.options.length > 0 ? ['-o', c.options.join(',')] : []),
    '--',
    c.device,
    c.directory,
  ];
  const r = await runCommand('mount', args, { signal: ctx.signal });
  if (r.code !== 0) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `couldn't mount device ${c.device} as ${c.directory}: ${describeFailure(r)}`,
    };
  }
  const after = await status(c, false);
  if (after.rc === OcfRc.ok) return { rc: OcfRc.ok };
  return {
    rc: OcfRc.errGeneric,
    exitReason: `mount of ${c.device} on ${c.directory} reported success but ${after.exitReason ?? 'it is not in /proc/self/mountinfo'}`,
  };
}

/** Waits until none of `pids` exists any more, or `ms` passed. */
async function waitForExit(pids: readonly number[], ms: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    if (alive.length === 0 || Date.now() >= deadline || signal.aborted) return;
    await delay(25, signal);
  }
}

async function stop(c: FsConfig, ctx: AgentContext): Promise<AgentResult> {
  const current = await status(c, true);
  if (current.rc === OcfRc.notRunning) return { rc: OcfRc.ok };
  const mountPoint = current.mountPoint;
  const startedAt = Date.now();
  // hardEnd: when the executor will kill us; the loop ends a tenth earlier (at least 1 s) so the
  // last round (umount, /proc walk) still fits. Every helper process is bounded by hardEnd.
  const hardEnd = startedAt + ctx.timeoutMs - 100;
  const opBudget = Math.max(500, ctx.timeoutMs - Math.max(1000, ctx.timeoutMs / 10));
  const budgetMs = c.fastStop ? Math.min(6000, opBudget) : opBudget;
  const deadline = startedAt + budgetMs;
  const termUntil = startedAt + budgetMs / 2;
  const left = (): number => Math.max(50, hardEnd - Date.now());
  let lastUsers: number[] = [];
  let lastError = '';
  for (;;) {
    const remaining = mountsAtOrBelow(await readMountInfo(), mountPoint);
    if (remaining.length === 0) return { rc: OcfRc.ok };
    const killPhase = Date.now() >= termUntil;
    for (const m of remaining) {
      const force = killPhase && NETWORK_FS.has(m.fstype) ? ['-f'] : [];
      const r = await runCommand('umount', [...force, '--', m.mountPoint], {
        signal: ctx.signal,
        timeoutMs: left(),
      });
      if (r.code !== 0) lastError = describeFailure(r);
    }
    if (mountsAtOrBelow(await readMountInfo(), mountPoint).length === 0) return { rc: OcfRc.ok };
    if (Date.now() >= deadline || ctx.signal.aborted) break;
    if (c.force === 'false') {
      // Kill nothing; only learn once who holds the mount, to name them in the exit reason.
      if (lastUsers.length === 0) lastUsers = await findMountUsers({ mountPoint });
      await delay(Math.min(250, deadline - Date.now()), ctx.signal);
      continue;
    }
    const top = topMountAt(await readMountInfo(), mountPoint);
    const byDevice = c.force === 'true' && !isNetwork(c) && !isBind(c) && top !== undefined;
    lastUsers = await findMountUsers({
      mountPoint,
      ...(byDevice ? { device: { major: top.major, minor: top.minor } } : {}),
    });
    const sig = killPhase ? 'SIGKILL' : 'SIGTERM';
    for (const pid of lastUsers) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
    // TERM waits no longer than the TERM phase, so the KILL round starts on time.
    const phaseEnd = killPhase ? deadline : termUntil;
    await waitForExit(lastUsers, Math.min(1000, Math.max(0, phaseEnd - Date.now())), ctx.signal);
  }
  const users = lastUsers;
  return {
    rc: OcfRc.errGeneric,
    exitReason:
      `couldn't unmount ${mountPoint} within ${Math.round(budgetMs / 100) / 10}s: ${lastError || 'still mounted'}` +
      (users.length > 0 ? ` (in use by PIDs ${users.join(' ')})` : '') +
      (c.force === 'false' ? '; force_unmount=false kills nothing' : ''),
  };
}

async function run(action: string, ctx: AgentContext): Promise<AgentResult> {
  if (action === 'meta-data') return { rc: OcfRc.ok, output: metaData };
  if (!['start', 'stop', 'monitor', 'status', 'validate-all'].includes(action)) {
    return { rc: OcfRc.errUnimplemented, exitReason: `action ${action} is not supported by Filesystem` };
  }
  const config = parseConfig(ctx);
  if (!config.ok) return config.result;
  const c = config.value;
  switch (action) {
    case 'validate-all':
      return validate(c);
    case 'start':
      return start(c, ctx);
    case 'stop':
      return stop(c, ctx);
    default: {
      const { rc, exitReason } = await status(c, ctx.intervalMs === 0);
      return exitReason === undefined ? { rc } : { rc, exitReason };
    }
  }
}

export const filesystemAgent: BuiltinAgent = {
  provider: 'tandem',
  type: 'Filesystem',
  metaData: () => metaData,
  run,
};
