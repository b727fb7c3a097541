/**
 * Scheduler benchmark (a script, not a test): `npm run bench:scheduler [-- options]`.
 *
 * For each size (nodes × primitives) it generates a cluster with the seeded generator (groups,
 * clones, location rules, colocations, orders, a random current placement with a full probe
 * history), writes the CIB to a temp file and times, on the same file:
 *   - tandem in-process: parseCibXml once, then schedule() alone (best of several runs when small);
 *   - tandem CLI end to end: `bin/tandem simulate --xml CIB --summary` as a process, with its peak
 *     RSS (reported by a preload module from process.resourceUsage().maxRSS);
 *   - crm_simulate planning only: `crm_simulate -x CIB` (scheduler run + transition summary), with
 *     its peak RSS from /usr/bin/time: the like-for-like comparison with schedule() and the CLI;
 *   - crm_simulate -S: the same plus the simulated execution of every action (Pacemaker updates its
 *     CIB copy once per action, so this grows much faster than planning); killed and shown as
 *     "timeout" after --crm-timeout s.
 * Prints one plain table. Temp files are removed at the end, also on failure.
 *
 * Options: --sizes 2x10,4x100 (default 2x10,4x100,8x1000,16x5000,32x10000), --large (adds 64x20000),
 * --crm-timeout 120, --seed 42.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCibXml, toCibXml } from '../../coordinator/cib/index.ts';
import { schedule } from '../../coordinator/scheduler/index.ts';
import { generateCluster } from '../support/cib-generator.ts';

const TANDEM = fileURLToPath(new URL('../../bin/tandem', import.meta.url));
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
  /** Peak resident set size in KiB, when known. */
  rssKb?: number;
  timedOut: boolean;
  code: number | null;
  stderr: string;
}

/** Runs a command in its own process group, so a timeout can stop it and everything it started. */
function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv, timeoutS: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
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
      resolve({ ms: performance.now() - started, timedOut, code, stderr });
    });
  });
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), `tandem-bench-${process.pid}-`));
  // Interrupted runs clean up too (a CIB at 32x10000 is a few hundred MB).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const rows: string[][] = [
    [
      'nodes',
      'resources',
      'CIB MB',
      'schedule() ms',
      'CLI ms',
      'crm_simulate ms',
      'crm_simulate -S ms',
      'crm/CLI',
      'crm/schedule',
      'CLI peak RSS MB',
      'crm peak RSS MB',
    ],
  ];
  try {
    const rssFile = join(dir, 'rss');
    const preload = join(dir, 'report-rss.mjs');
    await writeFile(
      preload,
      `import { writeFileSync } from 'node:fs';\n` +
        `process.on('exit', () => { try { writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)); } catch {} });\n`,
    );
    const haveTime = existsSync('/usr/bin/time');
    for (const [nodes, resources] of args.sizes) {
      process.stderr.write(`bench: ${nodes} nodes × ${resources} resources: generating…\n`);
      const cluster = generateCluster({ seed: args.seed, nodes, resources, probedFraction: 1 });
      const xml = toCibXml(cluster.config, cluster.status);
      const path = join(dir, `cib-${nodes}x${resources}.xml`);
      await writeFile(path, xml);

      process.stderr.write(`bench: ${nodes}×${resources}: tandem in-process…\n`);
      const parsed = parseCibXml(xml);
      if (!parsed.ok)
        throw new Error(`tandem cannot import its own export (${nodes}x${resources}): ${parsed.error}`);
      const input = { config: parsed.value.config, status: parsed.value.status, now: Date.parse(NOW) };
      const repeats = resources <= 1000 ? 5 : 1;
      let best = Infinity;
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        schedule(input);
        best = Math.min(best, performance.now() - t0);
      }

      process.stderr.write(`bench: ${nodes}×${resources}: tandem CLI…\n`);
      await rm(rssFile, { force: true });
      const cli = await run(
        TANDEM,
        ['simulate', '--xml', path, '--now', NOW, '--summary'],
        { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
        600,
      );
      if (cli.code !== 0 && !cli.timedOut)
        throw new Error(`tandem simulate failed on ${path}:\n${cli.stderr}`);
      const cliRssKb = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));

      process.stderr.write(`bench: ${nodes}×${resources}: crm_simulate…\n`);
      const timed = (crmArgs: string[]): Promise<Run> =>
        haveTime
          ? run(
              '/usr/bin/time',
              ['-f', 'RSSKB=%M', 'crm_simulate', ...crmArgs],
              process.env,
              args.crmTimeoutS,
            )
          : run('crm_simulate', crmArgs, process.env, args.crmTimeoutS);
      const plan = await timed(['-x', path, `--set-datetime=${NOW}`]);
      process.stderr.write(`bench: ${nodes}×${resources}: crm_simulate -S…\n`);
      const full = await timed(['-x', path, '-S', `--set-datetime=${NOW}`]);
      const crmRss = /RSSKB=(\d+)/.exec(plan.stderr)?.[1];
      const shown = (r: Run): string => (r.timedOut ? `timeout(${args.crmTimeoutS}s)` : fmtMs(r.ms));
      const ratio = (r: Run, base: number): string =>
        r.timedOut ? `>${((args.crmTimeoutS * 1000) / base).toFixed(0)}x` : `${(r.ms / base).toFixed(1)}x`;
      rows.push([
        String(nodes),
        String(resources),
        (xml.length / 1e6).toFixed(1),
        fmtMs(best),
        cli.timedOut ? 'timeout' : fmtMs(cli.ms),
        shown(plan),
        shown(full),
        ratio(plan, cli.ms),
        ratio(plan, best),
        Number.isFinite(cliRssKb) ? (cliRssKb / 1024).toFixed(0) : '-',
        crmRss !== undefined && !plan.timedOut ? (Number(crmRss) / 1024).toFixed(0) : '-',
      ]);
      await rm(path, { force: true });
      // The table so far, so a long run shows its early rows (the final table is printed at the end).
      process.stderr.write(`${table(rows)}\n`);
    }
    console.log(table(rows));
    console.log(
      '\nschedule(): best in-process run on the imported CIB; CLI: bin/tandem simulate --xml … --summary end to end ' +
        '(node start, XML import, schedule, print); crm_simulate: -x … (planning) and -x … -S (planning and ' +
        'simulated execution) on the same file; ratios are crm_simulate planning time over tandem time.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
