/**
 * Pacemaker's own tools judge tandem's export: crm_verify -x must accept it, and crm_simulate -x
 * must read the exported state as tandem meant it (nothing to do for a settled cluster).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import {
  fillOpDigests,
  parseCibXml,
  toCibXml,
  validateConfig,
  type ClusterStatus,
} from '../../../coordinator/cib/index.ts';
import { abiquoRsConfig } from './abiquo-rs-model.ts';
import { canonicalConfig } from './arbitraries.ts';

const run = promisify(execFile);

interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function tool(cmd: string, args: string[]): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function tempDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-crm-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function transitionSummary(stdout: string): string {
  const m = /Transition Summary:\n([\s\S]*?)\n\s*\n?Executing Cluster Transition/.exec(stdout);
  return (m?.[1] ?? 'NOT FOUND').trim();
}

test('crm_verify accepts the abiquo-rs configuration built in model form', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'abiquo-rs.xml');
  await writeFile(file, toCibXml(abiquoRsConfig()));
  const r = await tool('crm_verify', ['-V', '-x', file]);
  t.is(r.code, 0, r.stderr);
  t.notRegex(r.stderr, /error/i);
});

test('crm_verify rejects a broken export (the check can fail)', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'broken.xml');
  await writeFile(file, toCibXml(abiquoRsConfig()).replace('<constraints>', '<constraints><bogus/>'));
  const r = await tool('crm_verify', ['-x', file]);
  t.not(r.code, 0);
});

test('generated configurations: crm_verify accepts every one tandem finds no error in (property, 20 runs)', async (t) => {
  const dir = await tempDir(t);
  const samples = fc.sample(canonicalConfig(), { numRuns: 20, seed: 7 });
  let clean = 0;
  for (const [i, config] of samples.entries()) {
    const file = join(dir, `gen-${i}.xml`);
    await writeFile(file, toCibXml(config));
    const r = await tool('crm_verify', ['-V', '-x', file]);
    const report = validateConfig(config);
    if (report.errors.length === 0) clean++;
    // tandem may be stricter than crm_verify (e.g. on-fail=fence on a probe definition), never laxer.
    // crm_verify exits non-zero on warnings too ("Warnings found during check"); only errors reject.
    if (r.code !== 0 && /Errors found/.test(r.stderr)) {
      t.not(report.errors.length, 0, `crm_verify rejects ${file} but tandem finds no error:\n${r.stderr}`);
    } else {
      t.true(r.code === 0 || /Warnings found/.test(r.stderr), r.stderr);
    }
  }
  t.true(clean >= 8, `only ${clean} of 20 generated configurations were valid; the generator needs fixing`);
});

test('crm_simulate reads the exported fixture state as settled: no actions', async (t) => {
  const dir = await tempDir(t);
  const imported = parseCibXml(
    await readFile(new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url), 'utf8'),
  );
  if (!imported.ok) return t.fail(imported.error);
  const file = join(dir, 'state.xml');
  await writeFile(file, toCibXml(imported.value.config, imported.value.status));
  const r = await tool('crm_simulate', ['-x', file, '-S']);
  t.is(r.code, 0, r.stderr);
  t.is(transitionSummary(r.stdout), '');
  t.regex(r.stdout, /ClusterIP\s+\(ocf:heartbeat:IPaddr2\):\s+Started rsha1/);
});

function withoutDigests(status: ClusterStatus): ClusterStatus {
  return {
    ...status,
    nodes: status.nodes.map((n) => ({
      ...n,
      history: n.history.map((h) => ({ ...h, ops: h.ops.map(({ opDigest: _drop, ...op }) => op) })),
    })),
  };
}

test('op digests: tandem computes what Pacemaker computes (model-built config, state without digests)', async (t) => {
  const dir = await tempDir(t);
  const imported = parseCibXml(
    await readFile(new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url), 'utf8'),
  );
  if (!imported.ok) return t.fail(imported.error);
  const config = abiquoRsConfig();
  const bare = withoutDigests(imported.value.status);
  // Without digests Pacemaker 2.1 assumes changed parameters and restarts everything …
  const noDigests = join(dir, 'no-digests.xml');
  await writeFile(noDigests, toCibXml(config, bare));
  const before = await tool('crm_simulate', ['-x', noDigests, '-S']);
  t.regex(transitionSummary(before.stdout), /Restart\s+ClusterIP/);
  // … with tandem's digests it sees nothing to do.
  const filled = join(dir, 'filled.xml');
  await writeFile(filled, toCibXml(config, fillOpDigests(config, bare)));
  const after = await tool('crm_simulate', ['-x', filled, '-S']);
  t.is(transitionSummary(after.stdout), '', after.stdout);
  // A changed parameter is noticed by both.
  const changed = structuredClone(config);
  const group = changed.resources[0];
  if (group?.kind === 'group' && group.members[1]) group.members[1].instanceAttributes['ip'] = '192.0.2.101';
  const stale = join(dir, 'stale.xml');
  await writeFile(stale, toCibXml(changed, fillOpDigests(config, bare)));
  const restart = await tool('crm_simulate', ['-x', stale, '-S']);
  t.regex(transitionSummary(restart.stdout), /Restart\s+ClusterIP/);
});

test('a CIB written by crm_simulate after an injected failure imports, and exports back to the same picture', async (t) => {
  const dir = await tempDir(t);
  const after = join(dir, 'after.xml');
  const fixture = new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url).pathname;
  const sim = await tool('crm_simulate', [
    '-x',
    fixture,
    '-i',
    'ClusterIP_monitor_30000@rsha1=7',
    '-S',
    '-O',
    after,
  ]);
  t.is(sim.code, 0, sim.stderr);
  const imported = parseCibXml(await readFile(after, 'utf8'));
  if (!imported.ok) return t.fail(imported.error);
  const rsha1 = imported.value.status.nodes.find((n) => n.name === 'rsha1');
  t.is(rsha1?.transientAttributes['fail-count-ClusterIP#monitor_30000'], '1');
  const failure = rsha1?.history
    .find((h) => h.id === 'ClusterIP')
    ?.ops.find((o) => o.id === 'ClusterIP_last_failure_0');
  t.like(failure, {
    operationKey: 'ClusterIP_monitor_30000',
    rc: 7,
    targetRc: 0,
    exitReason: 'Simulated action result',
  });
  const again = join(dir, 'again.xml');
  const xml = toCibXml(imported.value.config, imported.value.status);
  await writeFile(again, xml);
  t.true(xml.includes('id="status-1-fail-count-ClusterIP.monitor_30000"'));
  const a = await tool('crm_simulate', ['-x', after, '-s']);
  const b = await tool('crm_simulate', ['-x', again, '-s']);
  t.regex(a.stdout, /ClusterIP/);
  t.is(b.stdout, a.stdout);
});
