import test from 'ava';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../agent/executor/index.ts';
import { type Attributes, type ClusterConfig, emptyConfig } from '../../../coordinator/cib/index.ts';
import { Controller, SimulatedActionSink } from '../../../coordinator/controller/index.ts';
import {
  FenceRunner,
  FencingActionSink,
  fenceAgentInput,
  parseHostMap,
} from '../../../coordinator/fencing/index.ts';
import type { Action } from '../../../coordinator/scheduler/index.ts';
import { rsPair } from '../controller/support.ts';

/**
 * A fence agent by the fence-agents conventions, for tests: reads its options on stdin, appends
 * them to the file named by its `log` option, answers `list` with rsha1 (alias a1) and rsha2,
 * `status` with 2 (off), `monitor` with 0, and any other action with its `result` option (default
 * 0) after sleeping `sleep` seconds.
 */
const FENCE_TEST = `#!/bin/sh
input=$(cat)
opt() { printf '%s\\n' "$input" | sed -n "s/^$1=//p" | head -n 1; }
log=$(opt log)
[ -n "$log" ] && printf '%s\\n--\\n' "$input" >> "$log"
case "$(opt action)" in
  list) printf 'rsha1,a1\\nrsha2\\n'; exit 0 ;;
  status) exit 2 ;;
  monitor) exit 0 ;;
esac
s=$(opt sleep); [ -n "$s" ] && sleep "$s"
r=$(opt result); [ -n "$r" ] || r=0
[ "$r" = 0 ] || echo "fence_test: device said no" >&2
exit "$r"
`;

interface Fixture {
  dir: string;
  log: string;
  runner: FenceRunner;
  /** Option blocks the agent received, in order. */
  calls(): Promise<Attributes[]>;
}

async function fixture(t: { teardown(fn: () => Promise<void>): void }): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-fence-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const agent = join(dir, 'fence_test');
  await writeFile(agent, FENCE_TEST);
  await chmod(agent, 0o755);
  const log = join(dir, 'calls.log');
  return {
    dir,
    log,
    runner: new FenceRunner({ agentDir: dir }),
    calls: async () => {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text
        .split('--\n')
        .filter((b) => b.trim() !== '')
        .map((b) =>
          Object.fromEntries(
            b
              .trim()
              .split('\n')
              .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
          ),
        );
    },
  };
}

function withDevices(
  devices: { id: string; params: Attributes; priority?: string }[],
  base?: ClusterConfig,
): ClusterConfig {
  const config = structuredClone(base ?? emptyConfig('t', ['rsha1', 'rsha2']));
  config.properties['stonith-enabled'] = 'true';
  for (const d of devices) {
    config.resources.push({
      kind: 'primitive',
      id: d.id,
      agent: { standard: 'stonith', type: 'fence_test' },
      instanceAttributes: d.params,
      metaAttributes: d.priority !== undefined ? { priority: d.priority } : {},
      operations: [],
    });
  }
  return config;
}

test('fence: options on stdin (action, port, plug, nodename, device options; no pcmk_*), exit 0 = fenced', async (t) => {
  const f = await fixture(t);
  const config = withDevices([
    { id: 'f1', params: { pcmk_host_list: 'rsha1 rsha2', log: f.log, ipaddr: '192.0.2.9' } },
  ]);
  const r = await f.runner.fence('rsha1', 'reboot', config);
  t.like(r, { ok: true, device: 'f1' });
  t.deepEqual(await f.calls(), [
    { action: 'reboot', port: 'rsha1', plug: 'rsha1', nodename: 'rsha1', log: f.log, ipaddr: '192.0.2.9' },
  ]);
});

const selection: {
  name: string;
  devices: { id: string; params: Record<string, string>; priority?: string }[];
  target?: string;
  ok: boolean;
  device?: string;
  noDevice?: boolean;
  reason?: RegExp;
  sent: Attributes[];
}[] = [
  {
    name: 'a failing device is a failure naming the device and its message',
    devices: [{ id: 'f1', params: { pcmk_host_list: 'rsha1', result: '1' } }],
    ok: false,
    noDevice: false,
    reason: /fencing rsha1 failed: f1 reboot: exit 1: fence_test: device said no/,
    sent: [{ action: 'reboot', result: '1' }],
  },
  {
    name: 'devices are tried by priority until one succeeds',
    devices: [
      { id: 'low', params: { pcmk_host_list: 'rsha1' } },
      { id: 'high', params: { pcmk_host_list: 'rsha1', result: '1' }, priority: '10' },
    ],
    ok: true,
    device: 'low',
    sent: [{ action: 'reboot', result: '1' }, { action: 'reboot' }],
  },
  {
    name: 'pcmk_host_map gives the plug; pcmk_reboot_action the action',
    devices: [{ id: 'f1', params: { pcmk_host_map: 'rsha1:3;rsha2:4', pcmk_reboot_action: 'off' } }],
    ok: true,
    device: 'f1',
    sent: [{ action: 'off', port: '3', plug: '3', nodename: 'rsha1' }],
  },
  {
    name: 'pcmk_host_argument=plug passes only plug',
    devices: [{ id: 'f1', params: { pcmk_host_list: 'rsha1', pcmk_host_argument: 'plug' } }],
    ok: true,
    device: 'f1',
    sent: [{ action: 'reboot', plug: 'rsha1' }],
  },
  {
    name: 'without a host list the device is asked (dynamic-list)',
    devices: [{ id: 'f1', params: {} }],
    ok: true,
    device: 'f1',
    sent: [{ action: 'list' }, { action: 'reboot', port: 'rsha1' }],
  },
  {
    name: 'a node the dynamic list does not name cannot be fenced by it',
    devices: [{ id: 'f1', params: {} }],
    target: 'rsha9',
    ok: false,
    noDevice: true,
    reason: /none of the fence devices \(f1\) can fence rsha9: check pcmk_host_list/,
    sent: [{ action: 'list' }],
  },
  {
    name: 'pcmk_host_check=status asks the device about the plug',
    devices: [{ id: 'f1', params: { pcmk_host_check: 'status' } }],
    ok: true,
    device: 'f1',
    sent: [
      { action: 'status', port: 'rsha1' },
      { action: 'reboot', port: 'rsha1' },
    ],
  },
  {
    name: 'no device configured',
    devices: [],
    ok: false,
    noDevice: true,
    reason: /no fence device is configured: .*stonith-enabled=false/,
    sent: [],
  },
];
for (const c of selection) {
  test(`fence: ${c.name}`, async (t) => {
    const f = await fixture(t);
    const config = withDevices(c.devices.map((d) => ({ ...d, params: { ...d.params, log: f.log } })));
    const r = await f.runner.fence(c.target ?? 'rsha1', 'reboot', config);
    t.is(r.ok, c.ok);
    if (r.ok) t.deepEqual({ device: r.device }, { device: c.device });
    else {
      t.deepEqual({ noDevice: r.noDevice }, { noDevice: c.noDevice });
      t.regex(r.reason, c.reason ?? /./);
    }
    const calls = await f.calls();
    t.is(calls.length, c.sent.length);
    c.sent.forEach((expected, i) => t.like(calls[i], expected));
  });
}

test('fence: an agent that hangs is killed at its timeout and reported', async (t) => {
  const f = await fixture(t);
  const config = withDevices([
    {
      id: 'slow',
      params: { pcmk_host_list: 'rsha1', sleep: '30', pcmk_reboot_timeout: '300ms', log: f.log },
    },
  ]);
  const started = Date.now();
  const r = await f.runner.fence('rsha1', 'reboot', config);
  t.true(Date.now() - started < 5_000);
  t.false(r.ok);
  if (!r.ok) t.regex(r.reason, /slow reboot: timed out after 300 ms/);
});

test('fence: helpers parse host maps and never split an option across lines', (t) => {
  t.deepEqual(
    [...parseHostMap('rsha1:1;rsha2=2, rsha3:x')],
    [
      ['rsha1', '1'],
      ['rsha2', '2'],
      ['rsha3', 'x'],
    ],
  );
  t.is(fenceAgentInput({ action: 'off', passwd: 'a\nb' }), 'action=off\npasswd=a b\n');
});

function act(id: string, extra: Partial<Action>): Action {
  return { id, kind: 'start', pseudo: false, ...extra };
}

test('FencingActionSink: fence actions run the agent; device resources are handled locally; the rest go on', async (t) => {
  const f = await fixture(t);
  const config = withDevices([{ id: 'f1', params: { pcmk_host_list: 'rsha1 rsha2', log: f.log } }]);
  const inner = new SimulatedActionSink();
  const results: string[] = [];
  const sink = new FencingActionSink(inner, f.runner, {
    onFence: (node, r) => results.push(`${node}:${r.ok}`),
  });
  const ctx = { signal: new AbortController().signal, dcEpoch: 1, transitionId: 1, config };
  t.like(await sink.execute(act('probe f1 rsha1', { kind: 'probe', rsc: 'f1', node: 'rsha1' }), ctx), {
    rc: 7,
  });
  t.like(await sink.execute(act('start f1 rsha1', { rsc: 'f1', node: 'rsha1' }), ctx), {
    status: 'done',
    rc: 0,
  });
  t.like(await sink.execute(act('probe f1 rsha1', { kind: 'probe', rsc: 'f1', node: 'rsha1' }), ctx), {
    rc: 0,
  });
  t.like(await sink.execute(act('fence rsha2', { kind: 'fence', node: 'rsha2', fenceAction: 'off' }), ctx), {
    status: 'done',
    rc: 0,
  });
  t.like(await sink.execute(act('start other rsha1', { rsc: 'other', node: 'rsha1' }), ctx), {
    status: 'done',
    rc: 0,
  });
  t.deepEqual(results, ['rsha2:true']);
  t.deepEqual(
    (await f.calls()).map((c) => `${c['action'] ?? ''}:${c['nodename'] ?? ''}`),
    ['monitor:', 'off:rsha2'],
  );
  const failing = withDevices([{ id: 'f1', params: { pcmk_host_list: 'rsha1', result: '1' } }]);
  const out = await sink.execute(act('fence rsha1', { kind: 'fence', node: 'rsha1' }), {
    ...ctx,
    config: failing,
  });
  t.is(out.status, 'error');
  t.regex(out.exitReason ?? '', /f1 reboot: exit 1/);
});

test('controller + real fence agent: rsha1 lost is fenced with fence_test before the group starts on rsha2', async (t) => {
  const f = await fixture(t);
  const config = withDevices(
    [{ id: 'fence-rs', params: { pcmk_host_list: 'rsha1 rsha2', log: f.log } }],
    rsPair().config,
  );
  const clock = new FakeClock();
  const controller = new Controller({
    nodeName: 'rsha2',
    dcEpoch: 1,
    config,
    clock,
    sink: new FencingActionSink(new SimulatedActionSink(), f.runner),
  });
  t.teardown(() => controller.dispose());
  const both = {
    haveQuorum: true,
    nodes: [
      { name: 'rsha1', state: 'member' as const },
      { name: 'rsha2', state: 'member' as const },
    ],
  };
  controller.membershipChanged(both);
  await controller.idle();
  const before = controller.snapshot().transition?.resources.find((r) => r.rsc === 'vm_repository');
  t.deepEqual(before?.current, ['rsha1']);
  controller.membershipChanged({
    haveQuorum: true,
    nodes: [
      { name: 'rsha1', state: 'lost' },
      { name: 'rsha2', state: 'member' },
    ],
  });
  await controller.idle();
  const fences = (await f.calls()).filter((c) => c['action'] === 'reboot');
  t.deepEqual(
    fences.map((c) => c['nodename']),
    ['rsha1'],
  );
  const after = controller.snapshot().transition?.resources.find((r) => r.rsc === 'vm_repository');
  t.deepEqual(after?.current, ['rsha2']);
  t.like(
    controller.snapshot().status.nodes.find((n) => n.name === 'rsha1'),
    { expected: 'down', history: [] },
  );
});
