/**
 * GrpcActionSink against a node that does not answer (a closed loopback port): an action for a
 * node that is not a member is not sent, and one in flight ends at once when the node is lost
 * (`cancelled`: not a result, so nothing is recorded), instead of waiting out its deadline.
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { freePort } from '../../../lab/free-port.ts';
import type { ActionContext } from '../../../coordinator/controller/index.ts';
import { emptyConfig } from '../../../coordinator/cib/index.ts';
import type { Action } from '../../../coordinator/scheduler/index.ts';
import { GrpcActionSink, PeerClients } from '../../../coordinator/transport/index.ts';

/** A port nobody listens on: a free one, closed again at once. */
const closedPort = freePort;

const stop: Action = {
  id: 'stop d1 b',
  kind: 'stop',
  rsc: 'd1',
  node: 'b',
  pseudo: false,
  timeoutMs: 20_000,
};

function context(): ActionContext {
  return {
    signal: new AbortController().signal,
    dcEpoch: 1,
    transitionId: 1,
    config: emptyConfig('c', ['a', 'b']),
  };
}

test('an action in flight to a node that is lost ends at once as cancelled', async (t) => {
  const clients = new PeerClients({
    self: 'a',
    key: randomBytes(32),
    peers: { b: `127.0.0.1:${await closedPort()}` },
  });
  t.teardown(() => clients.close());
  const sink = new GrpcActionSink({
    self: 'a',
    local: { run: () => Promise.reject(new Error('not local')) },
    clients,
  });
  const started = performance.now();
  const outcome = sink.execute(stop, context());
  setTimeout(() => sink.nodeLost('b'), 100);
  const r = await outcome;
  const tookMs = performance.now() - started;
  t.is(r.status, 'cancelled');
  t.regex(r.exitReason ?? '', /left the membership/);
  t.true(tookMs < 2000, `took ${Math.round(tookMs)} ms (the deadline is 25 s)`);
});

test('an action for a node that is not a member is not sent', async (t) => {
  const clients = new PeerClients({
    self: 'a',
    key: randomBytes(32),
    peers: { b: `127.0.0.1:${await closedPort()}` },
  });
  t.teardown(() => clients.close());
  const sink = new GrpcActionSink({
    self: 'a',
    local: { run: () => Promise.reject(new Error('not local')) },
    clients,
    isMember: () => false,
  });
  const r = await sink.execute(stop, context());
  t.is(r.status, 'cancelled');
  t.regex(r.exitReason ?? '', /not a member/);
});
