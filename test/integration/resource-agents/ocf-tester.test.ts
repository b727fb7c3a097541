/**
 * Debian's ocf-tester (resource-agents) on each of tandem's installed OCF executables: meta-data
 * valid against ra-api-1.dtd (xmllint), runnable as nobody, validate-all, probes, idempotent
 * start/stop, monitor 0/7. Filesystem on a tmpfs under a temp dir; IPaddr2 inside a network
 * namespace; ping against loopback.
 */
import test from 'ava';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { agentPath, ensureOcfBundle, netnsPair, ocfEnv, run, tempDir, tempOcfRoot } from './support.ts';

interface Case {
  type: string;
  /** -o name=value parameters; `$DIR` is replaced by a temp directory. */
  params: Record<string, string>;
  netns?: boolean;
}

const cases: Case[] = [
  { type: 'Dummy', params: {} },
  {
    type: 'Filesystem',
    params: { device: 'tandem-tmpfs', directory: '$DIR/mnt/point', fstype: 'tmpfs', fast_stop: 'true' },
  },
  { type: 'ping', params: { host_list: '127.0.0.1', attempts: '1', timeout: '200ms', dampen: '0' } },
  { type: 'IPaddr2', params: { ip: '192.0.2.58', arp_count: '1', dad_timeout: '200ms' }, netns: true },
];

// The installed wrappers run the bundle (build/tandem-ocf.mjs): each ocf-tester run invokes the
// agent ~26 times, ~5 s in all (~20 s through tsx). Serial: side by side on a busy 2-core machine
// they took longer in all (27 s against 20 s).
await ensureOcfBundle();

for (const c of cases) {
  test.serial(`ocf-tester passes on ocf:tandem:${c.type}`, async (t) => {
    const { root, agents } = await tempOcfRoot(t, c.type.toLowerCase());
    const work = await tempDir(t, `work-${c.type.toLowerCase()}`);
    const stateDir = join(work, 'rsctmp');
    await mkdir(stateDir);
    const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, v.replace('$DIR', work)]));
    const agent = agentPath(agents, c.type);
    const instance = `ocft-${c.type.toLowerCase()}-${process.pid}`;
    const env = ocfEnv(root, stateDir, instance, {}, { TANDEM_NODE_ATTRIBUTE_DIR: join(work, 'attrs') });
    let prefix: string[] = [];
    if (c.netns === true) {
      const pair = await netnsPair(t, '192.0.2.1/24', '192.0.2.2/24');
      prefix = ['ip', 'netns', 'exec', pair.node];
    }
    const stop = [...prefix, agent, 'stop'];
    // ocf-tester ends with migrate_to/migrate_from probes, which start Dummy again: stop afterwards,
    // and also when the tester aborted half way.
    t.teardown(async () => {
      await run(stop[0] ?? agent, stop.slice(1), ocfEnv(root, stateDir, instance, params));
    });
    const args = ['-n', instance, ...Object.entries(params).flatMap(([k, v]) => ['-o', `${k}=${v}`]), agent];
    const r =
      prefix.length > 0
        ? await run(prefix[0] ?? 'ip', [...prefix.slice(1), 'ocf-tester', ...args], env)
        : await run('ocf-tester', args, env);
    t.is(r.code, 0, `ocf-tester output:\n${r.stdout}\n${r.stderr}`);
    t.regex(r.stdout, /passed all tests/);
  });
}
