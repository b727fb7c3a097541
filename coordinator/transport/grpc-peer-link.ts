/**
 * The membership's `PeerLink` over gRPC: `send` is a fire-and-forget Heartbeat call with a deadline
 * of one peer timeout; the Peer server hands received heartbeats to `deliver`, which drops one
 * whose `node` is not the authenticated caller.
 */
import type { MembershipMessage, PeerLink, Subscription } from '../membership/index.ts';
import type { HeartbeatMessage } from '../../proto/gen/tandem/v1/tandem.ts';
import { decodeHeartbeat, encodeHeartbeat } from './heartbeat-codec.ts';
import type { TransportLogger } from './logger.ts';
import type { PeerClients } from './peer-clients.ts';

export class GrpcPeerLink implements PeerLink<MembershipMessage> {
  readonly #clients: PeerClients;
  readonly #timeoutMs: number;
  readonly #log: TransportLogger;
  readonly #listeners = new Set<(from: string, msg: MembershipMessage) => void>();
  /** Last send failure per peer, so an unreachable peer is logged once per outage. */
  readonly #failing = new Map<string, string>();

  constructor(clients: PeerClients, options: { timeoutMs: number; log: TransportLogger }) {
    this.#clients = clients;
    this.#timeoutMs = options.timeoutMs;
    this.#log = options.log;
  }

  send(to: string, msg: MembershipMessage): void {
    void this.#clients.heartbeat(to, encodeHeartbeat(msg), this.#timeoutMs).then((r) => {
      if (r.ok) {
        if (this.#failing.delete(to)) this.#log.info({ peer: to }, 'peer reachable again');
        return;
      }
      if (this.#failing.get(to) !== r.error.message) {
        this.#failing.set(to, r.error.message);
        this.#log.warn({ peer: to, code: r.error.code, reason: r.error.message }, 'heartbeat to peer failed');
      }
    });
  }

  onMessage(cb: (from: string, msg: MembershipMessage) => void): Subscription {
    this.#listeners.add(cb);
    return { dispose: () => this.#listeners.delete(cb) };
  }

  /** Called by the Peer server with the authenticated caller. */
  deliver(from: string, msg: HeartbeatMessage): void {
    if (msg.node !== from) {
      this.#log.warn(
        { from, claimed: msg.node },
        'heartbeat dropped: sender name differs from the authenticated node',
      );
      return;
    }
    const hb = decodeHeartbeat(msg);
    for (const cb of [...this.#listeners]) cb(from, hb);
  }
}
