/**
 * Differential test: tandem's scheduler against Pacemaker's crm_simulate on generated CIBs. For
 * each seed the hard-requirement parts ([nodes], [resources], start/stop/fence actions) must agree;
 * the failure message lists every disagreement with its seed, features and diff. Reproduce one with
 * `node --import tsx test/differential/report.ts --seed N --show`.
 *
 * known-disagreements.json lists seeds that still disagree, each with its diagnosis: they are
 * logged (t.log) on every run, never hidden. A disagreement not listed fails the test, and so does
 * a listed seed that now agrees (remove it from the list), so the list only shrinks.
 */
import test, { type ExecutionContext } from 'ava';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCurrentStatus, runGeneratedCase } from './generated-case.ts';
import { formatDiffs, HARD_PARTS, mapLimit } from './summary-compare.ts';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

interface KnownDisagreements {
  hard: Record<string, string>;
  status: Record<string, string>;
}

const KNOWN = JSON.parse(
  readFileSync(new URL('./known-disagreements.json', import.meta.url), 'utf8'),
) as KnownDisagreements;

/**
 * Compares the seeds that disagree (seed → details) with a known list (seed → diagnosis): logs
 * every known one, returns the problems (new disagreements, listed seeds that agree or are out of
 * range).
 */
function checkAgainstKnown(
  t: ExecutionContext,
  known: Record<string, string>,
  disagreeing: Map<number, string>,
): string[] {
  const problems: string[] = [];
  if (Object.keys(known).length === 0) t.log('known-disagreements.json lists no seed here');
  for (const key of Object.keys(known)) {
    const seed = Number(key);
    if (!SEEDS.includes(seed))
      problems.push(`known-disagreements.json lists seed ${key}, not among the seeds`);
  }
  for (const seed of SEEDS) {
    const diagnosis = known[String(seed)];
    const details = disagreeing.get(seed);
    if (diagnosis !== undefined && details !== undefined) {
      t.log(`known disagreement, seed ${seed}: ${diagnosis}\n${details}`);
    } else if (diagnosis !== undefined) {
      problems.push(`seed ${seed} now agrees: remove it from known-disagreements.json (${diagnosis})`);
    } else if (details !== undefined) {
      problems.push(`new disagreement, ${details}`);
    }
  }
  return problems;
}

test('tandem agrees with crm_simulate on generated CIBs (nodes, resources, start/stop/fence)', async (t) => {
  t.timeout(300_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-diff-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const results = await mapLimit(SEEDS, 2, (seed) => runGeneratedCase(seed, dir));
  const disagreeing = new Map<number, string>();
  for (const r of results) {
    const hard = r.diffs.filter((d) => HARD_PARTS.includes(d.part));
    if (r.error === undefined && hard.length === 0) continue;
    const head = `seed ${r.seed} (${r.nodes} nodes, ${r.resources} primitives; ${r.features.join(' ')})`;
    disagreeing.set(
      r.seed,
      r.error !== undefined ? `${head}\n  error: ${r.error}` : `${head}\n${formatDiffs(hard)}`,
    );
  }
  t.is(results.length, SEEDS.length);
  const problems = checkAgainstKnown(t, KNOWN.hard, disagreeing);
  t.deepEqual(
    problems,
    [],
    `${problems.length} problems against known-disagreements.json ("hard"):\n\n${problems.join('\n\n')}`,
  );
});

test('tandem simulate prints the current status exactly as crm_simulate does on generated CIBs', async (t) => {
  t.timeout(300_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-diff-status-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const results = await mapLimit(SEEDS, 2, async (seed) => ({
    seed,
    diff: await compareCurrentStatus(seed, dir),
  }));
  const disagreeing = new Map<number, string>();
  for (const { seed, diff } of results) {
    if (diff !== undefined)
      disagreeing.set(seed, `seed ${seed}\n--- crm_simulate\n${diff.pacemaker}\n--- tandem\n${diff.tandem}`);
  }
  t.is(results.length, SEEDS.length);
  const problems = checkAgainstKnown(t, KNOWN.status, disagreeing);
  t.deepEqual(
    problems,
    [],
    `${problems.length} problems against known-disagreements.json ("status"):\n\n${problems.join('\n\n')}`,
  );
});
