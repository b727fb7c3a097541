/**
 * tandem's own agents (`ocf:tandem:TYPE`) run in-process through BuiltinAgent.run, with an
 * AbortSignal that fires on timeout or cancellation. An agent that ignores the signal is abandoned
 * (its promise is left to settle) and the operation reports timeout anyway: the executor never
 * waits past the timeout.
 */
import type { AgentRef, Attributes } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { AgentResult, BuiltinAgent, SetNodeAttribute } from '../../resource-agents/agent-api.ts';
import type { AgentRunner, MetaDataAnswer, RunInput, RunOutcome } from './agent-runner.ts';
import { timeoutReason } from './agent-runner.ts';
import { truncateText } from './bounded-output.ts';
import type { AgentMetaData } from './meta-data.ts';
import { parseMetaData } from './meta-data.ts';
import { ResidentStore } from './resident-store.ts';
import { OcfRc, isOcfRc } from './ocf-rc.ts';
import { validateParams } from './validate-params.ts';

export const BUILTIN_PROVIDER = 'tandem';

export interface BuiltinRunnerOptions {
  agents: Iterable<BuiltinAgent>;
  stateDir: string;
  setNodeAttribute?: SetNodeAttribute;
  maxOutputBytes?: number;
}

export class BuiltinRunner implements AgentRunner {
  readonly #agents = new Map<string, BuiltinAgent>();
  readonly #o: BuiltinRunnerOptions;
  readonly #cache = new Map<string, ParseResult<MetaDataAnswer>>();
  /** What agents keep running between actions (ping's prober); disposed with this runner. */
  readonly residents = new ResidentStore();
  readonly #defaulted = new WeakMap<Attributes, Map<string, Attributes>>();

  constructor(options: BuiltinRunnerOptions) {
    this.#o = options;
    for (const a of options.agents) this.#agents.set(a.type, a);
  }

  types(): string[] {
    return [...this.#agents.keys()].sort();
  }

  has(type: string): boolean {
    return this.#agents.has(type);
  }

  async run(input: RunInput): Promise<RunOutcome> {
    const agent = this.#agents.get(input.agent.type);
    if (agent === undefined) {
      return {
        status: 'not-installed',
        rc: OcfRc.errInstalled,
        exitReason: `no built-in agent ocf:tandem:${input.agent.type} (built-in: ${this.types().join(', ') || 'none'})`,
        output: '',
        stderr: '',
      };
    }
    if (input.action === 'meta-data') {
      return { status: 'done', rc: OcfRc.ok, output: agent.metaData(), stderr: '' };
    }
    const md = await this.metaData(input.agent);
    const params = md.ok ? this.#withDefaults(agent.type, md.value.meta, input.params) : input.params;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(input.signal.reason);
    input.signal.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timeout' | 'cancelled'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(1, input.timeoutMs));
      controller.signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.meta)) meta[k.replace(/-/g, '_')] = v;
    meta['timeout'] = String(input.timeoutMs);
    meta['interval'] = String(input.intervalMs);
    meta['name'] = input.action;
    try {
      const ran: Promise<AgentResult | Error> = agent
        .run(input.action, {
          instance: input.resource,
          params,
          meta,
          timeoutMs: input.timeoutMs,
          intervalMs: input.intervalMs,
          signal: controller.signal,
          stateDir: this.#o.stateDir,
          residents: this.residents,
          ...(this.#o.setNodeAttribute !== undefined ? { setNodeAttribute: this.#o.setNodeAttribute } : {}),
        })
        .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      const first = await Promise.race([ran, limit]);
      if (first === 'timeout' || first === 'cancelled') {
        controller.abort(first);
        return first === 'timeout'
          ? { status: 'timeout', exitReason: timeoutReason(input.timeoutMs), output: '', stderr: '' }
          : { status: 'cancelled', exitReason: 'Operation cancelled', output: '', stderr: '' };
      }
      if (first instanceof Error) {
        return {
          status: 'error',
          rc: OcfRc.errGeneric,
          exitReason: `agent threw: ${first.message}`,
          output: '',
          stderr: '',
        };
      }
      const rc: OcfRc = isOcfRc(first.rc) ? first.rc : OcfRc.errGeneric;
      return {
        status: 'done',
        rc,
        ...(first.exitReason !== undefined ? { exitReason: first.exitReason } : {}),
        output: truncateText(first.output ?? '', this.#o.maxOutputBytes ?? 64 * 1024),
        stderr: '',
      };
    } finally {
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The parameters with meta-data defaults, computed once per parameters object and agent type: a
   * recurring monitor passes the same object on every run (steady-state CPU of many monitors).
   */
  #withDefaults(type: string, meta: AgentMetaData, params: Attributes): Attributes {
    let byType = this.#defaulted.get(params);
    if (byType === undefined) {
      byType = new Map();
      this.#defaulted.set(params, byType);
    }
    let out = byType.get(type);
    if (out === undefined) {
      out = validateParams(`ocf:tandem:${type}`, meta, params).withDefaults;
      byType.set(type, out);
    }
    return out;
  }

  /** Ends what the agents keep running between actions. */
  dispose(): Promise<void> {
    return this.residents.dispose();
  }

  metaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>> {
    const cached = this.#cache.get(agent.type);
    if (cached !== undefined) return Promise.resolve(cached);
    const impl = this.#agents.get(agent.type);
    if (impl === undefined) {
      return Promise.resolve({ ok: false, error: `no built-in agent ocf:tandem:${agent.type}` });
    }
    const xml = impl.metaData();
    const parsed = parseMetaData(xml);
    const answer: ParseResult<MetaDataAnswer> = parsed.ok
      ? { ok: true, value: { xml, meta: parsed.value } }
      : { ok: false, error: `ocf:tandem:${agent.type}: ${parsed.error}` };
    this.#cache.set(agent.type, answer);
    return Promise.resolve(answer);
  }
}
