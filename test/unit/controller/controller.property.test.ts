/**
 * Invariants no table covers: whatever sequence of events reaches the controller on the RS pair
 * (nodes lost and back, monitor failures, failed starts, gateway loss, cleanups, time passing),
 * once it is idle it has reached the fixed point (the last transition asks for nothing, unless it
 * waits on a blocked resource), a group member never runs on two nodes, and everything recorded as
 * running is on a member node. Deterministic: FakeClock, simulated actions.
 */
import { fc, testProp } from '@fast-check/ava';
import { FakeClock } from '../../../agent/executor/index.ts';
import {
  Controller,
  type MembershipView,
  SimulatedActionSink,
  type TransitionEvent,
} from '../../../coordinator/controller/index.ts';
import { applyConfigCommand } from '../../../cli/config/apply.ts';
import { rsPairWithGroupMeta } from './support.ts';

type Event =
  | { kind: 'lose'; node: 'rsha1' | 'rsha2' }
  | { kind: 'join'; node: 'rsha1' | 'rsha2' }
  | { kind: 'monitor-fails'; node: 'rsha1' | 'rsha2'; rsc: 'vm_repository' | 'ClusterIP' | 'tomcat-service' }
  | {
      kind: 'next-start-fails';
      node: 'rsha1' | 'rsha2';
      rsc: 'vm_repository' | 'ClusterIP' | 'tomcat-service';
    }
  | { kind: 'pingd'; node: 'rsha1' | 'rsha2'; value: '0' | '1000' }
  | { kind: 'cleanup' }
  | { kind: 'wait'; ms: number };

const node = fc.constantFrom('rsha1' as const, 'rsha2' as const);
const rsc = fc.constantFrom('vm_repository' as const, 'ClusterIP' as const, 'tomcat-service' as const);
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('lose' as const), node }),
  fc.record({ kind: fc.constant('join' as const), node }),
  fc.record({ kind: fc.constant('monitor-fails' as const), node, rsc }),
  fc.record({ kind: fc.constant('next-start-fails' as const), node, rsc }),
  fc.record({
    kind: fc.constant('pingd' as const),
    node,
    value: fc.constantFrom('0' as const, '1000' as const),
  }),
  fc.record({ kind: fc.constant('cleanup' as const) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(1_000, 30_000, 120_000) }),
);

function config(): ReturnType<typeof rsPairWithGroupMeta> {
  const base = rsPairWithGroupMeta({ 'migration-threshold': '2', 'failure-timeout': '60s' });
  const r = applyConfigCommand(
    base,
    'constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or not_defined pingd'.split(' '),
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value.config;
}

testProp(
  'controller: after any event sequence it settles, never runs a group member twice, only on members',
  [fc.array(event, { minLength: 1, maxLength: 12 })],
  async (t, events) => {
    const clock = new FakeClock();
    const sink = new SimulatedActionSink();
    const transitions: TransitionEvent[] = [];
    const controller = new Controller({
      nodeName: 'rsha2',
      dcEpoch: 1,
      config: config(),
      clock,
      sink,
      onTransition: (e) => transitions.push(e),
    });
    const members = new Set(['rsha1', 'rsha2']);
    const viewOf = (): MembershipView => ({
      haveQuorum: true,
      nodes: ['rsha1', 'rsha2'].map((name) => ({ name, state: members.has(name) ? 'member' : 'lost' })),
    });
    try {
      controller.membershipChanged(viewOf());
      controller.nodeAttributesChanged('rsha1', { pingd: '1000' });
      controller.nodeAttributesChanged('rsha2', { pingd: '1000' });
      await controller.idle();
      for (const e of events) {
        switch (e.kind) {
          case 'lose':
            // The DC (rsha2) does not lose itself; the other node comes and goes.
            if (e.node === 'rsha2') break;
            members.delete(e.node);
            controller.membershipChanged(viewOf());
            break;
          case 'join':
            members.add(e.node);
            controller.membershipChanged(viewOf());
            break;
          case 'monitor-fails':
            controller.operationResult({
              node: e.node,
              rsc: e.rsc,
              operation: 'monitor',
              intervalMs: e.rsc === 'vm_repository' ? 20_000 : 30_000,
              outcome: { status: 'done', rc: 7 },
            });
            break;
          case 'next-start-fails':
            sink.script(`start ${e.rsc} ${e.node}`, { status: 'done', rc: 1 });
            break;
          case 'pingd':
            controller.nodeAttributesChanged(e.node, { pingd: e.value });
            break;
          case 'cleanup':
            controller.cleanup();
            break;
          case 'wait':
            clock.advance(e.ms);
            break;
        }
        await controller.idle();
        const snap = controller.snapshot();
        const last = transitions[transitions.length - 1];
        t.false(snap.running);
        t.deepEqual(
          last?.transition.actions.filter((a) => !a.pseudo).map((a) => a.id) ?? [],
          [],
          `settled after ${JSON.stringify(e)}`,
        );
        for (const r of snap.transition?.resources ?? []) {
          t.true(r.current.length <= 1, `${r.instance} active on ${r.current.join(', ')}`);
          for (const n of r.current) t.true(members.has(n), `${r.instance} on ${n}, not a member`);
        }
      }
    } finally {
      await controller.dispose();
    }
  },
  { numRuns: 60 },
);
