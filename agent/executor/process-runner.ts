/**
 * The process seam: the executor asks a ProcessRunner to run one agent executable and gets back
 * how it ended. The real runner forks each agent as the leader of its own process group, so that a
 * timeout or a cancellation can signal everything the agent started: SIGTERM to the group, then
 * after a grace period SIGKILL to the group (Pacemaker kills the group with SIGKILL at once; the
 * TERM first lets well-behaved agents clean up).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { BoundedOutput, DEFAULT_MAX_OUTPUT_BYTES } from './bounded-output.ts';

export interface ProcessRequest {
  /** Absolute path of the executable. */
  file: string;
  args: readonly string[];
  /** The complete environment of the child (nothing is inherited implicitly). */
  env: Readonly<Record<string, string>>;
  cwd?: string;
  /** After this long the group is terminated and the result has `timedOut`. */
  timeoutMs: number;
  /** Cancellation: the group is terminated and the result has `cancelled`. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL of the group; default 2000 ms. */
  killGraceMs?: number;
  maxOutputBytes?: number;
}

export type ProcessOutcome =
  /** The leader exited (with a code, or killed by a signal nobody in tandem sent). */
  | { kind: 'exited'; exitCode: number | null; exitSignal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  /** fork/exec failed: ENOENT, EACCES, … */
  | { kind: 'spawn-error'; code: string; message: string };

export interface ProcessResult {
  outcome: ProcessOutcome;
  pid?: number;
  stdout: string;
  stderr: string;
  /** Monotonic run time of the child, ms. */
  durationMs: number;
}

export interface ProcessRunner {
  run(request: ProcessRequest): Promise<ProcessResult>;
}

/** How long to keep reading a child's pipes after it exited (a daemon it started may hold them). */
const DRAIN_AFTER_EXIT_MS = 50;

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone, or (setpgid wrapper, first instants) not formed yet: the leader.
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** The setpgid wrapper's report that exec failed, as the spawn error it stands for. */
function execFailure(code: number | null, stderr: BoundedOutput): ProcessOutcome | undefined {
  if (code !== 127) return undefined;
  const text = stderr.text();
  const at = text.lastIndexOf(EXEC_FAILED);
  if (at === -1) return undefined;
  const [errno = '', ...rest] = text
    .slice(at + EXEC_FAILED.length)
    .trim()
    .split(':');
  const name = errnoName(Number(errno));
  return { kind: 'spawn-error', code: name, message: rest.join(':') || name };
}

/**
 * How an agent becomes the leader of its own process group:
 * - `setsid` (default): Node's `detached`, a new session (and process group).
 * - `setpgid`: like Pacemaker (setpgid(0, 0), no new session), through a one-line perl exec
 *   wrapper (perl-base is essential on Debian) that calls setpgrp and execs the agent in place,
 *   so the pid, the environment and the exit status are the agent's own. A new session also means
 *   a new scheduler autogroup (kernel.sched_autogroup_enabled); on the loaded 2-core build
 *   machine setsid measured +3–11 ms per fork in some runs and the perl exec +2–8 ms in others,
 *   so the simpler default stays until it is measured on a quiet machine (`npm run bench:agent`).
 * - `auto`: setpgid when perl is installed, else setsid.
 */
export type ProcessGroupMode = 'auto' | 'setpgid' | 'setsid';

export interface SpawnProcessRunnerOptions {
  processGroup?: ProcessGroupMode;
  perlPath?: string;
}

/** Marks an exec failure inside the setpgid wrapper (then exit 127), mapped back to a spawn error. */
const EXEC_FAILED = 'tandem-exec-failed:';
// Plain numeric errno: `$!{ENOENT}` would make perl load Errno.pm on every fork (measured 4x slower).
const SETPGID_WRAPPER =
  'setpgrp(0, 0); exec { $ARGV[0] } @ARGV or do { ' +
  `print STDERR "${EXEC_FAILED}", $!+0, ":$!\\n"; exit 127 }`;

/** errno number → code name (ENOENT, …), from Node's own table. */
function errnoName(n: number): string {
  for (const [name, value] of Object.entries(osConstants.errno)) if (value === n) return name;
  return `errno ${n}`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The real ProcessRunner (child_process.spawn; each agent leads its own process group). */
export class SpawnProcessRunner implements ProcessRunner {
  readonly #perl: string | undefined;

  constructor(options: SpawnProcessRunnerOptions = {}) {
    const mode = options.processGroup ?? 'setsid';
    const perl = options.perlPath ?? '/usr/bin/perl';
    this.#perl = mode === 'setsid' ? undefined : mode === 'setpgid' || isExecutable(perl) ? perl : undefined;
  }

  /** `setpgid` or `setsid`, as resolved at construction. */
  get processGroupMode(): 'setpgid' | 'setsid' {
    return this.#perl !== undefined ? 'setpgid' : 'setsid';
  }

  run(request: ProcessRequest): Promise<ProcessResult> {
    const started = performance.now();
    const stdout = new BoundedOutput(request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
    const stderr = new BoundedOutput(request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
    const grace = request.killGraceMs ?? 2000;

    return new Promise<ProcessResult>((resolve) => {
      if (request.signal?.aborted) {
        resolve({ outcome: { kind: 'cancelled' }, stdout: '', stderr: '', durationMs: 0 });
        return;
      }
      const perl = this.#perl;
      const child =
        perl !== undefined
          ? spawn(perl, ['-e', SETPGID_WRAPPER, request.file, ...request.args], {
              env: request.env,
              cwd: request.cwd,
              argv0: request.file,
              stdio: ['ignore', 'pipe', 'pipe'],
            })
          : spawn(request.file, request.args, {
              env: request.env,
              cwd: request.cwd,
              detached: true,
              stdio: ['ignore', 'pipe', 'pipe'],
            });
      const pid = child.pid;
      let settled = false;
      let ending: 'timeout' | 'cancelled' | undefined;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      let drainTimer: NodeJS.Timeout | undefined;
      let streamsOpen = 2;

      const finish = (outcome: ProcessOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timeoutTimer);
        clearTimeout(killTimer);
        clearTimeout(drainTimer);
        request.signal?.removeEventListener('abort', onAbort);
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({
          outcome,
          ...(pid !== undefined ? { pid } : {}),
          stdout: stdout.text(),
          stderr: stderr.text(),
          durationMs: performance.now() - started,
        });
      };

      /**
       * After a timeout or cancellation: once the leader has exited (it had SIGTERM and the grace
       * to clean up), whatever is left of its group is stray and gets SIGKILL; then the result.
       */
      const endGroup = (why: 'timeout' | 'cancelled'): void => {
        if (pid !== undefined) killGroup(pid, 'SIGKILL');
        finish({ kind: why });
      };

      const finishIfDone = (): void => {
        if (ending !== undefined) {
          if (exit !== undefined) endGroup(ending);
          return;
        }
        if (exit === undefined) return;
        const { code, signal } = exit;
        // Read once the output is in: the wrapper's exec failure is on stderr.
        const outcome = (): ProcessOutcome =>
          execFailure(code, stderr) ?? { kind: 'exited', exitCode: code, exitSignal: signal };
        if (streamsOpen === 0) finish(outcome());
        else drainTimer ??= setTimeout(() => finish(outcome()), DRAIN_AFTER_EXIT_MS);
      };

      const terminate = (why: 'timeout' | 'cancelled'): void => {
        if (settled || ending !== undefined || pid === undefined) return;
        ending = why;
        killGroup(pid, 'SIGTERM');
        // SIGKILL cannot be ignored: the leader's exit event follows, and finishIfDone ends it.
        killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
      };

      const onAbort = (): void => terminate('cancelled');
      const timeoutTimer = setTimeout(() => terminate('timeout'), Math.max(1, request.timeoutMs));
      request.signal?.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (c: Buffer) => stdout.push(c));
      child.stderr.on('data', (c: Buffer) => stderr.push(c));
      const onStreamEnd = (): void => {
        streamsOpen -= 1;
        finishIfDone();
      };
      child.stdout.once('close', onStreamEnd);
      child.stderr.once('close', onStreamEnd);
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (exit === undefined && pid === undefined) {
          finish({ kind: 'spawn-error', code: err.code ?? 'UNKNOWN', message: err.message });
        }
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        finishIfDone();
      });
    });
  }
}

/**
 * Wraps a runner so every executable runs inside a network namespace (`ip netns exec NS FILE …`).
 * `ip netns exec` execs the agent in place, so the process group and signals are unchanged.
 */
export function netnsProcessRunner(
  inner: ProcessRunner,
  namespace: string,
  ipPath = '/usr/sbin/ip',
): ProcessRunner {
  return {
    run: (request) =>
      inner.run({
        ...request,
        file: ipPath,
        args: ['netns', 'exec', namespace, request.file, ...request.args],
      }),
  };
}
