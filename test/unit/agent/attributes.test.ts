import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../agent/executor/index.ts';
import type { AttributeChange } from '../../../agent/attributes/index.ts';
import { NodeAttributes, PERMANENT_ATTRIBUTES_FILE } from '../../../agent/attributes/index.ts';

function setup(): { clock: FakeClock; attrs: NodeAttributes; changes: AttributeChange[] } {
  const clock = new FakeClock();
  const attrs = NodeAttributes.inMemory(clock);
  const changes: AttributeChange[] = [];
  attrs.subscribe((c) => changes.push(c));
  return { clock, attrs, changes };
}

test('without dampening a change is written and announced at once', (t) => {
  const { attrs, changes } = setup();
  attrs.set('pingd', '1000');
  attrs.set('pingd', '1000');
  attrs.delete('pingd');
  t.deepEqual(changes, [
    { name: 'pingd', value: '1000', previous: null, lifetime: 'transient' },
    { name: 'pingd', value: null, previous: '1000', lifetime: 'transient' },
  ]);
  t.is(attrs.get('pingd'), undefined);
});

const dampenCases: {
  title: string;
  steps: Array<{ at: number; value: string | null } | { advance: number }>;
  events: Array<string | null>;
  final: string | undefined;
}[] = [
  {
    title: 'written after the dampening window',
    steps: [{ at: 0, value: '1000' }, { advance: 4999 }, { advance: 1 }],
    events: ['1000'],
    final: '1000',
  },
  {
    title: 'a change back within the window cancels the write',
    steps: [
      { at: 0, value: '1000' },
      { advance: 5000 },
      { at: 0, value: '0' },
      { advance: 2000 },
      { at: 0, value: '1000' },
      { advance: 10000 },
    ],
    events: ['1000'],
    final: '1000',
  },
  {
    title: 'each change restarts the window; the last value is written',
    steps: [
      { at: 0, value: '1' },
      { advance: 3000 },
      { at: 0, value: '2' },
      { advance: 3000 },
      { at: 0, value: '3' },
      { advance: 4999 },
    ],
    events: [],
    final: undefined,
  },
  {
    title: 'the last value of a burst lands once',
    steps: [{ at: 0, value: '1' }, { advance: 3000 }, { at: 0, value: '2' }, { advance: 5000 }],
    events: ['2'],
    final: '2',
  },
  {
    title: 'a dampened delete',
    steps: [
      { at: 0, value: 'x' },
      { advance: 5000 },
      { at: 0, value: null },
      { advance: 4000 },
      { advance: 1000 },
    ],
    events: ['x', null],
    final: undefined,
  },
];
for (const c of dampenCases) {
  test(`dampening: ${c.title}`, (t) => {
    const { clock, attrs, changes } = setup();
    for (const step of c.steps) {
      if ('advance' in step) clock.advance(step.advance);
      else attrs.set('pingd', step.value, { dampenMs: 5000 });
    }
    t.deepEqual(
      changes.map((ch) => ch.value),
      c.events,
    );
    t.is(attrs.get('pingd'), c.final);
  });
}

test('pending value is visible; dispose drops pending writes and their timers', async (t) => {
  const { clock, attrs, changes } = setup();
  attrs.set('pingd', '500', { dampenMs: 1000 });
  t.is(attrs.pendingValue('pingd'), '500');
  t.is(clock.pendingTimers, 1);
  await attrs.dispose();
  t.is(clock.pendingTimers, 0);
  clock.advance(5000);
  t.deepEqual(changes, []);
});

test('permanent attributes persist atomically and survive a restart; transient ones do not', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-attrs-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const clock = new FakeClock();
  const opened = await NodeAttributes.open({ clock, stateDir: dir });
  if (!opened.ok) return t.fail(opened.error);
  const first = opened.value;
  first.set('rack', 'r7', { lifetime: 'permanent' });
  first.set('site', 'bcn', { lifetime: 'permanent', dampenMs: 100 });
  first.set('pingd', '1000');
  clock.advance(100);
  await first.flush();
  t.deepEqual(JSON.parse(await readFile(join(dir, PERMANENT_ATTRIBUTES_FILE), 'utf8')), {
    rack: 'r7',
    site: 'bcn',
  });
  await first.dispose();

  const reopened = await NodeAttributes.open({ clock, stateDir: dir });
  if (!reopened.ok) return t.fail(reopened.error);
  const second = reopened.value;
  t.teardown(() => second.dispose());
  t.deepEqual(second.all('permanent'), { rack: 'r7', site: 'bcn' });
  t.deepEqual(second.all('transient'), {});
  second.delete('rack', { lifetime: 'permanent' });
  await second.flush();
  t.deepEqual(JSON.parse(await readFile(join(dir, PERMANENT_ATTRIBUTES_FILE), 'utf8')), { site: 'bcn' });
});

test('a corrupt permanent file is refused with its path; permanent without a state dir throws', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-attrs-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, PERMANENT_ATTRIBUTES_FILE), '[1,2]');
  const corrupt = await NodeAttributes.open({ clock: new FakeClock(), stateDir: dir });
  t.false(corrupt.ok);
  if (!corrupt.ok)
    t.regex(corrupt.error, /node-attributes\.json: expected a JSON object.*fix or remove the file/);
  await writeFile(join(dir, PERMANENT_ATTRIBUTES_FILE), '{not json');
  const broken = await NodeAttributes.open({ clock: new FakeClock(), stateDir: dir });
  t.false(broken.ok);
  if (!broken.ok) t.regex(broken.error, /node-attributes\.json: .*JSON/);
  const mem = NodeAttributes.inMemory(new FakeClock());
  t.throws(() => mem.set('x', '1', { lifetime: 'permanent' }), { message: /no stateDir/ });
});
