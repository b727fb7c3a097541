/** Why a DC request was refused. */
export interface StaleEpochError {
  kind: 'stale-epoch';
  message: string;
  epoch: number;
  dc: string;
  currentEpoch: number;
  currentDc: string;
}

export type EpochAdmission =
  { ok: true; value: { epoch: number; dc: string } } | { ok: false; error: StaleEpochError };

/**
 * The receiving side of the DC fencing token: every DC-issued request carries (dcEpoch, dc). A
 * request is refused when its epoch is lower than the highest admitted, or equal to it but from a
 * different DC (two partitions that picked the same number). Admitting a higher epoch raises the
 * bar. `observe` raises it without a request (an epoch seen in a heartbeat).
 */
export class EpochGuard {
  #epoch = 0;
  #dc = '';

  get epoch(): number {
    return this.#epoch;
  }

  get dc(): string {
    return this.#dc;
  }

  admit(epoch: number, dc: string): EpochAdmission {
    if (epoch < this.#epoch || (epoch === this.#epoch && this.#dc !== '' && dc !== this.#dc)) {
      return {
        ok: false,
        error: {
          kind: 'stale-epoch',
          message: `request from DC ${dc} with dcEpoch ${epoch} refused: DC ${this.#dc} holds dcEpoch ${this.#epoch}; the sender must rejoin and learn the current DC`,
          epoch,
          dc,
          currentEpoch: this.#epoch,
          currentDc: this.#dc,
        },
      };
    }
    this.#epoch = epoch;
    this.#dc = dc;
    return { ok: true, value: { epoch, dc } };
  }

  observe(epoch: number, dc: string): void {
    if (epoch > this.#epoch) {
      this.#epoch = epoch;
      this.#dc = dc;
    }
  }
}
