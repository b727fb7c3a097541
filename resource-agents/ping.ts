/**
 * ocf:tandem:ping — measures connectivity to a list of hosts and publishes it as a node attribute
 * (default `pingd`) = multiplier × reachable hosts, like ocf:pacemaker:ping. Its own health is
 * separate: monitor returns 0 whatever the reachability, unless failure_score is set and the score
 * falls below it (then 1), as in the stock agent.
 *
 * In tandemd (an executor with `residents`): one long-lived `fping -l` per instance
 * (internal/fping-prober.ts) pings every host every min(timeout, monitor interval) and keeps a
 * verdict per host; monitors read it, and the attribute is pushed as soon as the reachable count
 * changes — no fork per monitor, so a 200 ms interval costs next to nothing. Standalone (one
 * process per action) or with use_fping=false: one measurement per action, `fping -a -r N` for all
 * hosts at once, or one `ping` per host in parallel when fping is absent.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentContext, AgentResult, BuiltinAgent, Resident, SetNodeAttribute } from './agent-api.ts';
import { OcfRc } from './agent-api.ts';
import { FpingProber } from './internal/fping-prober.ts';
import {
  missingRequired,
  renderMetaData,
  withDefaults,
  type AgentDescription,
} from './internal/meta-data.ts';
import { findExecutable, runCommand } from './internal/run-command.ts';
import { parseBool, parseDuration, parseInteger } from './internal/values.ts';

const description: AgentDescription = {
  type: 'ping',
  version: '1.0',
  shortdesc: 'Connectivity to a list of hosts as a node attribute',
  longdesc:
    'Pings every host in host_list on each monitor and sets the node attribute name (pingd) to ' +
    'multiplier times the number of hosts that answered, with dampening. Use it as a clone on ' +
    'every node together with a location rule such as ' +
    '"score=-INFINITY pingd lt 1 or not_defined pingd" so that resources leave a node that lost ' +
    'its gateway. The monitor itself succeeds regardless of reachability unless failure_score is set. ' +
    'Run by tandemd, one long-lived fping per instance sends an echo request to every host every ' +
    'min(timeout, monitor interval); a host is unreachable once attempts requests in a row went ' +
    'unanswered, reachable again at its first reply, and the attribute is written as soon as the ' +
    'count changes (after dampen), not only at the next monitor. Time to notice a lost host: ' +
    '(attempts - 1) x period + timeout, plus up to one period, plus dampen: 200-300 ms with ' +
    'timeout=100ms attempts=2 dampen=0 (one lost reply tolerated), 400-600 ms with timeout=200ms ' +
    'attempts=2, 6-8 s plus 5 s dampen with the defaults. Shorter timeouts notice sooner but need ' +
    'replies within them (a LAN answers in well under 1 ms); more attempts or a dampen ride out ' +
    'more lost replies, each at the cost of detection time.',
  parameters: [
    {
      name: 'host_list',
      shortdesc: 'Hosts to ping',
      longdesc: 'Space-separated list of hosts (addresses or names) to ping, e.g. the gateway.',
      type: 'string',
      required: true,
    },
    {
      name: 'name',
      shortdesc: 'Attribute name',
      longdesc: 'Name of the node attribute to set.',
      type: 'string',
      default: 'pingd',
      unique: true,
    },
    {
      name: 'multiplier',
      shortdesc: 'Value multiplier',
      longdesc: 'The attribute value is the number of reachable hosts times this.',
      type: 'integer',
      default: '1',
    },
    {
      name: 'dampen',
      shortdesc: 'Dampening interval',
      longdesc:
        'How long a changed value must stay before it is written (node attribute dampening), ' +
        'as a duration: 5s, 500ms, 0. It adds to the time to notice a lost host; 0 for ' +
        'sub-second failover, relying on attempts against a single lost reply.',
      type: 'string',
      default: '5s',
    },
    {
      name: 'attempts',
      shortdesc: 'Pings per host',
      longdesc:
        'How many echo requests in a row a host may leave unanswered before it counts as ' +
        'unreachable (1-10). 2 or more, so that one lost reply does not move resources.',
      type: 'integer',
      default: '3',
    },
    {
      name: 'timeout',
      shortdesc: 'Reply timeout',
      longdesc:
        'How long to wait for each reply: a duration such as 150ms, or seconds. Also the longest ' +
        'spacing of the requests (the period is min(timeout, monitor interval)). Default: 2s, ' +
        'reduced so that attempts × timeout fit in 90% of the operation timeout.',
      type: 'string',
    },
    {
      name: 'failure_score',
      shortdesc: 'Failure score',
      longdesc:
        'When set, start and monitor fail (rc 1) while the computed value is below it, so the ' +
        'instance itself fails on a node with too little connectivity.',
      type: 'integer',
    },
    {
      name: 'use_fping',
      shortdesc: 'Use fping',
      longdesc: 'Use fping (one process for all hosts) when installed; otherwise ping, one per host.',
      type: 'boolean',
      default: 'true',
    },
    {
      name: 'debug',
      shortdesc: 'Report unreachable hosts',
      longdesc: 'When true, the action output lists the hosts that did not answer.',
      type: 'boolean',
      default: 'false',
    },
  ],
  actions: [
    { name: 'start', timeout: '60s' },
    { name: 'stop', timeout: '20s' },
    { name: 'monitor', timeout: '60s', interval: '10s', depth: 0 },
    { name: 'meta-data', timeout: '5s' },
    { name: 'validate-all', timeout: '30s' },
  ],
};

const metaData = renderMetaData(description);

interface PingConfig {
  hosts: string[];
  name: string;
  multiplier: number;
  dampenMs: number;
  attempts: number;
  timeoutMs: number;
  failureScore: number | undefined;
  useFping: boolean;
  debug: boolean;
}

type Check<T> = { ok: true; value: T } | { ok: false; result: AgentResult };
const configError = (exitReason: string): { ok: false; result: AgentResult } => ({
  ok: false,
  result: { rc: OcfRc.errConfigured, exitReason },
});

/** Parsed configurations by parameters object: a recurring monitor passes the same one each run. */
const parsed = new WeakMap<AgentContext['params'], { timeoutMs: number; config: Check<PingConfig> }>();

function parseConfig(ctx: AgentContext): Check<PingConfig> {
  const known = parsed.get(ctx.params);
  if (known !== undefined && known.timeoutMs === ctx.timeoutMs) return known.config;
  const config = parseConfigOnce(ctx);
  parsed.set(ctx.params, { timeoutMs: ctx.timeoutMs, config });
  return config;
}

function parseConfigOnce(ctx: AgentContext): Check<PingConfig> {
  const p = withDefaults(description, ctx.params);
  const missing = missingRequired(description, p);
  if (missing.length > 0) return configError(`missing required parameter(s): ${missing.join(', ')}`);
  const hosts = (p.host_list ?? '').split(/[\s,]+/).filter((h) => h !== '');
  const name = (p.name ?? 'pingd').trim();
  if (!/^[A-Za-z0-9_.#-]+$/.test(name)) return configError(`name="${name}" is not a valid attribute name`);
  const multiplier = parseInteger('multiplier', p.multiplier, { min: 0 });
  if (!multiplier.ok) return configError(multiplier.error);
  const attempts = parseInteger('attempts', p.attempts, { min: 1, max: 10 });
  if (!attempts.ok) return configError(attempts.error);
  const dampen = parseDuration('dampen', p.dampen);
  if (!dampen.ok) return configError(dampen.error);
  const timeout = parseDuration('timeout', p.timeout);
  if (!timeout.ok) return configError(timeout.error);
  if (timeout.value === 0) return configError('timeout=0 is not valid: use a duration such as 150ms or 2s');
  const failureScore = parseInteger('failure_score', p.failure_score);
  if (!failureScore.ok) return configError(failureScore.error);
  const useFping = parseBool('use_fping', p.use_fping, true);
  if (!useFping.ok) return configError(useFping.error);
  const debug = parseBool('debug', p.debug, false);
  if (!debug.ok) return configError(debug.error);
  const tries = attempts.value ?? 3;
  return {
    ok: true,
    value: {
      hosts,
      name,
      multiplier: multiplier.value ?? 1,
      dampenMs: dampen.value ?? 5000,
      attempts: tries,
      timeoutMs: timeout.value ?? Math.max(100, Math.min(2000, Math.floor((ctx.timeoutMs * 0.9) / tries))),
      failureScore: failureScore.value,
      useFping: useFping.value,
      debug: debug.value,
    },
  };
}

/** Hosts fping reported alive (`fping -a` prints each answering target as given, one per line). */
export function parseFpingAlive(stdout: string): Set<string> {
  return new Set(
    stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  );
}

/** Whether iputils ping's summary says at least one reply came back. */
export function pingReceivedAny(stdout: string): boolean {
  const m = /(\d+) (?:packets )?received/.exec(stdout);
  return m !== null && Number(m[1]) > 0;
}

/** One measurement within the action (standalone mode, use_fping=false, or fping missing). */
async function reachableOnce(
  c: PingConfig,
  signal: AbortSignal,
): Promise<{ alive: Set<string>; error?: string }> {
  // Overall bound: every attempt timing out, plus slack for process start.
  const boundMs = c.attempts * c.timeoutMs + 1000;
  const fping = c.useFping ? findExecutable('fping') : null;
  if (fping !== null) {
    const args = [
      '-a',
      '-r',
      String(c.attempts - 1),
      '-t',
      String(c.timeoutMs),
      '-B',
      '1',
      '-i',
      '1',
      ...c.hosts,
    ];
    const r = await runCommand(fping, args, { signal, timeoutMs: boundMs });
    // fping exits 1 when some host is unreachable, 2 when a name does not resolve: both are answers.
    if (r.code === null || r.code > 2)
      return { alive: new Set(), error: `fping: ${r.error ?? r.stderr.trim()}` };
    return { alive: parseFpingAlive(r.stdout) };
  }
  const ping = findExecutable('ping');
  if (ping === null) return { alive: new Set(), error: 'neither fping nor ping is installed' };
  const results = await Promise.all(
    c.hosts.map(async (host) => {
      const r = await runCommand(
        ping,
        ['-n', '-q', '-c', String(c.attempts), '-W', String(c.timeoutMs / 1000), host],
        { signal, timeoutMs: boundMs },
      );
      return pingReceivedAny(r.stdout) ? host : undefined;
    }),
  );
  return { alive: new Set(results.filter((h): h is string => h !== undefined)) };
}

/**
 * What the in-process agent keeps between actions: the long-lived prober of one ping instance, and
 * how to publish its verdicts. The attribute is written when the reachable set changes (through
 * dampen), not only at the next monitor.
 */
class PingResident implements Resident {
  config: PingConfig;
  setNodeAttribute: SetNodeAttribute | undefined;
  readonly prober: FpingProber;

  constructor(
    fping: string,
    config: PingConfig,
    periodMs: number,
    setNodeAttribute: SetNodeAttribute | undefined,
    initial: ReadonlyMap<string, boolean> | undefined,
  ) {
    this.config = config;
    this.setNodeAttribute = setNodeAttribute;
    this.prober = new FpingProber({
      fping,
      hosts: config.hosts,
      periodMs,
      timeoutMs: config.timeoutMs,
      attempts: config.attempts,
      ...(initial === undefined ? {} : { initial }),
      onChange: (reachable) => {
        const c = this.config;
        this.setNodeAttribute?.(c.name, String(reachable.size * c.multiplier), { dampenMs: c.dampenMs });
      },
    });
  }

  /** Whether this prober measures what `c` asks for (timings only checked for recurring monitors). */
  fits(c: PingConfig, periodMs: number, recurring: boolean): boolean {
    const p = this.prober;
    const sameHosts = [...new Set(c.hosts)].sort().join(' ') === [...p.hosts].sort().join(' ');
    if (!sameHosts || p.attempts !== c.attempts) return false;
    return !recurring || (p.periodMs === periodMs && p.timeoutMs === c.timeoutMs);
  }

  dispose(): Promise<void> {
    return this.prober.dispose();
  }
}

const residentKey = (ctx: AgentContext): string => `ping:${ctx.instance}`;

/**
 * The prober's period: the recurring monitor's interval, at most `timeout` (the spacing of the
 * retries a one-shot measurement makes). Start and probes (interval 0) use `timeout`.
 */
export function probePeriodMs(timeoutMs: number, intervalMs: number): number {
  return intervalMs > 0 ? Math.min(timeoutMs, intervalMs) : timeoutMs;
}

/** Reachable hosts from this instance's long-lived prober (created, or replaced, as needed). */
async function reachableFromResident(
  c: PingConfig,
  ctx: AgentContext,
  residents: NonNullable<AgentContext['residents']>,
  fping: string,
): Promise<{ alive: Set<string>; error?: string }> {
  const recurring = ctx.intervalMs > 0;
  const periodMs = probePeriodMs(c.timeoutMs, ctx.intervalMs);
  const found = residents.get(residentKey(ctx));
  let res = found instanceof PingResident ? found : undefined;
  if (res === undefined || !res.fits(c, periodMs, recurring)) {
    res = new PingResident(fping, c, periodMs, ctx.setNodeAttribute, res?.prober.verdicts());
    residents.set(residentKey(ctx), res);
  } else {
    res.config = c;
    res.setNodeAttribute = ctx.setNodeAttribute;
  }
  const p = res.prober;
  if (!p.settled) await p.waitSettled(c.attempts * p.periodMs + p.timeoutMs + 1000, ctx.signal);
  // fping exits before printing anything (cannot run, bad arguments): a failed monitor, as the
  // one-shot fping's error was, so the ping resource itself is recovered.
  if (p.failure !== undefined) return { alive: new Set(), error: p.failure };
  return { alive: p.reachable() };
}

async function reachableHosts(
  c: PingConfig,
  ctx: AgentContext,
): Promise<{ alive: Set<string>; error?: string }> {
  const fping = c.useFping ? findExecutable('fping') : null;
  if (ctx.residents !== undefined && fping !== null)
    return reachableFromResident(c, ctx, ctx.residents, fping);
  return reachableOnce(c, ctx.signal);
}

const stateFile = (ctx: AgentContext): string => join(ctx.stateDir, `ping-${ctx.instance}.state`);

/** Measures, publishes the attribute, and reports the agent's own health (failure_score). */
async function update(c: PingConfig, ctx: AgentContext): Promise<AgentResult> {
  const { alive, error } = await reachableHosts(c, ctx);
  if (ctx.signal.aborted) return { rc: OcfRc.errGeneric, exitReason: 'ping aborted' };
  if (error !== undefined) return { rc: OcfRc.errGeneric, exitReason: error };
  const count = c.hosts.filter((h) => alive.has(h)).length;
  const score = count * c.multiplier;
  ctx.setNodeAttribute?.(c.name, String(score), { dampenMs: c.dampenMs });
  const down = c.hosts.filter((h) => !alive.has(h));
  const output = c.debug && down.length > 0 ? `${c.name}=${score}; inactive: ${down.join(' ')}` : undefined;
  if (c.failureScore !== undefined && score < c.failureScore) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `${c.name} is less than failure_score (${score} < ${c.failureScore})`,
      ...(output === undefined ? {} : { output }),
    };
  }
  return output === undefined ? { rc: OcfRc.ok } : { rc: OcfRc.ok, output };
}

/** The state file lives in the (local, tmpfs) state dir: one synchronous stat, no thread-pool round trip. */
function isStarted(ctx: AgentContext): boolean {
  return existsSync(stateFile(ctx));
}

async function run(action: string, ctx: AgentContext): Promise<AgentResult> {
  if (action === 'meta-data') return { rc: OcfRc.ok, output: metaData };
  if (!['start', 'stop', 'monitor', 'status', 'validate-all'].includes(action)) {
    return { rc: OcfRc.errUnimplemented, exitReason: `action ${action} is not supported by ping` };
  }
  const config = parseConfig(ctx);
  if (!config.ok) return config.result;
  const c = config.value;
  switch (action) {
    case 'start':
      try {
        await mkdir(ctx.stateDir, { recursive: true });
        await writeFile(stateFile(ctx), `${c.name}\n`);
      } catch (err) {
        return { rc: OcfRc.errGeneric, exitReason: `cannot write state file: ${(err as Error).message}` };
      }
      return update(c, ctx);
    case 'stop':
      await ctx.residents?.release(residentKey(ctx));
      await rm(stateFile(ctx), { force: true });
      ctx.setNodeAttribute?.(c.name, null);
      return { rc: OcfRc.ok };
    case 'validate-all':
      if (c.hosts.length === 0)
        return { rc: OcfRc.errConfigured, exitReason: 'host_list is empty: name at least one host' };
      if ((c.useFping ? findExecutable('fping') : null) === null && findExecutable('ping') === null) {
        return { rc: OcfRc.errInstalled, exitReason: 'neither fping nor ping is installed: install fping' };
      }
      return { rc: OcfRc.ok };
    default:
      if (!isStarted(ctx)) {
        await ctx.residents?.release(residentKey(ctx));
        return { rc: OcfRc.notRunning };
      }
      return update(c, ctx);
  }
}

export const pingAgent: BuiltinAgent = {
  provider: 'tandem',
  type: 'ping',
  metaData: () => metaData,
  run,
};
