/**
 * One tandemd: the composition of a cluster node.
 *
 *   Peer server (TCP, cluster-key MAC) ◀──▶ PeerClients ──▶ other nodes
 *        │ heartbeats → GrpcPeerLink → Membership (+ election, quorum, witness vote)
 *        │ push/pull config → ConfigStore (+ Replicator: newer version wins)
 *        │ RunAction → NodeAgent → Executor / MonitorScheduler (agent)
 *        │ Report / Forward → the Controller, on the DC only
 *   Local server (unix socket 0600) ◀── tandem CLI (status, pcs-style commands, cleanup, stop)
 *
 *   Membership view ──▶ LeaseKeeper (self-demotion) and, when this node is DC, the Controller
 *   (created on gaining DC, disposed on losing it) with GrpcActionSink.
 *
 * `TandemNode.start` returns an error value for configuration problems (bad key, unreadable
 * store); `stop({ stopResources })` releases everything it started (servers, timers, clients,
 * children) and, only when asked, stops this node's resources first.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../agent/executor/index.ts';
import { Executor, systemClock } from '../agent/executor/index.ts';
import { NodeAttributes } from '../agent/attributes/index.ts';
import { MonitorScheduler } from '../agent/monitors/index.ts';
import { LeaseKeeper, isolationVerdict, takeoverAllowedAt } from '../agent/lease/index.ts';
import { builtinAgents } from '../resource-agents/index.ts';
import {
  fillOpDigests,
  parseConfigJson,
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
  type ResourceHistory,
} from '../coordinator/cib/index.ts';
import {
  CONTROLLER_FEATURE_SET,
  Controller,
  FilePeInputStore,
  type OperationReport,
} from '../coordinator/controller/index.ts';
import { FenceRunner, FencingActionSink, type FenceResult } from '../coordinator/fencing/index.ts';
import { Membership, type MembershipView } from '../coordinator/membership/index.ts';
import { ConfigStore, Replicator, versionNumber, type ReplicaLink } from '../coordinator/store/index.ts';
import {
  GrpcActionSink,
  GrpcPeerLink,
  LocalTransportServer,
  PeerClients,
  PeerTransportServer,
  decodeActionRequest,
  readKeyFile,
  type CommandReply,
  type ConfigEnvelope,
  type LocalReply,
  type LocalRequest,
  type NodeReport,
  type NodeStateReply,
  type PeerHandlers,
} from '../coordinator/transport/index.ts';
import { RedisWitness, WitnessKeeper, wantsWitness, type Witness } from '../coordinator/witness/index.ts';
import type { DaemonConfig } from './config.ts';
import { runDcCommand } from './dc-commands.ts';
import type { DaemonLogger } from './logger.ts';
import { NodeAgent } from './node-agent.ts';
import type { StatusSnapshot } from './status-snapshot.ts';

export type StartResult = { ok: true; value: TandemNode } | { ok: false; error: string };

const FORWARD_TIMEOUT_MS = 20_000;
/** How long a guarded start request makes this node count as active before anything runs. */
const RUN_INTENT_MS = 2_000;
/**
 * Fail counts and last failures (`fail-count-RSC#OP_INTERVAL`, `last-failure-…`): the DC decides
 * them, the node they are about keeps them among its transient attributes (pacemaker-attrd's
 * role), so a new DC collects them with the node's state and they survive a DC change.
 */
const FAIL_ATTRIBUTE = /^(fail-count|last-failure)-/;

function failAttributes(attrs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).filter(([k]) => FAIL_ATTRIBUTE.test(k)));
}
/**
 * How long a CLI command waits for a DC (election, dc-deadtime, node-state collection) before it
 * fails with "no DC … retry": a command typed right after `cluster start` waits instead of failing.
 * Kept under the CLI's own 30 s deadline together with the forward.
 */
const DC_WAIT_MS = 8_000;
/** The forwarded reply of a node that is no longer the DC: nothing was applied, retry elsewhere. */
const NOT_DC_ANY_MORE = 'is not the DC (any more)';
const DEFAULT_RESTART_HOLD_MS = 15_000;
const MAX_RESTART_HOLD_MS = 120_000;
const NODE_STATE_TIMEOUT_MS = 1_000;

function envelopeOf(config: ClusterConfig, origin: string, dcEpoch: number): ConfigEnvelope {
  return {
    cluster: config.clusterName,
    version: {
      adminEpoch: config.version.adminEpoch,
      epoch: config.version.epoch,
      numUpdates: config.version.numUpdates,
    },
    configJson: JSON.stringify(config),
    origin,
    dcEpoch,
  };
}

/** `stonith-enabled` as Pacemaker reads it (default true), the same reading as the controller's. */
function stonithEnabledIn(config: ClusterConfig): boolean {
  const v = config.properties['stonith-enabled'];
  return v === undefined || /^(true|on|yes|y|1)$/i.test(v.trim());
}

function errorReply(message: string, exitCode = 1): CommandReply {
  return { exitCode, stdout: '', stderr: `tandem: ${message}\n` };
}

/**
 * NodeState for a member, from what its agent reports (history, transient attributes). The
 * executor's parameter digests are not Pacemaker's op digests, so they are dropped here and
 * `fillOpDigests` gives each record the digest of the current definition (the DC would otherwise
 * read every reported operation as run with changed parameters and restart it).
 */
function memberState(
  name: string,
  reported: ResourceHistory[],
  attributes: Record<string, string>,
): NodeState {
  const history = reported.map((h) => ({
    ...h,
    ops: h.ops.map((op) => {
      const { opDigest: _executorDigest, ...rest } = op;
      return rest;
    }),
  }));
  return {
    name,
    inCcm: true,
    crmd: 'online',
    join: 'member',
    expected: 'member',
    transientAttributes: { ...attributes },
    history,
  };
}

export class TandemNode {
  readonly config: DaemonConfig;
  readonly #log: DaemonLogger;
  readonly #clock: Clock;
  readonly #store: ConfigStore;
  readonly #attrs: NodeAttributes;
  readonly #executor: Executor;
  readonly #monitors: MonitorScheduler;
  readonly #agent: NodeAgent;
  readonly #clients: PeerClients;
  readonly #link: GrpcPeerLink;
  readonly #peerServer: PeerTransportServer;
  readonly #localServer: LocalTransportServer;
  readonly #membership: Membership;
  readonly #lease: LeaseKeeper;
  readonly #replicator: Replicator;
  readonly #witness: Witness | undefined;
  readonly #witnessKeeper: WitnessKeeper | undefined;
  readonly #disposers: (() => void)[] = [];
  #controller: Controller | undefined;
  /** The DC's action sink (with `#controller`): calls to a node that is lost end at once. */
  #sink: GrpcActionSink | undefined;
  /** Increases on every DC gain/loss so a slow `#becomeDc` knows it is outdated. */
  #dcGeneration = 0;
  #lastChange: number | undefined;
  #probed: Promise<unknown> = Promise.resolve();
  #feedTimer: NodeJS.Timeout | undefined;
  /** The DC's last pushed fail attributes per peer (what the peer is known to hold). */
  readonly #pushedFailAttrs = new Map<string, Record<string, string>>();
  /** Monotonic end of the intent to run guarded resources (`#intendToRun`). */
  #runIntentUntil = -Infinity;
  #intentTimer: NodeJS.Timeout | undefined;
  /** Pending retries of `#reportAllAttributes` (cleared on stop). */
  readonly #attrRetryTimers = new Set<NodeJS.Timeout>();
  /** CLI commands waiting for a DC (woken on every view change and DC gain; see `#awaitDc`). */
  readonly #dcWaiters = new Set<() => void>();
  /** Peers restarting their daemon (resources left running): node → monotonic end of the hold. */
  readonly #holds = new Map<string, number>();
  /** What a restarting peer said runs on it (used if this node becomes DC during the hold). */
  readonly #heldState = new Map<string, NodeState>();
  #holdTimer: NodeJS.Timeout | undefined;
  #deadtimeTimer: NodeJS.Timeout | undefined;
  readonly #startedMono: number;
  readonly #dcDeadtimeMs: number;
  #stopping = false;
  /** Port the peer server is bound to. */
  port = 0;
  /** Resolves when `stop` finishes (the daemon exits then). */
  readonly stopped: Promise<void>;
  #resolveStopped: () => void = () => undefined;

  private constructor(
    config: DaemonConfig,
    log: DaemonLogger,
    clock: Clock,
    key: Buffer,
    store: ConfigStore,
    attrs: NodeAttributes,
  ) {
    this.config = config;
    this.#log = log;
    this.#clock = clock;
    this.#store = store;
    this.#attrs = attrs;
    this.stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    this.#startedMono = clock.monoNow();
    this.#dcDeadtimeMs = config.dcDeadtimeMs ?? Math.max(2000, 5 * (config.peerTimeoutMs ?? 400));
    const nodes = [config.node, ...Object.keys(config.peers)].sort();

    this.#executor = new Executor({
      clock,
      nodeName: config.node,
      builtinAgents: builtinAgents.values(),
      setNodeAttribute: (name, value, options) =>
        attrs.set(name, value, options?.dampenMs !== undefined ? { dampenMs: options.dampenMs } : {}),
      logger: log.child({ component: 'executor' }),
      ...(config.ocfRoot !== undefined ? { ocfRoot: config.ocfRoot } : {}),
      ...(config.lsbDir !== undefined ? { lsbDir: config.lsbDir } : {}),
      ...(config.agentStateDir !== undefined ? { stateDir: config.agentStateDir } : {}),
    });
    this.#monitors = new MonitorScheduler({
      executor: this.#executor,
      clock,
      onFailure: () => undefined,
      onResult: (e) => this.#agent.monitorResult(e.result, e.key, e.failed, e.changed),
    });
    this.#lease = new LeaseKeeper({ clock });
    this.#agent = new NodeAgent({
      node: config.node,
      executor: this.#executor,
      monitors: this.#monitors,
      log: log.child({ component: 'node-agent' }),
      mayRun: () => this.#lease.mayRun(),
      onGuardedStart: () => this.#intendToRun(),
    });

    this.#clients = new PeerClients({ self: config.node, key, peers: config.peers });
    const peerTimeoutMs = config.peerTimeoutMs ?? 400;
    this.#link = new GrpcPeerLink(this.#clients, {
      timeoutMs: peerTimeoutMs,
      log: log.child({ component: 'peer-link' }),
    });
    this.#peerServer = new PeerTransportServer({
      key,
      nodes,
      handlers: this.#peerHandlers(),
      log: log.child({ component: 'peer-server' }),
    });
    this.#localServer = new LocalTransportServer(
      {
        status: async (req) => ({ statusJson: JSON.stringify(await this.#statusSnapshot(req.localOnly)) }),
        configCommand: (req) => this.#command(req.words),
        cleanup: (req) =>
          this.#command([
            'resource',
            'cleanup',
            ...(req.rsc !== '' ? [req.rsc] : []),
            ...(req.node !== '' ? ['--node', req.node] : []),
          ]),
        clusterStop: (req) => Promise.resolve(this.#clusterStop(req.all, req.stopResources)),
      },
      log.child({ component: 'local-server' }),
    );

    if (config.witness !== 'none') {
      this.#witness = new RedisWitness({
        cluster: config.cluster,
        clock,
        host: config.witness.host,
        port: config.witness.port,
        ...(config.witnessLeaseMs !== undefined ? { leaseMs: config.witnessLeaseMs } : {}),
      });
      const wlog = log.child({ component: 'witness' });
      this.#witnessKeeper = new WitnessKeeper({
        witness: this.#witness,
        clock,
        owner: `${config.node}`,
        onChange: (validUntil) => this.#membership.setWitnessValidUntil(validUntil),
        onError: (error) => wlog.warn({ kind: error.kind, reason: error.message }, 'witness request failed'),
      });
    }

    this.#membership = new Membership({
      config: {
        cluster: config.cluster,
        self: config.node,
        nodes,
        incarnation: randomUUID(),
        ...(config.heartbeatIntervalMs !== undefined
          ? { heartbeatIntervalMs: config.heartbeatIntervalMs }
          : {}),
        peerTimeoutMs,
        quorum: {
          witness: config.witness !== 'none',
          ...(config.twoNode !== undefined ? { twoNode: config.twoNode } : {}),
          ...(config.waitForAll !== undefined ? { waitForAll: config.waitForAll } : {}),
        },
        stonithEnabled: stonithEnabledIn(store.current()),
        configVersion: versionNumber(store.current().version),
      },
      clock,
      link: this.#link,
    });

    const replicaLink: ReplicaLink = {
      push: async (node, cfg) => {
        const r = await this.#clients.pushConfig(
          node,
          envelopeOf(cfg, config.node, this.#membership.view().dcEpoch),
          2000,
        );
        return r.ok ? r.value.accepted : undefined;
      },
      pull: async (node) => {
        const r = await this.#clients.pullConfig(node, 2000);
        if (!r.ok || r.value.configJson === '') return undefined;
        const parsed = parseConfigJson(r.value.configJson, `configuration from ${node}`);
        return parsed.ok ? parsed.value : undefined;
      },
    };
    this.#replicator = new Replicator(store, replicaLink, log.child({ component: 'replicator' }));
  }

  /** Opens the state, binds the servers, probes, and joins the cluster. */
  static async start(
    config: DaemonConfig,
    log: DaemonLogger,
    options: { clock?: Clock } = {},
  ): Promise<StartResult> {
    const clock = options.clock ?? systemClock;
    const key = await readKeyFile(config.keyFile);
    if (!key.ok) return key;
    await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
    const nodes = [config.node, ...Object.keys(config.peers)].sort();
    const store = await ConfigStore.open(join(config.stateDir, 'cib.json'), {
      clusterName: config.cluster,
      nodes,
    });
    if (!store.ok) return store;
    if (store.value.current().clusterName !== config.cluster) {
      return {
        ok: false,
        error: `${store.value.path} belongs to cluster '${store.value.current().clusterName}', tandem.conf says '${config.cluster}': fix "cluster" or move the file away`,
      };
    }
    const attrs = await NodeAttributes.open({
      clock,
      stateDir: config.stateDir,
      onError: (err) => log.warn({ err }, 'node attribute persistence failed'),
    });
    if (!attrs.ok) return attrs;
    const node = new TandemNode(config, log, clock, key.value, store.value, attrs.value);
    const started = await node.#start();
    if (!started.ok) {
      await node.stop({ stopResources: false });
      return started;
    }
    return { ok: true, value: node };
  }

  async #start(): Promise<{ ok: true } | { ok: false; error: string }> {
    const log = this.#log;
    try {
      this.port = await this.#peerServer.listen(this.config.listen);
    } catch (err) {
      return {
        ok: false,
        error: `cannot listen on ${this.config.listen} (tandem.conf "listen"): ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    try {
      await this.#localServer.listen(this.config.socket);
    } catch (err) {
      return {
        ok: false,
        error: `cannot bind the local socket ${this.config.socket} (tandem.conf "socket"): ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    log.info(
      { listen: this.config.listen, port: this.port, socket: this.config.socket, peers: this.config.peers },
      'tandemd listening',
    );

    // Learn what runs here before anyone can ask (GetNodeState waits for this).
    this.#probed = this.#agent.probeAll(this.#store.current());
    await this.#probed;

    const unsubs = [
      this.#agent.onReport((r) => this.#reportOperation(r)),
      this.#attrs.subscribe((change) => this.#reportAttributes({ [change.name]: change.value })),
    ];
    for (const u of unsubs) this.#disposers.push(() => void u());
    const storeSub = this.#store.onChange((change) => {
      this.#lastChange = this.#clock.wallNow();
      this.#membership.setConfigVersion(versionNumber(change.config.version));
      this.#membership.setStonithEnabled(stonithEnabledIn(change.config));
      this.#controller?.configChanged(change.config);
      if (change.source === 'commit' && this.#controller !== undefined) {
        void this.#replicator.publish(this.#membership.view().members.filter((m) => m !== this.config.node));
      }
    });
    this.#disposers.push(() => storeSub.dispose());
    const leaseSub = this.#lease.onDemote((reason) => {
      log.error({ reason }, 'lease lost: stopping the resources of this node');
      void this.#agent
        .stopAll(this.#store.current(), { guardedOnly: true })
        .then(() => this.#membership.setActive(this.#runsGuarded()));
    });
    this.#disposers.push(() => leaseSub.dispose());
    const memSub = this.#membership.onChange((e) => {
      if (e.kind === 'view') this.#onView(e.view, e.previous);
      else if (e.kind === 'node-lost') {
        log.warn({ peer: e.node, wasActive: e.wasActive }, 'peer lost');
        this.#sink?.nodeLost(e.node);
      } else log.info({ peer: e.node }, 'peer joined');
    });
    this.#disposers.push(() => memSub.dispose());
    // The lease follows every change of the quorum's validity (each heartbeat moves it with a
    // witness), not only changes of the view: otherwise it runs out in steady state.
    const quorumSub = this.#membership.onQuorum((view) => {
      if (!this.#stopping) this.#lease.renew(view.quorum.validUntil);
    });
    this.#disposers.push(() => quorumSub.dispose());
    this.#membership.setActive(this.#runsGuarded());
    this.#membership.start();
    this.#onView(this.#membership.view(), undefined);
    return { ok: true };
  }

  /** Runs something the lease guards (see `leaseGuards`): "active" for membership and the witness. */
  #runsGuarded(): boolean {
    if (this.#clock.monoNow() < this.#runIntentUntil) return true;
    return this.#agent.guardedActiveResources(this.#store.current()).length > 0;
  }

  /**
   * The DC asked this node to start a guarded resource: it counts as active for RUN_INTENT_MS
   * (heartbeats say so, peers wait for its lease before taking over), and it wants the witness,
   * which the old holder (no longer active) releases. Without this, a node taking over the group
   * after a gateway loss ran on a heartbeat-only lease, which under load lapsed again and again
   * (each lapse stops the group: self-demotion), while the idle old holder kept the witness.
   */
  #intendToRun(): void {
    this.#runIntentUntil = this.#clock.monoNow() + RUN_INTENT_MS;
    this.#membership.setActive(true);
    this.#witnessKeeper?.setWanted(wantsWitness(this.#membership.view(), true));
    // When the intent ends without anything running, stop claiming (and wanting the witness).
    if (this.#intentTimer !== undefined) clearTimeout(this.#intentTimer);
    this.#intentTimer = setTimeout(() => {
      this.#intentTimer = undefined;
      if (this.#stopping) return;
      const active = this.#runsGuarded();
      this.#membership.setActive(active);
      this.#witnessKeeper?.setWanted(wantsWitness(this.#membership.view(), active));
    }, RUN_INTENT_MS + 1);
  }

  // ── membership ──────────────────────────────────────────────────────────────────────────────

  #onView(view: MembershipView, previous: MembershipView | undefined): void {
    if (this.#stopping) return;
    this.#lease.renew(view.quorum.validUntil);
    const pingd = this.#attrs.get('pingd');
    const verdict = isolationVerdict({
      peersVisible: view.members.length - 1,
      pingd: pingd === undefined ? undefined : Number(pingd),
    });
    if (verdict.demote) this.#lease.demote('isolated');
    this.#witnessKeeper?.setWanted(wantsWitness(view, this.#runsGuarded()));
    if (
      previous === undefined ||
      previous.dc !== view.dc ||
      previous.quorate !== view.quorate ||
      previous.members.join() !== view.members.join()
    ) {
      this.#log.info(
        {
          members: view.members,
          dc: view.dc ?? '',
          dcEpoch: view.dcEpoch,
          quorate: view.quorate,
          agreed: view.agreed,
        },
        'membership view',
      );
    }
    // attrd's sync on join: a new DC, or a membership this node (re)joined, learns all of this
    // node's transient attributes (pingd set by the start-up probe, before anyone listened, would
    // otherwise stay unknown to the DC until it changes: the group could never move here).
    if (
      view.dc !== undefined &&
      view.dc !== view.self &&
      (previous === undefined ||
        previous.dc !== view.dc ||
        previous.dcEpoch !== view.dcEpoch ||
        previous.members.join() !== view.members.join())
    )
      this.#reportAllAttributes(view.dc, view.dcEpoch, 0);
    // A newer configuration announced by a member is pulled (partition heal, late joiner).
    for (const n of view.nodes) {
      if (n.name !== view.self && n.state === 'member') void this.#replicator.heard(n.name, n.configVersion);
    }
    this.#notifyDcWaiters();
    if (view.isDc && this.#controller === undefined && this.#mayTakeDc(view)) void this.#becomeDc(view);
    else if (!view.isDc && this.#controller !== undefined) void this.#dropDc('no longer DC');
    // `previous === view` is a re-evaluation (a pingd change for the isolation rule), not news
    // about the membership: feeding it to the controller would abort its running transition.
    else if (view.isDc && previous !== view) this.#feedView(view, previous);
  }

  /**
   * Pacemaker's dc-deadtime: a node that has just started and sees only part of the cluster
   * without quorum does not take the DC role at once (it would stop resources for lack of quorum
   * while its peers are about to be heard: a daemon restart would bounce them). It waits until
   * quorate, or every node is seen, or the start-up grace has passed.
   */
  #mayTakeDc(view: MembershipView): boolean {
    if (view.quorate || view.members.length === view.nodes.length) return true;
    const waitMs = this.#startedMono + this.#dcDeadtimeMs - this.#clock.monoNow();
    if (waitMs <= 0) return true;
    if (this.#deadtimeTimer === undefined) {
      this.#deadtimeTimer = setTimeout(
        () => {
          this.#deadtimeTimer = undefined;
          this.#onView(this.#membership.view(), undefined);
        },
        Math.ceil(waitMs) + 1,
      );
    }
    return false;
  }

  /**
   * Gives the controller the view, but only once every newly lost node's lease is certainly over
   * (takeoverAllowedAt): a lost node's resources are not recovered while it may still run them.
   */
  #feedView(view: MembershipView, previous: MembershipView | undefined): void {
    const controller = this.#controller;
    if (controller === undefined) return;
    if (previous !== undefined && previous.members.length > view.members.length) {
      // Replicate to the remaining members is unnecessary; joins get a push below.
    }
    if (previous !== undefined) {
      const joined = view.members.filter((m) => !previous.members.includes(m) && m !== this.config.node);
      if (joined.length > 0) void this.#replicator.publish(joined);
    }
    const now = this.#clock.monoNow();
    const held = this.#heldView(view, now);
    let waitMs = 0;
    for (const n of held.nodes) {
      if ((n.state === 'lost' || n.state === 'unclean') && n.lostAtMono !== undefined) {
        waitMs = Math.max(waitMs, takeoverAllowedAt(n.lostAtMono) - now);
      }
    }
    if (waitMs <= 0) {
      controller.membershipChanged(held);
      return;
    }
    if (this.#feedTimer !== undefined) clearTimeout(this.#feedTimer);
    this.#feedTimer = setTimeout(() => {
      this.#feedTimer = undefined;
      if (this.#controller === controller)
        controller.membershipChanged(this.#heldView(this.#membership.view(), this.#clock.monoNow()));
    }, Math.ceil(waitMs));
  }

  /**
   * The view the controller sees: a peer that announced a daemon restart (its resources keep
   * running) stays a member while its hold lasts, so its resources are not recovered elsewhere.
   * The hold ends when it is heard again, or at its deadline (then it is lost like any other).
   */
  #heldView(view: MembershipView, now: number): MembershipView {
    let nextEnd = Infinity;
    const nodes = view.nodes.map((n) => {
      const until = this.#holds.get(n.name);
      if (until === undefined) return n;
      if (n.state === 'member' || until <= now) {
        this.#holds.delete(n.name);
        if (until <= now)
          this.#log.warn({ peer: n.name }, 'restart hold expired: the node is treated as lost');
        return n;
      }
      nextEnd = Math.min(nextEnd, until);
      return { ...n, state: 'member' as const };
    });
    if (this.#holdTimer !== undefined) clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    if (Number.isFinite(nextEnd)) {
      this.#holdTimer = setTimeout(
        () => {
          this.#holdTimer = undefined;
          this.#feedView(this.#membership.view(), undefined);
        },
        Math.ceil(nextEnd - now) + 1,
      );
    }
    return { ...view, nodes };
  }

  async #collectStatus(view: MembershipView): Promise<ClusterStatus> {
    const now = this.#clock.monoNow();
    const held = [...this.#holds.entries()]
      .filter(([name, until]) => until > now && !view.members.includes(name))
      .map(([name]) => this.#heldState.get(name))
      .filter((n): n is NodeState => n !== undefined);
    const nodes = await Promise.all(
      view.members.map(async (name): Promise<NodeState | undefined> => {
        if (name === this.config.node) {
          await this.#probed;
          return memberState(name, this.#executor.histories(), this.#attrs.all());
        }
        const r = await this.#clients.getNodeState(name, { dcEpoch: view.dcEpoch }, NODE_STATE_TIMEOUT_MS);
        if (!r.ok) {
          this.#log.warn(
            { peer: name, reason: r.error.message },
            'node state not collected: its resources will be probed',
          );
          return undefined;
        }
        let history: ResourceHistory[];
        try {
          history = JSON.parse(r.value.historyJson) as ResourceHistory[];
        } catch {
          history = [];
        }
        return memberState(name, history, r.value.attributes);
      }),
    );
    return fillOpDigests(this.#store.current(), {
      dc: this.config.node,
      haveQuorum: view.quorate,
      // Per-operation fail counts (fail-count-RSC#OP_INTERVAL) are read from feature set 3.0.13 on.
      crmFeatureSet: CONTROLLER_FEATURE_SET,
      nodes: [...nodes.filter((n): n is NodeState => n !== undefined), ...held],
    });
  }

  async #becomeDc(view: MembershipView): Promise<void> {
    const generation = ++this.#dcGeneration;
    this.#log.info(
      { dcEpoch: view.dcEpoch, members: view.members },
      'this node is the DC: collecting node states',
    );
    // The newest configuration among the members first (a healed partition converges here).
    await Promise.all(
      view.nodes
        .filter((n) => n.name !== view.self && n.state === 'member')
        .map((n) => this.#replicator.heard(n.name, n.configVersion)),
    );
    const status = await this.#collectStatus(view);
    if (generation !== this.#dcGeneration || this.#stopping) return;
    const log = this.#log.child({ component: 'controller' });
    const grpcSink = new GrpcActionSink({
      self: this.config.node,
      local: this.#agent,
      clients: this.#clients,
      isMember: (node) => this.#membership.view().members.includes(node),
    });
    // With stonith-enabled the scheduler orders `fence` before recovering an unclean node's
    // resources; the DC runs the fence agents itself (coordinator/fencing).
    const fencer = new FenceRunner(
      this.config.fenceAgentDir !== undefined ? { agentDir: this.config.fenceAgentDir } : {},
    );
    const sink = new FencingActionSink(grpcSink, fencer, {
      onFence: (node, result) => this.#fenced(node, result),
    });
    const controller = new Controller({
      nodeName: this.config.node,
      dcEpoch: view.dcEpoch,
      config: this.#store.current(),
      status,
      clock: this.#clock,
      sink: {
        execute: async (action, ctx) => {
          const outcome = await sink.execute(action, ctx);
          this.#membership.setActive(this.#runsGuarded());
          return outcome;
        },
      },
      peInputs: new FilePeInputStore(join(this.config.stateDir, 'pe')),
      log,
      // A node holds its fail counts before the DC acts on them (attrd records them at once), so a
      // DC that dies mid-recovery does not take a new failure with it; and again after the
      // transition for what its results changed.
      onScheduled: () => {
        if (this.#controller === controller) this.#syncFailAttributes(controller);
      },
      onTransition: (e) => {
        if (this.#controller === controller) this.#syncFailAttributes(controller);
        const actions = e.transition.actions.filter((a) => !a.pseudo).map((a) => a.id);
        if (actions.length > 0 || e.report.aborted) {
          log.info(
            {
              transition: e.id,
              actions,
              failed: e.report.failed.map((f) => f.id),
              aborted: e.report.aborted,
              reason: e.report.abortReason,
              peInput: e.peInput,
            },
            'transition finished',
          );
        }
      },
    });
    this.#controller = controller;
    this.#sink = grpcSink;
    // What each member holds now is what was just collected from it.
    this.#pushedFailAttrs.clear();
    for (const n of status.nodes)
      if (n.name !== this.config.node)
        this.#pushedFailAttrs.set(n.name, failAttributes(n.transientAttributes));
    this.#notifyDcWaiters();
    void this.#replicator.publish(view.members.filter((m) => m !== this.config.node));
    this.#feedView(this.#membership.view(), undefined);
  }

  /**
   * Gives every member the fail counts the DC's status holds for it (set and delete), so they live
   * on the node (as Pacemaker's attrd keeps them) and a later DC collects them. Called after every
   * transition, which follows every failure, cleanup and expiry. A push that fails is retried on
   * the next call.
   */
  #syncFailAttributes(controller: Controller): void {
    const { status } = controller.snapshot();
    const view = this.#membership.view();
    for (const n of status.nodes) {
      if (!view.members.includes(n.name)) continue;
      const want = failAttributes(n.transientAttributes);
      const have =
        n.name === this.config.node
          ? failAttributes(this.#attrs.all())
          : (this.#pushedFailAttrs.get(n.name) ?? {});
      const set: Record<string, string> = {};
      for (const [k, v] of Object.entries(want)) if (have[k] !== v) set[k] = v;
      const deleted = Object.keys(have).filter((k) => !(k in want));
      if (Object.keys(set).length === 0 && deleted.length === 0) continue;
      if (n.name === this.config.node) {
        for (const [k, v] of Object.entries(set)) this.#attrs.set(k, v);
        for (const k of deleted) this.#attrs.delete(k);
        continue;
      }
      const peer = n.name;
      void this.#clients
        .report(peer, { node: peer, dcEpoch: view.dcEpoch, attributes: { set, deleted } }, 2000)
        .then((r) => {
          if (r.ok && r.value.ok) this.#pushedFailAttrs.set(peer, want);
          else
            this.#log.warn(
              { peer, reason: r.ok ? r.value.message : r.error.message },
              'fail counts not handed to the node (retried after the next transition)',
            );
        });
    }
  }

  /** The DC hands this node its fail counts (see `#syncFailAttributes`). */
  #acceptFailAttributes(from: string, report: NodeReport): boolean {
    const view = this.#membership.view();
    if (view.dc !== from || report.node !== this.config.node || report.attributes === undefined) return false;
    for (const [k, v] of Object.entries(report.attributes.set))
      if (FAIL_ATTRIBUTE.test(k)) this.#attrs.set(k, v);
    for (const k of report.attributes.deleted) if (FAIL_ATTRIBUTE.test(k)) this.#attrs.delete(k);
    return true;
  }

  /**
   * After each fence attempt: a confirmed fence makes the node `fenced` in the membership (down
   * and clean, its resources stopped) until it is heard from again; a failure leaves it unclean
   * (the controller keeps its recovery blocked, retries, and `tandem status` shows the failure).
   */
  #fenced(node: string, result: FenceResult): void {
    if (result.ok) {
      this.#log.warn({ peer: node, device: result.device, durationMs: result.durationMs }, 'node fenced');
      this.#membership.markFenced(node);
    } else {
      this.#log.error(
        { peer: node, reason: result.reason, attempts: result.attempts },
        'fencing failed: recovery of its resources stays blocked',
      );
    }
  }

  async #dropDc(reason: string): Promise<void> {
    this.#dcGeneration++;
    const c = this.#controller;
    this.#controller = undefined;
    this.#sink = undefined;
    if (c === undefined) return;
    this.#log.warn({ reason }, 'giving up the DC role');
    await c.dispose();
  }

  // ── reports to the DC ───────────────────────────────────────────────────────────────────────

  #reportOperation(r: OperationReport): void {
    if (this.#controller !== undefined) {
      this.#controller.operationResult(r);
      return;
    }
    const view = this.#membership.view();
    if (view.dc === undefined) return;
    void this.#clients
      .report(
        view.dc,
        {
          node: this.config.node,
          dcEpoch: view.dcEpoch,
          operation: {
            rsc: r.rsc,
            operation: r.operation,
            intervalMs: r.intervalMs,
            outcomeJson: JSON.stringify(r.outcome),
          },
        },
        2000,
      )
      .then((res) => {
        if (!res.ok)
          this.#log.warn(
            { dc: view.dc, reason: res.error.message },
            'monitor report to the DC failed (the next DC reads it from the history)',
          );
      });
  }

  /**
   * Sends every transient attribute of this node to the DC `dc`; a DC still collecting node states
   * refuses reports, so a refusal is retried (300 ms apart, 10 times) while `dc` stays the DC.
   */
  #reportAllAttributes(dc: string, dcEpoch: number, attempt: number): void {
    if (this.#stopping) return;
    const view = this.#membership.view();
    if (view.dc !== dc || view.dcEpoch !== dcEpoch) return;
    void this.#clients
      .report(
        dc,
        { node: this.config.node, dcEpoch, attributes: { set: this.#attrs.all(), deleted: [] } },
        2000,
      )
      .then((r) => {
        if ((r.ok && r.value.ok) || attempt >= 9 || this.#stopping) return;
        const timer = setTimeout(() => {
          this.#attrRetryTimers.delete(timer);
          this.#reportAllAttributes(dc, dcEpoch, attempt + 1);
        }, 300);
        this.#attrRetryTimers.add(timer);
      });
  }

  #reportAttributes(changes: Record<string, string | null>): void {
    const view = this.#membership.view();
    if (view.dc !== undefined) this.#onView(view, view); // the isolation rule reads pingd
    if (this.#controller !== undefined) {
      this.#controller.nodeAttributesChanged(this.config.node, changes);
      return;
    }
    if (view.dc === undefined) return;
    const set: Record<string, string> = {};
    const deleted: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) deleted.push(k);
      else set[k] = v;
    }
    void this.#clients.report(
      view.dc,
      { node: this.config.node, dcEpoch: view.dcEpoch, attributes: { set, deleted } },
      2000,
    );
  }

  // ── peer handlers ───────────────────────────────────────────────────────────────────────────

  #peerHandlers(): PeerHandlers {
    return {
      heartbeat: (from, msg) => this.#link.deliver(from, msg),
      pushConfig: async (from, env) => {
        const parsed = parseConfigJson(env.configJson, `configuration pushed by ${from}`);
        if (!parsed.ok) {
          this.#log.warn({ from, reason: parsed.error }, 'pushed configuration refused');
          return { accepted: false, version: env.version };
        }
        const kept = await this.#store.offer(parsed.value);
        const v = this.#store.current().version;
        return {
          accepted: kept.ok && kept.value,
          version: { adminEpoch: v.adminEpoch, epoch: v.epoch, numUpdates: v.numUpdates },
        };
      },
      pullConfig: () =>
        Promise.resolve(envelopeOf(this.#store.current(), this.config.node, this.#membership.view().dcEpoch)),
      runAction: async (from, req) => {
        const decoded = decodeActionRequest(req);
        if (!decoded.ok)
          return { outcomeJson: JSON.stringify({ status: 'invalid', exitReason: decoded.error }) };
        if (decoded.value.dc !== from) {
          return {
            outcomeJson: JSON.stringify({
              status: 'invalid',
              exitReason: `action names DC ${decoded.value.dc} but came from ${from}`,
            }),
          };
        }
        const outcome = await this.#agent.run(decoded.value);
        this.#membership.setActive(this.#runsGuarded());
        return { outcomeJson: JSON.stringify(outcome) };
      },
      report: (from, report) => {
        const c = this.#controller;
        if (c === undefined) {
          if (this.#acceptFailAttributes(from, report)) return Promise.resolve({ ok: true, message: '' });
          return Promise.resolve({ ok: false, message: `${this.config.node} is not the DC` });
        }
        if (report.operation !== undefined) {
          let outcome;
          try {
            outcome = JSON.parse(report.operation.outcomeJson) as OperationReport['outcome'];
          } catch {
            return Promise.resolve({ ok: false, message: 'outcome_json is not JSON' });
          }
          c.operationResult({
            node: from,
            rsc: report.operation.rsc,
            operation: report.operation.operation,
            intervalMs: report.operation.intervalMs,
            outcome,
          });
        }
        if (report.attributes !== undefined) {
          const changes: Record<string, string | null> = { ...report.attributes.set };
          for (const d of report.attributes.deleted) changes[d] = null;
          c.nodeAttributesChanged(from, changes);
        }
        return Promise.resolve({ ok: true, message: '' });
      },
      getNodeState: async (): Promise<NodeStateReply> => {
        await this.#probed;
        return {
          node: this.config.node,
          historyJson: JSON.stringify(this.#executor.histories()),
          attributes: this.#attrs.all(),
          mayRun: this.#lease.mayRun(),
        };
      },
      forward: async (from, req) => this.#forwarded(from, req),
      restarting: (from, notice) => {
        const holdMs = Math.min(notice.holdMs, MAX_RESTART_HOLD_MS);
        this.#holds.set(from, this.#clock.monoNow() + holdMs);
        try {
          const history = JSON.parse(
            notice.historyJson === '' ? '[]' : notice.historyJson,
          ) as ResourceHistory[];
          this.#heldState.set(from, memberState(from, history, notice.attributes));
        } catch {
          this.#heldState.delete(from);
        }
        this.#log.warn(
          { peer: from, holdMs },
          'peer restarting its daemon: its resources stay where they are during the hold',
        );
        return Promise.resolve({ ok: true, message: '' });
      },
    };
  }

  async #forwarded(from: string, req: LocalRequest): Promise<LocalReply> {
    if (this.#controller === undefined) {
      return { command: errorReply(`${this.config.node} ${NOT_DC_ANY_MORE}; retry`) };
    }
    if (req.status !== undefined) return { status: { statusJson: JSON.stringify(this.#dcSnapshot(from)) } };
    if (req.configCommand !== undefined) return { command: await this.#runOnDc(req.configCommand.words) };
    if (req.cleanup !== undefined) {
      return {
        command: await this.#runOnDc([
          'resource',
          'cleanup',
          ...(req.cleanup.rsc !== '' ? [req.cleanup.rsc] : []),
          ...(req.cleanup.node !== '' ? ['--node', req.cleanup.node] : []),
        ]),
      };
    }
    return { command: errorReply('empty forwarded request', 2) };
  }

  // ── CLI requests ────────────────────────────────────────────────────────────────────────────

  #runOnDc(words: readonly string[]): Promise<CommandReply> {
    const controller = this.#controller;
    return runDcCommand(words, {
      store: this.#store,
      controller,
      nowMs: this.#clock.wallNow(),
      currentNodes: (rsc) => {
        const t = controller?.snapshot().transition;
        if (t === undefined) return [];
        const ids = new Set([rsc]);
        const hit = t.resources.filter((r) => ids.has(r.rsc) || r.group === rsc || r.clone === rsc);
        return [...new Set(hit.flatMap((r) => r.current))].sort();
      },
    });
  }

  /**
   * A pcs-style command: run on the DC (here, or forwarded). Waits up to DC_WAIT_MS for a DC
   * (right after `cluster start` the election, dc-deadtime and the new DC's node-state collection
   * take a moment); retries when nothing can have been applied (the DC was unreachable before the
   * request was sent, or answered that it is no longer the DC). Fails with a message saying to
   * retry when no DC appears in time.
   */
  async #command(words: readonly string[]): Promise<CommandReply> {
    const deadline = this.#clock.monoNow() + DC_WAIT_MS;
    let lastProblem = 'the cluster has no quorum or is still electing';
    for (;;) {
      if (this.#stopping) return errorReply(`${this.config.node} is stopping; retry on another node`);
      if (this.#controller !== undefined) return this.#runOnDc(words);
      const view = this.#membership.view();
      const dc = view.dc;
      let retryMs: number | undefined;
      if (dc !== undefined && dc !== this.config.node) {
        // The DC may become ready (or reachable) without a view change here: look again soon.
        retryMs = 200;
        const r = await this.#clients.forward(
          dc,
          { configCommand: { words: [...words], origin: this.config.node } },
          FORWARD_TIMEOUT_MS,
        );
        if (r.ok) {
          const reply = r.value.command;
          if (reply === undefined) return errorReply(`the DC ${dc} sent no command reply`);
          if (!reply.stderr.includes(NOT_DC_ANY_MORE)) return reply;
          lastProblem = `${dc} stopped being the DC`;
        } else if (r.error.code === (grpc.status.UNAVAILABLE as number)) {
          // No connection to the DC: gRPC fails such a call before sending it (fail-fast), so
          // nothing was applied and asking again is safe.
          lastProblem = `the DC ${dc} is unreachable (${r.error.message})`;
        } else {
          return errorReply(
            `the DC ${dc} did not answer: ${r.error.message}; the change may or may not have been applied: check with \`tandem cluster cib\` before retrying`,
          );
        }
      }
      const until = retryMs === undefined ? deadline : Math.min(deadline, this.#clock.monoNow() + retryMs);
      if (!(await this.#nextDcEvent(until)) && this.#clock.monoNow() >= deadline) {
        return errorReply(
          `no DC answered within ${DC_WAIT_MS / 1000} s (${lastProblem}); nothing was applied: see \`tandem status\` and retry (offline edits: -f FILE)`,
        );
      }
    }
  }

  /** Resolves true on the next view change or DC gain, false at `deadline` (monotonic ms) or stop. */
  #nextDcEvent(deadline: number): Promise<boolean> {
    const waitMs = deadline - this.#clock.monoNow();
    if (waitMs <= 0 || this.#stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#dcWaiters.delete(wake);
        resolve(!this.#stopping);
      };
      const timer = setTimeout(() => {
        this.#dcWaiters.delete(wake);
        resolve(false);
      }, Math.ceil(waitMs));
      this.#dcWaiters.add(wake);
    });
  }

  #notifyDcWaiters(): void {
    for (const wake of [...this.#dcWaiters]) wake();
  }

  #dcSnapshot(localNode: string): StatusSnapshot {
    const c = this.#controller;
    const snap = c?.snapshot();
    return this.#snapshot(
      snap === undefined ? 'local' : 'dc',
      localNode,
      snap?.status,
      snap?.fenceFailures ?? [],
      snap?.running ?? false,
    );
  }

  #snapshot(
    source: 'dc' | 'local',
    localNode: string,
    status: ClusterStatus | undefined,
    fenceFailures: StatusSnapshot['fenceFailures'],
    running: boolean,
  ): StatusSnapshot {
    const view = this.#membership.view();
    const leaseEnd = this.#lease.leaseEnd();
    const now = this.#clock.monoNow();
    const localStatus: ClusterStatus = status ?? {
      haveQuorum: view.quorate,
      crmFeatureSet: CONTROLLER_FEATURE_SET,
      nodes: view.nodes.map((n) =>
        n.name === this.config.node
          ? memberState(n.name, this.#executor.histories(), this.#attrs.all())
          : {
              name: n.name,
              inCcm: n.state === 'member',
              crmd: n.state === 'member' ? 'online' : 'offline',
              join: n.state === 'member' ? 'member' : 'down',
              expected: 'member',
              transientAttributes: {},
              history: [],
            },
      ),
    };
    const keeper = this.#witnessKeeper;
    const witnessHolder =
      keeper?.holds() === true ? this.config.node : (view.nodes.find((n) => n.witness)?.name ?? '');
    const lastError = keeper?.lastError();
    return {
      snapshotVersion: 1,
      source,
      answeredBy: this.config.node,
      localNode,
      config: this.#store.current(),
      status: localStatus,
      now: this.#clock.wallNow(),
      ...(this.#lastChange !== undefined ? { lastChange: this.#lastChange } : {}),
      dcEpoch: view.dcEpoch,
      quorum: view.quorum,
      membership: view.nodes.map((n) => ({ name: n.name, state: n.state })),
      witness:
        this.config.witness === 'none'
          ? { kind: 'none', holder: '' }
          : {
              kind: 'redis',
              address: `redis://${this.config.witness.host}:${this.config.witness.port}`,
              holder: witnessHolder,
              ...(lastError !== undefined ? { error: lastError.message } : {}),
            },
      lease: {
        node: this.config.node,
        mayRun: this.#lease.mayRun(),
        remainingMs: Number.isFinite(leaseEnd)
          ? Math.max(0, Math.round(leaseEnd - now))
          : leaseEnd > 0
            ? null
            : 0,
      },
      fenceFailures,
      transitionRunning: running,
    };
  }

  async #statusSnapshot(localOnly: boolean): Promise<StatusSnapshot> {
    if (this.#controller !== undefined || localOnly) return this.#dcSnapshot(this.config.node);
    const view = this.#membership.view();
    if (view.dc !== undefined) {
      const r = await this.#clients.forward(view.dc, { status: { localOnly: false } }, 5000);
      if (r.ok && r.value.status !== undefined) {
        try {
          return {
            ...(JSON.parse(r.value.status.statusJson) as StatusSnapshot),
            localNode: this.config.node,
          };
        } catch {
          // fall through to the local view
        }
      }
    }
    return this.#dcSnapshot(this.config.node);
  }

  #clusterStop(all: boolean, stopResources: boolean): CommandReply {
    if (all) {
      // Not yet: stopping the peers needs a peer call; refuse rather than pretend.
      return errorReply(
        `\`cluster stop --all\` is not supported yet: run \`tandem cluster stop\` on each node (${[this.config.node, ...Object.keys(this.config.peers)].sort().join(', ')})`,
        2,
      );
    }
    setImmediate(() => void this.stop({ stopResources, leave: true }));
    return {
      exitCode: 0,
      stdout: `${this.config.node}: stopping${stopResources ? ' (resources stopped first)' : ' (resources left running)'}\n`,
      stderr: '',
    };
  }

  /**
   * Stops the daemon. `stopResources`: stop this node's resources first (`tandem cluster stop`);
   * otherwise they keep running (SIGTERM, a daemon restart). `leave`: announce a clean leave
   * (only after stopping resources, or peers would recover them while they still run).
   */
  async stop(options: { stopResources: boolean; leave?: boolean }): Promise<void> {
    if (this.#stopping) return this.stopped;
    this.#stopping = true;
    this.#log.info({ stopResources: options.stopResources }, 'tandemd stopping');
    if (this.#feedTimer !== undefined) clearTimeout(this.#feedTimer);
    if (this.#holdTimer !== undefined) clearTimeout(this.#holdTimer);
    if (this.#deadtimeTimer !== undefined) clearTimeout(this.#deadtimeTimer);
    this.#notifyDcWaiters();
    if (this.#intentTimer !== undefined) clearTimeout(this.#intentTimer);
    for (const t of this.#attrRetryTimers) clearTimeout(t);
    this.#attrRetryTimers.clear();
    await this.#dropDc('daemon stopping');
    if (options.stopResources) await this.#agent.stopAll(this.#store.current());
    else if (this.#agent.activeResources().length > 0) {
      // A restart that leaves resources running: ask the peers not to recover them meanwhile.
      const holdMs = this.config.restartHoldMs ?? DEFAULT_RESTART_HOLD_MS;
      await Promise.all(
        Object.keys(this.config.peers).map((peer) =>
          this.#clients.restarting(
            peer,
            {
              node: this.config.node,
              holdMs,
              historyJson: JSON.stringify(this.#executor.histories()),
              attributes: this.#attrs.all(),
            },
            300,
          ),
        ),
      );
    }
    if (options.leave === true && options.stopResources) this.#membership.leave();
    this.#membership.dispose();
    this.#witnessKeeper?.dispose();
    await this.#witness?.dispose();
    this.#lease.dispose();
    for (const d of this.#disposers.splice(0)) d();
    this.#monitors.dispose();
    await this.#localServer.close();
    await this.#peerServer.close();
    this.#clients.close();
    await this.#executor.dispose();
    await this.#attrs.dispose();
    this.#log.info({}, 'tandemd stopped');
    this.#resolveStopped();
  }
}
