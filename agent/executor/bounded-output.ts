/**
 * Collects a child's output up to a byte bound, keeping the head and counting what was dropped,
 * so that a runaway agent cannot grow the executor's memory. Agent output is untrusted.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

export class BoundedOutput {
  readonly #max: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #dropped = 0;

  constructor(maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES) {
    this.#max = maxBytes;
  }

  push(chunk: Buffer): void {
    const room = this.#max - this.#size;
    if (room <= 0) {
      this.#dropped += chunk.length;
      return;
    }
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.#chunks.push(kept);
    this.#size += kept.length;
    this.#dropped += chunk.length - kept.length;
  }

  get droppedBytes(): number {
    return this.#dropped;
  }

  text(): string {
    return Buffer.concat(this.#chunks, this.#size).toString('utf8');
  }
}

/** Truncates a string to `maxChars`, marking the cut. */
export function truncateText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}…[truncated]`;
}
