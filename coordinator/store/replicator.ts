/**
 * Keeps every member's configuration at the newest version (the DC's edits go out at once; a
 * joining node or a healed partition converges on the newer side):
 *
 * - `publish(members)`: push the current version to each member (the DC after each commit and
 *   whenever a member joins).
 * - `heard(node, versionNumber)`: a member announced a version (heartbeat); when it is newer
 *   than ours, pull it from that node and offer it to the store.
 *
 * Transport-agnostic: the daemon passes a `ReplicaLink` over gRPC, tests an in-memory one.
 */
import type { ClusterConfig } from '../cib/index.ts';
import type { ConfigStore } from './config-store.ts';
import { versionNumber } from './version.ts';

export interface ReplicaLink {
  /** Sends a version; resolves whether the receiver kept it (undefined: unreachable). */
  push(node: string, config: ClusterConfig): Promise<boolean | undefined>;
  /** Fetches a node's current configuration (undefined: unreachable or none). */
  pull(node: string): Promise<ClusterConfig | undefined>;
}

export interface ReplicatorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class Replicator {
  readonly #store: ConfigStore;
  readonly #link: ReplicaLink;
  readonly #log: ReplicatorLogger | undefined;
  /** Pulls in flight per node (one at a time). */
  readonly #pulling = new Set<string>();

  constructor(store: ConfigStore, link: ReplicaLink, log?: ReplicatorLogger) {
    this.#store = store;
    this.#link = link;
    this.#log = log;
  }

  async publish(members: readonly string[]): Promise<void> {
    const config = this.#store.current();
    await Promise.all(
      members.map(async (node) => {
        const kept = await this.#link.push(node, config);
        if (kept === undefined) this.#log?.warn({ node }, 'configuration push failed (node unreachable)');
      }),
    );
  }

  /** Resolves true when a newer version was pulled and stored. */
  async heard(node: string, announced: number): Promise<boolean> {
    if (announced <= versionNumber(this.#store.current().version) || this.#pulling.has(node)) return false;
    this.#pulling.add(node);
    try {
      const config = await this.#link.pull(node);
      if (config === undefined) return false;
      const kept = await this.#store.offer(config);
      if (!kept.ok) {
        this.#log?.warn({ node, reason: kept.error }, 'pulled configuration refused');
        return false;
      }
      if (kept.value) this.#log?.info({ node, version: config.version }, 'newer configuration pulled');
      return kept.value;
    } finally {
      this.#pulling.delete(node);
    }
  }
}
