/**
 * Golden scheduler cases (Pacemaker's cts/scheduler style): each folder of test/golden/scheduler
 * holds description.txt (one line), cib.xml and expected.summary, which is what Pacemaker's own
 * scheduler printed through crm-summary.sh (checked in, so this test does not need Pacemaker).
 *
 * UPDATE_GOLDEN=1 regenerates every expected.summary from crm-summary.sh (needs crm_simulate).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCibXml } from '../../../coordinator/cib/index.ts';
import { formatSummary, schedule } from '../../../coordinator/scheduler/index.ts';

const GOLDEN = fileURLToPath(new URL('../../golden/scheduler/', import.meta.url));
const CRM_SUMMARY = fileURLToPath(
  new URL('../../../../shared/tools/crm-summary/crm-summary.sh', import.meta.url),
);
const NOW = '2025-01-01T00:00:00Z';

const cases = readdirSync(GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort();

test('there are golden cases, each with a one-line description', (t) => {
  t.true(cases.length >= 30);
  for (const c of cases) {
    const desc = readFileSync(join(GOLDEN, c, 'description.txt'), 'utf8');
    t.is(desc.trim().split('\n').length, 1, `${c}/description.txt must be one line`);
  }
});

for (const name of cases) {
  const dir = join(GOLDEN, name);
  const description = existsSync(join(dir, 'description.txt'))
    ? readFileSync(join(dir, 'description.txt'), 'utf8').trim()
    : '';
  test(`golden ${name}: ${description}`, (t) => {
    const xml = readFileSync(join(dir, 'cib.xml'), 'utf8');
    const expectedPath = join(dir, 'expected.summary');
    if (process.env['UPDATE_GOLDEN'] === '1') {
      const fresh = execFileSync(CRM_SUMMARY, [join(dir, 'cib.xml')], {
        encoding: 'utf8',
        env: { ...process.env, CRM_SUMMARY_NOW: NOW },
      });
      writeFileSync(expectedPath, fresh);
    }
    const parsed = parseCibXml(xml);
    if (!parsed.ok) {
      t.fail(`${name}/cib.xml does not import: ${parsed.error}`);
      return;
    }
    const transition = schedule({
      config: parsed.value.config,
      status: parsed.value.status,
      now: Date.parse(NOW),
    });
    t.is(formatSummary(transition), readFileSync(expectedPath, 'utf8'));
  });
}
