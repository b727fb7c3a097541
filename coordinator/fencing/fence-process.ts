/**
 * The process seam for fence agents: fence-agents read their options as `name=value` lines on
 * stdin (the executor's ProcessRunner has no stdin, hence this small runner). The agent runs as
 * the leader of its own process group; on timeout or cancellation the group gets SIGTERM, then
 * SIGKILL after `killGraceMs`.
 */
import { spawn } from 'node:child_process';

export interface FenceProcessRequest {
  file: string;
  stdin: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL of the group (default 1000 ms). */
  killGraceMs?: number;
  env?: Readonly<Record<string, string>>;
}

export type FenceProcessOutcome =
  | { kind: 'exited'; exitCode: number | null; exitSignal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'spawn-error'; code: string; message: string };

export interface FenceProcessResult {
  outcome: FenceProcessOutcome;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface FenceProcessRunner {
  run(request: FenceProcessRequest): Promise<FenceProcessResult>;
}

const MAX_OUTPUT = 64 * 1024;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export const spawnFenceProcessRunner: FenceProcessRunner = {
  run(request: FenceProcessRequest): Promise<FenceProcessResult> {
    const started = performance.now();
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let ending: 'timeout' | 'cancelled' | undefined;
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (outcome: FenceProcessOutcome): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        request.signal?.removeEventListener('abort', onAbort);
        resolve({ outcome, stdout, stderr, durationMs: Math.round(performance.now() - started) });
      };
      if (request.signal?.aborted === true) {
        finish({ kind: 'cancelled' });
        return;
      }
      const child = spawn(request.file, [], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        env: request.env ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      });
      const stop = (why: 'timeout' | 'cancelled'): void => {
        if (ending !== undefined || child.pid === undefined) return;
        ending = why;
        const pid = child.pid;
        killGroup(pid, 'SIGTERM');
        timers.push(setTimeout(() => killGroup(pid, 'SIGKILL'), request.killGraceMs ?? 1000));
      };
      const onAbort = (): void => stop('cancelled');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(setTimeout(() => stop('timeout'), request.timeoutMs));
      child.stdout.on('data', (d: Buffer) => {
        if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8').slice(0, MAX_OUTPUT - stdout.length);
      });
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8').slice(0, MAX_OUTPUT - stderr.length);
      });
      child.stdin.on('error', () => undefined); // the agent may exit without reading its options
      child.on('error', (err: NodeJS.ErrnoException) =>
        finish({ kind: 'spawn-error', code: err.code ?? 'EEXEC', message: err.message }),
      );
      child.on('close', (exitCode, exitSignal) => {
        if (ending !== undefined) finish({ kind: ending });
        else finish({ kind: 'exited', exitCode, exitSignal });
      });
      child.stdin.end(request.stdin);
    });
  },
};
