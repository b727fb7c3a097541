/**
 * OCF agents as executables under `${ocfRoot}/resource.d/PROVIDER/TYPE`, forked with the action as
 * the sole argument and the Pacemaker environment (ocf-environment.ts).
 */
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRef } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { AgentRunner, MetaDataAnswer, RunInput, RunOutcome } from './agent-runner.ts';
import { formatAgentRef } from './agent-spec.ts';
import { parseMetaData } from './meta-data.ts';
import { buildOcfEnvironment } from './ocf-environment.ts';
import { OcfRc, ocfRcFromExitCode } from './ocf-rc.ts';
import { outcomeOfProcess } from './process-outcome.ts';
import type { ProcessRunner } from './process-runner.ts';

export const DEFAULT_OCF_ROOT = '/usr/lib/ocf';
export const DEFAULT_STATE_DIR = '/run/resource-agents';
const META_DATA_TIMEOUT_MS = 10_000;

export interface OcfRunnerOptions {
  processRunner: ProcessRunner;
  ocfRoot: string;
  stateDir: string;
  baseEnv: Readonly<Record<string, string>>;
  nodeName?: string;
  killGraceMs?: number;
  maxOutputBytes?: number;
}

export function ocfAgentPath(ocfRoot: string, agent: AgentRef): string {
  return join(ocfRoot, 'resource.d', agent.provider ?? '', agent.type);
}

export class OcfRunner implements AgentRunner {
  readonly #o: OcfRunnerOptions;
  /**
   * Parsed meta-data per agent. Only names, required flags and advised timeouts are read from it:
   * stock agents expand defaults per call (Dummy's `state` default holds the instance name), so
   * cached defaults are never exported to another instance.
   */
  readonly #cache = new Map<string, Promise<ParseResult<MetaDataAnswer>>>();
  /**
   * Agent paths seen executable. Caching only the positive answer is safe: an agent removed later
   * fails to spawn with ENOENT, which maps to not-installed just the same.
   */
  readonly #installedPaths = new Set<string>();
  /** HA_RSCTMP is created once (systemd-tmpfiles does it for Pacemaker). */
  #stateDirReady: Promise<void> | undefined;

  constructor(options: OcfRunnerOptions) {
    this.#o = options;
  }

  async #installed(path: string): Promise<string | undefined> {
    if (this.#installedPaths.has(path)) return undefined;
    try {
      await access(path, constants.X_OK);
      this.#installedPaths.add(path);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'EACCES'
        ? `OCF agent ${path} is not executable: chmod 755 it`
        : `OCF agent ${path} not found: install it or check the provider and type`;
    }
  }

  async run(input: RunInput): Promise<RunOutcome> {
    const path = ocfAgentPath(this.#o.ocfRoot, input.agent);
    const missing = await this.#installed(path);
    if (missing !== undefined) {
      return { status: 'not-installed', rc: OcfRc.errInstalled, exitReason: missing, output: '', stderr: '' };
    }
    this.#stateDirReady ??= mkdir(this.#o.stateDir, { recursive: true }).then(
      () => undefined,
      () => undefined,
    );
    await this.#stateDirReady;
    const env = buildOcfEnvironment({
      ocfRoot: this.#o.ocfRoot,
      stateDir: this.#o.stateDir,
      baseEnv: this.#o.baseEnv,
      agent: input.agent,
      resource: input.resource,
      action: input.action,
      params: input.params,
      meta: input.meta,
      timeoutMs: input.timeoutMs,
      intervalMs: input.intervalMs,
      ...(input.checkLevel !== undefined ? { checkLevel: input.checkLevel } : {}),
      ...(this.#o.nodeName !== undefined ? { nodeName: this.#o.nodeName } : {}),
    });
    const result = await this.#o.processRunner.run({
      file: path,
      args: [input.action],
      env,
      cwd: '/',
      timeoutMs: input.timeoutMs,
      signal: input.signal,
      ...(this.#o.killGraceMs !== undefined ? { killGraceMs: this.#o.killGraceMs } : {}),
      ...(this.#o.maxOutputBytes !== undefined ? { maxOutputBytes: this.#o.maxOutputBytes } : {}),
    });
    if (result.outcome.kind === 'spawn-error') this.#installedPaths.delete(path);
    return outcomeOfProcess(result, input.timeoutMs, ocfRcFromExitCode);
  }

  metaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>> {
    const key = formatAgentRef(agent);
    let cached = this.#cache.get(key);
    if (cached === undefined) {
      cached = this.#fetchMetaData(agent);
      this.#cache.set(key, cached);
      // A failed fetch is not cached: the agent may be installed a moment later.
      void cached.then((r) => {
        if (!r.ok) this.#cache.delete(key);
      });
    }
    return cached;
  }

  /** Forgets cached meta-data (after an agent is installed or upgraded). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #fetchMetaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>> {
    const out = await this.run({
      resource: agent.type,
      agent,
      action: 'meta-data',
      intervalMs: 0,
      timeoutMs: META_DATA_TIMEOUT_MS,
      params: {},
      meta: {},
      signal: new AbortController().signal,
    });
    if (out.status !== 'done' || out.rc !== OcfRc.ok) {
      return {
        ok: false,
        error: `${formatAgentRef(agent)} meta-data failed (${out.status}${out.rc !== undefined ? `, rc=${out.rc}` : ''})${out.exitReason ? `: ${out.exitReason}` : ''}`,
      };
    }
    const parsed = parseMetaData(out.output);
    if (!parsed.ok) return { ok: false, error: `${formatAgentRef(agent)}: ${parsed.error}` };
    return { ok: true, value: { xml: out.output, meta: parsed.value } };
  }
}
