/**
 * ocf:tandem:Dummy — a resource that is "running" while its state file exists. For tests and
 * demos, like ocf:heartbeat:Dummy / ocf:pacemaker:Dummy: start creates the state file, stop removes
 * it, monitor reports 0 or 7 from it. `op_sleep` makes every action take that long (to exercise
 * timeouts); the sleep ends early when the operation is aborted.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AgentContext, AgentResult, BuiltinAgent } from './agent-api.ts';
import { OcfRc } from './agent-api.ts';
import { renderMetaData, withDefaults, type AgentDescription } from './internal/meta-data.ts';
import { parseDuration } from './internal/values.ts';
import { delay } from './internal/run-command.ts';

const description: AgentDescription = {
  type: 'Dummy',
  version: '1.0',
  shortdesc: 'Example stateless resource agent (state file only)',
  longdesc:
    'A resource that does nothing but keep a state file: running while the file exists. ' +
    'Used by tests and demos to exercise placement, ordering and timeouts without side effects.',
  parameters: [
    {
      name: 'state',
      shortdesc: 'State file',
      longdesc:
        'Location of the state file. Default: ${HA_RSCTMP}/Dummy-${OCF_RESOURCE_INSTANCE}.state ' +
        '(the executor state directory).',
      type: 'string',
      unique: true,
    },
    {
      name: 'fake',
      shortdesc: 'Fake attribute',
      longdesc: 'A parameter that can be changed to test reconfiguration; it has no effect.',
      type: 'string',
      default: 'dummy',
    },
    {
      name: 'op_sleep',
      shortdesc: 'Operation sleep duration',
      longdesc:
        'How long every action (except meta-data) sleeps before doing its work: a number of ' +
        'seconds or a duration such as 500ms. Used to test operation timeouts.',
      type: 'string',
      default: '0',
    },
  ],
  actions: [
    { name: 'start', timeout: '20s' },
    { name: 'stop', timeout: '20s' },
    { name: 'monitor', timeout: '20s', interval: '10s', depth: 0 },
    { name: 'reload', timeout: '20s' },
    { name: 'migrate_to', timeout: '20s' },
    { name: 'migrate_from', timeout: '20s' },
    { name: 'meta-data', timeout: '5s' },
    { name: 'validate-all', timeout: '20s' },
  ],
};

const metaData = renderMetaData(description);

function stateFile(ctx: AgentContext, params: Record<string, string>): string {
  const configured = params.state ?? '';
  return configured !== '' ? configured : join(ctx.stateDir, `Dummy-${ctx.instance}.state`);
}

/**
 * Whether the state file exists. In the state directory (the default: HA_RSCTMP, a local tmpfs)
 * one synchronous stat of a few µs, which spares every monitor a thread-pool round trip (idle CPU
 * of 100 monitored resources); a configured path elsewhere might be on a slow filesystem, so it is
 * checked asynchronously.
 */
async function exists(path: string, ctx: AgentContext): Promise<boolean> {
  if (dirname(path) === ctx.stateDir) return existsSync(path);
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function run(action: string, ctx: AgentContext): Promise<AgentResult> {
  if (action === 'meta-data') return { rc: OcfRc.ok, output: metaData };
  const params = withDefaults(description, ctx.params);
  const sleep = parseDuration('op_sleep', params.op_sleep);
  if (!sleep.ok) return { rc: OcfRc.errConfigured, exitReason: sleep.error };
  if ((sleep.value ?? 0) > 0) {
    await delay(sleep.value ?? 0, ctx.signal);
    if (ctx.signal.aborted) return { rc: OcfRc.errGeneric, exitReason: 'operation aborted during op_sleep' };
  }
  const file = stateFile(ctx, params);
  switch (action) {
    case 'start':
    case 'migrate_from':
      if (await exists(file, ctx)) return { rc: OcfRc.ok };
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, `${params.fake ?? ''}\n`);
      } catch (err) {
        return {
          rc: OcfRc.errGeneric,
          exitReason: `cannot create state file ${file}: ${(err as Error).message}`,
        };
      }
      return { rc: OcfRc.ok };
    case 'stop':
    case 'migrate_to':
      await rm(file, { force: true });
      return { rc: OcfRc.ok };
    case 'monitor':
    case 'status':
      if (await exists(file, ctx)) return { rc: OcfRc.ok };
      return ctx.intervalMs > 0
        ? { rc: OcfRc.notRunning, exitReason: 'No process state file found' }
        : { rc: OcfRc.notRunning };
    case 'reload':
      return { rc: OcfRc.ok };
    case 'validate-all':
      return validate(file);
    default:
      return { rc: OcfRc.errUnimplemented, exitReason: `action ${action} is not supported by Dummy` };
  }
}

async function validate(file: string): Promise<AgentResult> {
  const dir = dirname(file);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return { rc: OcfRc.ok };
  } catch {
    return {
      rc: OcfRc.errArgs,
      exitReason: `state directory ${dir} is not writable: set state= to a writable path`,
    };
  }
}

export const dummyAgent: BuiltinAgent = {
  provider: 'tandem',
  type: 'Dummy',
  metaData: () => metaData,
  run,
};
