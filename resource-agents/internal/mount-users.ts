/**
 * Finds the processes that keep a mount busy, by walking /proc like `fuser -m` but restricted to
 * paths under the mount point: a process's root, cwd, exe, open files and mapped files. Processes
 * in another mount namespace are skipped (their paths name other mounts), and so is this process.
 *
 * Readlink only (never stat) in `paths` mode, so a hung NFS server cannot block the walk. In
 * `paths+device` mode a link is also matched by the device number of what it points to (catches
 * files opened through another path), which stats the target and is therefore not used for
 * network filesystems or bind mounts (a bind mount shares its device with the whole source
 * filesystem, so device matching would select unrelated processes).
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';

export interface MountUsersQuery {
  mountPoint: string;
  /** Also match by device number (major:minor) of the mount. */
  device?: { major: number; minor: number };
}

async function safeReadlink(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch {
    return undefined;
  }
}

function under(path: string, mountPoint: string): boolean {
  const clean = path.replace(/ \(deleted\)$/, '');
  return clean === mountPoint || clean.startsWith(mountPoint === '/' ? '/' : `${mountPoint}/`);
}

async function onDevice(path: string, device: { major: number; minor: number }): Promise<boolean> {
  try {
    const st = await stat(path);
    // Linux dev_t encoding (new_encode_dev).
    const major = Number((BigInt(st.dev) >> 8n) & 0xfffn);
    const minor = Number((BigInt(st.dev) & 0xffn) | ((BigInt(st.dev) >> 12n) & 0xfff00n));
    return major === device.major && minor === device.minor;
  } catch {
    return false;
  }
}

async function processUses(pid: string, q: MountUsersQuery): Promise<boolean> {
  const base = `/proc/${pid}`;
  const links = [`${base}/root`, `${base}/cwd`, `${base}/exe`];
  try {
    for (const fd of await readdir(`${base}/fd`)) links.push(`${base}/fd/${fd}`);
  } catch {
    // exited, or a kernel thread
  }
  for (const link of links) {
    const target = await safeReadlink(link);
    if (target === undefined) continue;
    if (link.endsWith('/root')) {
      // A process chrooted into the mount holds it; `/` (the usual root) does not.
      if (target !== '/' && under(target, q.mountPoint)) return true;
      continue;
    }
    if (under(target, q.mountPoint)) return true;
    if (q.device !== undefined && target.startsWith('/') && (await onDevice(link, q.device))) return true;
  }
  try {
    const maps = await readFile(`${base}/maps`, 'utf8');
    for (const line of maps.split('\n')) {
      const slash = line.indexOf('/');
      if (slash >= 0 && under(line.slice(slash), q.mountPoint)) return true;
    }
  } catch {
    // exited
  }
  return false;
}

/** PIDs of processes (in this mount namespace, other than this one) using the mount. */
export async function findMountUsers(q: MountUsersQuery): Promise<number[]> {
  const self = String(process.pid);
  const myNs = await safeReadlink('/proc/self/ns/mnt');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || entry === self) continue;
    if (myNs !== undefined && (await safeReadlink(`/proc/${entry}/ns/mnt`)) !== myNs) continue;
    if (await processUses(entry, q)) pids.push(Number(entry));
  }
  return pids.sort((a, b) => a - b);
}
