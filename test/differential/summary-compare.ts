/**
 * Differential comparison of tandem's scheduler with Pacemaker's on one CIB: both answers in the
 * `--summary` format (four sections), compared section by section as multisets of lines.
 *
 * The hard requirement is `[nodes]`, `[resources]` and the start/stop/fence lines of `[actions]`;
 * the other action lines (probes, monitors, cancels, …) and `[order]` are compared as well but
 * reported separately ("soft").
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCibXml } from '../../coordinator/cib/index.ts';
import { formatSummary, schedule } from '../../coordinator/scheduler/index.ts';

export const CRM_SUMMARY = fileURLToPath(
  new URL('../../../shared/tools/crm-summary/crm-summary.sh', import.meta.url),
);
export const DEFAULT_NOW = '2025-01-01T00:00:00Z';

export type SectionName = 'nodes' | 'resources' | 'actions' | 'order';
export const SECTIONS: readonly SectionName[] = ['nodes', 'resources', 'actions', 'order'];
export type Summary = Record<SectionName, string[]>;

/** The comparison classes: the three hard ones, then the rest of [actions] and [order]. */
export type PartName = 'nodes' | 'resources' | 'start/stop/fence' | 'other actions' | 'order';
export const PARTS: readonly PartName[] = [
  'nodes',
  'resources',
  'start/stop/fence',
  'other actions',
  'order',
];
export const HARD_PARTS: readonly PartName[] = ['nodes', 'resources', 'start/stop/fence'];

export function parseSummary(text: string): Summary {
  const out: Summary = { nodes: [], resources: [], actions: [], order: [] };
  let current: SectionName | undefined;
  for (const line of text.split('\n')) {
    const m = /^\[(nodes|resources|actions|order)\]$/.exec(line);
    if (m !== null) {
      current = m[1] as SectionName;
      continue;
    }
    if (line.trim() === '' || current === undefined) continue;
    out[current].push(line);
  }
  return out;
}

const HARD_VERBS = new Set(['start', 'stop', 'fence']);

export function parts(s: Summary): Record<PartName, string[]> {
  const verb = (l: string): string => l.split(' ', 1)[0] ?? '';
  return {
    nodes: s.nodes,
    resources: s.resources,
    'start/stop/fence': s.actions.filter((l) => HARD_VERBS.has(verb(l))),
    'other actions': s.actions.filter((l) => !HARD_VERBS.has(verb(l))),
    order: s.order,
  };
}

export interface PartDiff {
  part: PartName;
  /** In Pacemaker's answer, not in tandem's. */
  missing: string[];
  /** In tandem's answer, not in Pacemaker's. */
  extra: string[];
}

/** Multiset difference per part; only parts that differ are returned. */
export function compareSummaries(pacemaker: Summary, tandem: Summary): PartDiff[] {
  const p = parts(pacemaker);
  const t = parts(tandem);
  const diffs: PartDiff[] = [];
  for (const part of PARTS) {
    const missing = multisetMinus(p[part], t[part]);
    const extra = multisetMinus(t[part], p[part]);
    if (missing.length > 0 || extra.length > 0) diffs.push({ part, missing, extra });
  }
  return diffs;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const c = counts.get(x) ?? 0;
    if (c > 0) counts.set(x, c - 1);
    else out.push(x);
  }
  return out;
}

export function formatDiffs(diffs: PartDiff[]): string {
  return diffs
    .map((d) =>
      [
        `  [${d.part}]`,
        ...d.missing.map((l) => `    - ${l}   (Pacemaker only)`),
        ...d.extra.map((l) => `    + ${l}   (tandem only)`),
      ].join('\n'),
    )
    .join('\n');
}

/** Pacemaker's answer for the CIB file at `path` (crm-summary.sh, clock pinned to `now`). */
export function pacemakerSummary(path: string, now = DEFAULT_NOW): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      CRM_SUMMARY,
      [path],
      { env: { ...process.env, CRM_SUMMARY_NOW: now }, maxBuffer: 512 * 1024 * 1024, timeout: 600_000 },
      (err, stdout, stderr) => {
        if (err !== null)
          reject(new Error(`crm-summary.sh ${path} failed: ${err.message}\n${stderr}`, { cause: err }));
        else resolve(stdout);
      },
    );
  });
}

/** tandem's answer for the same CIB text: import it as `tandem simulate --xml` does, schedule, format. */
export function tandemSummary(xml: string, now = DEFAULT_NOW): string {
  const parsed = parseCibXml(xml);
  if (!parsed.ok) throw new Error(`tandem cannot import the CIB: ${parsed.error}`);
  return formatSummary(
    schedule({ config: parsed.value.config, status: parsed.value.status, now: Date.parse(now) }),
  );
}

/** Runs `fn` over `items` with at most `limit` running at once, keeping the input order in the result. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item === undefined) continue;
      results[i] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
