/**
 * Fencing in tandemd, with a real fence agent: `fence_tandemtest`, a small script written by the
 * test that follows the fence-agents conventions (options as name=value lines on stdin, exit 0 =
 * success), records every request, and "powers off" a node by SIGKILLing that node's tandemd (by
 * the PID the test wrote for it). The active node's tandemd is frozen with SIGSTOP: it is lost to
 * its peer but not dead, the case only fencing makes safe.
 *
 * - stonith-enabled=true: the survivor fences the lost node before it starts the resource (the
 *   agent's "done" record precedes the start, and the frozen daemon is gone);
 * - a failing fence agent blocks recovery (the resource is never started on the survivor) and
 *   `tandem status` shows the failed fencing.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import type { ClusterConfig } from '../../../coordinator/cib/index.ts';
import {
  placement,
  root,
  setUpDaemons,
  status,
  until,
  untilRunsOnlyOn,
  type DaemonNode,
} from './daemon-fixture.ts';

const run = promisify(execFile);

const FENCE_AGENT = `#!/bin/bash
# fence_tandemtest: options on stdin (fence-agents conventions); "power off" = SIGKILL of the
# target node's tandemd, whose PID the test wrote to \${pid_dir}/\${port}.pid.
declare -A opt
while IFS='=' read -r k v; do [ -n "$k" ] && opt[$k]=$v; done
action=\${opt[action]}
echo "$(date +%s%3N) request action=$action port=\${opt[port]} nodename=\${opt[nodename]}" >> "\${opt[record]}"
case "$action" in
  monitor|status|list) exit 0 ;;
  off|reboot)
    if [ "\${opt[fail]}" = "yes" ]; then echo "Unable to connect to the power switch" >&2; exit 1; fi
    pid=$(cat "\${opt[pid_dir]}/\${opt[port]}.pid") || exit 1
    kill -KILL "$pid" 2>/dev/null
    # Confirm it is off (gone, or a zombie), within 5 s.
    for _ in $(seq 100); do
      state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
      if [ -z "$state" ] || [ "$state" = Z ]; then
        echo "$(date +%s%3N) done action=$action nodename=\${opt[nodename]}" >> "\${opt[record]}"
        exit 0
      fi
      sleep 0.05
    done
    echo "target still running" >&2
    exit 1 ;;
esac
echo "unknown action $action" >&2
exit 1
`;

interface Fixture {
  nodes: DaemonNode[];
  agentDir: string;
  record: string;
}

async function setUp(t: ExecutionContext, fail: boolean): Promise<Fixture> {
  const agentDir = await mkdtemp(join(tmpdir(), `tandem-fence-${process.pid}-`));
  t.teardown(() => rm(agentDir, { recursive: true, force: true }));
  const agent = join(agentDir, 'fence_tandemtest');
  await writeFile(agent, FENCE_AGENT);
  await chmod(agent, 0o755);
  const record = join(agentDir, 'requests.log');
  await writeFile(record, '');
  const resources: ClusterConfig['resources'] = [
    {
      kind: 'primitive',
      id: 'd1',
      agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
      instanceAttributes: {},
      metaAttributes: {},
      operations: [{ name: 'monitor', intervalMs: 1000, timeoutMs: 5000 }],
    },
    {
      kind: 'primitive',
      id: 'fence1',
      agent: { standard: 'stonith', type: 'fence_tandemtest' },
      instanceAttributes: {
        pcmk_host_map: 'node1:node1;node2:node2',
        pid_dir: agentDir,
        record,
        fail: fail ? 'yes' : 'no',
      },
      metaAttributes: {},
      operations: [{ name: 'monitor', intervalMs: 60_000, timeoutMs: 20_000 }],
    },
  ];
  const { nodes } = await setUpDaemons(t, {
    properties: { 'stonith-enabled': 'true', 'no-quorum-policy': 'ignore', 'stonith-timeout': '10s' },
    resources,
    // A node missing heartbeats for a peer timeout is fenced: on a loaded test machine 400 ms is a
    // false loss away from fencing a healthy daemon, and a node not seen within dc-deadtime is
    // fenced at start-up (Pacemaker's startup-fencing). Wider timings keep the test about order.
    conf: [
      `fenceAgentDir = ${agentDir}`,
      'heartbeatIntervalMs = 200',
      'peerTimeoutMs = 1500',
      'dcDeadtimeMs = 15000',
    ],
  });
  for (const n of nodes) await writeFile(join(agentDir, `${n.name}.pid`), String(n.child?.pid ?? ''));
  return { nodes, agentDir, record };
}

async function formed(nodes: DaemonNode[]): Promise<string> {
  const [, n2] = nodes;
  if (n2 === undefined) throw new Error('two nodes');
  const doc = await until('both online, d1 and fence1 started', 45_000, async () => {
    const d = await status(n2);
    if (d === undefined || d.cluster.dc === null || !d.nodes.every((n) => n.online)) return undefined;
    return placement(d, 'd1').length === 1 && placement(d, 'fence1').length === 1 ? d : undefined;
  });
  return placement(doc, 'd1')[0] ?? '';
}

/** Wall ms at which the survivor's executor began starting d1 (its log line minus the duration). */
async function startedAt(node: DaemonNode): Promise<number | undefined> {
  const log = await readFile(join(node.dir, 'tandemd.log'), 'utf8').catch(() => '');
  for (const line of log.split('\n')) {
    if (
      !line.includes('"rsc":"d1"') ||
      !line.includes('"op":"start"') ||
      !line.includes('operation finished')
    )
      continue;
    const rec = JSON.parse(line) as { time: string; durationMs: number };
    return Date.parse(rec.time) - rec.durationMs;
  }
  return undefined;
}

test('stonith-enabled: the lost node is fenced by the fence agent before d1 starts on the survivor', async (t) => {
  t.timeout(90_000);
  const { nodes, record } = await setUp(t, false);
  const active = await formed(nodes);
  const victim = nodes.find((n) => n.name === active);
  const survivor = nodes.find((n) => n.name !== active);
  if (victim?.child?.pid === undefined || survivor === undefined) throw new Error('victim');
  const frozenAt = performance.now();
  process.kill(victim.child.pid, 'SIGSTOP');
  const after = await untilRunsOnlyOn(survivor, 'd1', 20_000);
  const failoverMs = Math.round(performance.now() - frozenAt);
  console.log(`[fencing] failover with fencing after SIGSTOP of the active tandemd: ${failoverMs} ms`);
  t.log(`failover with fencing: ${failoverMs} ms`);

  const lines = (await readFile(record, 'utf8')).split('\n').filter((l) => l !== '');
  const fenceRequests = lines.filter((l) => / request action=(reboot|off) /.test(l));
  t.is(fenceRequests.length, 1, lines.join('\n'));
  t.regex(fenceRequests[0] ?? '', new RegExp(`port=${victim.name} nodename=${victim.name}$`));
  const done = lines.find((l) => l.includes(` done action=`) && l.endsWith(`nodename=${victim.name}`));
  const doneAt = Number((done ?? '').split(' ')[0]);
  t.true(Number.isFinite(doneAt) && doneAt > 0, 'the agent confirmed the node off');
  const startAt = await until('the start logged on the survivor', 5000, () => startedAt(survivor));
  t.true(startAt >= doneAt, `start at ${startAt} must follow the fence completed at ${doneAt}`);
  t.log(`fence completed ${startAt - doneAt} ms before the start on ${survivor.name}`);

  // The "powered off" daemon is gone, and the survivor sees it as down and clean.
  await victim.exited;
  t.is(victim.child.signalCode, 'SIGKILL');
  const victimRow = after.nodes.find((n) => n.name === victim.name);
  t.false(victimRow?.online ?? true);
  t.false(victimRow?.unclean ?? true);
  t.deepEqual(after.fenceFailures, []);
});

test('a failing fence agent blocks recovery, and tandem status shows the failed fencing', async (t) => {
  t.timeout(90_000);
  const { nodes, record } = await setUp(t, true);
  const active = await formed(nodes);
  const victim = nodes.find((n) => n.name === active);
  const survivor = nodes.find((n) => n.name !== active);
  if (victim?.child?.pid === undefined || survivor === undefined) throw new Error('victim');
  process.kill(victim.child.pid, 'SIGSTOP');
  const failed = await until('the failed fencing in the status', 20_000, async () => {
    const doc = await status(survivor);
    return doc !== undefined && doc.fenceFailures.some((f) => f.node === victim.name) ? doc : undefined;
  });
  t.regex(failed.fenceFailures[0]?.reason ?? '', /Unable to connect to the power switch/);
  // Recovery stays blocked: d1 never starts on the survivor while fencing fails (watch 3 s,
  // more than one retry of the fence).
  const watchEnd = Date.now() + 3000;
  while (Date.now() < watchEnd) {
    const doc = await status(survivor);
    if (doc !== undefined)
      t.false(placement(doc, 'd1').includes(survivor.name), 'd1 started without fencing');
    await new Promise((r) => setTimeout(r, 100));
  }
  t.is(await startedAt(survivor), undefined);
  const requests = (await readFile(record, 'utf8'))
    .split('\n')
    .filter((l) => / request action=(reboot|off) /.test(l));
  t.true(requests.length >= 2, `fencing is retried (${requests.length} attempts)`);

  const text = await run(join(root, 'bin', 'tandem'), ['status'], {
    env: { ...process.env, TANDEM_SOCKET: survivor.socket },
  });
  t.regex(text.stdout, /^Failed Fencing Actions:$/m);
  t.regex(
    text.stdout,
    new RegExp(`\\* reboot of ${victim.name} failed: .*Unable to connect to the power switch`),
  );
});
