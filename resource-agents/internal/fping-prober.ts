/**
 * One long-lived `fping -l` for the ping agent: an echo request to every host every `periodMs`,
 * each answered within `timeoutMs` or lost, and a reachability verdict per host kept from fping's
 * per-probe lines — instead of forking a prober on every monitor.
 *
 * Verdict of a host (unknown until its first reply or its first loss verdict):
 * - **reachable** at its first reply;
 * - **unreachable** once `attempts` requests in a row went unanswered, seen either as fping's
 *   `timed out` lines, or — when fping cannot even send (a blackhole or missing route makes sendto
 *   fail, and fping then prints nothing for that host) — as silence while fping's own progress
 *   goes on: a loopback sentinel is pinged along with the hosts, and a host counts as unreachable
 *   when the sentinel has answered `attempts + 1` rounds since the host's last reply and
 *   `attempts × periodMs + timeoutMs` have passed. Counting fping's progress rather than wall
 *   time keeps a stalled fping (a loaded machine) from looking like a lost gateway;
 * - as a backstop, with no sentinel progress either (fping hung), unreachable after
 *   `attempts × periodMs + timeoutMs + STALL_MS` without a reply.
 *
 * fping is restarted when it exits (after 200 ms, doubling up to 5 s while it keeps dying within a
 * second of its start); verdicts survive restarts. dispose() ends it by PID: SIGTERM, then SIGKILL
 * after 1 s. If tandemd dies without dispose(), fping's next write hits the closed pipe and it dies
 * of SIGPIPE within one period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Without any sign of fping's progress, this much longer before the silence means unreachable. */
export const STALL_MS = 2000;
const RESTART_MIN_MS = 200;
const RESTART_MAX_MS = 5000;
const KILL_GRACE_MS = 1000;
const STDERR_KEPT = 2048;

export interface FpingLine {
  host: string;
  /** fping's request number for this host (restarts at 0 with each fping). */
  seq: number;
  kind: 'reply' | 'timeout';
}

/** One line of `fping -l` output (`HOST : [N], 64 bytes, …` or `HOST : [N], timed out …`). */
export function parseFpingLoopLine(line: string): FpingLine | undefined {
  const m = /^(\S+)\s+: \[(\d+)\], (.*)$/.exec(line.trim());
  if (m === null) return undefined;
  const [, host, seq, rest] = m;
  if (host === undefined || seq === undefined || rest === undefined) return undefined;
  if (rest.startsWith('timed out')) return { host, seq: Number(seq), kind: 'timeout' };
  if (/^\d+ bytes/.test(rest)) return { host, seq: Number(seq), kind: 'reply' };
  return undefined;
}

/** A loopback address not in `hosts`, pinged as fping's progress meter. */
export function chooseSentinel(hosts: readonly string[]): string {
  for (let i = 1; i < 255; i++) {
    const a = `127.0.0.${i}`;
    if (!hosts.includes(a)) return a;
  }
  return '127.0.1.1';
}

export interface FpingProberOptions {
  /** Path of fping. */
  fping: string;
  hosts: readonly string[];
  periodMs: number;
  timeoutMs: number;
  attempts: number;
  /** Verdicts to start from (a prober replaced with new timings keeps what is known). */
  initial?: ReadonlyMap<string, boolean>;
  /** Called when the set of reachable hosts changes, once every host has a verdict. */
  onChange?: (reachable: ReadonlySet<string>) => void;
  /** Monotonic milliseconds; default performance.now. */
  now?: () => number;
}

interface HostState {
  up: boolean | undefined;
  lostInRow: number;
  /** Sentinel replies counted when the host last replied (or when the prober started). */
  progressMark: number;
  lastReplyAt: number;
}

export class FpingProber {
  readonly hosts: readonly string[];
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly sentinel: string;
  readonly #o: FpingProberOptions;
  readonly #now: () => number;
  readonly #state = new Map<string, HostState>();
  readonly #settledWaiters = new Set<() => void>();
  #child: ChildProcess | undefined;
  #childExited: Promise<void> = Promise.resolve();
  #spawnedAt = 0;
  #linesSinceSpawn = 0;
  #stderr = '';
  #failure: string | undefined;
  #progress = 0;
  #restartDelayMs = RESTART_MIN_MS;
  #restartTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #disposed = false;
  #lastReported: string | undefined;
  /** How many times fping was started (1 + restarts). */
  starts = 0;

  constructor(options: FpingProberOptions) {
    this.#o = options;
    this.hosts = [...new Set(options.hosts)];
    this.periodMs = Math.max(10, Math.round(options.periodMs));
    this.timeoutMs = Math.max(10, Math.round(options.timeoutMs));
    this.attempts = Math.max(1, options.attempts);
    this.sentinel = chooseSentinel(this.hosts);
    this.#now = options.now ?? (() => performance.now());
    const t = this.#now();
    for (const h of this.hosts) {
      const up = options.initial?.get(h);
      this.#state.set(h, { up, lostInRow: 0, progressMark: 0, lastReplyAt: t });
    }
    if (this.settled) this.#lastReported = [...this.reachable()].sort().join(' ');
    this.#spawn();
    const every = Math.max(this.periodMs, 1000);
    this.#watchdog = setInterval(() => this.#evaluateSilence(), every);
    this.#watchdog.unref();
  }

  /** PID of the running fping, if any. */
  get pid(): number | undefined {
    return this.#child?.exitCode === null ? this.#child.pid : undefined;
  }

  /** Why fping is not giving answers (it cannot start, or exits before printing anything). */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Whether every host has a verdict. */
  get settled(): boolean {
    return [...this.#state.values()].every((s) => s.up !== undefined);
  }

  /** Hosts with a reachable verdict. */
  reachable(): Set<string> {
    return new Set(this.hosts.filter((h) => this.#state.get(h)?.up === true));
  }

  /** Every host's verdict (unknown ones left out). */
  verdicts(): Map<string, boolean> {
    const m = new Map<string, boolean>();
    for (const [h, s] of this.#state) if (s.up !== undefined) m.set(h, s.up);
    return m;
  }

  /** Resolves true once every host has a verdict, false at the deadline, on abort, or on fping failure. */
  waitSettled(deadlineMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.settled) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#settledWaiters.delete(check);
        resolve(v);
      };
      const check = (): void => {
        if (this.settled) done(true);
        else if (this.#failure !== undefined || this.#disposed) done(false);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), Math.max(1, deadlineMs));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#settledWaiters.add(check);
      if (signal?.aborted === true) done(false);
    });
  }

  #spawn(): void {
    if (this.#disposed) return;
    this.starts += 1;
    this.#spawnedAt = this.#now();
    this.#linesSinceSpawn = 0;
    this.#stderr = '';
    const args = [
      '-l',
      '-p',
      String(this.periodMs),
      '-t',
      String(this.timeoutMs),
      // 1 ms between the requests of a round: the replies of hosts and sentinel tend to arrive
      // together, so one read (one wakeup of tandemd) takes several lines.
      '-i',
      '1',
      ...this.hosts,
      this.sentinel,
    ];
    const child = spawn(this.#o.fping, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let exited!: () => void;
    this.#childExited = new Promise((r) => (exited = r));
    let ended = false;
    const onEnd = (why: string): void => {
      if (ended) return;
      ended = true;
      exited();
      if (this.#child === child) this.#child = undefined;
      if (this.#disposed) return;
      if (this.#linesSinceSpawn === 0) {
        const err = this.#stderr.trim().split('\n').slice(-3).join('; ');
        this.#failure = `fping ${why}${err === '' ? '' : `: ${err}`}`;
        this.#notifyWaiters();
      }
      const quick = this.#now() - this.#spawnedAt < 1000;
      const delay = quick ? this.#restartDelayMs : RESTART_MIN_MS;
      this.#restartDelayMs = quick ? Math.min(RESTART_MAX_MS, this.#restartDelayMs * 2) : RESTART_MIN_MS;
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        this.#spawn();
      }, delay);
    };
    child.once('error', (err) => onEnd(`could not run (${err.message})`));
    child.once('exit', (code, sig) =>
      onEnd(sig !== null ? `was killed by ${sig}` : `exited with code ${String(code)}`),
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEPT);
    });
    // Lines split by hand (readline costs more per line, and this runs every period).
    let partial = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = (lines.pop() ?? '').slice(-STDERR_KEPT);
      for (const line of lines) this.#onLine(line);
    });
  }

  #onLine(text: string): void {
    const line = parseFpingLoopLine(text);
    if (line === undefined || this.#disposed) return;
    this.#linesSinceSpawn += 1;
    this.#failure = undefined;
    const now = this.#now();
    if (line.host === this.sentinel) {
      if (line.kind === 'reply') {
        this.#progress += 1;
        this.#evaluateSilence();
      }
      return;
    }
    const s = this.#state.get(line.host);
    if (s === undefined) return;
    if (line.kind === 'reply') {
      s.lostInRow = 0;
      s.progressMark = this.#progress;
      s.lastReplyAt = now;
      this.#setVerdict(s, true);
    } else {
      s.lostInRow += 1;
      if (s.lostInRow >= this.attempts) this.#setVerdict(s, false);
    }
  }

  /** Silent hosts (fping could not send, or is stalled): see the file comment. */
  #evaluateSilence(): void {
    if (this.#disposed) return;
    const now = this.#now();
    const window = this.attempts * this.periodMs + this.timeoutMs;
    for (const s of this.#state.values()) {
      if (s.up === false) continue;
      const quiet = now - s.lastReplyAt;
      const progressed = this.#progress - s.progressMark >= this.attempts + 1;
      // Checked when the sentinel answers, which is about one period after the last request
      // timed out: a little tolerance, or a millisecond of jitter costs a whole period.
      const due = quiet >= window - Math.min(this.periodMs / 2, 50);
      if ((progressed && due) || quiet >= window + STALL_MS) this.#setVerdict(s, false);
    }
  }

  #setVerdict(s: HostState, up: boolean): void {
    if (s.up === up) return;
    s.up = up;
    this.#notifyWaiters();
    if (!this.settled) return;
    const reachable = this.reachable();
    const key = [...reachable].sort().join(' ');
    if (key === this.#lastReported) return;
    this.#lastReported = key;
    this.#o.onChange?.(reachable);
  }

  #notifyWaiters(): void {
    for (const w of [...this.#settledWaiters]) w();
  }

  /** Ends fping (SIGTERM, SIGKILL after 1 s) and the timers. */
  async dispose(): Promise<void> {
    if (this.#disposed) return this.#childExited;
    this.#disposed = true;
    clearTimeout(this.#restartTimer);
    clearInterval(this.#watchdog);
    this.#notifyWaiters();
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = this.#childExited;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), KILL_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (late) {
      child.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, KILL_GRACE_MS))]);
    }
  }
}
