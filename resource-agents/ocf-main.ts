/**
 * The standalone OCF entry of tandem's built-in agents: `ocf-main.ts TYPE ACTION`, run by the sh
 * wrappers `installOcf` writes. Maps the OCF environment onto an AgentContext and the AgentResult
 * onto the exit code, stdout (meta-data) and `ocf-exit-reason:` on stderr.
 *
 * Environment read: OCF_RESKEY_* → params; OCF_RESKEY_CRM_meta_* → meta (names as Pacemaker
 * passes them, `-` written as `_`), CRM_meta_timeout/interval (ms) → timeoutMs/intervalMs;
 * OCF_RESOURCE_INSTANCE; HA_RSCTMP → stateDir (default /run/resource-agents, falling back to
 * $TMPDIR/tandem-resource-agents when that is not writable).
 *
 * Node attributes (ping's pingd) in standalone mode: when TANDEM_NODE_ATTRIBUTE_DIR is set, the
 * value is written to `$TANDEM_NODE_ATTRIBUTE_DIR/NAME` (deleted for a delete). Otherwise
 * `attrd_updater -n NAME -U VALUE -d DAMPEN` (`-D` to delete) when that command exists and
 * succeeds; else the file `${HA_RSCTMP}/tandem-attributes/NAME`.
 */
import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '../coordinator/cib/model.ts';
import type { AgentContext, OcfRc as OcfRcType } from './agent-api.ts';
import { OcfRc } from './agent-api.ts';
import { getBuiltinAgent } from './index.ts';
import { findExecutable, runCommand } from './internal/run-command.ts';

const META_PREFIX = 'OCF_RESKEY_CRM_meta_';
const PARAM_PREFIX = 'OCF_RESKEY_';

function readEnvironment(env: NodeJS.ProcessEnv): { params: Attributes; meta: Attributes } {
  const params: Attributes = {};
  const meta: Attributes = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key.startsWith(META_PREFIX)) meta[key.slice(META_PREFIX.length)] = value;
    else if (key.startsWith(PARAM_PREFIX) && key !== 'OCF_RESKEY_crm_feature_set') {
      params[key.slice(PARAM_PREFIX.length)] = value;
    }
  }
  return { params, meta };
}

function msFrom(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

async function writableDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function chooseStateDir(env: NodeJS.ProcessEnv): Promise<string> {
  const wanted = env.HA_RSCTMP !== undefined && env.HA_RSCTMP !== '' ? env.HA_RSCTMP : '/run/resource-agents';
  if (await writableDir(wanted)) return wanted;
  return join(tmpdir(), 'tandem-resource-agents');
}

async function setAttribute(
  stateDir: string,
  env: NodeJS.ProcessEnv,
  name: string,
  value: string | null,
  dampenMs: number | undefined,
): Promise<void> {
  const forcedDir = env.TANDEM_NODE_ATTRIBUTE_DIR;
  if (forcedDir === undefined || forcedDir === '') {
    const attrd = findExecutable('attrd_updater');
    if (attrd !== null) {
      const args =
        value === null
          ? ['-n', name, '-D']
          : ['-n', name, '-U', value, ...(dampenMs === undefined ? [] : ['-d', `${dampenMs}ms`])];
      const r = await runCommand(attrd, args, { timeoutMs: 5000 });
      if (r.code === 0) return;
    }
  }
  const dir = forcedDir !== undefined && forcedDir !== '' ? forcedDir : join(stateDir, 'tandem-attributes');
  const file = join(dir, name);
  if (value === null) {
    await rm(file, { force: true });
  } else {
    await mkdir(dir, { recursive: true });
    await writeFile(file, `${value}\n`);
  }
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<OcfRcType> {
  const [type, action] = argv;
  const agent = type === undefined ? undefined : getBuiltinAgent(type);
  if (agent === undefined) {
    process.stderr.write(`ocf-exit-reason:unknown tandem agent type "${type ?? ''}"\n`);
    return OcfRc.errInstalled;
  }
  if (action === undefined || action === '') {
    process.stderr.write(`usage: ${type} {start|stop|monitor|validate-all|meta-data}\n`);
    return OcfRc.errArgs;
  }
  if (action === 'meta-data') {
    process.stdout.write(agent.metaData());
    return OcfRc.ok;
  }
  const { params, meta } = readEnvironment(env);
  const stateDir = await chooseStateDir(env);
  const controller = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
  const pending: Promise<void>[] = [];
  const ctx: AgentContext = {
    instance: env.OCF_RESOURCE_INSTANCE ?? agent.type,
    params,
    meta,
    timeoutMs: msFrom(meta.timeout, 20_000),
    intervalMs: msFrom(meta.interval, 0),
    signal: controller.signal,
    stateDir,
    setNodeAttribute: (name, value, options) => {
      pending.push(setAttribute(stateDir, env, name, value, options?.dampenMs));
    },
  };
  const result = await agent.run(action, ctx);
  const failures = (await Promise.allSettled(pending)).filter((p) => p.status === 'rejected');
  for (const f of failures) {
    process.stderr.write(`node attribute update failed: ${String(f.reason)}\n`);
  }
  if (result.output !== undefined && result.output !== '')
    process.stderr.write(`${result.output.trimEnd()}\n`);
  if (result.exitReason !== undefined && result.exitReason !== '') {
    process.stderr.write(`ocf-exit-reason:${result.exitReason.replace(/\n/g, ' ')}\n`);
  }
  return result.rc;
}

process.exitCode = await main(process.argv.slice(2), process.env);
