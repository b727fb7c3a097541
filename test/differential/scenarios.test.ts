/**
 * Differential test: every golden scheduler case (test/golden/scheduler/<case>/cib.xml) is run
 * through Pacemaker's scheduler live (crm-summary.sh → crm_simulate) and through tandem's, and
 * every disagreement is reported in one failure message. Needs crm_simulate (scripts/setup.sh).
 */
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareSummaries,
  formatDiffs,
  mapLimit,
  pacemakerSummary,
  parseSummary,
  tandemSummary,
} from './summary-compare.ts';

const GOLDEN = fileURLToPath(new URL('../golden/scheduler/', import.meta.url));

test('tandem agrees with crm_simulate on every golden scenario', async (t) => {
  // One crm_simulate run per golden case (50+): more than ava's default 60 s on a busy machine.
  t.timeout(240_000);
  const cases = readdirSync(GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
  t.true(cases.length > 0);
  const results = await mapLimit(cases, 2, async (name) => {
    const path = join(GOLDEN, name, 'cib.xml');
    const pacemaker = parseSummary(await pacemakerSummary(path));
    const tandem = parseSummary(tandemSummary(readFileSync(path, 'utf8')));
    return { name, diffs: compareSummaries(pacemaker, tandem) };
  });
  const failures = results.filter((r) => r.diffs.length > 0);
  const report = failures.map((f) => `${f.name}:\n${formatDiffs(f.diffs)}`).join('\n');
  t.is(
    failures.length,
    0,
    `${failures.length} of ${cases.length} scenarios disagree with Pacemaker:\n${report}`,
  );
});
