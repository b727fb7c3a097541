/**
 * The Peer gRPC server (TCP): every call is authenticated with the cluster key before its handler
 * runs (auth.ts); a refused call answers UNAUTHENTICATED and is logged with the peer address and
 * the reason. Handlers receive the authenticated node name.
 */
import * as grpc from '@grpc/grpc-js';
import {
  PeerService,
  type Ack,
  type ConfigAck,
  type ConfigEnvelope,
  type GetNodeStateRequest,
  type HeartbeatMessage,
  type LocalReply,
  type LocalRequest,
  type NodeReport,
  type NodeStateReply,
  type PeerServer,
  type PullConfigRequest,
  type RestartNotice,
  type RunActionReply,
  type RunActionRequest,
} from '../../proto/gen/tandem/v1/tandem.ts';
import { verifyCall } from './auth.ts';
import type { TransportLogger } from './logger.ts';

/** What the node does with each peer call. `from` is the authenticated caller. Rejections become INTERNAL. */
export interface PeerHandlers {
  heartbeat(from: string, msg: HeartbeatMessage): void;
  pushConfig(from: string, env: ConfigEnvelope): Promise<ConfigAck>;
  pullConfig(from: string, req: PullConfigRequest): Promise<ConfigEnvelope>;
  runAction(from: string, req: RunActionRequest): Promise<RunActionReply>;
  report(from: string, report: NodeReport): Promise<Ack>;
  getNodeState(from: string, req: GetNodeStateRequest): Promise<NodeStateReply>;
  forward(from: string, req: LocalRequest): Promise<LocalReply>;
  restarting(from: string, notice: RestartNotice): Promise<Ack>;
}

export interface PeerServerOptions {
  key: Buffer;
  /** Configured node names: only these may call. */
  nodes: readonly string[];
  handlers: PeerHandlers;
  log: TransportLogger;
  /** Wall clock for the timestamp check (default Date.now). */
  wallNow?: () => number;
  maxSkewMs?: number;
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

export class PeerTransportServer {
  readonly #server = new grpc.Server();
  readonly #o: PeerServerOptions;
  readonly #nodes: ReadonlySet<string>;
  #closed = false;
  /** Refused calls so far (tests, status). */
  refused = 0;

  constructor(options: PeerServerOptions) {
    this.#o = options;
    this.#nodes = new Set(options.nodes);
    const h = options.handlers;
    const impl: PeerServer = {
      heartbeat: this.#unary<HeartbeatMessage, Ack>((from, req) => {
        h.heartbeat(from, req);
        return Promise.resolve({ ok: true, message: '' });
      }),
      pushConfig: this.#unary((from, req: ConfigEnvelope) => h.pushConfig(from, req)),
      pullConfig: this.#unary((from, req: PullConfigRequest) => h.pullConfig(from, req)),
      runAction: this.#unary((from, req: RunActionRequest) => h.runAction(from, req)),
      report: this.#unary((from, req: NodeReport) => h.report(from, req)),
      getNodeState: this.#unary((from, req: GetNodeStateRequest) => h.getNodeState(from, req)),
      forward: this.#unary((from, req: LocalRequest) => h.forward(from, req)),
      restarting: this.#unary((from, req: RestartNotice) => h.restarting(from, req)),
    };
    this.#server.addService(PeerService, impl);
  }

  #unary<Req, Res>(fn: (from: string, req: Req) => Promise<Res>): Unary<Req, Res> {
    return (call, callback) => {
      const method = call.getPath();
      const auth = verifyCall(call.metadata, method, {
        key: this.#o.key,
        nodes: this.#nodes,
        nowMs: (this.#o.wallNow ?? Date.now)(),
        ...(this.#o.maxSkewMs !== undefined ? { maxSkewMs: this.#o.maxSkewMs } : {}),
      });
      if (!auth.ok) {
        this.refused += 1;
        this.#o.log.warn(
          { peer: call.getPeer(), method, reason: auth.error },
          'peer call refused: unauthenticated',
        );
        callback({
          code: grpc.status.UNAUTHENTICATED,
          details: 'unauthenticated: bad or missing cluster key MAC',
        });
        return;
      }
      fn(auth.value.node, call.request).then(
        (res) => callback(null, res),
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          this.#o.log.error({ err, method, from: auth.value.node }, 'peer call handler failed');
          callback({ code: grpc.status.INTERNAL, details: message });
        },
      );
    };
  }

  /** Binds `host:port` (port 0: any free port); resolves with the bound port. */
  listen(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err !== null) reject(err);
        else resolve(port);
      });
    });
  }

  /** Stops accepting calls; running calls get `graceMs` to finish, then are cancelled. Idempotent. */
  close(graceMs = 500): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
