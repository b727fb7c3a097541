/**
 * A two-node cluster on one machine: network namespaces for rsha1, rsha2 and a gateway `gw`
 * joined by a bridge in `gw`, each node with a mount namespace of its own (kept across daemon
 * restarts, replaced when the node crashes), and a
 * tmpfs standing in for the NFS export. Used by `tandem demo`, the cluster integration tests and
 * the drills. Everything it creates (namespaces, links, mounts, processes, the work dir) is
 * removed by `dispose()`, which never throws and may be called more than once.
 *
 * ```
 *            gw namespace: br0 192.0.2.1/24 (gateway) + 192.0.2.59/24 (Redis, the guide's host)
 *              │ vrsha1                      │ vrsha2
 *              │ (veth)                      │ (veth)
 *   rsha1 ns: eth0 192.0.2.11/24   rsha2 ns: eth0 192.0.2.12/24     default route via 192.0.2.1
 *             (+ 192.0.2.58 floating, added by IPaddr2 on the active node)
 * ```
 *
 * Faults, as a real network would show them:
 * - `crashNode`: SIGKILL every process in the node's namespace (tandemd first, by PID), flush its
 *   addresses and put its link down — its IPs, the floating one included, disappear at once and
 *   its mount namespace (with the Filesystem mount) dies with its processes.
 * - `cutPeerLink`: blackhole routes between 192.0.2.11 and 192.0.2.12 on both nodes; the gateway
 *   and the witness stay reachable. ARP still crosses (it is L2), as it would on a switch whose
 *   uplink between the nodes' ports failed in a routed way — the test samples both nodes anyway.
 * - `loseGateway`: a blackhole route to 192.0.2.1 on one node: pings to the gateway fail, the peer
 *   and the witness (192.0.2.59) stay reachable.
 * - `heal`: removes every fault route.
 *
 * Not root → loopback mode: no namespaces, both nodes on 127.0.0.1 (the caller gives each its own
 * ports); faults other than crashNode report `{ ok: false }`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, waitFor, type Run } from './process.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const GATEWAY_IP = '192.0.2.1';
export const REDIS_IP = '192.0.2.59';
export const FLOATING_IP = '192.0.2.58';
export const PREFIX_LENGTH = 24;
/** Node name → address, in the order the guide lists them. */
export const NODE_ADDRESSES: Readonly<Record<string, string>> = { rsha1: '192.0.2.11', rsha2: '192.0.2.12' };
/** The node-side interface name in every node namespace. */
export const NODE_DEV = 'eth0';

export type TopologyMode = 'netns' | 'loopback';

export interface TopologyNode {
  name: string;
  /** The network namespace ('' in loopback mode). */
  ns: string;
  /** This node's address (127.0.0.1 in loopback mode). */
  address: string;
  /** A directory of this node's own: its tandemd state, init.d, logs. */
  dir: string;
}

export interface NodeProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string>;
}

export interface SpawnOptions {
  /** stdout and stderr go to this file (appended), never a pipe. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface TopologyOptions {
  /** Names for the node namespaces etc.; default: `td<pid><n>`. */
  tag?: string;
  /** Force loopback mode even as root. */
  loopback?: boolean;
  /** Progress lines (commands that failed during dispose, …). */
  log?: (line: string) => void;
}

let topologyCounter = 0;

/** Whether this process can create namespaces (root). */
export function canUseNetns(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export class NetnsTopology {
  readonly mode: TopologyMode;
  readonly tag: string;
  /** The gateway namespace ('' in loopback mode). */
  readonly gwNs: string;
  readonly nodes: ReadonlyMap<string, TopologyNode>;
  /** The work dir: per-node dirs, the export, logs. Removed by dispose. */
  readonly dir: string;
  /** The tmpfs standing in for the NFS export (a plain directory in loopback mode). */
  readonly exportDir: string;
  readonly #log: (line: string) => void;
  readonly #processes = new Map<number, { node: string; proc: NodeProcess }>();
  readonly #faultRoutes = new Set<string>(); // `${node}\t${destination}`
  #exportMounted = false;
  #mntnsMounted = false;
  #disposed = false;

  private constructor(
    mode: TopologyMode,
    tag: string,
    dir: string,
    nodes: Map<string, TopologyNode>,
    log: (line: string) => void,
  ) {
    this.mode = mode;
    this.tag = tag;
    this.dir = dir;
    this.gwNs = mode === 'netns' ? `${tag}-gw` : '';
    this.nodes = nodes;
    this.exportDir = join(dir, 'export');
    this.#log = log;
  }

  /**
   * Builds the topology. On failure everything created so far is removed and the error names the
   * command that failed.
   */
  static async create(options: TopologyOptions = {}): Promise<Result<NetnsTopology>> {
    const tag = options.tag ?? `td${process.pid}${topologyCounter++}`;
    const mode: TopologyMode = options.loopback === true || !canUseNetns() ? 'loopback' : 'netns';
    const dir = await mkdtemp(join(tmpdir(), `tandem-${tag}-`));
    const nodes = new Map<string, TopologyNode>();
    for (const [name, address] of Object.entries(NODE_ADDRESSES)) {
      nodes.set(name, {
        name,
        ns: mode === 'netns' ? `${tag}-${name}` : '',
        address: mode === 'netns' ? address : '127.0.0.1',
        dir: join(dir, name),
      });
    }
    const topo = new NetnsTopology(mode, tag, dir, nodes, options.log ?? (() => undefined));
    const built = await topo.#build();
    if (!built.ok) {
      await topo.dispose();
      return built;
    }
    return { ok: true, value: topo };
  }

  async #build(): Promise<Result<void>> {
    for (const node of this.nodes.values()) await mkdir(node.dir, { recursive: true });
    await mkdir(this.exportDir, { recursive: true });
    if (this.mode === 'loopback') return { ok: true, value: undefined };

    const steps: string[][] = [
      ['mount', '-t', 'tmpfs', '-o', 'size=16m,mode=0755', `tandem-export-${this.tag}`, this.exportDir],
    ];
    const first = await this.#sh(steps[0] ?? []);
    if (!first.ok) return first;
    this.#exportMounted = true;

    const gw = this.gwNs;
    const cmds: string[][] = [
      ['ip', 'netns', 'add', gw],
      ['ip', '-n', gw, 'link', 'set', 'lo', 'up'],
      ['ip', '-n', gw, 'link', 'add', 'br0', 'type', 'bridge'],
      ['ip', '-n', gw, 'addr', 'add', `${GATEWAY_IP}/${PREFIX_LENGTH}`, 'dev', 'br0'],
      ['ip', '-n', gw, 'addr', 'add', `${REDIS_IP}/${PREFIX_LENGTH}`, 'dev', 'br0'],
      ['ip', '-n', gw, 'link', 'set', 'br0', 'up'],
    ];
    let i = 0;
    for (const node of this.nodes.values()) {
      // Unique names while the link is created (no clash with the root namespace), renamed after.
      const tmpName = `${this.tag.slice(-10)}n${i++}`;
      cmds.push(
        ['ip', 'netns', 'add', node.ns],
        ['ip', '-n', node.ns, 'link', 'set', 'lo', 'up'],
        [
          'ip',
          'link',
          'add',
          tmpName,
          'netns',
          node.ns,
          'type',
          'veth',
          'peer',
          'name',
          `v${node.name}`,
          'netns',
          gw,
        ],
        ['ip', '-n', node.ns, 'link', 'set', tmpName, 'name', NODE_DEV],
        ['ip', '-n', gw, 'link', 'set', `v${node.name}`, 'master', 'br0'],
        ['ip', '-n', gw, 'link', 'set', `v${node.name}`, 'up'],
        ...this.#nodeUpCommands(node),
      );
    }
    for (const cmd of cmds) {
      const r = await this.#sh(cmd);
      if (!r.ok) return r;
    }
    // One mount namespace per node, kept alive by a bind of its nsfs file (on a private mount, as
    // unshare --mount=FILE requires), so a restarted tandemd finds the mounts its predecessor made.
    for (const cmd of [
      ['mkdir', '-p', this.#mntnsDir],
      ['mount', '--bind', this.#mntnsDir, this.#mntnsDir],
      ['mount', '--make-private', this.#mntnsDir],
    ]) {
      const r = await this.#sh(cmd);
      if (!r.ok) return r;
    }
    this.#mntnsMounted = true;
    for (const node of this.nodes.values()) {
      const r = await this.#newMountNs(node);
      if (!r.ok) return r;
    }
    // The bridge forwards once its ports leave the listening state (no STP: at once); wait until
    // each node reaches the gateway so callers start from a working network.
    for (const node of this.nodes.values()) {
      const reachable = await waitFor(
        async () => (await this.exec(node.name, ['ping', '-c', '1', '-W', '1', GATEWAY_IP])).code === 0,
        5000,
        50,
      );
      if (!reachable)
        return { ok: false, error: `${node.name} (${node.ns}) cannot reach the gateway ${GATEWAY_IP}` };
    }
    return { ok: true, value: undefined };
  }

  get #mntnsDir(): string {
    return join(this.dir, 'mntns');
  }

  #mntnsFile(node: TopologyNode): string {
    return join(this.#mntnsDir, node.name);
  }

  /**
   * A fresh mount namespace for a node (a booted host): a copy of the one `ip netns exec` makes
   * for its network namespace (its /sys shows the node's interfaces), private propagation.
   */
  async #newMountNs(node: TopologyNode): Promise<Result<void>> {
    const file = this.#mntnsFile(node);
    await run('umount', [file]);
    await writeFile(file, '');
    // From the root mount namespace (so the nsfs bind lands where we can see it), in the node's
    // network namespace; /sys remounted inside so it shows the node's interfaces, as
    // `ip netns exec` does.
    const r = await this.#sh([
      'nsenter',
      `--net=/run/netns/${node.ns}`,
      '--',
      'unshare',
      `--mount=${file}`,
      '--propagation',
      'private',
      'sh',
      '-c',
      'umount -l /sys 2>/dev/null; mount -t sysfs sysfs /sys',
    ]);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  #nodeUpCommands(node: TopologyNode): string[][] {
    return [
      ['ip', '-n', node.ns, 'addr', 'add', `${node.address}/${PREFIX_LENGTH}`, 'dev', NODE_DEV],
      ['ip', '-n', node.ns, 'link', 'set', NODE_DEV, 'up'],
      ['ip', '-n', node.ns, 'route', 'add', 'default', 'via', GATEWAY_IP],
    ];
  }

  async #sh(cmd: readonly string[]): Promise<Result<Run>> {
    const [file, ...args] = cmd;
    if (file === undefined) return { ok: false, error: 'empty command' };
    const r = await run(file, args, undefined, 15_000);
    if (r.code !== 0) return { ok: false, error: `${cmd.join(' ')} exited ${r.code}: ${r.stderr.trim()}` };
    return { ok: true, value: r };
  }

  node(name: string): TopologyNode {
    const n = this.nodes.get(name);
    if (n === undefined)
      throw new Error(`unknown node '${name}' (known: ${[...this.nodes.keys()].join(', ')})`);
    return n;
  }

  /** The argv prefix that runs a command inside a node's (or 'gw''s) network namespace. */
  nsPrefix(where: string): string[] {
    if (this.mode === 'loopback') return [];
    const ns = where === 'gw' ? this.gwNs : this.node(where).ns;
    return ['ip', 'netns', 'exec', ns];
  }

  /** Runs a short command in a node's (or 'gw''s) network namespace and returns its output. */
  exec(where: string, argv: readonly string[], timeoutMs = 15_000, env?: NodeJS.ProcessEnv): Promise<Run> {
    const full = [...this.nsPrefix(where), ...argv];
    const [file, ...args] = full;
    if (file === undefined) return Promise.resolve({ code: 2, stdout: '', stderr: 'empty command' });
    return run(file, args, env, timeoutMs);
  }

  /**
   * Starts a long-lived process on a node: in its network namespace and in the node's own mount
   * namespace (`nsenter --net --mount`), so mounts it makes are the node's alone, survive a
   * daemon restart, and vanish when the node crashes. Output goes to `logFile`. The PID is
   * tracked: crashNode and dispose kill it.
   */
  spawnOnNode(name: string, argv: readonly string[], options: SpawnOptions): NodeProcess {
    const node = this.node(name);
    const prefix =
      this.mode === 'netns'
        ? ['nsenter', `--net=/run/netns/${node.ns}`, `--mount=${this.#mntnsFile(node)}`, '--']
        : [];
    return this.#spawnTracked(name, [...prefix, ...argv], options);
  }

  /** Starts a long-lived process in the gateway namespace (loopback mode: here). */
  spawnInGateway(argv: readonly string[], options: SpawnOptions): NodeProcess {
    return this.#spawnTracked('gw', [...this.nsPrefix('gw'), ...argv], options);
  }

  #spawnTracked(where: string, full: readonly string[], options: SpawnOptions): NodeProcess {
    const [file, ...args] = full;
    if (file === undefined) throw new Error('spawnOnNode: empty command');
    const fd = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        stdio: ['ignore', fd, fd],
        env: options.env ?? process.env,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
      child.once('error', () => resolve('spawn-error'));
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${file}`);
    const proc: NodeProcess = { pid, child, exited };
    this.#processes.set(pid, { node: where, proc });
    void exited.then(() => this.#processes.delete(pid));
    return proc;
  }

  /** PIDs of every process in a node's network namespace (loopback: the tracked ones). */
  async pidsOf(where: string): Promise<number[]> {
    const tracked = [...this.#processes.entries()].filter(([, p]) => p.node === where).map(([pid]) => pid);
    if (this.mode === 'loopback') return tracked;
    const ns = where === 'gw' ? this.gwNs : this.node(where).ns;
    const r = await run('ip', ['netns', 'pids', ns]);
    const inNs = r.stdout
      .split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
    return [...new Set([...tracked, ...inNs])];
  }

  /**
   * A dead host: SIGKILL the node's tracked processes and everything else in its namespace, wait
   * until they are gone, then flush its addresses and put its link down.
   */
  async crashNode(name: string): Promise<Result<void>> {
    const node = this.node(name);
    const killed = await this.#killAll(name);
    if (this.mode === 'loopback') return killed;
    await run('ip', ['-n', node.ns, 'addr', 'flush', 'dev', NODE_DEV]);
    await run('ip', ['-n', node.ns, 'link', 'set', NODE_DEV, 'down']);
    // A dead host's mounts are gone: a fresh mount namespace for when it boots again.
    const fresh = await this.#newMountNs(node);
    if (!fresh.ok) return fresh;
    return killed;
  }

  /** Only the crash's first half, for a precise measurement: SIGKILL the given PID now. */
  killPid(pid: number): void {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** The network part of a crash, without killing processes (the host's NIC died). */
  async dropNodeLink(name: string): Promise<Result<void>> {
    const node = this.node(name);
    if (this.mode === 'loopback') return { ok: false, error: 'loopback mode has no links to drop' };
    const a = await this.#sh(['ip', '-n', node.ns, 'addr', 'flush', 'dev', NODE_DEV]);
    if (!a.ok) return a;
    const b = await this.#sh(['ip', '-n', node.ns, 'link', 'set', NODE_DEV, 'down']);
    return b.ok ? { ok: true, value: undefined } : b;
  }

  /** A crashed node powers back on: link up, its address and default route back (no floating IP). */
  async reviveNode(name: string): Promise<Result<void>> {
    const node = this.node(name);
    if (this.mode === 'loopback') return { ok: true, value: undefined };
    await run('ip', ['-n', node.ns, 'addr', 'flush', 'dev', NODE_DEV]);
    for (const cmd of this.#nodeUpCommands(node)) {
      const r = await this.#sh(cmd);
      if (!r.ok) return r;
    }
    const reachable = await waitFor(
      async () => (await this.exec(name, ['ping', '-c', '1', '-W', '1', GATEWAY_IP])).code === 0,
      5000,
      50,
    );
    return reachable
      ? { ok: true, value: undefined }
      : { ok: false, error: `${name} cannot reach ${GATEWAY_IP}` };
  }

  async #addFaultRoute(name: string, destination: string): Promise<Result<void>> {
    if (this.mode === 'loopback')
      return { ok: false, error: 'network faults need network namespaces (run as root)' };
    const key = `${name}\t${destination}`;
    if (this.#faultRoutes.has(key)) return { ok: true, value: undefined };
    const r = await this.#sh([
      'ip',
      '-n',
      this.node(name).ns,
      'route',
      'add',
      'blackhole',
      `${destination}/32`,
    ]);
    if (!r.ok) return r;
    this.#faultRoutes.add(key);
    return { ok: true, value: undefined };
  }

  /** The nodes no longer reach each other; both keep the gateway and the witness. */
  async cutPeerLink(): Promise<Result<void>> {
    const names = [...this.nodes.keys()];
    for (const a of names) {
      for (const b of names) {
        if (a === b) continue;
        const r = await this.#addFaultRoute(a, this.node(b).address);
        if (!r.ok) return r;
      }
    }
    return { ok: true, value: undefined };
  }

  /** One node no longer reaches its gateway (192.0.2.1); the peer and the witness stay reachable. */
  loseGateway(name: string): Promise<Result<void>> {
    return this.#addFaultRoute(name, GATEWAY_IP);
  }

  /** Removes every fault route (cut link, gateway loss). */
  async heal(): Promise<Result<void>> {
    const errors: string[] = [];
    for (const key of [...this.#faultRoutes]) {
      const [name = '', destination = ''] = key.split('\t');
      const r = await this.#sh([
        'ip',
        '-n',
        this.node(name).ns,
        'route',
        'del',
        'blackhole',
        `${destination}/32`,
      ]);
      if (r.ok) this.#faultRoutes.delete(key);
      else errors.push(r.error);
    }
    return errors.length === 0 ? { ok: true, value: undefined } : { ok: false, error: errors.join('; ') };
  }

  /** The IPv4 addresses on a node's interface (empty when the link is gone). */
  async addressesOn(name: string): Promise<string[]> {
    if (this.mode === 'loopback') return [];
    const r = await run('ip', ['-n', this.node(name).ns, '-j', '-4', 'addr', 'show', 'dev', NODE_DEV]);
    if (r.code !== 0) return [];
    try {
      const parsed = JSON.parse(r.stdout) as Array<{ addr_info?: Array<{ local?: string }> }>;
      return parsed.flatMap((l) =>
        (l.addr_info ?? []).flatMap((a) => (a.local === undefined ? [] : [a.local])),
      );
    } catch {
      return [];
    }
  }

  /**
   * One HTTP GET from the gateway namespace (a client on the LAN); the body on success.
   * `timeoutMs` bounds connect and transfer.
   */
  async httpFromGateway(url: string, timeoutMs = 300): Promise<Result<string>> {
    const r = await this.exec(
      'gw',
      ['curl', '-sS', '--max-time', String(timeoutMs / 1000), url],
      timeoutMs + 5000,
    );
    if (r.code !== 0) return { ok: false, error: r.stderr.trim() || `curl exited ${r.code}` };
    return { ok: true, value: r.stdout };
  }

  /** The mount points a process sees (its mount namespace), from /proc/PID/mountinfo. */
  async mountsOf(pid: number): Promise<string[]> {
    try {
      const text = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
      return text
        .split('\n')
        .map((l) => l.split(' ')[4] ?? '')
        .filter((m) => m !== '');
    } catch {
      return [];
    }
  }

  async #killAll(where: string): Promise<Result<void>> {
    const pids = await this.pidsOf(where);
    // tandemd first (the tracked PIDs), so it cannot react to its children dying.
    const tracked = new Set(
      [...this.#processes.entries()].filter(([, p]) => p.node === where).map(([pid]) => pid),
    );
    const ordered = [...pids.filter((p) => tracked.has(p)), ...pids.filter((p) => !tracked.has(p))];
    for (const pid of ordered) this.killPid(pid);
    const gone = await waitFor(async () => {
      const left = await this.pidsOf(where);
      return left.every((pid) => !isAlive(pid));
    }, 5000);
    return gone
      ? { ok: true, value: undefined }
      : { ok: false, error: `processes in ${where} survived SIGKILL` };
  }

  /** Removes everything; never throws; safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const note = (what: string, r: Run): void => {
      if (r.code !== 0) this.#log(`cleanup: ${what}: ${r.stderr.trim()}`);
    };
    try {
      for (const where of [...this.nodes.keys(), 'gw']) {
        if (this.mode === 'loopback' && where === 'gw' && this.#processes.size === 0) continue;
        await this.#killAll(where).catch(() => undefined);
      }
      if (this.#mntnsMounted) {
        for (const node of this.nodes.values()) await run('umount', [this.#mntnsFile(node)]);
        note(`umount ${this.#mntnsDir}`, await run('umount', [this.#mntnsDir]));
        this.#mntnsMounted = false;
      }
      if (this.mode === 'netns') {
        for (const node of this.nodes.values())
          note(`netns del ${node.ns}`, await run('ip', ['netns', 'del', node.ns]));
        note(`netns del ${this.gwNs}`, await run('ip', ['netns', 'del', this.gwNs]));
      }
      if (this.#exportMounted) {
        note(`umount ${this.exportDir}`, await run('umount', [this.exportDir]));
        this.#exportMounted = false;
      }
      await rm(this.dir, { recursive: true, force: true }).catch((err: unknown) =>
        this.#log(`cleanup: rm ${this.dir}: ${String(err)}`),
      );
    } catch (err) {
      this.#log(`cleanup failed: ${String(err)}`);
    }
  }
}

/** Alive and not a zombie (an unreaped dead process no longer holds anything). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Namespaces left behind by earlier runs of this process id pattern (for a leak check in tests). */
export async function namespacesWithTag(tag: string): Promise<string[]> {
  const entries = await readdir('/run/netns').catch(() => [] as string[]);
  return entries.filter((e) => e.startsWith(tag));
}
