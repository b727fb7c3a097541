/**
 * `npm run drill [-- --runs N] [--witness] [--only crash|gateway-loss] [--json]`: repeats the two
 * failovers users care about on a live two-node cluster (network namespaces, real tandemd
 * processes, the abiquo-rs group) and prints median / min / max failover times as a table.
 *
 * - crash: SIGKILL tandemd and everything on the active node, its addresses gone.
 * - gateway-loss: the active node's route to the gateway blackholed (peer and witness reachable).
 *
 * Failover time = from the fault until the floating IP answers HTTP from the gateway namespace
 * with the stand-in's reply, served by the other node. Each round then restores the lost node
 * (revive + tandemd again, or heal the route) so the next round starts from two healthy nodes;
 * the group stays where it went (stickiness), so rounds alternate direction. Every wait has a
 * deadline; the cluster is removed at the end, also on failure or Ctrl-C. Needs root.
 */
import Table from 'cli-table3';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { NODE_NAMES, TwoNodeCluster, measureFailover, summarize } from '../../cli/demo/index.ts';
import { canUseNetns } from '../../lab/netns-topology.ts';

type Scenario = 'crash' | 'gateway-loss';
const SCENARIOS: readonly Scenario[] = ['crash', 'gateway-loss'];

interface Options {
  runs: number;
  witness: boolean;
  scenarios: Scenario[];
  json: boolean;
}

function parseOptions(argv: string[]): Options | string {
  let values: { runs?: string; witness?: boolean; only?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string', short: 'n' },
        witness: { type: 'boolean' },
        only: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const runs = Number(values.runs ?? '5');
  if (!Number.isInteger(runs) || runs < 1 || runs > 100)
    return `--runs must be an integer 1-100, got ${values.runs}`;
  const only = values.only;
  if (only !== undefined && !SCENARIOS.includes(only as Scenario)) {
    return `--only must be one of ${SCENARIOS.join(', ')}, got ${only}`;
  }
  return {
    runs,
    witness: values.witness === true,
    scenarios: only === undefined ? [...SCENARIOS] : [only as Scenario],
    json: values.json === true,
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function activeWithin(cluster: TwoNodeCluster, timeoutMs: number): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const a = await cluster.activeNode();
    if (a !== undefined && (await cluster.serviceAnswers())) return a;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** One failover; then the lost node is restored. Returns the time or an error. */
async function round(
  cluster: TwoNodeCluster,
  scenario: Scenario,
): Promise<{ ms: number; error?: string } | { error: string }> {
  const active = await activeWithin(cluster, 20_000);
  if (active === undefined) return { error: 'the group is not running before the round' };
  const other = NODE_NAMES.find((n) => n !== active) ?? 'rsha2';
  const measured = await measureFailover({
    inject: () => (scenario === 'crash' ? cluster.crash(active) : cluster.topology.loseGateway(active)),
    probe: async () => (await cluster.serviceAnswers()) && (await cluster.activeNode()) === other,
    timeoutMs: 20_000,
  });
  // Restore the lost node whatever happened.
  if (scenario === 'crash') {
    const revived = await cluster.topology.reviveNode(active);
    if (!revived.ok) return { error: revived.error };
    const restarted = await cluster.startDaemon(active);
    if (!restarted.ok) return { error: restarted.error };
  } else {
    const healed = await cluster.topology.heal();
    if (!healed.ok) return { error: healed.error };
  }
  if (!measured.ok) return { error: `${active} → ${other}: ${measured.error}` };
  if (!(await cluster.waitForMembership(20_000))) {
    return { ms: measured.value.failoverMs, error: `${active} did not rejoin within 20 s` };
  }
  return { ms: measured.value.failoverMs };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(
      `drill: ${parsed}\nusage: npm run drill -- [--runs N] [--witness] [--only crash|gateway-loss] [--json]\n`,
    );
    return 2;
  }
  if (!canUseNetns()) {
    process.stderr.write('drill: needs root (network namespaces); run `sudo npm run drill`\n');
    return 1;
  }
  const results = new Map<Scenario, { times: number[]; errors: string[] }>();
  let cluster: TwoNodeCluster | undefined;
  const cleanup = async (): Promise<void> => {
    const c = cluster;
    cluster = undefined;
    if (c !== undefined) await c.dispose();
  };
  const onSignal = (): void => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`drill: building the two-node cluster (witness: ${parsed.witness ? 'Redis' : 'none'})…`);
    const created = await TwoNodeCluster.create({ witness: parsed.witness, log });
    if (!created.ok) throw new Error(created.error);
    cluster = created.value;
    const brought = await cluster.bringUp();
    if (!brought.ok) throw new Error(brought.error);
    for (const scenario of parsed.scenarios) {
      const r = { times: [] as number[], errors: [] as string[] };
      results.set(scenario, r);
      for (let i = 1; i <= parsed.runs; i++) {
        const out = await round(cluster, scenario);
        if ('ms' in out) {
          r.times.push(out.ms);
          log(`drill: ${scenario} #${i}: ${Math.round(out.ms)} ms`);
          if (out.error !== undefined) {
            r.errors.push(out.error);
            log(`drill: ${scenario} #${i}: then FAILED: ${out.error}`);
          }
        } else {
          r.errors.push(out.error);
          log(`drill: ${scenario} #${i}: FAILED: ${out.error}`);
          for (const n of NODE_NAMES) log(`--- tandemd log on ${n} ---\n${await cluster.logTail(n, 25)}`);
          break;
        }
      }
    }
  } catch (err) {
    log(`drill: ${err instanceof Error ? err.message : String(err)}`);
    if (cluster !== undefined)
      for (const n of NODE_NAMES) log(`--- ${n} ---\n${await cluster.logTail(n, 20)}`);
    await cleanup();
    return 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  await cleanup();

  const rows = [...results.entries()].map(([scenario, r]) => ({
    scenario,
    ...summarize(r.times),
    failed: r.errors.length,
  }));
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify({ witness: parsed.witness, rows }, null, 2)}\n`);
  } else {
    const table = new Table({
      head: ['scenario', 'runs', 'ok', 'median ms', 'min ms', 'max ms'],
      style: { head: [], border: [] },
    });
    for (const row of rows) {
      const f = (v: number): string => (Number.isNaN(v) ? '-' : String(Math.round(v)));
      table.push([row.scenario, parsed.runs, row.n, f(row.median), f(row.min), f(row.max)]);
    }
    process.stdout.write(
      `failover drill (witness: ${parsed.witness ? 'Redis' : 'none'})\n${table.toString()}\n`,
    );
  }
  return rows.every((r) => r.failed === 0) ? 0 : 1;
}

process.exitCode = await main();
