/**
 * Every scheduler input the DC used, saved so that a decision can be replayed (Pacemaker's
 * `pe-input-N.bz2` in /var/lib/pacemaker/pengine): `tandem simulate --xml pe-input-N.xml` shows the
 * same transition. Each file is a CIB (configuration + status) with `execution-date` on `<cib>`
 * (seconds, as Pacemaker writes it) so the replay can use the time the DC used (`--now`).
 *
 * The file store writes atomically (temp, fsync, rename), numbers files from the highest one found
 * at construction, and keeps at most `maxFiles` (the oldest are removed), like Pacemaker's
 * `pe-input-series-max`.
 */
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '../cib/result.ts';
import { fail, ok } from '../cib/result.ts';
import { writeFileAtomic } from '../cib/atomic-write.ts';
import { toCibXml } from '../cib/cib-xml-export.ts';
import { parseCibXml } from '../cib/cib-xml-import.ts';
import { parseIsoTimeMs } from '../cib/iso-time.ts';
import type { ScheduleInput } from '../scheduler/types.ts';

export interface PeInputStore {
  /** Saves one scheduler input; resolves with its name (e.g. `pe-input-12.xml`). */
  save(input: ScheduleInput): Promise<string>;
}

/**
 * The CIB XML of a scheduler input, with `execution-date` (whole seconds of `now`). Location
 * constraints that had expired at `now` are left out (the scheduler ignored them; CIB XML has no
 * `expires`, so exported they would apply on replay); unexpired ones apply at that time anyway.
 */
export function peInputXml(input: ScheduleInput): string {
  const location = input.config.constraints.location.filter((l) => {
    const at = l.expires === undefined ? undefined : parseIsoTimeMs(l.expires);
    return at === undefined || at > input.now;
  });
  const config =
    location.length === input.config.constraints.location.length
      ? input.config
      : { ...input.config, constraints: { ...input.config.constraints, location } };
  const xml = toCibXml(config, input.status);
  const seconds = Math.floor(input.now / 1000);
  return xml.replace(/<cib\b/, `<cib execution-date="${seconds}"`);
}

/**
 * Reads a saved input back. `now` is the `execution-date` in milliseconds (the saved time is whole
 * seconds, so an input saved at a fractional second replays at that second's start).
 */
export function parsePeInputXml(xml: string): Result<ScheduleInput> {
  const parsed = parseCibXml(xml);
  if (!parsed.ok) return parsed;
  const m = /<cib\b[^>]*\sexecution-date="(\d+)"/.exec(xml);
  if (m?.[1] === undefined) {
    return fail('<cib execution-date> is missing: not a tandem pe-input file (pass the time with --now)');
  }
  return ok({ config: parsed.value.config, status: parsed.value.status, now: Number(m[1]) * 1000 });
}

export async function readPeInputFile(path: string): Promise<Result<ScheduleInput>> {
  return parsePeInputXml(await readFile(path, 'utf8'));
}

const NAME = /^pe-input-(\d+)\.xml$/;

export class FilePeInputStore implements PeInputStore {
  readonly dir: string;
  readonly maxFiles: number;
  #next: number | undefined;
  #saved: number[] = [];
  #chain: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: { maxFiles?: number } = {}) {
    this.dir = dir;
    this.maxFiles = Math.max(1, options.maxFiles ?? 200);
  }

  save(input: ScheduleInput): Promise<string> {
    // Serialised: numbering and pruning see one save at a time.
    const p = this.#chain.then(() => this.#save(input));
    this.#chain = p.catch(() => undefined);
    return p;
  }

  async #save(input: ScheduleInput): Promise<string> {
    if (this.#next === undefined) {
      await mkdir(this.dir, { recursive: true });
      const existing = (await readdir(this.dir))
        .map((n) => NAME.exec(n)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      this.#saved = existing;
      this.#next = (existing[existing.length - 1] ?? -1) + 1;
    }
    const seq = this.#next;
    this.#next = seq + 1;
    const name = `pe-input-${seq}.xml`;
    await writeFileAtomic(join(this.dir, name), peInputXml(input));
    this.#saved.push(seq);
    while (this.#saved.length > this.maxFiles) {
      const old = this.#saved.shift();
      if (old !== undefined) await unlink(join(this.dir, `pe-input-${old}.xml`)).catch(() => undefined);
    }
    return name;
  }
}

/** Keeps inputs in memory (tests, simulations). */
export class MemoryPeInputStore implements PeInputStore {
  readonly inputs: { name: string; xml: string; input: ScheduleInput }[] = [];

  save(input: ScheduleInput): Promise<string> {
    const name = `pe-input-${this.inputs.length}.xml`;
    this.inputs.push({ name, xml: peInputXml(input), input });
    return Promise.resolve(name);
  }
}
