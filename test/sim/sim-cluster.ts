/**
 * N virtual nodes on one `FakeClock` and one in-memory network, reproducible from a seed. Time
 * moves only in `run`/`step`; `step` lets promise continuations (witness answers) settle after
 * each millisecond, so there are no wall-clock sleeps anywhere.
 */
import { FakeClock } from '../../agent/executor/clock.ts';
import type { QuorumOptions } from '../../coordinator/membership/index.ts';
import { MemoryWitnessServer } from '../../coordinator/witness/index.ts';
import { Prng } from '../support/prng.ts';
import { SimNetwork, type SimNetworkOptions } from './sim-network.ts';
import { type SimMessage, SimNode, type SimNodeOptions } from './sim-node.ts';

export interface SimClusterOptions {
  seed: number;
  nodes: string[];
  witness?: boolean;
  quorum?: QuorumOptions;
  stonithEnabled?: boolean;
  network?: SimNetworkOptions;
  /** Max |drift rate| per node clock, drawn from the seed (e.g. 0.01 = 1 %). */
  maxDriftRate?: number;
  node?: Partial<Omit<SimNodeOptions, 'name' | 'base' | 'net' | 'membership'>>;
  heartbeatIntervalMs?: number;
  peerTimeoutMs?: number;
}

export class SimCluster {
  readonly base = new FakeClock({ monoMs: 0 });
  readonly prng: Prng;
  readonly net: SimNetwork<SimMessage>;
  readonly witnessServer: MemoryWitnessServer | undefined;
  readonly nodes = new Map<string, SimNode>();
  /** Nodes cut off from the witness. */
  readonly witnessCut = new Set<string>();

  constructor(o: SimClusterOptions) {
    this.prng = new Prng(o.seed);
    this.net = new SimNetwork<SimMessage>(this.base, this.prng, o.network);
    this.witnessServer = o.witness === true ? new MemoryWitnessServer(this.base) : undefined;
    const maxDrift = o.maxDriftRate ?? 0;
    for (const name of o.nodes) {
      const driftRate = maxDrift === 0 ? 0 : (this.prng.next() * 2 - 1) * maxDrift;
      const node = new SimNode({
        ...o.node,
        name,
        base: this.base,
        net: this.net,
        driftRate,
        membership: {
          cluster: 'sim',
          nodes: o.nodes,
          quorum: { ...o.quorum, witness: o.witness ?? false },
          stonithEnabled: o.stonithEnabled ?? false,
          ...(o.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: o.heartbeatIntervalMs }),
          ...(o.peerTimeoutMs === undefined ? {} : { peerTimeoutMs: o.peerTimeoutMs }),
        },
        ...(this.witnessServer === undefined
          ? {}
          : { witnessServer: this.witnessServer, witnessReachable: () => !this.witnessCut.has(name) }),
      });
      this.nodes.set(name, node);
    }
  }

  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw new RangeError(`sim: no node ${name}`);
    return n;
  }

  get now(): number {
    return this.base.monoNow();
  }

  running(): string[] {
    return [...this.nodes.values()].filter((n) => n.running).map((n) => n.name);
  }

  /** Advances 1 ms and lets pending promise continuations run. */
  async step(): Promise<void> {
    this.base.advance(1);
    for (let i = 0; i < 8; i++) await Promise.resolve();
  }

  /** Runs `ms` milliseconds; `check` is called after every millisecond. */
  async run(ms: number, check?: () => void): Promise<void> {
    for (let i = 0; i < ms; i++) {
      await this.step();
      check?.();
    }
  }

  /** Runs until `cond` holds (checked every ms); returns the elapsed ms or throws after `deadlineMs`. */
  async runUntil(cond: () => boolean, deadlineMs: number, check?: () => void): Promise<number> {
    const start = this.now;
    while (!cond()) {
      if (this.now - start >= deadlineMs)
        throw new Error(`sim: condition not reached within ${deadlineMs} simulated ms`);
      await this.step();
      check?.();
    }
    return this.now - start;
  }

  dispose(): void {
    for (const n of this.nodes.values()) if (!n.crashed) n.crash();
  }
}
