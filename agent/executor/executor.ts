/**
 * The executor: runs resource-agent actions on this node.
 *
 *   execute(request) → per-resource queue (one operation at a time per resource)
 *                    → node-wide semaphore (at most `maxConcurrent` operations at once)
 *                    → parameter check before start (meta-data: required parameters)
 *                    → runner for the standard (OCF fork, LSB fork, built-in in-process)
 *                    → history (OpRecord) and result listeners
 *
 * It owns no timers of its own beyond the runners' per-operation ones; dispose() cancels every
 * queued and running operation, waits for them to end (children killed), then ends what built-in
 * agents keep running between actions (ping's prober).
 */
import type { Logger } from 'pino';
import type { AgentRef } from '../../coordinator/cib/model.ts';
import type { ResourceHistory } from '../../coordinator/cib/status.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { BuiltinAgent, SetNodeAttribute } from '../../resource-agents/agent-api.ts';
import type { AgentRunner, MetaDataAnswer, RunOutcome } from './agent-runner.ts';
import { timeoutReason } from './agent-runner.ts';
import { formatAgentRef } from './agent-spec.ts';
import { BUILTIN_PROVIDER, BuiltinRunner } from './builtin-runner.ts';
import type { Clock, MonoMs } from './clock.ts';
import { systemClock } from './clock.ts';
import { DEFAULT_LSB_DIR, LsbRunner } from './lsb-runner.ts';
import { DEFAULT_OCF_ROOT, DEFAULT_STATE_DIR, OcfRunner } from './ocf-runner.ts';
import { OcfRc } from './ocf-rc.ts';
import { OpHistory } from './op-history.ts';
import type { OperationRequest, OperationResult } from './operation.ts';
import { DEFAULT_TIMEOUT_MS, isSuccess, opKey } from './operation.ts';
import { truncateText } from './bounded-output.ts';
import type { ProcessRunner } from './process-runner.ts';
import { SpawnProcessRunner } from './process-runner.ts';
import { Semaphore } from './semaphore.ts';
import { validateParams } from './validate-params.ts';

export const DEFAULT_MAX_CONCURRENT = 8;

export interface ExecutorOptions {
  processRunner?: ProcessRunner;
  clock?: Clock;
  /** Default /usr/lib/ocf. */
  ocfRoot?: string;
  /** Directory of LSB scripts; default /etc/init.d. */
  lsbDir?: string;
  /** HA_RSCTMP, and the built-in agents' state dir; default /run/resource-agents. */
  stateDir?: string;
  /** This node's name (OCF_RESKEY_CRM_meta_on_node, OpRecord.onNode). */
  nodeName?: string;
  builtinAgents?: Iterable<BuiltinAgent>;
  setNodeAttribute?: SetNodeAttribute;
  /** Node-wide bound on operations running at once; default 8. */
  maxConcurrent?: number;
  /** Between SIGTERM and SIGKILL of a timed-out agent's process group; default 2000 ms. */
  killGraceMs?: number;
  maxOutputBytes?: number;
  /** The environment forked agents start from (PATH, LANG, …); default: PATH only. */
  baseEnv?: Readonly<Record<string, string>>;
  /** Where results are logged (a child logger `{ component: 'executor' }` of the process root). */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
}

/** Agent output is untrusted: logged under its own key, this long at most. */
const LOGGED_OUTPUT_CHARS = 512;

/** `work`, or 'timeout' / 'cancelled' when the limit or the signal comes first. */
async function withinLimit<T>(
  work: Promise<T>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<T | 'timeout' | 'cancelled'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(1, timeoutMs));
    onAbort = () => resolve('cancelled');
    if (signal.aborted) resolve('cancelled');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

export type ResultListener = (result: OperationResult) => void;

interface Pending {
  request: OperationRequest;
  controller: AbortController;
  done: Promise<OperationResult>;
}

export class Executor {
  readonly #clock: Clock;
  readonly #ocf: OcfRunner;
  readonly #lsb: LsbRunner;
  readonly #builtin: BuiltinRunner;
  readonly #semaphore: Semaphore;
  readonly #history = new OpHistory();
  readonly #nodeName: string | undefined;
  readonly #log: Pick<Logger, 'debug' | 'info' | 'warn'> | undefined;
  /** Tail of each resource's queue: the next operation starts after it settles. */
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #pending = new Set<Pending>();
  readonly #listeners = new Set<ResultListener>();
  #callId = 0;
  #disposed = false;

  constructor(options: ExecutorOptions = {}) {
    const processRunner = options.processRunner ?? new SpawnProcessRunner();
    const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
    const baseEnv = options.baseEnv ?? { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' };
    const common = {
      processRunner,
      baseEnv,
      ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
      ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
    };
    this.#clock = options.clock ?? systemClock;
    this.#nodeName = options.nodeName;
    this.#log = options.logger;
    this.#ocf = new OcfRunner({
      ...common,
      ocfRoot: options.ocfRoot ?? DEFAULT_OCF_ROOT,
      stateDir,
      ...(options.nodeName !== undefined ? { nodeName: options.nodeName } : {}),
    });
    this.#lsb = new LsbRunner({ ...common, initDir: options.lsbDir ?? DEFAULT_LSB_DIR });
    this.#builtin = new BuiltinRunner({
      agents: options.builtinAgents ?? [],
      stateDir,
      ...(options.setNodeAttribute !== undefined ? { setNodeAttribute: options.setNodeAttribute } : {}),
      ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
    });
    this.#semaphore = new Semaphore(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  /** Built-in agent types (ocf:tandem:TYPE). */
  builtinTypes(): string[] {
    return this.#builtin.types();
  }

  #runnerFor(agent: AgentRef): AgentRunner | string {
    switch (agent.standard) {
      case 'ocf':
        return agent.provider === BUILTIN_PROVIDER && this.#builtin.has(agent.type)
          ? this.#builtin
          : this.#ocf;
      case 'lsb':
      case 'service':
        return this.#lsb;
      case 'systemd':
      case 'stonith':
        return `standard "${agent.standard}" is not supported by tandem's executor; use ocf:PROVIDER:TYPE or lsb:NAME`;
    }
  }

  /** An agent's meta-data: parsed, with the XML it came from. */
  metaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>> {
    const runner = this.#runnerFor(agent);
    if (typeof runner === 'string') return Promise.resolve({ ok: false, error: runner });
    return runner.metaData(agent);
  }

  /**
   * Runs one action after every earlier operation on the same resource has finished. Never
   * rejects: every failure is a result (status ≠ done, or an rc other than expected).
   */
  execute(request: OperationRequest): Promise<OperationResult> {
    const controller = new AbortController();
    const outer = request.signal;
    const onOuterAbort = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    if (this.#disposed) controller.abort('disposed');

    const queuedAt = this.#clock.monoNow();
    const prev = this.#tails.get(request.resource) ?? Promise.resolve();
    const done = prev.then(() => this.#runQueued(request, controller.signal, queuedAt));
    const pending: Pending = { request, controller, done };
    this.#pending.add(pending);
    const tail = done.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(request.resource, tail);
    void tail.then(() => {
      this.#pending.delete(pending);
      outer?.removeEventListener('abort', onOuterAbort);
      if (this.#tails.get(request.resource) === tail) this.#tails.delete(request.resource);
    });
    return done;
  }

  async #runQueued(
    request: OperationRequest,
    signal: AbortSignal,
    queuedAt: MonoMs,
  ): Promise<OperationResult> {
    const callId = ++this.#callId;
    const intervalMs = request.intervalMs ?? 0;
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const expectedRc = request.expectedRc ?? OcfRc.ok;
    const params = request.params ?? {};
    const release = await this.#semaphore.acquire(signal);
    const startedMono = this.#clock.monoNow();
    const startedAt = this.#clock.wallNow();
    const warnings: string[] = [];
    let outcome: RunOutcome;
    try {
      if (release === undefined || signal.aborted) {
        outcome = {
          status: 'cancelled',
          exitReason: 'Operation cancelled before it started',
          output: '',
          stderr: '',
        };
      } else {
        outcome = await this.#run(request, intervalMs, timeoutMs, signal, warnings);
      }
    } catch (err) {
      outcome = {
        status: 'error',
        exitReason: `executor failure: ${err instanceof Error ? err.message : String(err)}`,
        output: '',
        stderr: '',
      };
    } finally {
      release?.();
    }
    const result: OperationResult = {
      callId,
      resource: request.resource,
      action: request.action,
      intervalMs,
      opKey: opKey(request.resource, request.action, intervalMs),
      status: outcome.status,
      ...(outcome.rc !== undefined ? { rc: outcome.rc } : {}),
      ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
      ...(outcome.exitReason !== undefined ? { exitReason: outcome.exitReason } : {}),
      output: outcome.output,
      stderr: outcome.stderr,
      startedAt,
      durationMs: this.#clock.monoNow() - startedMono,
      queueTimeMs: startedMono - queuedAt,
      expectedRc,
      warnings,
    };
    if (request.action !== 'meta-data') this.#history.record(result, request.agent, params, this.#nodeName);
    this.#logResult(result);
    for (const listener of this.#listeners) {
      try {
        listener(result);
      } catch (err) {
        // A listener's bug must not turn this operation's result into a rejection.
        this.#log?.warn({ err, rsc: result.resource, op: result.action }, 'result listener threw');
      }
    }
    return result;
  }

  #logResult(r: OperationResult): void {
    if (this.#log === undefined) return;
    const fields = {
      rsc: r.resource,
      op: r.action,
      intervalMs: r.intervalMs,
      callId: r.callId,
      status: r.status,
      rc: r.rc,
      durationMs: Math.round(r.durationMs),
      queueTimeMs: Math.round(r.queueTimeMs),
      ...(r.exitReason !== undefined ? { exitReason: r.exitReason } : {}),
    };
    if (isSuccess(r)) {
      // A recurring monitor that keeps succeeding is not news.
      if (r.intervalMs > 0) this.#log.debug(fields, 'operation finished');
      else this.#log.info(fields, 'operation finished');
      return;
    }
    this.#log.warn(
      { ...fields, agentStderr: truncateText(r.stderr, LOGGED_OUTPUT_CHARS), warnings: r.warnings },
      'operation failed',
    );
  }

  async #run(
    request: OperationRequest,
    intervalMs: number,
    timeoutMs: number,
    signal: AbortSignal,
    warnings: string[],
  ): Promise<RunOutcome> {
    const runner = this.#runnerFor(request.agent);
    if (typeof runner === 'string') {
      return {
        status: 'not-supported',
        rc: OcfRc.errUnimplemented,
        exitReason: runner,
        output: '',
        stderr: '',
      };
    }
    const params = request.params ?? {};
    if (request.action === 'start' && request.agent.standard === 'ocf') {
      const md = await withinLimit(runner.metaData(request.agent), timeoutMs, signal);
      if (md === 'timeout' || md === 'cancelled') {
        return {
          status: md,
          exitReason:
            md === 'timeout'
              ? `${timeoutReason(timeoutMs)} (meta-data for the parameter check)`
              : 'Operation cancelled',
          output: '',
          stderr: '',
        };
      }
      if (md.ok) {
        const check = validateParams(formatAgentRef(request.agent), md.value.meta, params);
        warnings.push(...check.warnings);
        if (check.errors.length > 0) {
          return {
            status: 'invalid',
            rc: OcfRc.errConfigured,
            exitReason: check.errors.join('; '),
            output: '',
            stderr: '',
          };
        }
      } else {
        warnings.push(`parameters not checked: ${md.error}`);
      }
    }
    return runner.run({
      resource: request.resource,
      agent: request.agent,
      action: request.action,
      intervalMs,
      timeoutMs,
      params,
      meta: request.meta ?? {},
      ...(request.checkLevel !== undefined ? { checkLevel: request.checkLevel } : {}),
      signal,
    });
  }

  /**
   * Cancels queued and running operations of a resource (all, or those matching action and
   * interval). Their results have status `cancelled`. Returns how many were cancelled.
   */
  cancel(resource: string, match: { action?: string; intervalMs?: number } = {}): number {
    let n = 0;
    for (const p of this.#pending) {
      if (p.request.resource !== resource || p.controller.signal.aborted) continue;
      if (match.action !== undefined && p.request.action !== match.action) continue;
      if (match.intervalMs !== undefined && (p.request.intervalMs ?? 0) !== match.intervalMs) continue;
      p.controller.abort('cancelled');
      n += 1;
    }
    return n;
  }

  /** Operations queued or running. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Operations holding a concurrency slot. */
  get runningCount(): number {
    return this.#semaphore.inUse;
  }

  history(resource: string): ResourceHistory | undefined {
    return this.#history.get(resource);
  }

  histories(): ResourceHistory[] {
    return this.#history.all();
  }

  /** Drops a cancelled recurring operation's record. */
  forgetRecurring(resource: string, action: string, intervalMs: number): void {
    this.#history.forgetRecurring(resource, opKey(resource, action, intervalMs));
  }

  clearHistory(resource: string): void {
    this.#history.clear(resource);
  }

  /** Every result, as it completes. Returns the unsubscribe function. */
  onResult(listener: ResultListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cancels everything queued or running and waits until all of it has ended. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const all = [...this.#pending];
    for (const p of all) p.controller.abort('disposed');
    await Promise.all(all.map((p) => p.done));
    await this.#builtin.dispose();
    this.#listeners.clear();
  }
}
