/**
 * `tandem simulate` as a process: errors exit non-zero with a message that names the file and the
 * fix; `--summary` of the RS fixture is exactly the scheduler's formatSummary.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyConfig, parseCibXml, serializeConfig } from '../../../coordinator/cib/index.ts';
import { formatSummary, schedule } from '../../../coordinator/scheduler/index.ts';

const TANDEM = fileURLToPath(new URL('../../../bin/tandem', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url));
const NOW = '2025-01-01T00:00:00Z';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function tandem(args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(TANDEM, args, { timeout: 50_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('--summary of the RS fixture is the scheduler formatSummary, unchanged', async (t) => {
  const xml = await readFile(FIXTURE, 'utf8');
  const parsed = parseCibXml(xml);
  if (!parsed.ok) return t.fail(parsed.error);
  const expected = formatSummary(
    schedule({ config: parsed.value.config, status: parsed.value.status, now: Date.parse(NOW) }),
  );
  const ran = await tandem(['simulate', '--xml', FIXTURE, '--now', NOW, '--summary']);
  t.is(ran.code, 0, ran.stderr);
  t.is(ran.stdout, expected.endsWith('\n') ? expected : `${expected}\n`);
  t.true(ran.stdout.startsWith('[nodes]\nrsha1 online\nrsha2 online\n[resources]\n'));
  t.true(ran.stdout.includes('\nClusterIP rsha1\n'));
});

const errorCases: { title: string; args: (dir: string) => string[]; code: number; stderr: RegExp }[] = [
  {
    title: 'a missing CIB file names the path',
    args: (dir) => ['simulate', '--xml', join(dir, 'nope.xml')],
    code: 1,
    stderr: /cannot read CIB XML file ".*nope\.xml": no such file; pass an existing file/,
  },
  {
    title: 'a file that is not a CIB names the path and the problem',
    args: (dir) => ['simulate', '--xml', join(dir, 'bad.xml')],
    code: 1,
    stderr: /".*bad\.xml" is not a usable CIB: /,
  },
  {
    title: 'a bad --now is a usage error that shows the format',
    args: () => ['simulate', '--xml', FIXTURE, '--now', 'yesterday'],
    code: 2,
    stderr: /--now "yesterday" is not an ISO-8601 time: write e\.g\. 2025-01-01T00:00:00Z/,
  },
  {
    title: 'nothing to simulate is a usage error',
    args: () => ['simulate'],
    code: 2,
    stderr: /nothing to simulate: pass --xml CIB\.xml/,
  },
];

test('errors exit non-zero with a message naming what to fix', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-sim-cli-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'bad.xml'), '<cib><configuration><resources><primitive');
  const results = await Promise.all(errorCases.map((c) => tandem(c.args(dir))));
  for (const [i, c] of errorCases.entries()) {
    const r = results[i];
    if (r === undefined) return t.fail(c.title);
    t.is(r.code, c.code, `${c.title}: ${r.stderr}`);
    t.regex(r.stderr, c.stderr, c.title);
    t.is(r.stdout, '', c.title);
  }
});

test('-f CONFIG without a state simulates a fresh cluster: every node online, probes everywhere', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-sim-native-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = emptyConfig('pair', ['rsha1', 'rsha2']);
  // Without this, as in Pacemaker, nothing starts: stonith is enabled and there is no fencing device.
  config.properties = { 'stonith-enabled': 'false' };
  config.resources = [
    {
      kind: 'primitive',
      id: 'ClusterIP',
      agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
      instanceAttributes: {},
      metaAttributes: {},
      operations: [],
    },
  ];
  const path = join(dir, 'cluster.json');
  await writeFile(path, serializeConfig(config));
  const ran = await tandem(['-f', path, 'simulate', '--now', NOW, '--summary']);
  t.is(ran.code, 0, ran.stderr);
  t.true(
    ran.stdout.startsWith('[nodes]\nrsha1 online\nrsha2 online\n[resources]\nClusterIP rsha1\n'),
    ran.stdout,
  );
  t.true(ran.stdout.includes('probe ClusterIP rsha2\n'), ran.stdout);
  const missing = await tandem(['simulate', '--config', join(dir, 'missing.json')]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /missing\.json/);
});
