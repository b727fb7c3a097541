/**
 * A node's clock in the simulation: the shared `FakeClock` is real time; each node's monotonic
 * clock runs at its own rate (bounded drift) and can be frozen (a process pause: its timers and
 * messages wait until it thaws, then run in due order). Timers from before a crash never fire.
 */
import type { Clock, MonoMs, Timer, WallMs } from '../../agent/executor/clock.ts';
import type { FakeClock } from '../../agent/executor/clock.ts';

export class SimClock implements Clock {
  readonly #base: FakeClock;
  readonly #rate: number;
  readonly #offset: number;
  #frozen = false;
  #deferred: (() => void)[] = [];
  #generation = 0;

  /** `driftRate`: e.g. 0.001 = this clock runs 0.1 % fast. */
  constructor(base: FakeClock, driftRate = 0, offsetMs = 0) {
    this.#base = base;
    this.#rate = driftRate;
    this.#offset = offsetMs;
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  wallNow(): WallMs {
    return this.#base.wallNow();
  }

  monoNow(): MonoMs {
    return (this.#offset + this.#base.monoNow() * (1 + this.#rate)) as MonoMs;
  }

  /** Real (base) time at which this clock will read `mono`. */
  baseTimeOf(mono: number): number {
    return (mono - this.#offset) / (1 + this.#rate);
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const gen = this.#generation;
    return this.#base.setTimer(Math.max(0, delayMs) / (1 + this.#rate), () => this.run(gen, fn));
  }

  /** Runs `fn` now for this node, or when it thaws; never after a crash (`reset`). */
  run(gen: number, fn: () => void): void {
    if (gen !== this.#generation) return;
    if (this.#frozen) this.#deferred.push(fn);
    else fn();
  }

  get generation(): number {
    return this.#generation;
  }

  freeze(): void {
    this.#frozen = true;
  }

  /** Runs everything that came due during the pause, in order. */
  thaw(): void {
    this.#frozen = false;
    const pending = this.#deferred;
    this.#deferred = [];
    for (const fn of pending) fn();
  }

  /** A crash: forget pending work; timers armed before never fire. */
  reset(): void {
    this.#generation++;
    this.#deferred = [];
    this.#frozen = false;
  }
}
