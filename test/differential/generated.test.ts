/**
 * Differential test: tandem's scheduler against Pacemaker's crm_simulate on generated CIBs. For
 * each seed the hard-requirement parts ([nodes], [resources], start/stop/fence actions) must agree;
 * the failure message lists every disagreement with its seed, features and diff. Reproduce one with
 * `node --import tsx test/differential/report.ts --seed N --show`.
 */
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCurrentStatus, runGeneratedCase } from './generated-case.ts';
import { formatDiffs, HARD_PARTS, mapLimit } from './summary-compare.ts';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

test('tandem agrees with crm_simulate on generated CIBs (nodes, resources, start/stop/fence)', async (t) => {
  t.timeout(180_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-diff-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const results = await mapLimit(SEEDS, 2, (seed) => runGeneratedCase(seed, dir));
  const failures = results.flatMap((r) => {
    const hard = r.diffs.filter((d) => HARD_PARTS.includes(d.part));
    if (r.error === undefined && hard.length === 0) return [];
    const head = `seed ${r.seed} (${r.nodes} nodes, ${r.resources} primitives; ${r.features.join(' ')})`;
    return [r.error !== undefined ? `${head}\n  error: ${r.error}` : `${head}\n${formatDiffs(hard)}`];
  });
  t.is(results.length, SEEDS.length);
  t.deepEqual(
    failures,
    [],
    `${failures.length} of ${SEEDS.length} seeds disagree:\n\n${failures.join('\n\n')}`,
  );
});

test('tandem simulate prints the current status exactly as crm_simulate does on generated CIBs', async (t) => {
  t.timeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), `tandem-diff-status-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const results = await mapLimit(SEEDS, 2, async (seed) => ({
    seed,
    diff: await compareCurrentStatus(seed, dir),
  }));
  const failures = results.flatMap(({ seed, diff }) =>
    diff === undefined
      ? []
      : [`seed ${seed}\n--- crm_simulate\n${diff.pacemaker}\n--- tandem\n${diff.tandem}`],
  );
  t.is(results.length, SEEDS.length);
  t.deepEqual(failures, [], failures.join('\n\n'));
});
