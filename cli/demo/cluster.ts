/**
 * A live two-node tandem cluster on one machine, shared by `tandem demo`, the cluster
 * integration tests and the drills: the netns topology (lab/netns-topology.ts), an
 * optional Redis witness in the gateway namespace, one tandemd per node (in the node's network
 * namespace and a mount namespace of its own), the abiquo-rs configuration from the runbook, and
 * observers that read the ground truth on each node (the floating IP on its interface, the
 * stand-in's process, the mount in tandemd's mount namespace) rather than trusting the cluster's
 * own view. `dispose()` removes everything, also after a failure half-way.
 */
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import {
  FLOATING_IP,
  GATEWAY_IP,
  NODE_DEV,
  NetnsTopology,
  REDIS_IP,
  type NodeProcess,
  type TopologyNode,
} from '../../lab/netns-topology.ts';
import { startRedisServer, type RedisServer } from '../../lab/redis-server.ts';
import { waitFor } from '../../lab/process.ts';
import {
  PINGD_RULE,
  adaptRunbookCommand,
  lsbWrapper,
  recordRunbook,
  type AdaptedCommand,
  type DemoSettings,
} from './runbook.ts';
import { LocalTransportClient } from '../../coordinator/transport/index.ts';
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
  agentStateDir: string;
  logFile: string;
  standinPidFile: string;
  standinLog: string;
}

/** Replies to a live command that mean it was not applied and may succeed when retried. */
const TRANSIENT_REPLY = /no DC|did not answer/;

/** Progress callbacks of bringUp (all optional). */
export interface BringUpReport {
  onPhase?: (text: string) => void;
  onDaemon?: (node: string, pid: number, logFile: string) => void;
  /** After each runbook command: what it printed (warnings are on stderr). */
  onCommand?: (cmd: AdaptedCommand, stdout: string, stderr: string) => void;
}

export class TwoNodeCluster {
  readonly topology: NetnsTopology;
  readonly redis: RedisServer | undefined;
  readonly settings: DemoSettings;
  readonly profile: DaemonProfile;
  readonly #daemons = new Map<string, NodeProcess>();
  readonly #clients = new Map<string, LocalTransportClient>();
  #configPaths = new Map<string, string>();
  #disposed = false;

  private constructor(
    topology: NetnsTopology,
    redis: RedisServer | undefined,
    settings: DemoSettings,
    profile: DaemonProfile,
  ) {
    this.topology = topology;
    this.redis = redis;
    this.settings = settings;
    this.profile = profile;
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
    const cluster = new TwoNodeCluster(topology, redis, settings, daemonProfile());
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
      agentStateDir: join(dir, 'agents'),
      logFile: join(dir, 'tandemd.log'),
      standinPidFile: join(dir, 'abiquo-tomcat.pid'),
      standinLog: join(dir, 'abiquo-tomcat.log'),
    };
  }

  #launchInfo(name: string): NodeLaunchInfo {
    const portOffset =
      this.mode === 'loopback' ? Math.max(0, NODE_NAMES.indexOf(name as (typeof NODE_NAMES)[number])) : 0;
    return { ...this.node(name), ...this.files(name), portOffset };
  }

  /** Per node: the init.d with the abiquo-tomcat wrapper and the state dirs. */
  async #prepareNodes(): Promise<Result<void>> {
    for (const name of NODE_NAMES) {
      const f = this.files(name);
      await mkdir(f.lsbDir, { recursive: true });
      await mkdir(f.stateDir, { recursive: true, mode: 0o700 });
      await mkdir(f.agentStateDir, { recursive: true });
      const wrapper = join(f.lsbDir, 'abiquo-tomcat');
      await writeFile(
        wrapper,
        lsbWrapper({ pidFile: f.standinPidFile, logFile: f.standinLog, port: STANDIN_PORT, bind: '0.0.0.0' }),
      );
      await chmod(wrapper, 0o755);
    }
    return { ok: true, value: undefined };
  }

  /**
   * The live counterpart of `tandem cluster setup NAME NODE...`: the cluster key and each node's
   * tandemd config. The nodes must be this topology's (rsha1 rsha2).
   */
  async setupCluster(words: readonly string[]): Promise<Result<void>> {
    const [family, verb, clusterName, ...nodes] = words.filter((w) => !w.startsWith('--'));
    if (family !== 'cluster' || verb !== 'setup' || clusterName === undefined) {
      return { ok: false, error: `expected \`cluster setup NAME NODE...\`, got \`${words.join(' ')}\`` };
    }
    if ([...nodes].sort().join(' ') !== [...NODE_NAMES].join(' ')) {
      return {
        ok: false,
        error: `the demo network has the nodes ${NODE_NAMES.join(', ')}; the runbook names ${nodes.join(', ')}`,
      };
    }
    const configs = await this.profile.writeConfigs({
      clusterName,
      workDir: this.topology.dir,
      nodes: NODE_NAMES.map((name) => this.#launchInfo(name)),
      ...(this.redis === undefined ? {} : { witnessUrl: this.redis.url }),
    });
    if (!configs.ok) return configs;
    this.#configPaths = configs.value;
    return { ok: true, value: undefined };
  }

  /** The tandemd config file of a node (after setupCluster). */
  configPath(name: string): string | undefined {
    return this.#configPaths.get(name);
  }

  /** The runbook's commands as the demo applies them, plus the pingd rule. */
  async runbookCommands(): Promise<Result<{ adapted: AdaptedCommand[]; transcript: string[] }>> {
    const recorded = await recordRunbook(this.topology.dir);
    if (!recorded.ok) return recorded;
    const adapted = recorded.value.commands.map((c) => adaptRunbookCommand(c, this.settings));
    adapted.push({ original: [], words: [...PINGD_RULE], notes: [] });
    return { ok: true, value: { adapted, transcript: recorded.value.transcript } };
  }

  /**
   * The whole bring-up, as the demo tells it: run the runbook (recorded), its `cluster setup` as
   * the cluster key plus the tandemd configs, tandemd on both nodes, then every other command
   * (adapted, plus the pingd rule) live through rsha1's daemon.
   */
  async bringUp(report: BringUpReport = {}): Promise<Result<void>> {
    const book = await this.runbookCommands();
    if (!book.ok) return book;
    const [setup, ...rest] = book.value.adapted;
    if (setup === undefined) return { ok: false, error: 'the runbook ran no command' };
    report.onCommand?.(setup, 'live: the cluster key and a tandemd config for each node', '');
    const configured = await this.setupCluster(setup.words);
    if (!configured.ok) return configured;
    report.onPhase?.(
      this.mode === 'netns'
        ? 'Starting tandemd on both nodes (each in its own network and mount namespace)…'
        : 'Starting tandemd for both nodes (127.0.0.1, own peer ports)…',
    );
    // Both at once: each waits for the other to appear, as on real hosts booting together.
    const started = await Promise.all(NODE_NAMES.map((name) => this.startDaemon(name)));
    for (const [i, r] of started.entries()) {
      if (!r.ok) return r;
      const name = NODE_NAMES[i] ?? '';
      report.onDaemon?.(name, r.value.pid, this.files(name).logFile);
    }
    report.onPhase?.(
      'Applying the rest of the runbook live, through the daemon on rsha1 (it forwards to the DC)…',
    );
    for (const cmd of rest) {
      const applied = await this.applyLive([cmd.words], 'rsha1', (_w, stdout, stderr) =>
        report.onCommand?.(cmd, stdout, stderr),
      );
      if (!applied.ok) return applied;
    }
    return { ok: true, value: undefined };
  }

  /** Starts tandemd on a node; resolves once its local socket answers (bounded). */
  async startDaemon(name: string, timeoutMs = 20_000): Promise<Result<NodeProcess>> {
    const config = this.#configPaths.get(name);
    if (config === undefined) return { ok: false, error: `no tandemd config for ${name}` };
    const proc = this.topology.spawnOnNode(name, this.profile.daemonArgv(config), {
      logFile: this.files(name).logFile,
    });
    this.#daemons.set(name, proc);
    let exited: number | string | undefined;
    void proc.exited.then((code) => (exited = code));
    const ready = await waitFor(
      async () => exited === undefined && (await this.#client(name).status({ localOnly: true }, 2000)).ok,
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

  #client(name: string): LocalTransportClient {
    let c = this.#clients.get(name);
    if (c === undefined) {
      c = new LocalTransportClient(this.profile.socketPath(this.#launchInfo(name)));
      this.#clients.set(name, c);
    }
    return c;
  }

  /**
   * Runs pcs-style configuration commands live through a node's local socket (the same request
   * `tandem resource create …` sends); the node forwards them to the DC. Stops at the first
   * failure. `onReply` sees each command's output (warnings on stderr).
   */
  async applyLive(
    commands: readonly (readonly string[])[],
    via = 'rsha1',
    onReply: (words: readonly string[], stdout: string, stderr: string) => void = () => undefined,
  ): Promise<Result<void>> {
    for (const words of commands) {
      // "no DC" / "the DC … did not answer": nothing was applied (an election is under way, the
      // DC is not reachable yet): retry, bounded.
      const deadline = performance.now() + 15_000;
      let r = await this.#client(via).configCommand({ words: [...words], origin: via }, 30_000);
      while (
        r.ok &&
        r.value.exitCode !== 0 &&
        TRANSIENT_REPLY.test(r.value.stderr) &&
        performance.now() < deadline
      ) {
        await delay(200);
        r = await this.#client(via).configCommand({ words: [...words], origin: via }, 30_000);
      }
      if (!r.ok) return { ok: false, error: `\`tandem ${words.join(' ')}\` on ${via}: ${r.error.message}` };
      onReply(words, r.value.stdout, r.value.stderr);
      if (r.value.exitCode !== 0) {
        return {
          ok: false,
          error: `\`tandem ${words.join(' ')}\` on ${via} exited ${r.value.exitCode}: ${(r.value.stderr + r.value.stdout).trim()}`,
        };
      }
    }
    return { ok: true, value: undefined };
  }

  /** The status document a node's daemon returns (`tandem status --output-as json`), parsed. */
  async statusJson(name: string, localOnly = false): Promise<Result<unknown>> {
    const r = await this.#client(name).status({ localOnly }, 5000);
    if (!r.ok) return { ok: false, error: r.error.message };
    try {
      return { ok: true, value: JSON.parse(r.value.statusJson) as unknown };
    } catch (err) {
      return { ok: false, error: `status of ${name} is not JSON: ${String(err)}` };
    }
  }

  daemon(name: string): NodeProcess | undefined {
    return this.#daemons.get(name);
  }

  /**
   * Waits (bounded) until every node's daemon reports every node as a member, quorate, with the
   * same DC — a rejoined node has been seen by its peer, so the next fault starts from a whole
   * cluster.
   */
  async waitForMembership(timeoutMs: number): Promise<boolean> {
    return waitFor(
      async () => {
        const dcs = new Set<string>();
        for (const name of NODE_NAMES) {
          if (this.#daemons.get(name) === undefined) return false;
          // Its own view: quorate, every node a member, and its lease lets it run resources.
          const local = await this.#client(name).status({ localOnly: true }, 2000);
          const own = local.ok ? parseSnapshot(local.value.statusJson) : undefined;
          if (own === undefined || !own.quorate || !own.mayRun) return false;
          if (!NODE_NAMES.every((n) => own.members.includes(n))) return false;
          // The DC it reaches.
          const viaDc = await this.#client(name).status({ localOnly: false }, 2000);
          const dc = viaDc.ok ? parseSnapshot(viaDc.value.statusJson) : undefined;
          if (dc === undefined || dc.dc === '') return false;
          dcs.add(dc.dc);
        }
        return dcs.size === 1;
      },
      timeoutMs,
      100,
    );
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
    return this.topology.exec(
      name,
      this.profile.cliArgv(args),
      timeoutMs,
      this.profile.cliEnv(this.#launchInfo(name)),
    );
  }

  /** Crash: SIGKILL tandemd first, then everything else on the node; its addresses vanish. */
  async crash(name: string): Promise<Result<void>> {
    const proc = this.#daemons.get(name);
    if (proc !== undefined) this.topology.killPid(proc.pid);
    this.#daemons.delete(name);
    // Loopback mode has no namespace to empty: the node's stand-in (detached by its init script)
    // is found by its pid file.
    const standin = this.mode === 'loopback' ? this.standinPid(name) : undefined;
    if (standin !== undefined) this.topology.killPid(standin);
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
   * Which parts of the group run on a node, from the node itself (netns mode: address, stand-in
   * and the repository mount in the node's mount namespace, seen through its tandemd; loopback:
   * the stand-in only).
   */
  async activeParts(name: string): Promise<{ ip: boolean; standin: boolean; mount: boolean }> {
    return {
      ip: await this.hasFloatingIp(name),
      standin: this.standinPid(name) !== undefined,
      mount: await this.hasMount(name),
    };
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
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
    for (const proc of this.#daemons.values()) this.topology.killPid(proc.pid);
    this.#daemons.clear();
    // The stand-in detaches from tandemd (setsid); in netns mode the namespace sweep finds it,
    // in loopback mode only its pid file does.
    for (const name of NODE_NAMES) {
      const pid = this.standinPid(name);
      if (pid !== undefined) this.topology.killPid(pid);
    }
    await this.topology.dispose();
    if (this.redis !== undefined) await this.redis.stop();
  }
}

/** The few status fields the harness reads (daemon/status-snapshot.ts), checked by shape. */
function parseSnapshot(
  json: string,
): { quorate: boolean; dc: string; members: string[]; mayRun: boolean } | undefined {
  try {
    const v = JSON.parse(json) as {
      quorum?: { quorate?: unknown };
      lease?: { mayRun?: unknown };
      membership?: Array<{ name?: unknown; state?: unknown }>;
      answeredBy?: unknown;
      source?: unknown;
    };
    const members = (v.membership ?? [])
      .filter((m) => m.state === 'member' && typeof m.name === 'string')
      .map((m) => String(m.name));
    const dc = v.source === 'dc' && typeof v.answeredBy === 'string' ? v.answeredBy : '';
    return { quorate: v.quorum?.quorate === true, dc, members, mayRun: v.lease?.mayRun === true };
  } catch {
    return undefined;
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
