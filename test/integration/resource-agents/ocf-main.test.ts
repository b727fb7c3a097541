/**
 * The standalone OCF entry behind the installed wrappers: OCF_RESKEY_* → parameters,
 * CRM_meta_interval → recurring monitor, HA_RSCTMP → state directory, meta-data on stdout,
 * `ocf-exit-reason:` on stderr, the rc as exit code.
 */
import test from 'ava';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OcfRc } from '../../../resource-agents/index.ts';
import { agentPath, ocfEnv, run, tempDir, tempOcfRoot } from './support.ts';

test('OCF environment in, rc / stdout / ocf-exit-reason out', async (t) => {
  const { root, agents } = await tempOcfRoot(t, 'main');
  const work = await tempDir(t, 'main');
  const dummy = agentPath(agents, 'Dummy');
  const env = (params: Record<string, string>, extra: NodeJS.ProcessEnv = {}) =>
    ocfEnv(root, work, `main-${process.pid}`, params, extra);

  const meta = await run(dummy, ['meta-data'], env({}));
  t.is(meta.code, OcfRc.ok);
  t.regex(
    meta.stdout,
    /^<\?xml version="1\.0"\?>\n<!DOCTYPE resource-agent SYSTEM "ra-api-1\.dtd">\n<resource-agent name="Dummy"/,
  );

  const recurring = await run(dummy, ['monitor'], env({}, { OCF_RESKEY_CRM_meta_interval: '10000' }));
  t.is(recurring.code, OcfRc.notRunning);
  t.regex(recurring.stderr, /^ocf-exit-reason:No process state file found$/m);

  const state = join(work, 'custom.state');
  t.is((await run(dummy, ['start'], env({ state, fake: 'from-env' }))).code, OcfRc.ok);
  t.is(await readFile(state, 'utf8'), 'from-env\n', 'OCF_RESKEY_* became parameters');
  t.is((await run(dummy, ['stop'], env({ state }))).code, OcfRc.ok);
  await t.throwsAsync(access(state));

  const defaultState = await run(dummy, ['start'], env({}));
  t.is(defaultState.code, OcfRc.ok);
  await access(join(work, `Dummy-main-${process.pid}.state`));
  t.is((await run(dummy, ['stop'], env({}))).code, OcfRc.ok);

  const noAction = await run(dummy, [], env({}));
  t.is(noAction.code, OcfRc.errArgs);
  const unknown = await run(dummy, ['frobnicate'], env({}));
  t.is(unknown.code, OcfRc.errUnimplemented);
  t.regex(unknown.stderr, /ocf-exit-reason:action frobnicate is not supported by Dummy/);
});
