/**
 * A live command typed right after the daemons start (no wait for the election): tandemd waits,
 * bounded, for the DC instead of failing with "no DC" / "no address known", and the edit is
 * applied once and replicated to both nodes.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { ClusterConfig } from '../../../coordinator/cib/index.ts';
import { LocalTransportClient } from '../../../coordinator/transport/index.ts';
import { root, setUpDaemons, until } from './daemon-fixture.ts';

const run = promisify(execFile);

test('a live command sent right after the daemons start waits for the DC and is applied', async (t) => {
  t.timeout(60_000);
  const { nodes } = await setUpDaemons(t, { resources: [] });
  for (const [i, n] of nodes.entries()) {
    // Only until the local socket answers: the cluster has not formed yet.
    await until(`${n.name}'s socket`, 20_000, async () => {
      const c = new LocalTransportClient(n.socket);
      try {
        const r = await c.status({ localOnly: true }, 500);
        return r.ok ? true : undefined;
      } finally {
        c.close();
      }
    });
    const started = performance.now();
    const r = await run(
      join(root, 'bin', 'tandem'),
      ['property', 'set', `cluster-recheck-interval=${i + 2}min`],
      {
        env: { ...process.env, TANDEM_SOCKET: n.socket },
      },
    );
    t.log(
      `${n.name}: applied after ${Math.round(performance.now() - started)} ms; stderr: ${r.stderr.trim()}`,
    );
  }
  for (const n of nodes) {
    await until(`the edits replicated to ${n.name}`, 10_000, async () => {
      const stored = JSON.parse(await readFile(join(n.dir, 'cib.json'), 'utf8')) as ClusterConfig;
      return stored.properties['cluster-recheck-interval'] === '3min' ? true : undefined;
    });
  }
  t.pass();
});
