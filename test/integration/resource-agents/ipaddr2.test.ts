/**
 * ocf:tandem:IPaddr2 on real addresses: two network namespaces joined by a veth pair (node
 * 192.0.2.1/24, peer 192.0.2.2/24), the installed OCF executable run inside the node namespace
 * with `ip netns exec`. Covers start/monitor/stop with the nic found from the routing table,
 * explicit nic/netmask/label, and duplicate address detection refusing to start when the peer
 * already holds the address. Parameter checks run in-process.
 */
import test from 'ava';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getBuiltinAgent, OcfRc } from '../../../resource-agents/index.ts';
import type { AgentContext } from '../../../resource-agents/index.ts';
import { agentPath, must, netnsPair, ocfEnv, run, tempDir, tempOcfRoot, waitFor } from './support.ts';
import type { NetnsPair, Run } from './support.ts';

interface AddrInfo {
  local: string;
  prefixlen: number;
  label?: string;
}

async function addresses(t: Parameters<typeof must>[0], ns: string, dev: string): Promise<AddrInfo[]> {
  const r = await must(t, 'ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', dev]);
  const links = JSON.parse(r.stdout) as { addr_info?: AddrInfo[] }[];
  return links.flatMap((l) => l.addr_info ?? []);
}

/** Whether an arping announcing `ip` is still running (the agent's detached gratuitous ARPs). */
async function arpingRunning(ip: string): Promise<boolean> {
  const r = await run('pgrep', ['-f', `arping -U .* ${ip.replace(/\./g, '\\.')}$`]);
  return r.code === 0;
}

async function setup(t: Parameters<typeof must>[0], tag: string) {
  const { root, agents } = await tempOcfRoot(t, `ip-${tag}`);
  const work = await tempDir(t, `ip-${tag}`);
  const stateDir = join(work, 'rsctmp');
  await mkdir(stateDir);
  const pair = await netnsPair(t, '192.0.2.1/24', '192.0.2.2/24');
  const agent = agentPath(agents, 'IPaddr2');
  const ocf = (action: string, params: Record<string, string>): Promise<Run> =>
    run(
      'ip',
      ['netns', 'exec', pair.node, agent, action],
      ocfEnv(root, stateDir, `vip-${tag}-${process.pid}`, params),
    );
  return { pair, ocf };
}

const rows: {
  name: string;
  ip: string;
  params: (p: NetnsPair) => Record<string, string>;
  prefix: number;
  label?: (p: NetnsPair) => string;
}[] = [
  { name: 'nic and netmask from the routing table', ip: '192.0.2.60', params: () => ({}), prefix: 24 },
  {
    name: 'explicit nic, /32 and label',
    ip: '192.0.2.62',
    params: (p) => ({ nic: p.nodeIf, cidr_netmask: '32', label: 'vip' }),
    prefix: 32,
    label: (p) => `${p.nodeIf}:vip`,
  },
];

for (const row of rows) {
  test(`start/monitor/stop: ${row.name}`, async (t) => {
    const { pair, ocf } = await setup(t, row.ip.split('.').pop() ?? 'x');
    const params = { ip: row.ip, arp_count: '20', dad_timeout: '300ms', ...row.params(pair) };
    t.teardown(() => ocf('stop', params));

    t.is((await ocf('monitor', params)).code, OcfRc.notRunning);
    const started = await ocf('start', params);
    t.is(started.code, OcfRc.ok, started.stderr);
    t.true(await arpingRunning(row.ip), 'gratuitous ARPs go on in the background after start returned');
    const added = (await addresses(t, pair.node, pair.nodeIf)).find((a) => a.local === row.ip);
    t.is(added?.prefixlen, row.prefix);
    if (row.label !== undefined) t.is(added?.label, row.label(pair));
    t.is((await ocf('monitor', params)).code, OcfRc.ok);
    // The peer reaches the floating address over the veth link.
    t.is((await run('ip', ['netns', 'exec', pair.peer, 'ping', '-c', '1', '-W', '2', row.ip])).code, 0);
    t.is((await ocf('start', params)).code, OcfRc.ok, 'start of a started address');
    const stopped = await ocf('stop', params);
    t.is(stopped.code, OcfRc.ok, stopped.stderr);
    t.false((await addresses(t, pair.node, pair.nodeIf)).some((a) => a.local === row.ip));
    t.true(await waitFor(async () => !(await arpingRunning(row.ip)), 2000), 'stop ended the announcer');
    t.is((await ocf('monitor', params)).code, OcfRc.notRunning);
    t.is((await ocf('stop', params)).code, OcfRc.ok, 'stop of a stopped address');
  });
}

test('duplicate address detection refuses to start when another host answers for the address', async (t) => {
  const { pair, ocf } = await setup(t, 'dad');
  const ip = '192.0.2.61';
  await must(t, 'ip', ['-n', pair.peer, 'addr', 'add', `${ip}/24`, 'dev', pair.peerIf]);
  const link = JSON.parse(
    (await must(t, 'ip', ['-n', pair.peer, '-j', 'link', 'show', 'dev', pair.peerIf])).stdout,
  ) as {
    address: string;
  }[];
  const peerMac = (link[0]?.address ?? '').toUpperCase();
  const params = { ip, dad_timeout: '1s' };
  t.teardown(() => ocf('stop', params));

  const r = await ocf('start', params);
  t.is(r.code, OcfRc.errGeneric);
  t.true(
    r.stderr.includes(
      `ocf-exit-reason:${ip} is already in use by another host (MAC ${peerMac}) on ${pair.nodeIf}`,
    ),
    r.stderr,
  );
  t.false(
    (await addresses(t, pair.node, pair.nodeIf)).some((a) => a.local === ip),
    'the address was not added',
  );
  t.is((await ocf('monitor', params)).code, OcfRc.notRunning);
});

function context(params: Record<string, string>): AgentContext {
  return {
    instance: 'vip',
    params,
    meta: {},
    timeoutMs: 20_000,
    intervalMs: 0,
    signal: new AbortController().signal,
    stateDir: '/tmp',
  };
}

const invalid: [string, Record<string, string>, OcfRc][] = [
  ['missing ip', {}, OcfRc.errConfigured],
  ['not an address', { ip: '192.0.2.300' }, OcfRc.errConfigured],
  ['IPv6', { ip: '2001:db8::1' }, OcfRc.errConfigured],
  ['netmask 33', { ip: '192.0.2.5', cidr_netmask: '33', nic: 'lo' }, OcfRc.errConfigured],
  [
    'nic absent on this host',
    { ip: '192.0.2.5', cidr_netmask: '24', nic: `nx${process.pid}` },
    OcfRc.errArgs,
  ],
  ['no connected route and no nic', { ip: '203.0.113.77' }, OcfRc.errArgs],
  ['negative arp_count', { ip: '192.0.2.5', arp_count: '-1' }, OcfRc.errConfigured],
];
for (const [name, params, rc] of invalid) {
  test(`validate-all: ${name} → ${rc}`, async (t) => {
    const agent = getBuiltinAgent('IPaddr2');
    if (agent === undefined) return t.fail('IPaddr2 is not registered');
    const r = await agent.run('validate-all', context(params));
    t.is(r.rc, rc, r.exitReason);
    t.truthy(r.exitReason);
  });
}
