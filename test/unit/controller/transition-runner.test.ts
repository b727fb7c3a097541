import test from 'ava';
import { emptyConfig } from '../../../coordinator/cib/index.ts';
import {
  type ActionContext,
  type ActionOutcome,
  type ActionResult,
  SimulatedActionSink,
  runTransition,
} from '../../../coordinator/controller/index.ts';
import type { Action, Transition } from '../../../coordinator/scheduler/index.ts';
import { action } from './support.ts';

function transition(actions: Action[], edges: [string, string][]): Transition {
  return {
    nodes: [],
    resources: [],
    actions,
    edges: edges.map(([before, after]) => ({ before, after })),
    explanation: { scores: [], reasons: [] },
  };
}

function context(): ActionContext {
  return { signal: new AbortController().signal, dcEpoch: 1, transitionId: 1, config: emptyConfig('t') };
}

/** A gate per action id: the sink's delay awaits it, so the test decides when an action finishes. */
class Gates {
  readonly #open = new Map<string, () => void>();
  readonly #promises = new Map<string, Promise<void>>();
  readonly started: string[] = [];
  wait = (a: Action): Promise<void> => {
    this.started.push(a.id);
    const p = new Promise<void>((resolve) => this.#open.set(a.id, resolve));
    this.#promises.set(a.id, p);
    return p;
  };
  open(id: string): void {
    const f = this.#open.get(id);
    if (f === undefined) throw new Error(`${id} has not started`);
    f();
  }
}

/** Lets pending microtasks and promise chains run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const chain = transition(
  [action('stop a n1'), action('start a n2'), action('monitor a n2 10000'), action('start b n2')],
  [
    ['stop a n1', 'start a n2'],
    ['start a n2', 'monitor a n2 10000'],
    ['start a n2', 'start b n2'],
  ],
);

test('runner: an action starts only after everything ordered before it completed', async (t) => {
  const gates = new Gates();
  const sink = new SimulatedActionSink({ delay: gates.wait });
  const run = runTransition(chain, { sink, context: context() });
  await settle();
  t.deepEqual(gates.started, ['stop a n1']);
  gates.open('stop a n1');
  await settle();
  t.deepEqual(gates.started, ['stop a n1', 'start a n2']);
  gates.open('start a n2');
  await settle();
  t.deepEqual(gates.started.slice(2).sort(), ['monitor a n2 10000', 'start b n2']);
  gates.open('monitor a n2 10000');
  gates.open('start b n2');
  const report = await run.done;
  t.false(report.aborted);
  t.deepEqual(report.completed, ['stop a n1', 'start a n2', 'monitor a n2 10000', 'start b n2']);
  t.deepEqual(report.skipped, []);
});

const wide = transition(
  Array.from({ length: 10 }, (_, i) => action(`probe r${i} n1`)),
  [],
);

const concurrencyCases: { bound: number; expected: number }[] = [
  { bound: 1, expected: 1 },
  { bound: 3, expected: 3 },
  { bound: 16, expected: 10 },
];
for (const c of concurrencyCases) {
  test(`runner: independent actions run concurrently up to the bound (${c.bound})`, async (t) => {
    const gates = new Gates();
    const sink = new SimulatedActionSink({ delay: gates.wait });
    const run = runTransition(wide, { sink, context: context(), maxConcurrent: c.bound });
    for (let opened = 0; opened < 10; opened++) {
      await settle();
      t.true(sink.running <= c.bound);
      const next = gates.started[opened];
      if (next === undefined) return t.fail(`only ${gates.started.length} actions started`);
      gates.open(next);
    }
    const report = await run.done;
    t.is(sink.maxRunning, c.expected);
    t.is(report.completed.length, 10);
  });
}

const failures: { name: string; outcome: ActionOutcome; failed: boolean }[] = [
  { name: 'rc 1', outcome: { status: 'done', rc: 1 }, failed: true },
  { name: 'rc 7 from a start', outcome: { status: 'done', rc: 7 }, failed: true },
  { name: 'timeout', outcome: { status: 'timeout' }, failed: true },
  { name: 'not connected', outcome: { status: 'not-connected' }, failed: true },
];
for (const f of failures) {
  test(`runner: a failed start (${f.name}) aborts: nothing new starts, running ones finish`, async (t) => {
    const tr = transition(
      [action('start a n1'), action('start b n1'), action('start c n1'), action('monitor a n1 10000')],
      [
        ['start a n1', 'monitor a n1 10000'],
        ['start b n1', 'start c n1'],
      ],
    );
    const gates = new Gates();
    const sink = new SimulatedActionSink({ delay: gates.wait, script: { 'start a n1': f.outcome } });
    const results: ActionResult[] = [];
    const run = runTransition(tr, { sink, context: context(), onResult: (r) => results.push(r) });
    await settle();
    t.deepEqual(gates.started.sort(), ['start a n1', 'start b n1']);
    gates.open('start a n1');
    await settle();
    // b is still running: it finishes and is recorded, but c (after b) never starts.
    gates.open('start b n1');
    const report = await run.done;
    t.true(report.aborted);
    t.deepEqual(
      report.failed.map((r) => r.id),
      ['start a n1'],
    );
    t.deepEqual(report.completed, ['start b n1']);
    t.deepEqual(report.skipped.sort(), ['monitor a n1 10000', 'start c n1']);
    t.deepEqual(
      results.map((r) => `${r.id}:${r.judgement}`),
      ['start a n1:failed', 'start b n1:expected'],
    );
    t.regex(report.abortReason ?? '', /start a n1 failed/);
  });
}

const probes: { rc: number; judgement: 'expected' | 'unexpected' | 'failed' }[] = [
  { rc: 7, judgement: 'expected' },
  { rc: 0, judgement: 'unexpected' },
  { rc: 8, judgement: 'unexpected' },
  { rc: 1, judgement: 'failed' },
];
for (const p of probes) {
  test(`runner: a probe returning ${p.rc} is ${p.judgement}`, async (t) => {
    const tr = transition([action('probe a n2'), action('start a n1')], [['probe a n2', 'start a n1']]);
    const sink = new SimulatedActionSink({ script: { 'probe a n2': { status: 'done', rc: p.rc } } });
    const report = await runTransition(tr, { sink, context: context() }).done;
    t.is(report.aborted, p.judgement !== 'expected');
    t.is(report.completed.includes('start a n1'), p.judgement === 'expected');
    t.is(report.unexpected.length, p.judgement === 'unexpected' ? 1 : 0);
    t.is(report.failed.length, p.judgement === 'failed' ? 1 : 0);
  });
}

test('runner: pseudo actions complete as soon as their predecessors have, without the sink', async (t) => {
  const tr = transition(
    [
      action('stop g', { pseudo: true, id: 'stop g' }),
      action('stop a n1'),
      action('stopped g', { pseudo: true, id: 'stopped g', kind: 'stop' }),
      action('start g', { pseudo: true, id: 'start g', kind: 'start' }),
      action('start a n2'),
    ],
    [
      ['stop g', 'stop a n1'],
      ['stop a n1', 'stopped g'],
      ['stopped g', 'start g'],
      ['start g', 'start a n2'],
    ],
  );
  const sink = new SimulatedActionSink();
  const seen: string[] = [];
  const report = await runTransition(tr, {
    sink,
    context: context(),
    onStart: (a) => seen.push(a.id),
  }).done;
  t.deepEqual(seen, ['stop a n1', 'start a n2']);
  t.deepEqual(report.completed, ['stop g', 'stop a n1', 'stopped g', 'start g', 'start a n2']);
});

test('runner: abort() from outside stops new actions; a sink that throws is an error outcome', async (t) => {
  const gates = new Gates();
  const sink = new SimulatedActionSink({ delay: gates.wait });
  const run = runTransition(chain, { sink, context: context() });
  await settle();
  run.abort('membership changed');
  gates.open('stop a n1');
  const report = await run.done;
  t.true(report.aborted);
  t.is(report.abortReason, 'membership changed');
  t.deepEqual(report.completed, ['stop a n1']);
  t.is(report.skipped.length, 3);

  const throwing = {
    execute: (): Promise<ActionOutcome> => Promise.reject(new Error('boom')),
  };
  const r2 = await runTransition(chain, { sink: throwing, context: context() }).done;
  t.is(r2.failed[0]?.outcome.status, 'error');
  t.regex(r2.failed[0]?.outcome.exitReason ?? '', /boom/);
});

test('runner: an edge cycle leaves its actions skipped instead of hanging', async (t) => {
  const tr = transition(
    [action('start a n1'), action('start b n1')],
    [
      ['start a n1', 'start b n1'],
      ['start b n1', 'start a n1'],
    ],
  );
  const report = await runTransition(tr, { sink: new SimulatedActionSink(), context: context() }).done;
  t.deepEqual(report.skipped, ['start a n1', 'start b n1']);
  t.false(report.aborted);
});
