/**
 * The Local gRPC service on a unix socket: how the CLI talks to the daemon on its node. Access
 * control is the file system: the socket's directory is created 0700 and the socket is chmod 0600
 * right after bind, so only root (the daemon's user) can connect.
 */
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  LocalService,
  type CleanupRequest,
  type ClusterStopRequest,
  type CommandReply,
  type ConfigCommandRequest,
  type LocalServer,
  type StatusReply,
  type StatusRequest,
} from '../../proto/gen/tandem/v1/tandem.ts';
import type { TransportLogger } from './logger.ts';

export const DEFAULT_SOCKET_PATH = '/run/tandem/tandemd.sock';

export interface LocalHandlers {
  status(req: StatusRequest): Promise<StatusReply>;
  configCommand(req: ConfigCommandRequest): Promise<CommandReply>;
  cleanup(req: CleanupRequest): Promise<CommandReply>;
  clusterStop(req: ClusterStopRequest): Promise<CommandReply>;
}

export class LocalTransportServer {
  readonly #server = new grpc.Server();
  readonly #log: TransportLogger;
  #path: string | undefined;
  #closed = false;

  constructor(handlers: LocalHandlers, log: TransportLogger) {
    this.#log = log;
    const wrap =
      <Req, Res>(fn: (req: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
      (call, callback) => {
        fn(call.request).then(
          (res) => callback(null, res),
          (err: unknown) => {
            this.#log.error({ err, method: call.getPath() }, 'local call handler failed');
            callback({
              code: grpc.status.INTERNAL,
              details: err instanceof Error ? err.message : String(err),
            });
          },
        );
      };
    const impl: LocalServer = {
      status: wrap((r: StatusRequest) => handlers.status(r)),
      configCommand: wrap((r: ConfigCommandRequest) => handlers.configCommand(r)),
      cleanup: wrap((r: CleanupRequest) => handlers.cleanup(r)),
      clusterStop: wrap((r: ClusterStopRequest) => handlers.clusterStop(r)),
    };
    this.#server.addService(LocalService, impl);
  }

  /** Binds the socket at `path` (a stale socket file is replaced) and makes it 0600. */
  async listen(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await unlink(path).catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      this.#server.bindAsync(`unix:${path}`, grpc.ServerCredentials.createInsecure(), (err) => {
        if (err !== null) reject(err);
        else resolve();
      });
    });
    await chmod(path, 0o600);
    this.#path = path;
  }

  /** Stops the server and removes the socket file. Idempotent. */
  async close(graceMs = 500): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (this.#path !== undefined) await unlink(this.#path).catch(() => undefined);
  }
}
