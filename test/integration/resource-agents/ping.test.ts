/**
 * ocf:tandem:ping: the installed OCF executable inside a network namespace whose peer namespace
 * plays the gateway (pingd = multiplier × reachable hosts, dropping to 0 when the gateway address
 * goes away, failure_score turning that into a failed monitor), and the in-process agent against
 * loopback (node attribute calls, stop deleting the attribute, the cost of one fast monitor).
 */
import test from 'ava';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBuiltinAgent, OcfRc } from '../../../resource-agents/index.ts';
import type { AgentContext, BuiltinAgent } from '../../../resource-agents/index.ts';
import { agentPath, must, netnsPair, ocfEnv, run, tempDir, tempOcfRoot } from './support.ts';

async function readAttribute(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

test('pingd = multiplier × reachable hosts, and drops to 0 when the gateway stops answering', async (t) => {
  const { root, agents } = await tempOcfRoot(t, 'ping');
  const work = await tempDir(t, 'ping');
  const stateDir = join(work, 'rsctmp');
  const attrs = join(work, 'attrs');
  await mkdir(stateDir);
  const pair = await netnsPair(t, '192.0.2.1/24', '192.0.2.2/24');
  const agent = agentPath(agents, 'ping');
  const params = {
    host_list: '192.0.2.2 192.0.2.3',
    multiplier: '100',
    attempts: '1',
    timeout: '200ms',
    dampen: '0',
  };
  const ocf = (action: string, extra: Record<string, string> = {}) =>
    run(
      'ip',
      ['netns', 'exec', pair.node, agent, action],
      ocfEnv(
        root,
        stateDir,
        `ping-${process.pid}`,
        { ...params, ...extra },
        { TANDEM_NODE_ATTRIBUTE_DIR: attrs },
      ),
    );
  t.teardown(() => ocf('stop'));

  t.is((await ocf('monitor')).code, OcfRc.notRunning, 'probe before start');
  const started = await ocf('start');
  t.is(started.code, OcfRc.ok, started.stderr);
  t.is(await readAttribute(attrs, 'pingd'), '100', 'one of two hosts answers: 1 × 100');
  t.is((await ocf('monitor')).code, OcfRc.ok);
  t.is(await readAttribute(attrs, 'pingd'), '100');

  await must(t, 'ip', ['-n', pair.peer, 'addr', 'del', '192.0.2.2/24', 'dev', pair.peerIf]);
  const lost = await ocf('monitor', { debug: 'true' });
  t.is(lost.code, OcfRc.ok, "losing the gateway does not fail ping's own monitor");
  t.is(await readAttribute(attrs, 'pingd'), '0');
  t.regex(lost.stderr, /inactive: 192\.0\.2\.2 192\.0\.2\.3/);

  const failing = await ocf('monitor', { failure_score: '100' });
  t.is(failing.code, OcfRc.errGeneric, 'with failure_score the monitor fails');
  t.regex(failing.stderr, /ocf-exit-reason:pingd is less than failure_score \(0 < 100\)/);

  t.is((await ocf('stop')).code, OcfRc.ok);
  t.is(await readAttribute(attrs, 'pingd'), undefined, 'stop deletes the attribute');
  t.is((await ocf('monitor')).code, OcfRc.notRunning);
});

interface AttributeCall {
  name: string;
  value: string | null;
  dampenMs: number | undefined;
}

function inProcess(params: Record<string, string>, stateDir: string, calls: AttributeCall[]): AgentContext {
  return {
    instance: 'ping:0',
    params,
    meta: {},
    timeoutMs: 5000,
    intervalMs: 200,
    signal: new AbortController().signal,
    stateDir,
    setNodeAttribute: (name, value, options) => calls.push({ name, value, dampenMs: options?.dampenMs }),
  };
}

function pingAgent(): BuiltinAgent {
  const agent = getBuiltinAgent('ping');
  if (agent === undefined) throw new Error('ping is not registered');
  return agent;
}

test('in-process: start/monitor set the attribute with dampening, stop deletes it; a fast monitor is cheap', async (t) => {
  const stateDir = await tempDir(t, 'ping-inproc');
  const calls: AttributeCall[] = [];
  const params = {
    host_list: '127.0.0.1',
    multiplier: '5',
    attempts: '1',
    timeout: '150ms',
    dampen: '2s',
    name: 'connected',
  };
  const ping = pingAgent();
  t.is((await ping.run('start', inProcess(params, stateDir, calls))).rc, OcfRc.ok);
  const durations: number[] = [];
  for (let i = 0; i < 5; i++) {
    const began = performance.now();
    t.is((await ping.run('monitor', inProcess(params, stateDir, calls))).rc, OcfRc.ok);
    durations.push(performance.now() - began);
  }
  t.is((await ping.run('stop', inProcess(params, stateDir, calls))).rc, OcfRc.ok);
  t.deepEqual(calls, [
    ...Array.from({ length: 6 }, () => ({ name: 'connected', value: '5', dampenMs: 2000 })),
    { name: 'connected', value: null, dampenMs: undefined },
  ]);
  t.is((await ping.run('monitor', inProcess(params, stateDir, calls))).rc, OcfRc.notRunning);
  const median = [...durations].sort((a, b) => a - b)[2] ?? 0;
  t.log(`monitor against loopback (one fping): median ${median.toFixed(1)} ms`);
  t.true(median < 150, `a monitor fits in a 200 ms interval (median ${median.toFixed(1)} ms)`);
});

const invalid: [string, Record<string, string>, OcfRc][] = [
  ['missing host_list', {}, OcfRc.errConfigured],
  ['blank host_list', { host_list: '  ' }, OcfRc.errConfigured],
  ['multiplier not a number', { host_list: '127.0.0.1', multiplier: 'x' }, OcfRc.errConfigured],
  ['attempts 0', { host_list: '127.0.0.1', attempts: '0' }, OcfRc.errConfigured],
  ['dampen not a duration', { host_list: '127.0.0.1', dampen: 'soon' }, OcfRc.errConfigured],
  ['timeout 0', { host_list: '127.0.0.1', timeout: '0' }, OcfRc.errConfigured],
  ['valid', { host_list: '127.0.0.1', timeout: '150ms', failure_score: '1' }, OcfRc.ok],
];
for (const [name, params, rc] of invalid) {
  test(`validate-all: ${name} → ${rc}`, async (t) => {
    const r = await pingAgent().run('validate-all', inProcess(params, '/tmp', []));
    t.is(r.rc, rc, r.exitReason);
  });
}
