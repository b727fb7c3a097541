/** The local socket is root-only: directory 0700, socket 0600; a CLI client reaches the handlers. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  LocalTransportClient,
  LocalTransportServer,
  silentLogger,
} from '../../../coordinator/transport/index.ts';

test('local socket: mode 0600 in a 0700 directory, calls reach the handlers', async (t) => {
  const base = await mkdtemp(join(tmpdir(), `tandem-sock-${process.pid}-`));
  t.teardown(() => rm(base, { recursive: true, force: true }));
  const path = join(base, 'run', 'tandemd.sock');
  const server = new LocalTransportServer(
    {
      status: () => Promise.resolve({ statusJson: '{"hello":1}' }),
      configCommand: (req) => Promise.resolve({ exitCode: 0, stdout: req.words.join(' '), stderr: '' }),
      cleanup: () => Promise.resolve({ exitCode: 0, stdout: '', stderr: '' }),
      clusterStop: () => Promise.resolve({ exitCode: 0, stdout: '', stderr: '' }),
    },
    silentLogger,
  );
  await server.listen(path);
  t.teardown(() => server.close(100));
  const sock = await stat(path);
  t.true(sock.isSocket());
  t.is(sock.mode & 0o777, 0o600);
  t.is((await stat(join(base, 'run'))).mode & 0o777, 0o700);
  const client = new LocalTransportClient(path);
  t.teardown(() => client.close());
  const r = await client.configCommand({ words: ['resource', 'create', 'x'], origin: '' });
  t.true(r.ok);
  if (r.ok) t.is(r.value.stdout, 'resource create x');
  const s = await client.status({ localOnly: true });
  t.true(s.ok && s.value.statusJson === '{"hello":1}');
});

test('local client: no daemon is an error value naming tandemd', async (t) => {
  const client = new LocalTransportClient(join(tmpdir(), `tandem-none-${process.pid}.sock`));
  t.teardown(() => client.close());
  const r = await client.status({ localOnly: false }, 2000);
  t.false(r.ok);
  if (!r.ok) t.regex(r.error.message, /tandemd is not running/);
});
