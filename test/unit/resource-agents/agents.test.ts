/**
 * The registry and the contract every built-in agent keeps: OCF meta-data that validates against
 * ra-api-1.dtd (what ocf-tester checks), the mandatory actions with advised timeouts, unknown
 * actions → 3, and installOcf writing executable wrappers. Plus Dummy's behaviour in-process.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { builtinAgents, getBuiltinAgent, installOcf, OcfRc } from '../../../resource-agents/index.ts';
import type { AgentContext, BuiltinAgent } from '../../../resource-agents/index.ts';

const TYPES = ['Dummy', 'Filesystem', 'IPaddr2', 'ping'];

test('the registry holds the four agents under provider tandem', (t) => {
  t.deepEqual([...builtinAgents.keys()].sort(), [...TYPES].sort());
  for (const type of TYPES) {
    t.is(getBuiltinAgent(type)?.type, type);
    t.is(getBuiltinAgent(type)?.provider, 'tandem');
  }
  t.is(getBuiltinAgent('IPaddr'), undefined);
});

function xmllint(xml: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'xmllint',
      ['--noout', '--valid', '-'],
      { cwd: '/usr/share/resource-agents' },
      (err, _o, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 255, stderr }),
    );
    child.stdin?.end(xml);
  });
}

interface MetaParameter {
  '@_name': string;
  '@_required': string;
  '@_unique': string;
  shortdesc: { '#text': string };
  longdesc: { '#text': string };
  content: { '@_type': string; '@_default'?: string };
}
interface MetaAction {
  '@_name': string;
  '@_timeout': string;
  '@_interval'?: string;
}

function agent(type: string): BuiltinAgent {
  const a = getBuiltinAgent(type);
  if (a === undefined) throw new Error(`${type} is not registered`);
  return a;
}

function context(
  stateDir: string,
  params: Record<string, string> = {},
  over: Partial<AgentContext> = {},
): AgentContext {
  return {
    instance: `unit-${process.pid}`,
    params,
    meta: {},
    timeoutMs: 20_000,
    intervalMs: 0,
    signal: new AbortController().signal,
    stateDir,
    ...over,
  };
}

for (const type of TYPES) {
  test(`${type}: meta-data validates against ra-api-1.dtd and names its parameters and actions`, async (t) => {
    const a = agent(type);
    const xml = a.metaData();
    const lint = await xmllint(xml);
    t.is(lint.code, 0, lint.stderr);
    const fromRun = await a.run('meta-data', context('/nonexistent'));
    t.is(fromRun.rc, OcfRc.ok);
    t.is(fromRun.output, xml);

    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      isArray: (n) => ['parameter', 'action'].includes(n),
    }).parse(xml) as {
      'resource-agent': {
        '@_name': string;
        version: string | number;
        parameters: { parameter: MetaParameter[] };
        actions: { action: MetaAction[] };
      };
    };
    const ra = doc['resource-agent'];
    t.is(ra['@_name'], type);
    t.is(String(ra.version), '1.1', 'OCF 1.1');
    t.true(ra.parameters.parameter.length > 0);
    for (const p of ra.parameters.parameter) {
      t.true(p.shortdesc['#text'] !== '' && p.longdesc['#text'] !== '', `${p['@_name']} has descriptions`);
      t.true(
        ['string', 'integer', 'boolean', 'time'].includes(p.content['@_type']),
        `${p['@_name']} content type`,
      );
      t.true(['0', '1'].includes(p['@_required']) && ['0', '1'].includes(p['@_unique']));
    }
    const actions = new Map(ra.actions.action.map((x) => [x['@_name'], x]));
    for (const name of ['start', 'stop', 'monitor', 'meta-data', 'validate-all']) {
      t.regex(actions.get(name)?.['@_timeout'] ?? '', /^\d+s$/, `${name} has an advised timeout`);
    }
    t.regex(actions.get('monitor')?.['@_interval'] ?? '', /^\d+s$/);
    t.is((await a.run('promote', context('/tmp'))).rc, OcfRc.errUnimplemented);
  });
}

test('required parameters: a missing one is errConfigured (6), naming it', async (t) => {
  const cases: [string, string][] = [
    ['Filesystem', 'device, directory, fstype'],
    ['IPaddr2', 'ip'],
    ['ping', 'host_list'],
  ];
  for (const [type, names] of cases) {
    const r = await agent(type).run('start', context('/tmp'));
    t.is(r.rc, OcfRc.errConfigured, type);
    t.is(r.exitReason, `missing required parameter(s): ${names}`);
  }
});

test('Dummy: probe 7, start 0 (idempotent), monitor 0, stop 0 (idempotent), recurring monitor 7 with a reason', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-dummy-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const d = agent('Dummy');
  const ctx = context(dir, { fake: 'x' });
  const file = join(dir, `Dummy-unit-${process.pid}.state`);
  t.is((await d.run('validate-all', ctx)).rc, OcfRc.ok);
  t.deepEqual(await d.run('monitor', ctx), { rc: OcfRc.notRunning });
  t.is((await d.run('start', ctx)).rc, OcfRc.ok);
  t.is(await readFile(file, 'utf8'), 'x\n');
  t.is((await d.run('start', ctx)).rc, OcfRc.ok);
  t.is((await d.run('monitor', ctx)).rc, OcfRc.ok);
  t.is((await d.run('stop', ctx)).rc, OcfRc.ok);
  await t.throwsAsync(access(file));
  t.is((await d.run('stop', ctx)).rc, OcfRc.ok);
  t.deepEqual(await d.run('monitor', context(dir, {}, { intervalMs: 10_000 })), {
    rc: OcfRc.notRunning,
    exitReason: 'No process state file found',
  });
  const custom = join(dir, 'sub', 'custom.state');
  t.is((await d.run('start', context(dir, { state: custom }))).rc, OcfRc.ok);
  t.true((await stat(custom)).isFile(), 'state= names the file');
});

test('Dummy: op_sleep delays the action and ends early when the operation is aborted', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-dummy-sleep-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const d = agent('Dummy');
  const began = Date.now();
  t.is((await d.run('monitor', context(dir, { op_sleep: '200ms' }))).rc, OcfRc.notRunning);
  t.true(Date.now() - began >= 190, 'slept');
  const ac = new AbortController();
  const pending = d.run('start', context(dir, { op_sleep: '30s' }, { signal: ac.signal }));
  ac.abort();
  const r = await pending;
  t.is(r.rc, OcfRc.errGeneric);
  t.regex(r.exitReason ?? '', /aborted/);
  t.deepEqual(
    await d.run('monitor', context(dir)),
    { rc: OcfRc.notRunning },
    'the aborted start did not start',
  );
  t.is((await d.run('monitor', context(dir, { op_sleep: 'forever' }))).rc, OcfRc.errConfigured);
});

test('installOcf writes an executable sh wrapper per agent with absolute node, tsx and entry paths', async (t) => {
  const root = await mkdtemp(join(tmpdir(), `tandem-ocf-${process.pid}-`));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const paths = await installOcf(root);
  t.deepEqual(
    paths,
    [...TYPES].sort().map((type) => join(root, 'resource.d', 'tandem', type)),
  );
  for (const p of paths) {
    await access(p, constants.X_OK);
    t.is((await stat(p)).mode & 0o777, 0o755);
    const text = await readFile(p, 'utf8');
    t.true(text.startsWith('#!/bin/sh\n'));
    t.regex(
      text,
      /exec '\/[^']*node' .*--import 'file:\/\/\/[^']*\/node_modules\/tsx\/dist\/loader\.mjs' '\/[^']*\/resource-agents\/ocf-main\.ts' '\w+' "\$@"/,
    );
  }
});
