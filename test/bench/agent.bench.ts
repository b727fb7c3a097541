/**
 * `npm run bench:agent [-- --seconds N --runs N]`: the agent's costs.
 *
 * 1. Executor overhead per forked action: the stock ocf:heartbeat:Dummy monitor run N times (200)
 *    through the executor and N times spawned directly with the same environment, interleaved so
 *    load on the machine hits both alike; prints ms/action both ways and the difference.
 * 2. Steady state: one executor with 100 Dummy-like resources monitored every 10 s (the built-in
 *    ocf:tandem:Dummy, in-process) and a ping monitored every 200 ms (the built-in ping agent and
 *    its long-lived fping, or a forked `fping -c1 -t100 127.0.0.1` when no built-in ping exists)
 *    for 60 s (--seconds): prints CPU % of one core (this process, its reaped children and the
 *    progress of its live descendants, such as the ping agent's fping) and RSS.
 *
 * Part 2 runs as users run tandemd: bin/tandemd starts the esbuild bundle build/tandemd.mjs (made
 * by scripts/build.sh) under plain node, so part 2 is this file bundled the same way (esbuild,
 * packages external, written under build/) and run by plain node in a child. `--tsx` runs it
 * under the tsx loader instead (what bin/tandemd falls back to when the bundle is stale);
 * `--forked-dummy` monitors the stock ocf:heartbeat:Dummy instead (one fork per monitor run).
 *
 * Targets: overhead < 5 ms per forked action; CPU < 1% of a core; RSS < 80 MB.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NodeAttributes } from '../../agent/attributes/index.ts';
import {
  DEFAULT_OCF_ROOT,
  Executor,
  buildOcfEnvironment,
  SpawnProcessRunner,
  ocfAgentPath,
  systemClock,
} from '../../agent/executor/index.ts';
import { MonitorScheduler } from '../../agent/monitors/index.ts';
import type { AgentRef } from '../../coordinator/cib/model.ts';
import type { AgentContext, AgentResult, BuiltinAgent } from '../../resource-agents/agent-api.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '200' },
    resources: { type: 'string', default: '100' },
    'forked-dummy': { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    'steady-only': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const resourceCount = Number(values.resources);
/** Monitor the stock ocf:heartbeat:Dummy (a fork per monitor) instead of the built-in one. */
const forkedDummy = values['forked-dummy'];

const TARGET_OVERHEAD_MS = 5;
const TARGET_CPU_PCT = 1;
const TARGET_RSS_MB = 80;

function stats(samples: number[]): { mean: number; median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { mean: samples.reduce((s, x) => s + x, 0) / samples.length, median: at(0.5), p90: at(0.9) };
}

function verdict(ok: boolean): string {
  return ok ? 'OK' : 'OVER TARGET';
}

/** utime + stime (ms) of every live descendant of this process (the ping agent's fping), by PID. */
async function liveDescendantsCpuMs(): Promise<Map<number, number>> {
  const { readdir } = await import('node:fs/promises');
  const procs = new Map<number, { ppid: number; cpuMs: number }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state (field 3) is index 0, ppid index 1, utime index 11, stime index 12.
    procs.set(Number(name), { ppid: Number(f[1]), cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / 100 });
  }
  const out = new Map<number, number>();
  const walk = (parent: number): void => {
    for (const [pid, p] of procs) {
      if (p.ppid === parent && !out.has(pid)) {
        out.set(pid, p.cpuMs);
        walk(pid);
      }
    }
  };
  walk(process.pid);
  return out;
}

/** CPU of descendants between two samples: reaped ones (cutime) plus the progress of live ones. */
function descendantsCpuMs(
  a: { reaped: number; live: Map<number, number> },
  b: { reaped: number; live: Map<number, number> },
): number {
  let ms = b.reaped - a.reaped;
  for (const v of b.live.values()) ms += v;
  for (const v of a.live.values()) ms -= v;
  return ms;
}

async function childrenSample(): Promise<{ reaped: number; live: Map<number, number> }> {
  return { reaped: await childrenCpuMs(), live: await liveDescendantsCpuMs() };
}

/**
 * Voluntary context switches of every thread of this process (main, libuv pool, V8): how often it
 * woke up. Unlike CPU time, hardly inflated by other load on the machine.
 */
function wakeups(): number {
  // Synchronous reads: through the thread pool, the reading itself would wake threads.
  let n = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let status: string;
    try {
      status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    } catch {
      continue;
    }
    n += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return n;
}

/** Children's CPU (reaped) from /proc/self/stat: cutime + cstime, in ms. */
async function childrenCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command: state is index 0 (field 3); cutime is field 16, cstime field 17.
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return ((cutime + cstime) * 1000) / 100; // USER_HZ = 100 on Linux
}

function runDirect(file: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, ['monitor'], { env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
}

async function overhead(stateDir: string): Promise<void> {
  const agent = { standard: 'ocf' as const, provider: 'heartbeat', type: 'Dummy' };
  const executor = new Executor({ stateDir });
  const file = ocfAgentPath(DEFAULT_OCF_ROOT, agent);
  const env = buildOcfEnvironment({
    ocfRoot: DEFAULT_OCF_ROOT,
    stateDir,
    baseEnv: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    agent,
    resource: 'bench',
    action: 'monitor',
    params: {},
    meta: {},
    timeoutMs: 20000,
    intervalMs: 0,
  });
  const groupRunner = new SpawnProcessRunner();
  const viaExecutor: number[] = [];
  const direct: number[] = [];
  const directGroup: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const a = performance.now();
    const r = await executor.execute({ resource: 'bench', agent, action: 'monitor', expectedRc: 7 });
    const b = performance.now();
    const code = await runDirect(file, env);
    const c = performance.now();
    const viaRunner = await groupRunner.run({ file, args: ['monitor'], env, timeoutMs: 20000 });
    const codeGroup = viaRunner.outcome.kind === 'exited' ? viaRunner.outcome.exitCode : -1;
    const d = performance.now();
    if (r.rc !== 7 || code !== 7 || codeGroup !== 7) {
      throw new Error(`unexpected: executor rc ${String(r.rc)}, direct ${code}, ${codeGroup}`);
    }
    if (i >= 10) {
      viaExecutor.push(b - a);
      direct.push(c - b);
      directGroup.push(d - c);
    }
  }
  await executor.dispose();
  const e = stats(viaExecutor);
  const d = stats(direct);
  const g = stats(directGroup);
  const diff = e.median - d.median;
  console.log(
    `\n1. executor overhead per forked action (stock ocf:heartbeat:Dummy monitor, ${runs} runs each, interleaved)`,
  );
  console.log(
    `   through the executor: mean ${e.mean.toFixed(2)} ms, median ${e.median.toFixed(2)} ms, p90 ${e.p90.toFixed(2)} ms`,
  );
  console.log(
    `   spawned directly:     mean ${d.mean.toFixed(2)} ms, median ${d.median.toFixed(2)} ms, p90 ${d.p90.toFixed(2)} ms`,
  );
  console.log(
    `   the ProcessRunner alone (own process group: ${groupRunner.processGroupMode}): median ${g.median.toFixed(2)} ms`,
  );
  console.log(
    `   of the overhead: ${(g.median - d.median).toFixed(2)} ms is the ProcessRunner (process group, output capture, timers), ${(e.median - g.median).toFixed(2)} ms the executor's own work`,
  );
  console.log(
    `   overhead (median difference): ${diff.toFixed(2)} ms/action (mean difference ${(e.mean - d.mean).toFixed(2)} ms)   target < ${TARGET_OVERHEAD_MS} ms: ${verdict(diff < TARGET_OVERHEAD_MS)}`,
  );
}

/** Stand-in for ocf:tandem:Dummy when the built-in agents are not available. */
const statDummy: BuiltinAgent = {
  provider: 'tandem',
  type: 'Dummy',
  metaData: () =>
    '<resource-agent name="Dummy"><version>1.1</version><parameters/><actions/></resource-agent>',
  async run(action: string, ctx: AgentContext): Promise<AgentResult> {
    const { access, writeFile, unlink } = await import('node:fs/promises');
    const file = join(ctx.stateDir, `Dummy-${ctx.instance}.state`);
    switch (action) {
      case 'start':
        await writeFile(file, '');
        return { rc: 0 };
      case 'stop':
        await unlink(file).catch(() => undefined);
        return { rc: 0 };
      case 'monitor':
        return access(file).then(
          () => ({ rc: 0 }),
          () => ({ rc: 7 }),
        );
      default:
        return { rc: 3 };
    }
  },
};

async function steadyState(stateDir: string): Promise<void> {
  const builtins: BuiltinAgent[] = await import('../../resource-agents/index.ts').then(
    (mod) => [...mod.builtinAgents.values()],
    (): BuiltinAgent[] => [],
  );
  const dummy = builtins.find((a) => a.type === 'Dummy') ?? statDummy;
  const ping = builtins.find((a) => a.type === 'ping');
  const attrs = NodeAttributes.inMemory(systemClock);
  const executor = new Executor({
    stateDir,
    builtinAgents: ping ? [dummy, ping] : [dummy],
    setNodeAttribute: (name, value, options) => attrs.set(name, value, options ?? {}),
  });
  let failures = 0;
  let results = 0;
  const monitors = new MonitorScheduler({
    executor,
    clock: systemClock,
    onFailure: (e) => {
      failures += 1;
      if (failures <= 3)
        console.log(
          `   monitor failure: ${e.key} ${e.result.status} rc=${String(e.result.rc)} ${e.result.exitReason ?? ''}`,
        );
    },
    onResult: () => {
      results += 1;
    },
  });
  const dummyRef = {
    standard: 'ocf' as const,
    provider: forkedDummy ? 'heartbeat' : 'tandem',
    type: 'Dummy',
  };
  for (let i = 0; i < resourceCount; i++) {
    const r = await executor.execute({ resource: `d${i}`, agent: dummyRef, action: 'start' });
    if (r.rc !== 0) throw new Error(`start d${i}: ${r.status} ${String(r.rc)} ${r.exitReason ?? ''}`);
  }
  // Spread the first runs over one interval (start-delay), as a daemon starting resources one by one would.
  for (let i = 0; i < resourceCount; i++) {
    monitors.start({
      resource: `d${i}`,
      agent: dummyRef,
      intervalMs: 10_000,
      startDelayMs: (i * 10_000) / resourceCount,
    });
  }
  const measure = async (
    windowS: number,
  ): Promise<{
    wallMs: number;
    selfMs: number;
    childMs: number;
    maxRss: number;
    results: number;
    wakeups: number;
  }> => {
    // The /proc scans themselves cost CPU and wakeups: sampled outside the window.
    const child0 = await childrenSample();
    const wake0 = wakeups();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const results0 = results;
    let maxRss = process.memoryUsage().rss;
    const end = t0 + windowS * 1000;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(1000, end - performance.now())));
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const wake1 = wakeups();
    return {
      wallMs,
      selfMs: (cpu.user + cpu.system) / 1000,
      childMs: descendantsCpuMs(child0, await childrenSample()),
      maxRss,
      results: results - results0,
      wakeups: wake1 - wake0,
    };
  };
  const pct = (ms: number, wallMs: number): string => `${((ms / wallMs) * 100).toFixed(2)}%`;

  // Window A (attribution): the 100 monitors alone, a third of the run.
  await new Promise((r) => setTimeout(r, 1000));
  const alone = await measure(Math.max(3, seconds / 3));
  let pingLabel: string;
  let pingTimer: NodeJS.Timeout | undefined;
  let pingRuns = 0;
  let pingRef: { agent: AgentRef; params: Record<string, string> } | undefined;
  if (ping) {
    pingLabel =
      'built-in ocf:tandem:ping (host_list=127.0.0.1 timeout=200ms attempts=2, one long-lived fping) monitor every 200 ms';
    const pr = { standard: 'ocf' as const, provider: 'tandem', type: 'ping' };
    const params = { host_list: '127.0.0.1', timeout: '200ms', attempts: '2', dampen: '0' };
    const s = await executor.execute({ resource: 'ping', agent: pr, action: 'start', params });
    if (s.rc !== 0) throw new Error(`ping start: ${s.status} ${String(s.rc)} ${s.exitReason ?? ''}`);
    monitors.start({ resource: 'ping', agent: pr, intervalMs: 200, timeoutMs: 2000, params });
    pingRef = { agent: pr, params };
  } else {
    pingLabel = 'forked `fping -c1 -t100 127.0.0.1` every 200 ms (no built-in ping agent)';
    const tick = (): void => {
      const child = spawn('fping', ['-c1', '-t100', '127.0.0.1'], { stdio: 'ignore' });
      child.once('close', () => {
        pingRuns += 1;
        pingTimer = setTimeout(tick, 200);
      });
      child.once('error', () => undefined);
    };
    tick();
  }

  // Window B (the figure): monitors + ping.
  await new Promise((r) => setTimeout(r, 1000));
  const both = await measure(seconds);
  const { wallMs, selfMs, childMs, maxRss } = both;
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  const maxRssMb = maxRss / 1024 / 1024;
  const pingd = attrs.get('pingd');
  // Window C (attribution): the same prober (period min(timeout, interval) stays 200 ms, pingd is
  // pushed on change), its monitor every 10 s instead of 200 ms.
  let slowMonitor: Awaited<ReturnType<typeof measure>> | undefined;
  if (pingRef !== undefined) {
    monitors.stop('ping');
    monitors.start({ resource: 'ping', ...pingRef, intervalMs: 10_000, timeoutMs: 2000 });
    await new Promise((r) => setTimeout(r, 1000));
    slowMonitor = await measure(Math.max(3, seconds / 3));
  }
  monitors.dispose();
  clearTimeout(pingTimer);
  await executor.dispose();
  await attrs.dispose();

  const cpuPct = ((selfMs + childMs) / wallMs) * 100;
  console.log(
    `\n2. steady state for ${(wallMs / 1000).toFixed(1)} s: ${resourceCount} resources (${forkedDummy ? 'stock ocf:heartbeat:Dummy, forked' : dummy === statDummy ? 'in-bench stat Dummy' : 'built-in ocf:tandem:Dummy'}) monitored every 10 s + ${pingLabel}`,
  );
  console.log(
    `   (attribution) the ${resourceCount} monitors alone, ${(alone.wallMs / 1000).toFixed(1)} s: ${alone.results} results, CPU ${pct(alone.selfMs + alone.childMs, alone.wallMs)} (this process ${pct(alone.selfMs, alone.wallMs)}, children ${pct(alone.childMs, alone.wallMs)}), ${((alone.wakeups * 1000) / alone.wallMs).toFixed(1)} wakeups/s`,
  );
  console.log(
    `   (attribution) the same with the ping's monitor every 10 s (fping still every 200 ms, pingd pushed on change): ${slowMonitor === undefined ? '-' : `CPU ${pct(slowMonitor.selfMs + slowMonitor.childMs, slowMonitor.wallMs)}, ${((slowMonitor.wakeups * 1000) / slowMonitor.wallMs).toFixed(1)} wakeups/s`}`,
  );
  console.log(
    `   monitor results: ${both.results}${ping ? '' : `, fping runs: ${pingRuns}`}, failures: ${failures}${pingd !== undefined ? `, pingd=${pingd}` : ''}`,
  );
  console.log(
    `   CPU: ${cpuPct.toFixed(2)}% of one core (this process ${((selfMs / wallMs) * 100).toFixed(2)}%, children ${((childMs / wallMs) * 100).toFixed(2)}%), ${((both.wakeups * 1000) / wallMs).toFixed(1)} wakeups/s, load average ${loadavg()[0]?.toFixed(1) ?? '?'}   target < ${TARGET_CPU_PCT}%: ${verdict(cpuPct < TARGET_CPU_PCT)}`,
  );
  console.log(
    `   RSS: ${rssMb.toFixed(1)} MB at the end, ${maxRssMb.toFixed(1)} MB max (${(baselineRss / 1024 / 1024).toFixed(1)} MB of it before anything ran: node${values['steady-only'] ? ' running the bundle' : ' + the tsx loader'})   target < ${TARGET_RSS_MB} MB: ${verdict(maxRssMb < TARGET_RSS_MB)}`,
  );
}

/**
 * Part 2 in a child, as tandemd runs: this file bundled by esbuild (tsx's own) the way
 * scripts/build.sh bundles daemon/main.ts (ESM, node20, packages external, under build/ so they
 * resolve from node_modules), run by plain node.
 */
async function steadyStateBundled(): Promise<void> {
  const esbuild = await import('esbuild');
  const buildDir = fileURLToPath(new URL('../../build/', import.meta.url));
  await mkdir(buildDir, { recursive: true });
  const out = join(buildDir, `agent-bench-${process.pid}.mjs`);
  try {
    await esbuild.build({
      entryPoints: [fileURLToPath(import.meta.url)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile: out,
      logLevel: 'warning',
    });
    const args = [
      '--no-warnings',
      out,
      '--steady-only',
      '--seconds',
      String(seconds),
      '--resources',
      String(resourceCount),
    ];
    if (forkedDummy) args.push('--forked-dummy');
    console.log(
      '\n(part 2 runs as bin/tandemd does: an esbuild bundle under plain node, no tsx loader; --tsx for the fallback)',
    );
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: 'inherit' });
      child.once('error', reject);
      child.once('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`bundled run exited ${String(code)}`)),
      );
    });
  } finally {
    await rm(out, { force: true });
  }
}

const baselineRss = process.memoryUsage().rss;
const stateDir = await mkdtemp(join(tmpdir(), `tandem-bench-agent-${process.pid}-`));
try {
  if (!values['steady-only']) {
    console.log(
      `tandem agent benchmark (node ${process.version}, ${runs} runs, ${seconds} s steady state, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    await overhead(stateDir);
  }
  if (values['steady-only'] || values.tsx) {
    if (values.tsx)
      console.log('\n(part 2 runs under the tsx loader, as bin/tandemd does when its bundle is stale)');
    await steadyState(stateDir);
  } else await steadyStateBundled();
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
