/** Shared by the agent integration tests: temp dirs, agent scripts, process checks. */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tandem-${label}-${process.pid}-`));
}

/** Writes an executable script (mode 0755), creating its directory. */
export async function writeScript(path: string, body: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body, { mode: 0o755 });
  await chmod(path, 0o755);
}

/** True while the process exists and is not a zombie awaiting its reaper. */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Resolves when `cond` holds (polled every 10 ms); rejects after `deadlineMs`. */
export async function waitFor(cond: () => Promise<boolean> | boolean, deadlineMs = 5000): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error('condition not reached before the deadline');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function readPids(path: string): Promise<number[]> {
  try {
    return (await readFile(path, 'utf8'))
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** SIGKILLs processes this test started (by PID), ignoring those already gone. */
export function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
