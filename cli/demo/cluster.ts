/**
 * A live two-node tandem cluster on one machine, shared by `tandem demo`, the cluster
 * integration tests and the drills: the netns topology (test/support/netns-topology.ts), an
 * optional Redis witness in the gateway namespace, one tandemd per node (in the node's network
 * namespace and a mount namespace of its own), the abiquo-rs configuration from the runbook, and
 * observers that read the ground truth on each node (the floating IP on its interface, the
 * stand-in's process, the mount in tandemd's mount namespace) rather than trusting the cluster's
 * own view. `dispose()` removes everything, also after a failure half-way.
 */
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FLOATING_IP,
  GATEWAY_IP,
  NODE_DEV,
  NetnsTopology,
  REDIS_IP,
  type NodeProcess,
  type TopologyNode,
} from '../../test/support/netns-topology.ts';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.ts';
import { waitFor } from '../../test/integration/resource-agents/support.ts';
import {
  PINGD_RULE,
  adaptRunbookCommand,
  lsbWrapper,
  recordRunbook,
  type AdaptedCommand,
  type DemoSettings,
} from './runbook.ts';
import { daemonProfile, type DaemonProfile, type NodeLaunchInfo } from './daemon-launch.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const STANDIN_PORT = 8009;
export const STANDIN_REPLY = 'abiquo-tomcat stand-in';
export const NODE_NAMES = ['rsha1', 'rsha2'] as const;

export interface ClusterOptions {
  /** Start a Redis witness in the gateway namespace (the guide's Redis host, 192.0.2.59). */
  witness?: boolean;
  /** Force loopback mode. */
  loopback?: boolean;
  /** Progress lines for a human (the demo prints them; tests may log them). */
  log?: (line: string) => void;
  /** Ping monitor interval; default 200 ms. */
  pingIntervalMs?: number;
}

export interface NodeFiles {
  lsbDir: string;
  stateDir: string;
  logFile: string;
  standinPidFile: string;
  standinLog: string;
}

export class TwoNodeCluster {
  readonly topology: NetnsTopology;
  readonly redis: RedisServer | undefined;
  readonly settings: DemoSettings;
  readonly profile: DaemonProfile;
  readonly #log: (line: string) => void;
  readonly #daemons = new Map<string, NodeProcess>();
  #configPaths = new Map<string, string>();
  #disposed = false;

  private constructor(
    topology: NetnsTopology,
    redis: RedisServer | undefined,
    settings: DemoSettings,
    profile: DaemonProfile,
    log: (line: string) => void,
  ) {
    this.topology = topology;
    this.redis = redis;
    this.settings = settings;
    this.profile = profile;
    this.#log = log;
  }

  /** Builds the network (and the witness); no daemon runs yet. */
  static async create(options: ClusterOptions = {}): Promise<Result<TwoNodeCluster>> {
    const log = options.log ?? (() => undefined);
    const topo = await NetnsTopology.create({
      ...(options.loopback === true ? { loopback: true } : {}),
      log,
    });
    if (!topo.ok) return topo;
    const topology = topo.value;
    let redis: RedisServer | undefined;
    if (options.witness === true) {
      const r =
        topology.mode === 'netns'
          ? await startRedisServer({ host: REDIS_IP, port: 6379, nsPrefix: topology.nsPrefix('gw') })
          : await startRedisServer();
      if (!r.ok) {
        await topology.dispose();
        return r;
      }
      redis = r.value;
    }
    const settings: DemoSettings = {
      mode: topology.mode,
      exportDir: topology.exportDir,
      mountDir: join(topology.dir, 'vm_repository'),
      floatingIp: FLOATING_IP,
      nic: NODE_DEV,
      gatewayIp: topology.mode === 'netns' ? GATEWAY_IP : '127.0.0.1',
      pingIntervalMs: options.pingIntervalMs ?? 200,
    };
    const cluster = new TwoNodeCluster(topology, redis, settings, daemonProfile(), log);
    const prepared = await cluster.#prepareNodes();
    if (!prepared.ok) {
      await cluster.dispose();
      return prepared;
    }
    return { ok: true, value: cluster };
  }

  get mode(): 'netns' | 'loopback' {
    return this.topology.mode;
  }

  node(name: string): TopologyNode {
    return this.topology.node(name);
  }

  files(name: string): NodeFiles {
    const dir = this.node(name).dir;
    return {
      lsbDir: join(dir, 'init.d'),
      stateDir: join(dir, 'state'),
      logFile: join(dir, 'tandemd.log'),
      standinPidFile: join(dir, 'abiquo-tomcat.pid'),
      standinLog: join(dir, 'abiquo-tomcat.log'),
    };
  }

  #launchInfo(name: string): NodeLaunchInfo {
    return { ...this.node(name), ...this.files(name) };
  }

  /** Per node: the init.d with the abiquo-tomcat wrapper, the state dir; then tandemd's config. */
  async #prepareNodes(): Promise<Result<void>> {
    for (const name of NODE_NAMES) {
      const f = this.files(name);
      await mkdir(f.lsbDir, { recursive: true });
      await mkdir(f.stateDir, { recursive: true });
      const wrapper = join(f.lsbDir, 'abiquo-tomcat');
      await writeFile(
        wrapper,
        lsbWrapper({ pidFile: f.standinPidFile, logFile: f.standinLog, port: STANDIN_PORT, bind: '0.0.0.0' }),
      );
      await chmod(wrapper, 0o755);
    }
    const configs = await this.profile.writeConfigs({
      clusterName: 'pacemaker1',
      workDir: this.topology.dir,
      nodes: NODE_NAMES.map((name) => this.#launchInfo(name)),
      ...(this.redis === undefined ? {} : { witnessUrl: this.redis.url }),
    });
    if (!configs.ok) return configs;
    this.#configPaths = configs.value;
    return { ok: true, value: undefined };
  }

  /** The runbook's commands as the demo applies them, plus the pingd rule. */
  async runbookCommands(): Promise<Result<{ adapted: AdaptedCommand[]; transcript: string[] }>> {
    const recorded = await recordRunbook(this.topology.dir);
    if (!recorded.ok) return recorded;
    const adapted = recorded.value.commands.map((c) => adaptRunbookCommand(c, this.settings));
    adapted.push({ original: [], words: [...PINGD_RULE], notes: [] });
    return { ok: true, value: { adapted, transcript: recorded.value.transcript } };
  }

  /** Starts tandemd on a node; resolves once its local socket answers (bounded). */
  async startDaemon(name: string, timeoutMs = 20_000): Promise<Result<NodeProcess>> {
    const config = this.#configPaths.get(name);
    if (config === undefined) return { ok: false, error: `no tandemd config for ${name}` };
    const proc = this.topology.spawnOnNode(name, this.profile.daemonArgv(config), {
      logFile: this.files(name).logFile,
      env: { ...process.env, ...this.profile.daemonEnv(this.#launchInfo(name), this.files(name)) },
    });
    this.#daemons.set(name, proc);
    this.#log(`tandemd on ${name}: pid ${proc.pid}`);
    let exited: number | string | undefined;
    void proc.exited.then((code) => (exited = code));
    const ready = await waitFor(
      async () => exited === undefined && (await this.tandem(name, ['status'], 5000)).code === 0,
      timeoutMs,
      100,
    );
    if (!ready) {
      const log = await readFile(this.files(name).logFile, 'utf8').catch(() => '');
      const why =
        exited === undefined
          ? `its socket did not answer within ${timeoutMs / 1000} s`
          : `it exited (${exited})`;
      return {
        ok: false,
        error: `tandemd on ${name} did not come up: ${why}; last log lines:\n${tail(log, 15)}`,
      };
    }
    return { ok: true, value: proc };
  }

  /**
   * Loads a configuration file made offline (the demo's runbook result) into the running cluster
   * through rsha1's daemon, the way the daemon supports (see DaemonProfile.pushArgs).
   */
  async pushConfiguration(file: string, via = 'rsha1'): Promise<Result<void>> {
    for (const args of this.profile.pushArgs(file)) {
      const r = await this.tandem(via, args);
      if (r.code !== 0) {
        return {
          ok: false,
          error: `\`tandem ${args.join(' ')}\` on ${via} exited ${r.code}: ${(r.stderr + r.stdout).trim()}`,
        };
      }
    }
    return { ok: true, value: undefined };
  }

  daemon(name: string): NodeProcess | undefined {
    return this.#daemons.get(name);
  }

  /** Stops tandemd on a node with SIGTERM (a clean daemon stop, not a cluster stop) and waits. */
  async stopDaemon(name: string, timeoutMs = 15_000): Promise<Result<number | string>> {
    const proc = this.#daemons.get(name);
    if (proc === undefined) return { ok: false, error: `tandemd is not running on ${name}` };
    try {
      process.kill(proc.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const code = await Promise.race([proc.exited, delay(timeoutMs).then(() => undefined)]);
    if (code === undefined)
      return { ok: false, error: `tandemd on ${name} did not exit within ${timeoutMs / 1000} s` };
    this.#daemons.delete(name);
    return { ok: true, value: code };
  }

  /** Runs `tandem ARGS` against a node's daemon (in its namespace); bounded. */
  tandem(name: string, args: readonly string[], timeoutMs = 20_000): ReturnType<NetnsTopology['exec']> {
    return this.topology.exec(name, this.profile.cliArgv(args), timeoutMs, {
      ...process.env,
      ...this.profile.cliEnv(this.#launchInfo(name), this.files(name)),
    });
  }

  /** Crash: SIGKILL tandemd first, then everything else on the node; its addresses vanish. */
  async crash(name: string): Promise<Result<void>> {
    const proc = this.#daemons.get(name);
    if (proc !== undefined) this.topology.killPid(proc.pid);
    this.#daemons.delete(name);
    return this.topology.crashNode(name);
  }

  // --- ground truth, read on the nodes themselves -------------------------------------------

  /** The stand-in's PID on a node when it is running there, else undefined. */
  standinPid(name: string): number | undefined {
    try {
      const pid = Number(readFileSync(this.files(name).standinPidFile, 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 0) return undefined;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state === 'Z' ? undefined : pid;
    } catch {
      return undefined;
    }
  }

  async hasFloatingIp(name: string): Promise<boolean> {
    if (this.mode === 'loopback') return false;
    return (await this.topology.addressesOn(name)).includes(FLOATING_IP);
  }

  /** Whether the repository is mounted in this node's tandemd mount namespace. */
  async hasMount(name: string): Promise<boolean> {
    const proc = this.#daemons.get(name);
    if (proc === undefined || this.mode === 'loopback') return false;
    return (await this.topology.mountsOf(proc.pid)).includes(this.settings.mountDir);
  }

  /**
   * Which parts of the group run on a node, from the node itself (netns mode: address and
   * stand-in; loopback: the stand-in only).
   */
  async activeParts(name: string): Promise<{ ip: boolean; standin: boolean }> {
    return { ip: await this.hasFloatingIp(name), standin: this.standinPid(name) !== undefined };
  }

  /** The node running the group (IP and stand-in), or undefined. */
  async activeNode(): Promise<string | undefined> {
    for (const name of NODE_NAMES) {
      const p = await this.activeParts(name);
      if (p.standin && (p.ip || this.mode === 'loopback')) return name;
    }
    return undefined;
  }

  /** One HTTP probe of the service as a LAN client sees it. */
  async serviceAnswers(timeoutMs = 300): Promise<boolean> {
    const url =
      this.mode === 'netns' ? `http://${FLOATING_IP}:${STANDIN_PORT}/` : `http://127.0.0.1:${STANDIN_PORT}/`;
    const r =
      this.mode === 'netns'
        ? await this.topology.httpFromGateway(url, timeoutMs)
        : await this.topology
            .exec('gw', ['curl', '-sS', '--max-time', String(timeoutMs / 1000), url])
            .then((x) =>
              x.code === 0 ? { ok: true as const, value: x.stdout } : { ok: false as const, error: x.stderr },
            );
    return r.ok && r.value.includes(STANDIN_REPLY);
  }

  /** Waits (bounded) until the group runs on `name` and answers from the LAN. */
  async waitForGroupOn(name: string, timeoutMs: number): Promise<boolean> {
    return waitFor(
      async () => (await this.activeNode()) === name && (await this.serviceAnswers()),
      timeoutMs,
      50,
    );
  }

  /** The last lines of a node's tandemd log (for failure messages). */
  async logTail(name: string, lines = 30): Promise<string> {
    return tail(await readFile(this.files(name).logFile, 'utf8').catch(() => ''), lines);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    // Stopping tandemd cleanly would stop resources; a test sandbox just ends: kill by PID,
    // then the topology kills whatever else runs in the namespaces and removes them.
    for (const proc of this.#daemons.values()) this.topology.killPid(proc.pid);
    this.#daemons.clear();
    await this.topology.dispose();
    if (this.redis !== undefined) await this.redis.stop();
  }
}

function tail(text: string, lines: number): string {
  return text
    .split('\n')
    .slice(-lines - 1)
    .join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
