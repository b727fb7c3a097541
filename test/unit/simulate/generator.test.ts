/**
 * The seeded CIB generator: deterministic, valid (tandem's validation and Pacemaker's crm_verify),
 * and it produces what its options ask for.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssues, toCibXml, validateConfig } from '../../../coordinator/cib/index.ts';
import { generateCluster } from '../../support/cib-generator.ts';

test('the same seed gives the same cluster; another seed another one', (t) => {
  const a = generateCluster({ seed: 7, nodes: 4, resources: 12 });
  const b = generateCluster({ seed: 7, nodes: 4, resources: 12 });
  const c = generateCluster({ seed: 8, nodes: 4, resources: 12 });
  t.is(JSON.stringify(a), JSON.stringify(b));
  t.not(JSON.stringify(a), JSON.stringify(c));
});

const shapes = [
  { seed: 1, nodes: 2, resources: 3 },
  { seed: 2, nodes: 5, resources: 15 },
  { seed: 3, nodes: 3, resources: 40 },
  { seed: 4, nodes: 8, resources: 100 },
];

for (const shape of shapes) {
  test(`seed ${shape.seed}: ${shape.nodes} nodes, ${shape.resources} primitives, valid and as asked`, (t) => {
    const { config, status } = generateCluster(shape);
    t.is(config.nodes.length, shape.nodes);
    const primitives = config.resources.reduce((n, r) => n + (r.kind === 'group' ? r.members.length : 1), 0);
    t.is(primitives, shape.resources);
    const report = validateConfig(config);
    t.deepEqual(formatIssues(report.errors), []);
    t.is(status.crmFeatureSet, '3.16.1');
    for (const node of status.nodes) {
      const callIds = node.history.flatMap((h) => h.ops.map((o) => o.callId));
      t.is(new Set(callIds).size, callIds.length, `${node.name}: call-ids are unique`);
      for (const op of node.history.flatMap((h) => h.ops)) {
        t.truthy(op.opDigest, `${op.id} on ${node.name} has an op-digest`);
        t.true((op.lastRcChange ?? 0) < Date.parse('2025-01-01T00:00:00Z') / 1000, `${op.id} is before 2025`);
      }
    }
  });
}

test('switching features off removes them', (t) => {
  const g = generateCluster({
    seed: 5,
    nodes: 3,
    resources: 20,
    groups: false,
    clones: false,
    colocations: false,
    orders: false,
    locations: false,
    failures: false,
    offlineNodes: false,
    standbyNodes: false,
  });
  t.true(g.config.resources.every((r) => r.kind === 'primitive'));
  t.deepEqual(g.config.constraints, { location: [], colocation: [], order: [] });
  t.is(g.status.nodes.length, 3);
  t.false(g.features.some((f) => f.startsWith('failure') || f === 'offline-node' || f === 'standby'));
});

test('exported generated CIBs pass crm_verify', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-gen-verify-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const seed of [11, 12, 13]) {
    const g = generateCluster({ seed, nodes: 4, resources: 12 });
    const path = join(dir, `seed-${seed}.xml`);
    await writeFile(path, toCibXml(g.config, g.status));
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile('crm_verify', ['-x', path], { timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
          out: stdout + stderr,
        }),
      );
    });
    t.is(result.code, 0, `seed ${seed}: ${result.out}`);
  }
});
