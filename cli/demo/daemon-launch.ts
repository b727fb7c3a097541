/**
 * How the demo and the cluster tests start tandemd and talk to it: the one place that knows the
 * daemon's config file format, its command line and how the CLI finds a node's local socket.
 * Everything else in cli/demo/ goes through this profile.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './runbook.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface NodeLaunchInfo {
  name: string;
  address: string;
  dir: string;
  lsbDir: string;
  stateDir: string;
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
  /** Writes every node's tandemd config (and the shared cluster key); node → config path. */
  writeConfigs(input: WriteConfigsInput): Promise<Result<Map<string, string>>>;
  /** argv that starts tandemd with this config. */
  daemonArgv(configPath: string): string[];
  /** Extra environment for tandemd on a node. */
  daemonEnv(node: NodeLaunchInfo, files: { stateDir: string }): NodeJS.ProcessEnv;
  /** The `tandem` commands (run against a live node) that load a configuration file made offline. */
  pushArgs(file: string): string[][];
  /** argv of `tandem ARGS`. */
  cliArgv(args: readonly string[]): string[];
  /** Environment that points the CLI at this node's daemon. */
  cliEnv(node: NodeLaunchInfo, files: { stateDir: string }): NodeJS.ProcessEnv;
}

export const TANDEM_BIN = join(REPO_ROOT, 'bin', 'tandem');
export const TANDEMD_BIN = join(REPO_ROOT, 'bin', 'tandemd');
export const PEER_PORT = 7946;

function socketPath(stateDir: string): string {
  return join(stateDir, 'tandemd.sock');
}

export function daemonProfile(): DaemonProfile {
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
      await writeFile(keyFile, `${'0123456789abcdef'.repeat(4)}\n`, { mode: 0o600 });
      for (const node of input.nodes) {
        const path = join(node.dir, 'tandemd.json');
        const config = {
          cluster: input.clusterName,
          node: node.name,
          listen: `${node.address}:${PEER_PORT}`,
          peers: input.nodes
            .filter((n) => n.name !== node.name)
            .map((n) => ({ name: n.name, address: `${n.address}:${PEER_PORT}` })),
          keyFile,
          stateDir: node.stateDir,
          socket: socketPath(node.stateDir),
          lsbDir: node.lsbDir,
          ...(input.witnessUrl === undefined ? {} : { witness: { kind: 'redis', url: input.witnessUrl } }),
        };
        await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
        out.set(node.name, path);
      }
      return { ok: true, value: out };
    },
    daemonArgv(configPath) {
      return [TANDEMD_BIN, '--config', configPath];
    },
    daemonEnv() {
      return {};
    },
    pushArgs(file) {
      return [['cluster', 'cib-push', file]];
    },
    cliArgv(args) {
      return [TANDEM_BIN, ...args];
    },
    cliEnv(_node, files) {
      return { TANDEM_SOCKET: socketPath(files.stateDir) };
    },
  };
}
