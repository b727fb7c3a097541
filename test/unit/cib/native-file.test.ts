import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import {
  bumpEpoch,
  parseCibXml,
  loadConfigFile,
  loadStatusFile,
  parseConfigJson,
  parseStatusJson,
  saveConfigFile,
  saveStatusFile,
  serializeConfig,
  serializeStatus,
} from '../../../coordinator/cib/index.ts';
import { abiquoRsConfig } from './abiquo-rs-model.ts';
import { canonicalConfig, canonicalStatus } from './arbitraries.ts';

async function tempDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-cib-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('native JSON: parse(serialize(config)) deep-equals config (property)', (t) => {
  fc.assert(
    fc.property(canonicalConfig({ anyText: true }), (config) => {
      const back = parseConfigJson(serializeConfig(config));
      if (!back.ok) throw new Error(back.error);
      if (!isDeepStrictEqual(back.value, config)) t.deepEqual(back.value, config);
      return true;
    }),
    { numRuns: 60 },
  );
  t.pass();
});

test('native JSON: parse(serialize(status)) deep-equals status (property)', (t) => {
  fc.assert(
    fc.property(
      canonicalConfig().chain((c) => canonicalStatus(c)),
      (status) => {
        const back = parseStatusJson(serializeStatus(status));
        if (!back.ok) throw new Error(back.error);
        if (!isDeepStrictEqual(back.value, status)) t.deepEqual(back.value, status);
        return true;
      },
    ),
    { numRuns: 60 },
  );
  t.pass();
});

const badFiles: { name: string; text: string; error: RegExp }[] = [
  {
    name: 'bad JSON with position',
    text: '{\n  "formatVersion": 1,\n  "clusterName": }',
    error: /line 3, column 18 expected a JSON value/,
  },
  {
    name: 'trailing comma',
    text: '{"formatVersion": 1,}',
    error: /line 1, column 21 expected a "quoted" property name/,
  },
  { name: 'not an object', text: '[1, 2]', error: /not a tandem configuration/ },
  { name: 'unknown formatVersion', text: '{"formatVersion": 2}', error: /formatVersion 2.*upgrade tandem/ },
  {
    name: 'wrong shape names every path',
    text: JSON.stringify({
      ...abiquoRsConfig(),
      clusterName: 7,
      nodes: [{ id: '1', name: 'rsha1', atributes: {} }],
    }),
    error:
      /clusterName: expected a string, found number 7[\s\S]*nodes\[1\]\.attributes: required field is missing[\s\S]*nodes\[1\]\.atributes: unknown field; did you mean "attributes"\?/,
  },
  {
    name: 'wrong type deep inside a group',
    text: JSON.stringify(abiquoRsConfig()).replace('"intervalMs":30000', '"intervalMs":"30s"'),
    error:
      /resources\[abiquo_rs\]\.members\[ClusterIP\]\.operations\[0\]\.intervalMs: expected an integer, found the string "30s"/,
  },
  {
    name: 'unknown resource kind',
    text: JSON.stringify(abiquoRsConfig()).replace('"kind":"clone"', '"kind":"bundle"'),
    error: /resources\[ping-clone\]\.kind: expected "primitive", "group" or "clone", found "bundle"/,
  },
];
for (const k of badFiles) {
  test(`native JSON: ${k.name}`, (t) => {
    const r = parseConfigJson(k.text);
    t.false(r.ok);
    if (!r.ok) t.regex(r.error, k.error);
  });
}

test('native file: missing file is a clear error', async (t) => {
  const dir = await tempDir(t);
  const r = await loadConfigFile(join(dir, 'nope.json'));
  t.false(r.ok);
  if (!r.ok) t.regex(r.error, /nope\.json does not exist; create it with "tandem -f .*cluster setup/);
});

test('native file: save then load returns the same config, leaves no temp file, bumps nothing', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'cluster.json');
  const config = abiquoRsConfig();
  await saveConfigFile(path, config);
  await saveConfigFile(path, config);
  const back = await loadConfigFile(path);
  t.deepEqual(back, { ok: true, value: config });
  t.deepEqual(await readdir(dir), ['cluster.json']);
  t.is(await readFile(path, 'utf8'), serializeConfig(config));
});

test('native file: a failed save leaves the old file intact', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'cluster.json');
  await writeFile(path, 'old');
  const cyclic = abiquoRsConfig() as unknown as Record<string, unknown>;
  cyclic['self'] = cyclic;
  await t.throwsAsync(saveConfigFile(path, cyclic as unknown as ReturnType<typeof abiquoRsConfig>));
  t.is(await readFile(path, 'utf8'), 'old');
  t.deepEqual(await readdir(dir), ['cluster.json']);
});

test('native file: status save/load round trip', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'state.json');
  const status = fc.sample(canonicalStatus(abiquoRsConfig()), { numRuns: 1, seed: 42 })[0];
  if (status === undefined) return t.fail('no sample');
  await saveStatusFile(path, status);
  t.deepEqual(await loadStatusFile(path), { ok: true, value: status });
  const bad = await loadStatusFile(join(dir, 'missing.json'));
  t.false(bad.ok);
});

test('bumpEpoch: epoch + 1, num_updates 0, input untouched', (t) => {
  const config = abiquoRsConfig();
  config.version = { adminEpoch: 2, epoch: 9, numUpdates: 4 };
  const bumped = bumpEpoch(config);
  t.deepEqual(bumped.version, { adminEpoch: 2, epoch: 10, numUpdates: 0 });
  t.deepEqual(config.version, { adminEpoch: 2, epoch: 9, numUpdates: 4 });
});

test('fixtures: abiquo-rs.config.json and .status.json say what abiquo-rs.cib.xml says', async (t) => {
  const fixture = (name: string): string => new URL(`../../fixtures/${name}`, import.meta.url).pathname;
  const xml = parseCibXml(await readFile(fixture('abiquo-rs.cib.xml'), 'utf8'));
  if (!xml.ok) return t.fail(xml.error);
  t.deepEqual(await loadConfigFile(fixture('abiquo-rs.config.json')), { ok: true, value: xml.value.config });
  t.deepEqual(await loadStatusFile(fixture('abiquo-rs.status.json')), { ok: true, value: xml.value.status });
});

test('native file: a new file is private (0600), an existing file keeps its mode', async (t) => {
  const dir = await tempDir(t);
  const fresh = join(dir, 'fresh.json');
  await saveConfigFile(fresh, abiquoRsConfig());
  t.is((await stat(fresh)).mode & 0o777, 0o600);
  const shared = join(dir, 'shared.json');
  await writeFile(shared, '{}');
  await chmod(shared, 0o640);
  await saveConfigFile(shared, abiquoRsConfig());
  t.is((await stat(shared)).mode & 0o777, 0o640);
});
