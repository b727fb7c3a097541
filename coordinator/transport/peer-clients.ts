/**
 * Clients to the other nodes' Peer servers, one channel per peer, each call signed with the
 * cluster key (an interceptor adds the metadata with the method path). Calls resolve to result
 * values: an unreachable peer, a deadline or a refusal is `{ ok: false, error }`, never a rejection.
 *
 * Reconnect backoff is short (100 ms .. 1 s) so a restarted peer is heard again within a second.
 */
import * as grpc from '@grpc/grpc-js';
import {
  PeerClient,
  type Ack,
  type ConfigAck,
  type ConfigEnvelope,
  type GetNodeStateRequest,
  type HeartbeatMessage,
  type LocalReply,
  type LocalRequest,
  type NodeReport,
  type NodeStateReply,
  type RestartNotice,
  type RunActionReply,
  type RunActionRequest,
} from '../../proto/gen/tandem/v1/tandem.ts';
import { signCall } from './auth.ts';

export interface CallError {
  /** gRPC status code (grpc.status), e.g. UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED. */
  code: number;
  message: string;
}
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

export interface PeerClientsOptions {
  /** This node's name (sent in the metadata). */
  self: string;
  key: Buffer;
  /** Peer name → `host:port`. */
  peers: Readonly<Record<string, string>>;
  wallNow?: () => number;
}

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type Invoke<Req, Res> = (
  client: PeerClient,
  req: Req,
  md: grpc.Metadata,
  opts: Partial<grpc.CallOptions>,
  cb: Callback<Res>,
) => grpc.ClientUnaryCall;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.min_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 2_000,
};

export class PeerClients {
  readonly #o: PeerClientsOptions;
  readonly #clients = new Map<string, PeerClient>();
  #closed = false;

  constructor(options: PeerClientsOptions) {
    this.#o = options;
  }

  get peers(): string[] {
    return Object.keys(this.#o.peers).sort();
  }

  #client(node: string): PeerClient | undefined {
    if (this.#closed) return undefined;
    let c = this.#clients.get(node);
    if (c !== undefined) return c;
    const address = this.#o.peers[node];
    if (address === undefined) return undefined;
    const { key, self } = this.#o;
    const wallNow = this.#o.wallNow ?? Date.now;
    const auth: grpc.Interceptor = (options, nextCall) =>
      new grpc.InterceptingCall(nextCall(options), {
        start(metadata, listener, next) {
          signCall(key, self, options.method_definition.path, wallNow(), metadata);
          next(metadata, listener);
        },
      });
    c = new PeerClient(address, grpc.credentials.createInsecure(), {
      ...CHANNEL_OPTIONS,
      interceptors: [auth],
    });
    this.#clients.set(node, c);
    return c;
  }

  #call<Req, Res>(
    node: string,
    invoke: Invoke<Req, Res>,
    req: Req,
    timeoutMs: number,
    waitForReady = true,
    signal?: AbortSignal,
  ): Promise<CallResult<Res>> {
    const client = this.#client(node);
    if (client === undefined) {
      return Promise.resolve({
        ok: false,
        error: {
          code: grpc.status.NOT_FOUND,
          message: `no address known for node '${node}' (peers in tandem.conf)`,
        },
      });
    }
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve) => {
      let settled = false;
      let call: grpc.ClientUnaryCall | undefined;
      const settle = (r: CallResult<Res>): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      // The caller gave up (the node left the membership) while the call still waits for a
      // connection: answer now, nothing was sent. A call already sent is left to finish (answer,
      // dropped connection, or deadline): the node may be running it, and its result matters.
      const onAbort = (): void => {
        if (call !== undefined) return;
        const reason: unknown = signal?.reason;
        settle({
          ok: false,
          error: {
            code: grpc.status.CANCELLED,
            message: reason instanceof Error ? reason.message : `call to node '${node}' cancelled`,
          },
        });
      };
      if (signal?.aborted === true) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      const send = (): void => {
        if (settled) return;
        call = invoke(client, req, new grpc.Metadata(), { deadline }, (err, res) => {
          if (err !== null)
            settle({ ok: false, error: { code: err.code, message: err.details || err.message } });
          else if (res === undefined)
            settle({ ok: false, error: { code: grpc.status.INTERNAL, message: 'empty reply' } });
          else settle({ ok: true, value: res });
        });
      };
      // Heartbeats and CLI forwards fail fast (a lost peer is news; a CLI must not hang on a dead
      // DC); the DC's calls first wait for the channel to (re)connect within their deadline, so a
      // peer that just came back is not "unreachable" only because the channel was backing off.
      if (!waitForReady) {
        send();
        return;
      }
      client.waitForReady(deadline, (err) => {
        if (err !== undefined && err !== null) {
          settle({
            ok: false,
            error: { code: grpc.status.UNAVAILABLE, message: `node '${node}' unreachable: ${err.message}` },
          });
        } else send();
      });
    });
  }

  heartbeat(node: string, msg: HeartbeatMessage, timeoutMs: number): Promise<CallResult<Ack>> {
    return this.#call(node, (c, q, md, o, cb) => c.heartbeat(q, md, o, cb), msg, timeoutMs, false);
  }
  pushConfig(node: string, env: ConfigEnvelope, timeoutMs: number): Promise<CallResult<ConfigAck>> {
    return this.#call(node, (c, q, md, o, cb) => c.pushConfig(q, md, o, cb), env, timeoutMs);
  }
  pullConfig(node: string, timeoutMs: number): Promise<CallResult<ConfigEnvelope>> {
    return this.#call(node, (c, q, md, o, cb) => c.pullConfig(q, md, o, cb), {}, timeoutMs);
  }
  /**
   * `signal`: abort to give up (CANCELLED) while the call still waits for a connection, e.g. when
   * the node leaves the membership; once sent, the call runs to its answer or deadline.
   */
  runAction(
    node: string,
    req: RunActionRequest,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<CallResult<RunActionReply>> {
    return this.#call(node, (c, q, md, o, cb) => c.runAction(q, md, o, cb), req, timeoutMs, true, signal);
  }
  report(node: string, report: NodeReport, timeoutMs: number): Promise<CallResult<Ack>> {
    return this.#call(node, (c, q, md, o, cb) => c.report(q, md, o, cb), report, timeoutMs);
  }
  getNodeState(
    node: string,
    req: GetNodeStateRequest,
    timeoutMs: number,
  ): Promise<CallResult<NodeStateReply>> {
    return this.#call(node, (c, q, md, o, cb) => c.getNodeState(q, md, o, cb), req, timeoutMs);
  }
  forward(node: string, req: LocalRequest, timeoutMs: number): Promise<CallResult<LocalReply>> {
    return this.#call(node, (c, q, md, o, cb) => c.forward(q, md, o, cb), req, timeoutMs, false);
  }

  restarting(node: string, notice: RestartNotice, timeoutMs: number): Promise<CallResult<Ack>> {
    return this.#call(node, (c, q, md, o, cb) => c.restarting(q, md, o, cb), notice, timeoutMs);
  }

  /** Closes every channel; later calls fail with NOT_FOUND. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
