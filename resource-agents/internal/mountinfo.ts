/**
 * /proc/PID/mountinfo (proc(5)): the mount table of one mount namespace. The Filesystem agent reads
 * `/proc/self/mountinfo`, i.e. the namespace it and the `mount`/`umount` it spawns live in, rather
 * than /proc/mounts of some other process or /etc/mtab.
 *
 * Line format: `36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * (id, parent id, major:minor, root, mount point, mount options, optional fields…, `-`, fstype,
 * source, super options). Paths escape space, tab, newline and backslash as octal (`\040`).
 */
import { readFile } from 'node:fs/promises';

export interface MountEntry {
  id: number;
  parentId: number;
  major: number;
  minor: number;
  /** The root of the mount within its filesystem (`/` or a sub path for bind mounts). */
  root: string;
  mountPoint: string;
  options: string;
  fstype: string;
  source: string;
  superOptions: string;
}

/** Decodes the kernel's octal escapes (`\040` → space, `\134` → backslash). */
export function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses mountinfo text; malformed lines are skipped. */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 3) continue;
    const [id, parentId, devno, root, mountPoint, options] = fields;
    const [major, minor] = (devno ?? '').split(':').map(Number);
    if (id === undefined || parentId === undefined || root === undefined || mountPoint === undefined)
      continue;
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    out.push({
      id: Number(id),
      parentId: Number(parentId),
      major,
      minor,
      root: unescapeMountPath(root),
      mountPoint: unescapeMountPath(mountPoint),
      options: options ?? '',
      fstype: fields[sep + 1] ?? '',
      source: unescapeMountPath(fields[sep + 2] ?? ''),
      superOptions: fields[sep + 3] ?? '',
    });
  }
  return out;
}

export async function readMountInfo(path = '/proc/self/mountinfo'): Promise<MountEntry[]> {
  return parseMountInfo(await readFile(path, 'utf8'));
}

/**
 * The mount visible at `mountPoint` (the last one mounted there: later mounts stack on top), or
 * undefined when nothing is mounted there.
 */
export function topMountAt(entries: readonly MountEntry[], mountPoint: string): MountEntry | undefined {
  let top: MountEntry | undefined;
  for (const e of entries) if (e.mountPoint === mountPoint) top = e;
  return top;
}

/** Every mount at or below `mountPoint`, deepest (and most recently stacked) first: the unmount order. */
export function mountsAtOrBelow(entries: readonly MountEntry[], mountPoint: string): MountEntry[] {
  const prefix = mountPoint === '/' ? '/' : `${mountPoint}/`;
  return entries
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => e.mountPoint === mountPoint || e.mountPoint.startsWith(prefix))
    .sort((a, b) => b.e.mountPoint.split('/').length - a.e.mountPoint.split('/').length || b.index - a.index)
    .map(({ e }) => e);
}
