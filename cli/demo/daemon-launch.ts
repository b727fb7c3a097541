/**
 * How the demo and the cluster tests start tandemd and talk to it: the one place that knows the
 * daemon's config file format, its command line and how the CLI finds a node's local socket.
 * Everything else in cli/demo/ goes through this profile.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyFile } from '../../coordinator/transport/index.ts';
import { REPO_ROOT } from './runbook.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface NodeLaunchInfo {
  name: string;
  address: string;
  dir: string;
  lsbDir: string;
  stateDir: string;
  /** The agents' state dir (HA_RSCTMP): per node, as /run/resource-agents is on a real host. */
  agentStateDir: string;
  /** Added to the peer port (loopback mode: both nodes on 127.0.0.1 need their own). */
  portOffset: number;
}

export interface WriteConfigsInput {
  clusterName: string;
  workDir: string;
  nodes: readonly NodeLaunchInfo[];
  witnessUrl?: string;
}

export interface DaemonProfile {
  /** Whether tandemd exists in this tree (daemon/main.ts). */
  available(): Result<void>;
  /**
   * `tandem cluster setup` for a live cluster: the shared cluster key and every node's tandemd
   * config (daemon/config.ts format); node → config path.
   */
  writeConfigs(input: WriteConfigsInput): Promise<Result<Map<string, string>>>;
  /** argv that starts tandemd with this config. */
  daemonArgv(configPath: string): string[];
  /** The node's local socket (the CLI's way in). */
  socketPath(node: NodeLaunchInfo): string;
  /** argv of `tandem ARGS`. */
  cliArgv(args: readonly string[]): string[];
  /** The environment that points `tandem` at this node's daemon. */
  cliEnv(node: NodeLaunchInfo): NodeJS.ProcessEnv;
}

export const TANDEM_BIN = join(REPO_ROOT, 'bin', 'tandem');
export const TANDEMD_BIN = join(REPO_ROOT, 'bin', 'tandemd');
export const PEER_PORT = 7400;

/** Membership timing for the demo LAN: a dead peer is noticed within 0.4 s. */
export const HEARTBEAT_INTERVAL_MS = 100;
export const PEER_TIMEOUT_MS = 400;
export const WITNESS_LEASE_MS = 1000;

export function daemonProfile(): DaemonProfile {
  const socketPath = (node: NodeLaunchInfo): string => join(node.stateDir, 'tandemd.sock');
  return {
    available() {
      if (!existsSync(join(REPO_ROOT, 'daemon', 'main.ts'))) {
        return { ok: false, error: 'tandemd is not in this tree yet (daemon/main.ts is missing)' };
      }
      return { ok: true, value: undefined };
    },
    async writeConfigs(input) {
      const out = new Map<string, string>();
      const keyFile = join(input.workDir, 'cluster.key');
      try {
        await createKeyFile(keyFile);
      } catch (err) {
        return { ok: false, error: `cannot create the cluster key ${keyFile}: ${String(err)}` };
      }
      for (const node of input.nodes) {
        const path = join(node.dir, 'tandem.conf.json');
        const peers = Object.fromEntries(
          input.nodes
            .filter((n) => n.name !== node.name)
            .map((n) => [n.name, `${n.address}:${PEER_PORT + n.portOffset}`]),
        );
        const config = {
          cluster: input.clusterName,
          node: node.name,
          listen: `${node.address}:${PEER_PORT + node.portOffset}`,
          peers,
          keyFile,
          stateDir: node.stateDir,
          socket: socketPath(node),
          lsbDir: node.lsbDir,
          agentStateDir: node.agentStateDir,
          heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
          peerTimeoutMs: PEER_TIMEOUT_MS,
          witness: input.witnessUrl ?? 'none',
          witnessLeaseMs: WITNESS_LEASE_MS,
          log: 'stdout',
        };
        await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
        out.set(node.name, path);
      }
      return { ok: true, value: out };
    },
    daemonArgv(configPath) {
      return [TANDEMD_BIN, '--config', configPath];
    },
    socketPath,
    cliArgv(args) {
      return [TANDEM_BIN, ...args];
    },
    cliEnv(node) {
      return { ...process.env, TANDEM_SOCKET: socketPath(node) };
    },
  };
}
