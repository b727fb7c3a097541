/**
 * Runs a helper program (mount, ip, arping, fping, …) for an agent. Never rejects: a program that
 * cannot be started, is killed by the agent's abort signal or runs past its own deadline comes back
 * as a value the agent turns into an OCF rc with an exit reason.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  /** Exit code, or null when the program did not exit normally (see `error`/`signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why the program did not run to completion: `ENOENT`, `aborted`, `timeout`, … */
  error?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Bound on each captured stream, in characters. */
  maxOutput?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const max = options.maxOutput ?? 64 * 1024;
  return new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', error: 'aborted' });
      return;
    }
    let stdout = '';
    let stderr = '';
    let error: string | undefined;
    let settled = false;
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const kill = (why: string): void => {
      error ??= why;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => kill('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => kill('timeout'), Math.max(1, options.timeoutMs));
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length < max) stdout += d.slice(0, max - stdout.length);
    });
    child.stderr.on('data', (d: string) => {
      if (stderr.length < max) stderr += d.slice(0, max - stderr.length);
    });
    const finish = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stdout, stderr, ...(error === undefined ? {} : { error }) });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      error ??= err.code ?? err.message;
      finish(null, null);
    });
    child.on('close', (code, sig) => finish(code, sig));
  });
}

/** One line for an exit reason: the program's stderr (or stdout), else how it ended. */
export function describeFailure(r: CommandResult): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  if (text !== '') return text.slice(0, 200);
  if (r.error !== undefined) return r.error;
  if (r.signal !== null) return `killed by ${r.signal}`;
  return `exit code ${r.code ?? 'unknown'}`;
}

const executables = new Map<string, string | null>();

/**
 * The absolute path of `name` on PATH (plus the sbin directories root tools live in), or null.
 * Remembered per process: agents ask on every monitor (ping at 200 ms intervals).
 */
export function findExecutable(name: string): string | null {
  const known = executables.get(name);
  if (known !== undefined) return known;
  const found = searchPath(name);
  executables.set(name, found);
  return found;
}

function searchPath(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
