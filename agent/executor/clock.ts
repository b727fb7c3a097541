/**
 * The clock seam. Wall time (epoch ms: what records and humans read) and monotonic time (ms since
 * an arbitrary origin: what intervals, timeouts and dampening are measured on) are distinct types,
 * as Pacemaker's execd keeps them apart, so that a wall-clock step never shortens a timeout.
 */
export type WallMs = number & { readonly __wall: unique symbol };
export type MonoMs = number & { readonly __mono: unique symbol };

export interface Timer {
  /** Idempotent; a cancelled timer never fires. */
  cancel(): void;
}

export interface Clock {
  wallNow(): WallMs;
  monoNow(): MonoMs;
  /** Calls `fn` once after `delayMs` of monotonic time. */
  setTimer(delayMs: number, fn: () => void): Timer;
}

/** The real clock: Date.now, performance.now and unref'd timers (a timer never keeps a CLI alive). */
export const systemClock: Clock = {
  wallNow: () => Date.now() as WallMs,
  monoNow: () => performance.now() as MonoMs,
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A manual clock for deterministic tests (kubernetes' FakeClock.Step): time moves only in
 * `advance`, which fires due timers in order of due time, then creation order.
 */
export class FakeClock implements Clock {
  #mono: number;
  #wall: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(options: { wallMs?: number; monoMs?: number } = {}) {
    this.#wall = options.wallMs ?? 1_700_000_000_000;
    this.#mono = options.monoMs ?? 0;
  }

  wallNow(): WallMs {
    return this.#wall as WallMs;
  }

  monoNow(): MonoMs {
    return this.#mono as MonoMs;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const t: PendingTimer = { at: this.#mono + Math.max(0, delayMs), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(t);
    return {
      cancel: () => {
        t.cancelled = true;
      },
    };
  }

  /** Timers not yet fired nor cancelled. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves both clocks forward by `ms`, firing every timer that comes due on the way. */
  advance(ms: number): void {
    const target = this.#mono + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#wall += due.at - this.#mono;
      this.#mono = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.#wall += target - this.#mono;
    this.#mono = target;
  }

  /** Steps only the wall clock (an NTP jump); monotonic timers are unaffected. */
  stepWall(ms: number): void {
    this.#wall += ms;
  }
}
