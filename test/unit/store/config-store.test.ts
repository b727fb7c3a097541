/**
 * The configuration store: versioned commits, newer-wins offers, replication between two stores,
 * and durability (a process killed while writing leaves a complete old or new version).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { emptyConfig, type ClusterConfig } from '../../../coordinator/cib/index.ts';
import {
  ConfigStore,
  Replicator,
  compareVersions,
  versionNumber,
  type ReplicaLink,
} from '../../../coordinator/store/index.ts';

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-store-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(dir: string, name = 'cib.json'): Promise<ConfigStore> {
  const r = await ConfigStore.open(join(dir, name), { clusterName: 'c1', nodes: ['n1', 'n2'] });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function withProperty(c: ClusterConfig, name: string, value: string): { ok: true; value: ClusterConfig } {
  return { ok: true, value: { ...c, properties: { ...c.properties, [name]: value } } };
}

test('open creates an empty versioned configuration; commit bumps epoch and is durable', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(dir);
  t.deepEqual(store.current().version, { adminEpoch: 0, epoch: 0, numUpdates: 0 });
  t.deepEqual(
    store.current().nodes.map((n) => n.name),
    ['n1', 'n2'],
  );
  const seen: number[] = [];
  store.onChange((c) => seen.push(c.config.version.epoch));
  const r = await store.commit((c) => withProperty(c, 'stonith-enabled', 'false'));
  t.true(r.ok);
  t.is(store.current().version.epoch, 1);
  t.deepEqual(seen, [1]);
  const reopened = await openStore(dir);
  t.is(reopened.current().version.epoch, 1);
  t.is(reopened.current().properties['stonith-enabled'], 'false');
});

test('commit refuses an invalid configuration and keeps the old version', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(dir);
  const before = await readFile(store.path, 'utf8');
  const r = await store.commit((c) => ({
    ok: true,
    value: {
      ...c,
      constraints: { ...c.constraints, location: [{ id: 'l1', rsc: 'missing', node: 'n1', score: 100 }] },
    },
  }));
  t.false(r.ok);
  if (!r.ok) t.regex(r.error, /missing/);
  t.is(await readFile(store.path, 'utf8'), before);
  t.is(store.current().version.epoch, 0);
});

const offers: {
  name: string;
  version: ClusterConfig['version'];
  cluster: string;
  kept: boolean | 'error';
}[] = [
  {
    name: 'newer epoch wins',
    version: { adminEpoch: 0, epoch: 5, numUpdates: 0 },
    cluster: 'c1',
    kept: true,
  },
  {
    name: 'newer admin_epoch wins over a higher epoch',
    version: { adminEpoch: 1, epoch: 0, numUpdates: 0 },
    cluster: 'c1',
    kept: true,
  },
  {
    name: 'equal version is not taken',
    version: { adminEpoch: 0, epoch: 2, numUpdates: 0 },
    cluster: 'c1',
    kept: false,
  },
  {
    name: 'older version is not taken',
    version: { adminEpoch: 0, epoch: 1, numUpdates: 9 },
    cluster: 'c1',
    kept: false,
  },
  {
    name: 'another cluster is refused',
    version: { adminEpoch: 9, epoch: 9, numUpdates: 9 },
    cluster: 'other',
    kept: 'error',
  },
];

for (const o of offers) {
  test(`offer: ${o.name}`, async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(dir);
    await store.commit((c) => withProperty(c, 'a', '1'));
    await store.commit((c) => withProperty(c, 'a', '2'));
    t.is(store.current().version.epoch, 2);
    const candidate: ClusterConfig = {
      ...emptyConfig(o.cluster, ['n1', 'n2']),
      version: o.version,
      properties: { a: 'offered' },
    };
    const r = await store.offer(candidate);
    if (o.kept === 'error') {
      t.false(r.ok);
      t.is(store.current().properties['a'], '2');
      return;
    }
    t.true(r.ok);
    if (r.ok) t.is(r.value, o.kept);
    t.is(store.current().properties['a'], o.kept ? 'offered' : '2');
    const reopened = await openStore(dir);
    t.is(reopened.current().properties['a'], o.kept ? 'offered' : '2');
  });
}

test('versionNumber preserves the version order', (t) => {
  const vs = [
    { adminEpoch: 0, epoch: 0, numUpdates: 1 },
    { adminEpoch: 0, epoch: 1, numUpdates: 0 },
    { adminEpoch: 0, epoch: 1, numUpdates: 5 },
    { adminEpoch: 0, epoch: 999_999, numUpdates: 0 },
    { adminEpoch: 1, epoch: 0, numUpdates: 0 },
  ];
  for (let i = 1; i < vs.length; i++) {
    const a = vs[i - 1];
    const b = vs[i];
    if (a === undefined || b === undefined) continue;
    t.true(compareVersions(a, b) < 0);
    t.true(versionNumber(a) < versionNumber(b));
  }
});

test('replication: publish pushes, heard pulls a newer version, the newer side wins after a heal', async (t) => {
  const dir = await tempDir(t);
  const a = await openStore(dir, 'a.json');
  const b = await openStore(dir, 'b.json');
  const stores: Record<string, ConfigStore> = { a, b };
  const linkFrom = (): ReplicaLink => ({
    push: async (node, config) => {
      const s = stores[node];
      if (s === undefined) return undefined;
      const r = await s.offer(config);
      return r.ok ? r.value : undefined;
    },
    pull: (node) => Promise.resolve(stores[node]?.current()),
  });
  const ra = new Replicator(a, linkFrom());
  const rb = new Replicator(b, linkFrom());
  // a (DC) commits and publishes: b converges.
  await a.commit((c) => withProperty(c, 'x', 'from-a'));
  await ra.publish(['b']);
  t.is(b.current().properties['x'], 'from-a');
  // Partition: both commit; b commits twice, so b is newer.
  await a.commit((c) => withProperty(c, 'x', 'a-alone'));
  await b.commit((c) => withProperty(c, 'x', 'b-alone-1'));
  await b.commit((c) => withProperty(c, 'x', 'b-alone-2'));
  // Heal: each hears the other's announced version; only the older side pulls.
  t.false(await rb.heard('a', versionNumber(a.current().version)));
  t.true(await ra.heard('b', versionNumber(b.current().version)));
  t.is(a.current().properties['x'], 'b-alone-2');
  t.deepEqual(a.current().version, b.current().version);
});

test('open removes temp files a crash left and keeps the complete file', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(dir);
  await store.commit((c) => withProperty(c, 'kept', 'yes'));
  await writeFile(join(dir, '.cib.json.4242.1.tmp'), '{"formatVersion": 1, "clusterNa');
  const reopened = await openStore(dir);
  t.is(reopened.current().properties['kept'], 'yes');
  t.deepEqual(
    (await readdir(dir)).filter((n) => n.endsWith('.tmp')),
    [],
  );
});

test('a process killed (SIGKILL) while committing leaves a complete version', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'cib.json');
  const loop = fileURLToPath(new URL('./fixtures/commit-loop.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', loop, path], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, 'SIGKILL');
    await exited;
  });
  // Wait (with a deadline) until it has committed a few versions, then kill it mid-stream.
  const deadline = Date.now() + 20_000;
  let epoch = 0;
  while (Date.now() < deadline && epoch < 20) {
    const text = await readFile(path, 'utf8').catch(() => '');
    const m = /"epoch": (\d+)/.exec(text);
    epoch = m !== null ? Number(m[1]) : 0;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  t.true(epoch >= 20, `child committed only ${epoch} versions: ${stderr}`);
  if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  await exited;
  const reopened = await openStore(dir);
  const v = reopened.current().version.epoch;
  t.true(v >= epoch, `reopened epoch ${v} < observed ${epoch}`);
  // Every version is complete: epoch N holds exactly N resources.
  t.is(reopened.current().resources.length, v);
  t.deepEqual(
    (await readdir(dir)).filter((n) => n.endsWith('.tmp')),
    [],
  );
});
