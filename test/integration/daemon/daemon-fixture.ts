/**
 * Real tandemd processes on loopback for the daemon integration tests: own ports, temp state
 * dirs, the built-in agents. Everything a test starts is stopped in its teardown (SIGKILL by PID,
 * also of a SIGSTOPped daemon) and every file removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { emptyConfig, saveConfigFile, type ClusterConfig } from '../../../coordinator/cib/index.ts';
import { createKeyFile, LocalTransportClient } from '../../../coordinator/transport/index.ts';
import { buildStatus, type StatusDocument } from '../../../cli/status/index.ts';
import type { StatusSnapshot } from '../../../daemon/status-snapshot.ts';
import { freePort } from '../../../lab/free-port.ts';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface DaemonNode {
  name: string;
  dir: string;
  socket: string;
  conf: string;
  child?: ChildProcess;
  exited?: Promise<void>;
}

export function startDaemon(t: ExecutionContext, node: DaemonNode): void {
  const child = spawn(join(root, 'bin', 'tandemd'), ['--config', node.conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  node.child = child;
  node.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
      process.kill(child.pid, 'SIGKILL');
    await node.exited;
    if (stderr !== '') t.log(`${node.name} stderr: ${stderr.slice(0, 500)}`);
  });
}

export async function status(node: DaemonNode): Promise<StatusDocument | undefined> {
  const snap = await snapshot(node);
  return snap === undefined ? undefined : buildStatus(snap).document;
}

/** The raw status snapshot the node's daemon answers (the DC's, forwarded). */
export async function snapshot(node: DaemonNode): Promise<StatusSnapshot | undefined> {
  const client = new LocalTransportClient(node.socket);
  try {
    const r = await client.status({ localOnly: false }, 1000);
    if (!r.ok) return undefined;
    return JSON.parse(r.value.statusJson) as StatusSnapshot;
  } finally {
    client.close();
  }
}

/** Polls `probe` until it returns a value, or throws after `deadlineMs`. */
export async function until<T>(
  what: string,
  deadlineMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 25,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
}

export function placement(doc: StatusDocument, rsc: string): string[] {
  return doc.resources.filter((r) => r.id === rsc).flatMap((r) => r.nodes);
}

/** Polls NODE's status (every 10 ms) until RSC runs on NODE and nowhere else; that status. */
export function untilRunsOnlyOn(node: DaemonNode, rsc: string, deadlineMs: number): Promise<StatusDocument> {
  return until(
    `${rsc} running only on ${node.name}`,
    deadlineMs,
    async () => {
      const doc = await status(node);
      return doc !== undefined && placement(doc, rsc).join() === node.name ? doc : undefined;
    },
    10,
  );
}

/** The gateway-ping clone of the RS pair, pinging loopback (every node's "gateway" here). */
export const PING_CLONE: ClusterConfig['resources'][number] = {
  kind: 'clone',
  id: 'ping-clone',
  metaAttributes: {},
  child: {
    kind: 'primitive',
    id: 'ping',
    agent: { standard: 'ocf', provider: 'tandem', type: 'ping' },
    instanceAttributes: { host_list: '127.0.0.1', timeout: '200ms', attempts: '2', dampen: '0' },
    metaAttributes: {},
    operations: [{ name: 'monitor', intervalMs: 500, timeoutMs: 5000 }],
  },
};

export interface ClusterSpec {
  witness?: string;
  properties?: Record<string, string>;
  resources: ClusterConfig['resources'];
  constraints?: Partial<ClusterConfig['constraints']>;
  /** Extra tandem.conf lines for every node. */
  conf?: string[];
}

/** Writes the key, configs and initial CIB of two nodes (node1, node2) and starts both daemons. */
export async function setUpDaemons(
  t: ExecutionContext,
  spec: ClusterSpec,
): Promise<{ base: string; nodes: DaemonNode[] }> {
  const base = await mkdtemp(join(tmpdir(), `tandem-daemon-${process.pid}-`));
  t.teardown(() => (process.env['KEEP'] ? undefined : rm(base, { recursive: true, force: true })));
  if (process.env['KEEP']) console.log('BASE', base);
  const keyFile = join(base, 'cluster.key');
  await createKeyFile(keyFile);
  const ports = [await freePort(), await freePort()];
  const names = ['node1', 'node2'];
  const empty = emptyConfig('it', names);
  const config: ClusterConfig = {
    ...empty,
    constraints: { ...empty.constraints, ...spec.constraints },
    properties: { 'stonith-enabled': 'false', ...spec.properties },
    resources: spec.resources,
    version: { adminEpoch: 0, epoch: 1, numUpdates: 0 },
  };
  const nodes: DaemonNode[] = [];
  for (let i = 0; i < 2; i++) {
    const name = names[i] ?? '';
    const other = names[1 - i] ?? '';
    const dir = join(base, name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await saveConfigFile(join(dir, 'cib.json'), config);
    const socket = join(dir, 'tandemd.sock');
    const conf = join(base, `${name}.conf`);
    await writeFile(
      conf,
      [
        'cluster = it',
        `node = ${name}`,
        `listen = 127.0.0.1:${ports[i] ?? 0}`,
        `peer.${other} = 127.0.0.1:${ports[1 - i] ?? 0}`,
        `keyFile = ${keyFile}`,
        `stateDir = ${dir}`,
        `socket = ${socket}`,
        `agentStateDir = ${join(dir, 'rsc')}`,
        `log = ${join(dir, 'tandemd.log')}`,
        ...(spec.witness !== undefined ? [`witness = ${spec.witness}`] : []),
        ...(spec.conf ?? []),
        '',
      ].join('\n'),
    );
    nodes.push({ name, dir, socket, conf });
  }
  for (const n of nodes) startDaemon(t, n);
  return { base, nodes };
}
