/** tandem.conf: both spellings give the same configuration; errors name the field and the fix. */
import test from 'ava';
import { checkDaemonConfig, parseKeyValue } from '../../../daemon/config.ts';

test('key=value and JSON spellings are the same configuration, with defaults', (t) => {
  const kv = parseKeyValue(
    [
      '# a comment',
      'cluster = rs',
      'node = rsha1',
      'listen = 192.0.2.1:7400',
      'peer.rsha2 = 192.0.2.2:7400',
      'peerTimeoutMs = 500',
      'witness = redis://192.0.2.9:6380',
    ].join('\n'),
    'tandem.conf',
  );
  t.true(kv.ok);
  if (!kv.ok) return;
  const a = checkDaemonConfig(kv.value, 'tandem.conf');
  const b = checkDaemonConfig(
    {
      cluster: 'rs',
      node: 'rsha1',
      listen: '192.0.2.1:7400',
      peers: { rsha2: '192.0.2.2:7400', rsha1: '192.0.2.1:7400' },
      peerTimeoutMs: 500,
      witness: 'redis://192.0.2.9:6380',
    },
    'tandem.conf',
  );
  t.deepEqual(a, b);
  t.true(a.ok);
  if (!a.ok) return;
  t.deepEqual(a.value.peers, { rsha2: '192.0.2.2:7400' });
  t.deepEqual(a.value.witness, { kind: 'redis', host: '192.0.2.9', port: 6380 });
  t.is(a.value.keyFile, '/etc/tandem/cluster.key');
  t.is(a.value.socket, '/run/tandem/tandemd.sock');
  t.is(a.value.stateDir, '/var/lib/tandem');
  t.is(a.value.log, 'stdout');
});

const bad: { name: string; raw: Record<string, unknown>; error: RegExp }[] = [
  { name: 'missing cluster', raw: { node: 'a', listen: '127.0.0.1:1' }, error: /"cluster" is missing/ },
  { name: 'missing node', raw: { cluster: 'c', listen: '127.0.0.1:1' }, error: /"node" is missing/ },
  {
    name: 'bad listen',
    raw: { cluster: 'c', node: 'a', listen: '7400' },
    error: /"listen" must be HOST:PORT/,
  },
  {
    name: 'bad peer',
    raw: { cluster: 'c', node: 'a', listen: '127.0.0.1:1', peers: { b: 'nowhere' } },
    error: /peers\.b must be HOST:PORT/,
  },
  {
    name: 'unknown field',
    raw: { cluster: 'c', node: 'a', listen: '127.0.0.1:1', colour: 'red' },
    error: /unknown field "colour"/,
  },
  {
    name: 'bad witness',
    raw: { cluster: 'c', node: 'a', listen: '127.0.0.1:1', witness: 'zk://x' },
    error: /witness must be "none" or "redis:\/\/HOST:PORT"/,
  },
  {
    name: 'timeout vs interval',
    raw: { cluster: 'c', node: 'a', listen: '127.0.0.1:1', heartbeatIntervalMs: 100, peerTimeoutMs: 150 },
    error: /more than twice/,
  },
  {
    name: 'bad number',
    raw: { cluster: 'c', node: 'a', listen: '127.0.0.1:1', peerTimeoutMs: 'soon' },
    error: /peerTimeoutMs must be a positive integer/,
  },
];

for (const c of bad) {
  test(`refused: ${c.name}`, (t) => {
    const r = checkDaemonConfig(c.raw, 'tandem.conf');
    t.false(r.ok);
    if (!r.ok) {
      t.regex(r.error, c.error);
      t.regex(r.error, /^tandem\.conf: /);
    }
  });
}

test('key=value: a line without = names its line number', (t) => {
  const r = parseKeyValue('cluster = a\nthis is wrong\n', 'x.conf');
  t.false(r.ok);
  if (!r.ok) t.regex(r.error, /^x\.conf:2: /);
});
