import test from 'ava';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStatus, NodeState } from '../../../coordinator/cib/index.ts';
import {
  FilePeInputStore,
  type MembershipNodeState,
  applyMembership,
  parsePeInputXml,
  peInputXml,
  readPeInputFile,
} from '../../../coordinator/controller/index.ts';
import { schedule } from '../../../coordinator/scheduler/index.ts';
import { onlineNode, rsPair } from './support.ts';

const withHistory = onlineNode('n1', {
  transientAttributes: { pingd: '1000' },
  history: [{ id: 'ip', agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' }, ops: [] }],
});
const downClean: NodeState = {
  ...withHistory,
  inCcm: false,
  crmd: 'offline',
  join: 'down',
  expected: 'down',
};

const cases: {
  name: string;
  before?: NodeState;
  state: MembershipNodeState;
  stonith: boolean;
  expect: Pick<NodeState, 'inCcm' | 'crmd' | 'join' | 'expected'>;
  history: number;
  attrs: number;
}[] = [
  {
    name: 'a new member',
    state: 'member',
    stonith: false,
    expect: { inCcm: true, crmd: 'online', join: 'member', expected: 'member' },
    history: 0,
    attrs: 0,
  },
  {
    name: 'a member staying a member keeps its history',
    before: withHistory,
    state: 'member',
    stonith: false,
    expect: { inCcm: true, crmd: 'online', join: 'member', expected: 'member' },
    history: 1,
    attrs: 1,
  },
  {
    name: 'a node rejoining starts with an empty history',
    before: downClean,
    state: 'member',
    stonith: false,
    expect: { inCcm: true, crmd: 'online', join: 'member', expected: 'member' },
    history: 0,
    attrs: 1,
  },
  {
    name: 'lost without stonith is down',
    before: withHistory,
    state: 'lost',
    stonith: false,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'down' },
    history: 1,
    attrs: 0,
  },
  {
    name: 'lost with stonith is unclean (expected member)',
    before: withHistory,
    state: 'lost',
    stonith: true,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'member' },
    history: 1,
    attrs: 0,
  },
  {
    name: 'lost again after fencing stays clean',
    before: downClean,
    state: 'lost',
    stonith: true,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'down' },
    history: 1,
    attrs: 1,
  },
  {
    name: 'unclean',
    before: withHistory,
    state: 'unclean',
    stonith: true,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'member' },
    history: 1,
    attrs: 0,
  },
  {
    name: 'fenced: down, history erased',
    before: withHistory,
    state: 'fenced',
    stonith: true,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'down' },
    history: 0,
    attrs: 0,
  },
  {
    name: 'left cleanly',
    before: withHistory,
    state: 'left',
    stonith: false,
    expect: { inCcm: false, crmd: 'offline', join: 'down', expected: 'down' },
    history: 0,
    attrs: 0,
  },
];
for (const c of cases) {
  test(`membership: ${c.name}`, (t) => {
    const before: ClusterStatus = { haveQuorum: true, nodes: c.before ? [c.before] : [] };
    const after = applyMembership(
      before,
      { haveQuorum: false, nodes: [{ name: 'n1', state: c.state }] },
      { stonithEnabled: c.stonith, dc: 'n2' },
    );
    const n1 = after.nodes.find((n) => n.name === 'n1');
    t.like(n1, c.expect);
    t.is(n1?.history.length, c.history);
    t.is(Object.keys(n1?.transientAttributes ?? {}).length, c.attrs);
    t.false(after.haveQuorum);
    t.is(after.dc, 'n2');
  });
}

test('pe-input: execution-date carries the time; a file without it is refused with the fix', (t) => {
  const { config, status } = rsPair();
  const now = 1_750_000_123_000;
  const xml = peInputXml({ config, status, now });
  t.regex(xml, /<cib execution-date="1750000123"/);
  const back = parsePeInputXml(xml);
  if (!back.ok) return t.fail(back.error);
  t.is(back.value.now, now);
  t.deepEqual(schedule(back.value).actions, schedule({ config, status, now }).actions);
  const bare = parsePeInputXml(xml.replace(/ execution-date="\d+"/, ''));
  t.false(bare.ok);
  if (!bare.ok) t.regex(bare.error, /execution-date.*--now/);
});

test('pe-input store: numbers after the highest file present, keeps at most maxFiles', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-pe-store-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'pe-input-7.xml'), 'old');
  await writeFile(join(dir, 'unrelated.txt'), 'x');
  const store = new FilePeInputStore(dir, { maxFiles: 2 });
  const { config, status } = rsPair();
  const names = await Promise.all(
    [0, 1, 2].map((i) => store.save({ config, status, now: 1_750_000_000_000 + i * 1000 })),
  );
  t.deepEqual(names, ['pe-input-8.xml', 'pe-input-9.xml', 'pe-input-10.xml']);
  t.deepEqual((await readdir(dir)).sort(), ['pe-input-10.xml', 'pe-input-9.xml', 'unrelated.txt']);
  const last = await readPeInputFile(join(dir, 'pe-input-10.xml'));
  t.true(last.ok);
  if (last.ok) t.is(last.value.now, 1_750_000_002_000);
  t.false((await readFile(join(dir, 'pe-input-9.xml'), 'utf8')).includes('.tmp'));
});

test('pe-input: a move that had expired is left out, so the replay decides as the DC did', (t) => {
  const { config, status } = rsPair();
  const now = Date.UTC(2026, 10, 23, 21, 0, 0);
  const withMoves = structuredClone(config);
  withMoves.constraints.location.push(
    {
      id: 'cli-prefer-abiquo_rs',
      rsc: 'abiquo_rs',
      node: 'rsha2',
      score: 1_000_000,
      expires: '2026-11-23T20:00:00Z',
    },
    {
      id: 'cli-ban-ping-clone-on-rsha2',
      rsc: 'ping-clone',
      node: 'rsha2',
      score: -1_000_000,
      expires: '2026-11-23T22:00:00Z',
    },
  );
  const xml = peInputXml({ config: withMoves, status, now });
  t.false(xml.includes('cli-prefer-abiquo_rs'));
  t.true(xml.includes('cli-ban-ping-clone-on-rsha2'));
  const back = parsePeInputXml(xml);
  if (!back.ok) return t.fail(back.error);
  const live = schedule({ config: withMoves, status, now });
  t.deepEqual(
    schedule(back.value).actions.map((a) => a.id),
    live.actions.map((a) => a.id),
  );
  t.true(
    live.actions.some((a) => a.id === 'stop ping:1 rsha2'),
    'the unexpired ban applies',
  );
});
