/**
 * deploy/tandem.service passes `systemd-analyze verify` (a copy whose ExecStart points at this
 * checkout's bin/tandemd, since verify requires the executable to exist).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

test('deploy/tandem.service passes systemd-analyze verify', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-unit-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const unit = await readFile(join(root, 'deploy', 'tandem.service'), 'utf8');
  t.regex(unit, /^ExecStart=\/usr\/local\/bin\/tandemd --config \/etc\/tandem\/tandem\.conf$/m);
  t.regex(unit, /^Restart=on-failure$/m);
  const copy = unit.replace('/usr/local/bin/tandemd', join(root, 'bin', 'tandemd'));
  const path = join(dir, 'tandem.service');
  await writeFile(path, copy);
  const r = await run('systemd-analyze', ['verify', path]).then(
    (o) => ({ code: 0, stderr: o.stderr }),
    (e: { code?: number; stderr?: string }) => ({ code: e.code ?? 1, stderr: e.stderr ?? '' }),
  );
  // Only complaints about this unit count (the host's own units may produce unrelated noise).
  const ours = r.stderr.split('\n').filter((l) => l.includes('tandem.service'));
  t.deepEqual(ours, [], r.stderr);
  t.is(r.code, 0, r.stderr);
});
