/**
 * The controller's recorded state, judged by Pacemaker: every scheduler input the controller saved
 * while driving the RS pair through a scenario is given to crm_simulate (through crm-summary.sh),
 * and Pacemaker must decide the same nodes, resources and start/stop/fence actions as tandem did.
 * This checks the history the StatusRecorder writes (slots, call ids, digests, transition keys)
 * and the fail counts as Pacemaker reads them: a wrong digest would show as a restart, a wrong
 * fail-count name as a missing move.
 */
import test from 'ava';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../agent/executor/index.ts';
import type { ClusterConfig } from '../../../coordinator/cib/index.ts';
import {
  Controller,
  MemoryPeInputStore,
  SimulatedActionSink,
} from '../../../coordinator/controller/index.ts';
import { formatSummary, schedule } from '../../../coordinator/scheduler/index.ts';
import {
  CRM_SUMMARY,
  HARD_PARTS,
  compareSummaries,
  formatDiffs,
  pacemakerSummary,
  parseSummary,
} from '../../differential/summary-compare.ts';
import { rsPair, rsPairWithGroupMeta } from './support.ts';

const both = {
  haveQuorum: true,
  nodes: [
    { name: 'rsha1', state: 'member' as const },
    { name: 'rsha2', state: 'member' as const },
  ],
};

interface Scenario {
  name: string;
  config: ClusterConfig;
  drive: (c: Controller, clock: FakeClock, sink: SimulatedActionSink) => Promise<void>;
}

const scenarios: Scenario[] = [
  {
    name: 'monitor failure with migration-threshold=1',
    config: rsPairWithGroupMeta({ 'migration-threshold': '1' }),
    drive: async (c, clock) => {
      c.membershipChanged(both);
      await c.idle();
      clock.advance(3_000);
      c.operationResult({
        node: 'rsha1',
        rsc: 'ClusterIP',
        operation: 'monitor',
        intervalMs: 30_000,
        outcome: { status: 'done', rc: 7 },
      });
      await c.idle();
    },
  },
  {
    name: 'failed start, then cleanup',
    config: rsPair().config,
    drive: async (c, clock, sink) => {
      sink.script('start tomcat-service rsha1', { status: 'done', rc: 1 });
      c.membershipChanged(both);
      await c.idle();
      clock.advance(2_000);
      c.cleanup('tomcat-service');
      await c.idle();
    },
  },
  {
    name: 'monitor failures below the threshold restart in place',
    config: rsPairWithGroupMeta({ 'migration-threshold': '3' }),
    drive: async (c, clock) => {
      c.membershipChanged(both);
      await c.idle();
      for (let i = 0; i < 2; i++) {
        clock.advance(5_000);
        c.operationResult({
          node: 'rsha1',
          rsc: 'tomcat-service',
          operation: 'monitor',
          intervalMs: 30_000,
          outcome: { status: 'timeout' },
        });
        await c.idle();
      }
    },
  },
  {
    name: 'rsha1 lost and back',
    config: rsPair().config,
    drive: async (c, clock) => {
      c.membershipChanged(both);
      await c.idle();
      clock.advance(1_000);
      c.membershipChanged({
        haveQuorum: true,
        nodes: [
          { name: 'rsha1', state: 'lost' },
          { name: 'rsha2', state: 'member' },
        ],
      });
      await c.idle();
      clock.advance(1_000);
      c.membershipChanged(both);
      await c.idle();
    },
  },
];

const haveTools = await access(CRM_SUMMARY).then(
  () => true,
  () => false,
);

for (const s of scenarios) {
  // crm-summary.sh (crm_simulate) is part of the reference tools; without it there is nothing to compare.
  (haveTools ? test : test.skip)(`Pacemaker decides as the controller did: ${s.name}`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), `tandem-ctl-diff-${process.pid}-`));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const clock = new FakeClock({ wallMs: Date.UTC(2026, 0, 1) });
    const sink = new SimulatedActionSink();
    const store = new MemoryPeInputStore();
    const c = new Controller({
      nodeName: 'rsha1',
      dcEpoch: 1,
      config: s.config,
      clock,
      sink,
      peInputs: store,
    });
    t.teardown(() => c.dispose());
    await s.drive(c, clock, sink);
    t.true(store.inputs.length >= 3);
    for (const input of store.inputs) {
      const path = join(dir, input.name);
      await writeFile(path, input.xml);
      const now = new Date(input.input.now).toISOString();
      const ours = parseSummary(formatSummary(schedule(input.input)));
      const theirs = parseSummary(await pacemakerSummary(path, now));
      const diffs = compareSummaries(theirs, ours).filter((d) => HARD_PARTS.includes(d.part));
      t.deepEqual(diffs, [], `${input.name}\n${formatDiffs(diffs)}`);
    }
  });
}
