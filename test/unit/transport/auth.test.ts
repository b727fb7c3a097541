/**
 * Peer authentication over real gRPC on loopback: the right key is accepted; a wrong key, a stale
 * timestamp, missing metadata and an unknown node are refused with UNAUTHENTICATED and logged.
 */
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import {
  PeerClients,
  PeerTransportServer,
  computeMac,
  signCall,
  verifyCall,
  type PeerHandlers,
  type TransportLogger,
} from '../../../coordinator/transport/index.ts';

interface Logged {
  level: string;
  obj: object;
  msg: string;
}

function captureLogger(): { log: TransportLogger; lines: Logged[] } {
  const lines: Logged[] = [];
  const at =
    (level: string) =>
    (obj: object, msg: string): void => {
      lines.push({ level, obj, msg });
    };
  return { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

function handlers(heard: string[]): PeerHandlers {
  const none = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    heartbeat: (from) => heard.push(from),
    pushConfig: none,
    pullConfig: () =>
      Promise.resolve({
        cluster: 'c',
        version: { adminEpoch: 0, epoch: 7, numUpdates: 0 },
        configJson: '',
        origin: 'n1',
        dcEpoch: 1,
      }),
    runAction: none,
    report: none,
    getNodeState: none,
    forward: none,
    restarting: none,
  };
}

async function startServer(t: ExecutionContext, key: Buffer, wallNow?: () => number) {
  const { log, lines } = captureLogger();
  const heard: string[] = [];
  const server = new PeerTransportServer({
    key,
    nodes: ['n1', 'n2'],
    handlers: handlers(heard),
    log,
    ...(wallNow !== undefined ? { wallNow } : {}),
  });
  const port = await server.listen('127.0.0.1:0');
  t.teardown(() => server.close(100));
  return { server, port, lines, heard };
}

const cases: {
  name: string;
  clientKey: 'same' | 'other';
  self: string;
  clientSkewMs: number;
  ok: boolean;
  logged?: RegExp;
}[] = [
  { name: 'right key accepted', clientKey: 'same', self: 'n2', clientSkewMs: 0, ok: true },
  {
    name: 'wrong key refused',
    clientKey: 'other',
    self: 'n2',
    clientSkewMs: 0,
    ok: false,
    logged: /bad MAC from 'n2'/,
  },
  {
    name: 'stale timestamp refused',
    clientKey: 'same',
    self: 'n2',
    clientSkewMs: -120_000,
    ok: false,
    logged: /stale timestamp from 'n2'/,
  },
  {
    name: 'future timestamp refused',
    clientKey: 'same',
    self: 'n2',
    clientSkewMs: 120_000,
    ok: false,
    logged: /stale timestamp/,
  },
  {
    name: 'unknown node refused',
    clientKey: 'same',
    self: 'intruder',
    clientSkewMs: 0,
    ok: false,
    logged: /not a member/,
  },
];

for (const c of cases) {
  test(`peer call: ${c.name}`, async (t) => {
    const key = randomBytes(32);
    const { port, lines, server } = await startServer(t, key);
    const clients = new PeerClients({
      self: c.self,
      key: c.clientKey === 'same' ? key : randomBytes(32),
      peers: { n1: `127.0.0.1:${port}` },
      wallNow: () => Date.now() + c.clientSkewMs,
    });
    t.teardown(() => clients.close());
    const r = await clients.pullConfig('n1', 3000);
    if (c.ok) {
      t.true(r.ok);
      if (r.ok) t.is(r.value.version?.epoch, 7);
      t.is(server.refused, 0);
      t.deepEqual(
        lines.filter((l) => l.level === 'warn'),
        [],
      );
    } else {
      t.false(r.ok);
      if (!r.ok) t.is(r.error.code, grpc.status.UNAUTHENTICATED);
      t.is(server.refused, 1);
      const refusal = lines.find((l) => l.msg === 'peer call refused: unauthenticated');
      t.truthy(refusal, JSON.stringify(lines));
      t.regex(JSON.stringify(refusal?.obj), c.logged ?? /./);
      t.regex(JSON.stringify(refusal?.obj), /\/tandem\.v1\.Peer\/PullConfig/);
    }
  });
}

test('peer call without any metadata is refused and logged', async (t) => {
  const key = randomBytes(32);
  const { port, lines } = await startServer(t, key);
  const { PeerClient } = await import('../../../proto/gen/tandem/v1/tandem.ts');
  const raw = new PeerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  const code = await new Promise<number>((resolve) => {
    raw.pullConfig({}, (err) => resolve(err?.code ?? grpc.status.OK));
  });
  t.is(code, grpc.status.UNAUTHENTICATED);
  t.regex(JSON.stringify(lines), /missing x-tandem-node/);
});

test('heartbeats carry the authenticated node name', async (t) => {
  const key = randomBytes(32);
  const { port, heard } = await startServer(t, key);
  const clients = new PeerClients({ self: 'n2', key, peers: { n1: `127.0.0.1:${port}` } });
  t.teardown(() => clients.close());
  const r = await clients.heartbeat(
    'n1',
    {
      cluster: 'c',
      node: 'n2',
      incarnation: 'i',
      seq: 1,
      configVersion: 0,
      dc: '',
      dcEpoch: 0,
      view: ['n2'],
      acks: [],
      active: false,
      witness: false,
      leaving: false,
    },
    3000,
  );
  t.true(r.ok);
  t.deepEqual(heard, ['n2']);
});

test('verifyCall: the MAC binds node, timestamp and method', (t) => {
  const key = randomBytes(32);
  const now = 1_800_000_000_000;
  const md = signCall(key, 'n1', '/tandem.v1.Peer/Heartbeat', now);
  const opts = { key, nodes: new Set(['n1']), nowMs: now };
  t.true(verifyCall(md, '/tandem.v1.Peer/Heartbeat', opts).ok);
  const otherMethod = verifyCall(md, '/tandem.v1.Peer/RunAction', opts);
  t.false(otherMethod.ok);
  t.is(computeMac(key, 'n1', String(now), 'm').length, 64);
  md.set('x-tandem-ts', String(now + 1));
  t.false(verifyCall(md, '/tandem.v1.Peer/Heartbeat', opts).ok);
});
