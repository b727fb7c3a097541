/**
 * The live two-node cluster for one test: network namespaces, optional Redis witness, two
 * tandemd processes, the abiquo-rs configuration, the group running somewhere. Removed in
 * t.teardown, also when the test fails half-way. Helpers sample the ground truth on the nodes.
 */
import type { ExecutionContext } from 'ava';
import { performance } from 'node:perf_hooks';
import { NODE_NAMES, TwoNodeCluster } from '../../../cli/demo/index.ts';

export interface FixtureOptions {
  witness?: boolean;
  /** Deadline for the group's first start. */
  startTimeoutMs?: number;
}

export interface RunningCluster {
  cluster: TwoNodeCluster;
  /** Where the group started. */
  active: string;
  other: string;
}

/** Builds, starts and configures the cluster; fails the test (with the daemons' logs) if it cannot. */
export async function startCluster(
  t: ExecutionContext,
  options: FixtureOptions = {},
): Promise<RunningCluster> {
  const created = await TwoNodeCluster.create({ witness: options.witness ?? false, log: (l) => t.log(l) });
  if (!created.ok) throw new Error(`cluster network: ${created.error}`);
  const cluster = created.value;
  t.teardown(() => cluster.dispose());
  const available = cluster.profile.available();
  if (!available.ok) throw new Error(available.error);

  const brought = await cluster.bringUp();
  if (!brought.ok) throw new Error(`${brought.error}\n${await diagnostics(cluster)}`);
  const deadline = performance.now() + (options.startTimeoutMs ?? 40_000);
  let active: string | undefined;
  while (performance.now() < deadline) {
    active = await cluster.activeNode();
    if (active !== undefined && (await cluster.serviceAnswers())) break;
    active = undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (active === undefined) {
    const status = await cluster.tandem('rsha1', ['status']);
    throw new Error(
      `the group did not start: ${status.stdout}${status.stderr}\n--- rsha1 ---\n${await cluster.logTail('rsha1')}\n--- rsha2 ---\n${await cluster.logTail('rsha2')}`,
    );
  }
  if (!(await cluster.waitForMembership(20_000))) {
    throw new Error(`the nodes did not agree on membership\n${await diagnostics(cluster)}`);
  }
  return { cluster, active, other: NODE_NAMES.find((n) => n !== active) ?? 'rsha2' };
}

export interface Sample {
  atMs: number;
  /** Nodes holding the floating IP. */
  ip: string[];
  /** Nodes running the stand-in. */
  standin: string[];
  /** Nodes with the repository mounted (seen through their tandemd's mount namespace). */
  mount: string[];
}

/** One sample of where the group's parts run. */
export async function sample(cluster: TwoNodeCluster, since: number): Promise<Sample> {
  const ip: string[] = [];
  const standin: string[] = [];
  const mount: string[] = [];
  for (const name of NODE_NAMES) {
    const parts = await cluster.activeParts(name);
    if (parts.ip) ip.push(name);
    if (parts.standin) standin.push(name);
    if (parts.mount) mount.push(name);
  }
  return { atMs: Math.round(performance.now() - since), ip, standin, mount };
}

/**
 * Samples for `durationMs` (every ~50 ms) and returns every sample; the caller asserts on them.
 * This is an observation window (checking something never happens), not a wait for a condition.
 */
export async function observe(cluster: TwoNodeCluster, durationMs: number): Promise<Sample[]> {
  const start = performance.now();
  const out: Sample[] = [];
  while (performance.now() - start < durationMs) {
    out.push(await sample(cluster, start));
    await new Promise((r) => setTimeout(r, 50));
  }
  return out;
}

/** Polls until the group runs on `node` and answers from the LAN; the time it took (ms) or undefined. */
export async function waitForGroupOn(
  cluster: TwoNodeCluster,
  node: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const start = performance.now();
  return (await cluster.waitForGroupOn(node, timeoutMs)) ? performance.now() - start : undefined;
}

/** Diagnostics for a failed assertion: status from each live node and the daemon log tails. */
export async function diagnostics(cluster: TwoNodeCluster): Promise<string> {
  const parts: string[] = [];
  for (const name of NODE_NAMES) {
    if (cluster.daemon(name) !== undefined) {
      const s = await cluster.tandem(name, ['status'], 10_000);
      parts.push(`--- tandem status on ${name} ---\n${s.stdout}${s.stderr}`);
    }
    parts.push(`--- tandemd log on ${name} ---\n${await cluster.logTail(name, 20)}`);
  }
  return parts.join('\n');
}

/** Samples where the group is not exactly on `node` (IP and stand-in), compactly, at most 8. */
export function offNode(samples: readonly Sample[], node: string): string[] {
  return samples
    .filter((s) => s.ip.join() !== node || s.standin.join() !== node)
    .slice(0, 8)
    .map(formatSample);
}

/** Samples where parts of the group run on more than one node, compactly, at most 8. */
export function onBothNodes(samples: readonly Sample[]): string[] {
  return samples
    .filter((s) => new Set([...s.ip, ...s.standin, ...s.mount]).size > 1)
    .slice(0, 8)
    .map(formatSample);
}

export function formatSample(s: Sample): string {
  return `+${s.atMs}ms ip=[${s.ip.join(',')}] standin=[${s.standin.join(',')}] mount=[${s.mount.join(',')}]`;
}
