/**
 * Differential report (a script, not a test): runs many generated seeds through crm_simulate and
 * tandem and prints agreement per section, agreement per feature class and the smallest
 * disagreements first, to guide scheduler work.
 *
 *   node --import tsx test/differential/report.ts [--seeds 200] [--from 1] [--limit 15] [--jobs 2]
 *   node --import tsx test/differential/report.ts --seed 23 --show   # one case: CIB path, both summaries
 *
 * `--keep` keeps the generated CIBs (their directory is printed) for crm_simulate -x … -S by hand.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseOptions, runGeneratedCase, type CaseResult } from './generated-case.ts';
import {
  formatDiffs,
  HARD_PARTS,
  mapLimit,
  pacemakerSummary,
  PARTS,
  tandemSummary,
} from './summary-compare.ts';

interface Args {
  seeds: number;
  from: number;
  limit: number;
  jobs: number;
  seed?: number;
  show: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: 200, from: 1, limit: 15, jobs: 2, show: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === '--seeds') args.seeds = value();
    else if (a === '--from') args.from = value();
    else if (a === '--limit') args.limit = value();
    else if (a === '--jobs') args.jobs = Math.max(1, value());
    else if (a === '--seed') args.seed = value();
    else if (a === '--show') args.show = true;
    else if (a === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${a}; see the comment at the top of test/differential/report.ts`);
  }
  return args;
}

function hardAgrees(r: CaseResult): boolean {
  return r.error === undefined && !r.diffs.some((d) => HARD_PARTS.includes(d.part));
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), `tandem-diff-report-${process.pid}-`));
  try {
    if (args.seed !== undefined) {
      const r = await runGeneratedCase(args.seed, dir);
      const path = join(dir, `seed-${args.seed}.xml`);
      const o = caseOptions(args.seed);
      console.log(
        `seed ${args.seed}: ${o.nodes} nodes, ${o.resources} primitives; features: ${r.features.join(' ')}`,
      );
      if (r.error !== undefined) console.log(`error: ${r.error}`);
      console.log(r.diffs.length === 0 ? 'summaries agree' : formatDiffs(r.diffs));
      if (args.show) {
        const xml = await readFile(path, 'utf8');
        console.log(`\n--- crm-summary.sh (Pacemaker) ---\n${await pacemakerSummary(path)}`);
        console.log(`--- tandem ---\n${tandemSummary(xml)}`);
      }
      if (args.keep) console.log(`CIB kept at ${path}`);
      return;
    }
    const seeds = Array.from({ length: args.seeds }, (_, i) => args.from + i);
    const started = Date.now();
    const results = await mapLimit(seeds, args.jobs, (seed) => runGeneratedCase(seed, dir));
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    const errors = results.filter((r) => r.error !== undefined);
    const ok = results.filter((r) => r.error === undefined);

    console.log(
      `Differential report: seeds ${args.from}..${args.from + args.seeds - 1} (${results.length} CIBs, ${elapsed} s)\n`,
    );
    const rows = [['part', 'agree', 'of', 'rate']];
    for (const part of PARTS) {
      const agree = ok.filter((r) => !r.diffs.some((d) => d.part === part)).length;
      rows.push([
        part + (HARD_PARTS.includes(part) ? ' (hard)' : ''),
        String(agree),
        String(ok.length),
        pct(agree, ok.length),
      ]);
    }
    const hard = results.filter(hardAgrees).length;
    rows.push(['ALL HARD PARTS', String(hard), String(results.length), pct(hard, results.length)]);
    const all = ok.filter((r) => r.diffs.length === 0).length;
    rows.push(['EVERYTHING', String(all), String(results.length), pct(all, results.length)]);
    console.log(table(rows));
    if (errors.length > 0)
      console.log(
        `\n${errors.length} seeds could not be compared (error): ${errors.map((r) => r.seed).join(' ')}`,
      );

    // Agreement per feature class: a low rate points at the feature to look at first.
    const features = [...new Set(results.flatMap((r) => r.features))].sort();
    const frows = [['feature', 'seeds', 'hard agree', 'rate', 'failing seeds (first 8)']];
    for (const f of features) {
      const withF = results.filter((r) => r.features.includes(f));
      const good = withF.filter(hardAgrees);
      const bad = withF.filter((r) => !hardAgrees(r)).map((r) => r.seed);
      frows.push([
        f,
        String(withF.length),
        String(good.length),
        pct(good.length, withF.length),
        bad.slice(0, 8).join(' '),
      ]);
    }
    frows.sort((a, b) =>
      a[0] === 'feature' ? -1 : b[0] === 'feature' ? 1 : parseFloat(a[3] ?? '0') - parseFloat(b[3] ?? '0'),
    );
    console.log(`\nHard agreement per feature class (lowest first):\n${table(frows)}`);

    // The smallest disagreements first: fewest features, then fewest primitives.
    const failing = results
      .filter((r) => !hardAgrees(r))
      .sort((a, b) => a.features.length - b.features.length || a.resources - b.resources || a.seed - b.seed);
    console.log(
      `\n${failing.length} seeds disagree on a hard part; the ${Math.min(args.limit, failing.length)} smallest:`,
    );
    for (const r of failing.slice(0, args.limit)) {
      console.log(`\nseed ${r.seed} (${r.nodes} nodes, ${r.resources} primitives; ${r.features.join(' ')})`);
      console.log(
        r.error !== undefined
          ? `  error: ${r.error}`
          : formatDiffs(r.diffs.filter((d) => HARD_PARTS.includes(d.part))),
      );
    }
    console.log('\nOne case in full: node --import tsx test/differential/report.ts --seed N --show --keep');
    if (args.keep) console.log(`CIBs kept in ${dir}`);
  } finally {
    if (!args.keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
