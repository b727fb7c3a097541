/**
 * Scheduler benchmark (a script, not a test): `npm run bench:scheduler [-- options]`.
 *
 * For each size (nodes × primitives) it generates a cluster with the seeded generator (groups,
 * clones, location rules, colocations, orders, a random current placement with a full probe
 * history), writes the CIB to a temp file and times, on the same file:
 *   - tandem in-process (warm, best of several runs when small): parseCibXml (the XML import) and
 *     schedule() alone;
 *   - `tandem simulate --xml CIB --summary` end to end as a process (node start, file read, XML
 *     import, schedule, print): the CLI bundle that bin/tandem runs (scripts/build.sh is run first,
 *     and the bundle is started directly so a source file edited meanwhile cannot switch bin/tandem
 *     to its slower tsx fallback in the middle of a run);
 *   - crm_simulate planning only: `crm_simulate -x CIB` (scheduler run + transition summary): the
 *     like-for-like comparison with `tandem simulate`;
 *   - crm_simulate -S: the same plus the simulated execution of every action (Pacemaker updates its
 *     CIB copy once per action, so this grows much faster than planning).
 * Processes run under /usr/bin/time (wall, user+system CPU, peak RSS); crm_simulate is killed and
 * shown as "timeout" after --crm-timeout s, and its ratio then as a lower bound (">…x"). CPU time
 * is shown beside wall time because a loaded machine stretches wall time; the load average is
 * printed with the table. "µs/rsc" and "×prev" give the scaling: CLI CPU time per primitive, and
 * the CLI CPU time over the previous size's. Temp files are removed at the end, also on failure.
 *
 * Options: --sizes 2x10,4x100 (default 2x10,4x100,8x1000,16x5000,32x10000), --large (adds 64x20000),
 * --crm-timeout 120, --seed 42.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCibXml, toCibXml } from '../../coordinator/cib/index.ts';
import { schedule } from '../../coordinator/scheduler/index.ts';
import { generateCluster } from '../support/cib-generator.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'build/tandem.mjs');
const NOW = '2025-01-01T00:00:00Z';

interface Args {
  sizes: [number, number][];
  crmTimeoutS: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    sizes: [
      [2, 10],
      [4, 100],
      [8, 1000],
      [16, 5000],
      [32, 10000],
    ],
    crmTimeoutS: 120,
    seed: 42,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') {
      args.sizes = (argv[++i] ?? '').split(',').map((s) => {
        const m = /^(\d+)x(\d+)$/.exec(s.trim());
        if (m === null) throw new Error(`--sizes: "${s}" is not NODESxRESOURCES (e.g. 8x1000)`);
        return [Number(m[1]), Number(m[2])];
      });
    } else if (a === '--large') args.sizes.push([64, 20000]);
    else if (a === '--crm-timeout') args.crmTimeoutS = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else
      throw new Error(`unknown argument ${a}; see the comment at the top of test/bench/scheduler.bench.ts`);
  }
  return args;
}

interface Run {
  ms: number;
  /** User + system CPU time (from /usr/bin/time), when known. */
  cpuMs?: number;
  /** Peak resident set size in KiB (from /usr/bin/time), when known. */
  rssKb?: number;
  timedOut: boolean;
  code: number | null;
  stderr: string;
}

const HAVE_TIME = existsSync('/usr/bin/time');
const TIME_MARK = 'BENCH-TIME';

/**
 * Runs a command in its own process group (so a timeout can stop it and everything it started),
 * under /usr/bin/time when there is one.
 */
function run(cmd: string, argv: string[], timeoutS: number): Promise<Run> {
  const [file, args] = HAVE_TIME
    ? ['/usr/bin/time', ['-f', `${TIME_MARK} %U %S %M`, cmd, ...argv]]
    : [cmd, argv];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 100_000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, timeoutS * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const r: Run = { ms: performance.now() - started, timedOut, code, stderr };
      const m = new RegExp(`${TIME_MARK} ([\\d.]+) ([\\d.]+) (\\d+)`).exec(stderr);
      if (m !== null && !timedOut) {
        r.cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
        r.rssKb = Number(m[3]);
      }
      resolve(r);
    });
  });
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function fmtMb(kb: number | undefined): string {
  return kb === undefined ? '-' : (kb / 1024).toFixed(0);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n');
}

/**
 * Best of `repeats` runs of `f`: CPU time of this process (user + system, ms), which a loaded
 * machine stretches far less than wall time.
 */
function bestCpu(repeats: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    min = Math.min(min, (c.user + c.system) / 1000);
  }
  return min;
}

/** The command that runs `tandem`: the CLI bundle (built first), else bin/tandem. */
function tandemCommand(): [string, string[]] {
  try {
    execFileSync('bash', [join(ROOT, 'scripts/build.sh')], { stdio: 'inherit' });
  } catch {
    // build.sh reports its own failure; bin/tandem then runs the sources through tsx.
  }
  return existsSync(BUNDLE) ? [process.execPath, ['--no-warnings', BUNDLE]] : [join(ROOT, 'bin/tandem'), []];
}

function loadText(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), `tandem-bench-${process.pid}-`));
  // Interrupted runs clean up too (a CIB at 32x10000 is about 175 MB).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const [tandemCmd, tandemArgs] = tandemCommand();
  const loadBefore = loadText();
  const rows: string[][] = [
    [
      'nodes',
      'resources',
      'CIB MB',
      'import cpu ms',
      'schedule() cpu ms',
      'tandem ms',
      'tandem cpu ms',
      'µs/rsc',
      '×prev',
      'crm_simulate ms',
      'crm cpu ms',
      'crm -S ms',
      'crm/tandem',
      'crm/tandem cpu',
      'tandem RSS MB',
      'crm RSS MB',
    ],
  ];
  let prevCpuMs: number | undefined;
  try {
    for (const [nodes, resources] of args.sizes) {
      process.stderr.write(`bench: ${nodes} nodes × ${resources} resources: generating…\n`);
      const cluster = generateCluster({ seed: args.seed, nodes, resources, probedFraction: 1 });
      const xml = toCibXml(cluster.config, cluster.status);
      const path = join(dir, `cib-${nodes}x${resources}.xml`);
      await writeFile(path, xml);

      process.stderr.write(`bench: ${nodes}×${resources}: tandem in-process…\n`);
      const repeats = resources <= 1000 ? 5 : resources <= 5000 ? 2 : 1;
      const parsed = parseCibXml(xml);
      if (!parsed.ok)
        throw new Error(`tandem cannot import its own export (${nodes}x${resources}): ${parsed.error}`);
      const importMs = bestCpu(repeats, () => parseCibXml(xml));
      const input = { config: parsed.value.config, status: parsed.value.status, now: Date.parse(NOW) };
      const scheduleMs = bestCpu(repeats, () => schedule(input));

      process.stderr.write(`bench: ${nodes}×${resources}: tandem simulate…\n`);
      const cli = await run(
        tandemCmd,
        [...tandemArgs, 'simulate', '--xml', path, '--now', NOW, '--summary'],
        600,
      );
      if (cli.code !== 0 && !cli.timedOut)
        throw new Error(`tandem simulate failed on ${path}:\n${cli.stderr}`);

      process.stderr.write(`bench: ${nodes}×${resources}: crm_simulate…\n`);
      const plan = await run('crm_simulate', ['-x', path, `--set-datetime=${NOW}`], args.crmTimeoutS);
      process.stderr.write(`bench: ${nodes}×${resources}: crm_simulate -S…\n`);
      const full = await run('crm_simulate', ['-x', path, '-S', `--set-datetime=${NOW}`], args.crmTimeoutS);
      const timeout = `timeout(${args.crmTimeoutS}s)`;
      const shown = (r: Run): string => (r.timedOut ? timeout : fmtMs(r.ms));
      // A timed-out crm_simulate ran at least --crm-timeout seconds (wall); its CPU time is unknown.
      const ratio = (crm: number | undefined, base: number | undefined, timedOut: boolean): string => {
        if (base === undefined) return '-';
        if (timedOut) return `>${((args.crmTimeoutS * 1000) / base).toFixed(0)}x`;
        return crm === undefined ? '-' : `${(crm / base).toFixed(1)}x`;
      };
      rows.push([
        String(nodes),
        String(resources),
        (xml.length / 1e6).toFixed(1),
        fmtMs(importMs),
        fmtMs(scheduleMs),
        cli.timedOut ? 'timeout' : fmtMs(cli.ms),
        fmtMs(cli.cpuMs),
        cli.cpuMs === undefined ? '-' : ((cli.cpuMs * 1000) / resources).toFixed(0),
        cli.cpuMs === undefined || prevCpuMs === undefined ? '-' : `${(cli.cpuMs / prevCpuMs).toFixed(1)}`,
        shown(plan),
        plan.timedOut ? '-' : fmtMs(plan.cpuMs),
        shown(full),
        ratio(plan.ms, cli.ms, plan.timedOut),
        plan.timedOut ? ratio(undefined, cli.ms, true) : ratio(plan.cpuMs, cli.cpuMs, false),
        fmtMb(cli.rssKb),
        plan.timedOut ? '-' : fmtMb(plan.rssKb),
      ]);
      prevCpuMs = cli.cpuMs;
      await rm(path, { force: true });
      // The table so far, so a long run shows its early rows (the final table is printed at the end).
      process.stderr.write(`${table(rows)}\n`);
    }
    console.log(table(rows));
    console.log(
      `\nimport / schedule(): in-process CPU time, warm, best of several runs (parseCibXml; schedule() on the imported CIB). ` +
        `tandem: \`tandem simulate --xml … --summary\` end to end (${tandemCmd === process.execPath ? 'the CLI bundle' : 'bin/tandem'}: ` +
        `node start, file read, import, schedule, print), wall and user+system CPU. crm_simulate: -x … (planning) ` +
        `and -x … -S (planning and simulated execution) on the same file. µs/rsc: tandem CPU per primitive; ` +
        `×prev: tandem CPU over the previous size's. Ratios: crm_simulate planning over tandem (wall; CPU). ` +
        `Peak RSS from /usr/bin/time. Machine: ${cpus().length} CPUs, load average ${loadBefore} before, ${loadText()} after.`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
