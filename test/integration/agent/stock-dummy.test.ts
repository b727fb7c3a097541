import test from 'ava';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Executor, ocfAgentPath } from '../../../agent/executor/index.ts';
import { tempDir, writeScript } from './helpers.ts';

const dummy = { standard: 'ocf' as const, provider: 'heartbeat', type: 'Dummy' };

test('stock ocf:heartbeat:Dummy: probe 7, start, monitor 0, stop, monitor 7, stop again 0', async (t) => {
  const stateDir = await tempDir('dummy');
  const executor = new Executor({ stateDir });
  t.teardown(async () => {
    await executor.dispose();
    await rm(stateDir, { recursive: true, force: true });
  });
  const steps: Array<[string, number]> = [
    ['monitor', 7],
    ['start', 0],
    ['monitor', 0],
    ['start', 0],
    ['stop', 0],
    ['monitor', 7],
    ['stop', 0],
  ];
  for (const [action, rc] of steps) {
    const r = await executor.execute({ resource: 'd1', agent: dummy, action });
    t.is(r.status, 'done', `${action}: ${r.exitReason ?? ''}`);
    t.is(Number(r.rc), rc, action);
    if (action === 'start') {
      await t.notThrowsAsync(
        access(join(stateDir, 'Dummy-d1.state')),
        'state file under HA_RSCTMP, named by instance',
      );
    }
  }
  const mon = await executor.execute({ resource: 'd1', agent: dummy, action: 'monitor', intervalMs: 10000 });
  t.is(mon.rc, 7);
  t.is(mon.exitReason, 'No process state file found', 'the exit reason of a recurring monitor');
});

test('stock Dummy meta-data is parsed: parameters and advised timeouts', async (t) => {
  const executor = new Executor({ stateDir: '/run/resource-agents' });
  t.teardown(() => executor.dispose());
  const md = await executor.metaData(dummy);
  if (!md.ok) return t.fail(md.error);
  t.deepEqual(
    md.value.meta.parameters.map((p) => [p.name, p.required, p.unique]),
    [
      ['state', false, true],
      ['fake', false, false],
    ],
  );
  t.is(md.value.meta.parameters[1]?.default, 'dummy');
  t.like(
    md.value.meta.actions.find((a) => a.name === 'monitor'),
    { timeoutMs: 20000, intervalMs: 10000 },
  );
  t.regex(md.value.xml, /<resource-agent name="Dummy"/);
});

test('stock IPaddr2 without its required ip is refused before start', async (t) => {
  const stateDir = await tempDir('ip-refused');
  const executor = new Executor({ stateDir });
  t.teardown(async () => {
    await executor.dispose();
    await rm(stateDir, { recursive: true, force: true });
  });
  const r = await executor.execute({
    resource: 'vip',
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    action: 'start',
    params: { cidr_netmask: '24' },
  });
  t.is(r.status, 'invalid');
  t.is(r.rc, 6);
  t.is(r.exitCode, undefined, 'the agent never ran start');
  t.regex(r.exitReason ?? '', /ocf:heartbeat:IPaddr2 requires parameter "ip"/);
});

test('a forked agent sees exactly the Pacemaker environment; exit reasons and odd exit codes', async (t) => {
  const root = await tempDir('ocf-root');
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const agentPath = join(root, 'resource.d', 'test', 'EnvDump');
  await writeScript(
    agentPath,
    `#!/bin/sh
case "$1" in
  meta-data) echo '<resource-agent name="EnvDump"><parameters/><actions/></resource-agent>'; exit 0;;
  start) env | sort > "$OCF_RESKEY_out"; echo "ocf-exit-reason:dumped $#" >&2; exit 0;;
  monitor) echo "ocf-exit-reason:weird code" >&2; exit 42;;
  flood) head -c 200000 /dev/zero | tr '\\0' x; exit 0;;
esac
exit 3
`,
  );
  const executor = new Executor({
    ocfRoot: root,
    stateDir: join(root, 'state'),
    nodeName: 'rsha1',
    baseEnv: { PATH: '/usr/bin:/bin' },
  });
  t.teardown(() => executor.dispose());
  const agent = { standard: 'ocf' as const, provider: 'test', type: 'EnvDump' };
  const out = join(root, 'env.txt');
  const start = await executor.execute({
    resource: 'e1',
    agent,
    action: 'start',
    params: { out },
    meta: { 'target-role': 'Started' },
    timeoutMs: 15000,
  });
  t.is(start.rc, 0);
  t.is(start.exitReason, 'dumped 1', 'the action is the sole argument');
  const { readFile } = await import('node:fs/promises');
  const env = Object.fromEntries(
    (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  delete env['PWD'];
  delete env['SHLVL'];
  delete env['_'];
  t.deepEqual(env, {
    HA_RSCTMP: join(root, 'state'),
    OCF_EXIT_REASON_PREFIX: 'ocf-exit-reason:',
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '1',
    OCF_RESKEY_CRM_meta_interval: '0',
    OCF_RESKEY_CRM_meta_name: 'start',
    OCF_RESKEY_CRM_meta_on_node: 'rsha1',
    OCF_RESKEY_CRM_meta_target_role: 'Started',
    OCF_RESKEY_CRM_meta_timeout: '15000',
    OCF_RESKEY_crm_feature_set: '3.19.6',
    OCF_RESKEY_out: out,
    OCF_RESOURCE_INSTANCE: 'e1',
    OCF_RESOURCE_PROVIDER: 'test',
    OCF_RESOURCE_TYPE: 'EnvDump',
    OCF_ROOT: root,
    PATH: '/usr/bin:/bin',
  });
  const mon = await executor.execute({ resource: 'e1', agent, action: 'monitor' });
  t.like(mon, { status: 'done', rc: 1, exitCode: 42, exitReason: 'weird code' });
  const flood = await executor.execute({ resource: 'e1', agent, action: 'flood' });
  t.is(flood.rc, 0);
  t.is(flood.output.length, 64 * 1024, 'output is bounded');
  const missing = await executor.execute({
    resource: 'e1',
    agent: { ...agent, type: 'Missing' },
    action: 'start',
  });
  t.like(missing, { status: 'not-installed', rc: 5 });
  t.regex(missing.exitReason ?? '', new RegExp(ocfAgentPath(root, { ...agent, type: 'Missing' })));
});
