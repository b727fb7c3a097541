/** The CLI's side of the Local service: promisified calls with deadlines, errors as values. */
import * as grpc from '@grpc/grpc-js';
import {
  LocalClient,
  type CleanupRequest,
  type ClusterStopRequest,
  type CommandReply,
  type ConfigCommandRequest,
  type StatusReply,
  type StatusRequest,
} from '../../proto/gen/tandem/v1/tandem.ts';
import type { CallResult } from './peer-clients.ts';

type Invoke<Req, Res> = (
  client: LocalClient,
  req: Req,
  md: grpc.Metadata,
  opts: Partial<grpc.CallOptions>,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => void;

export class LocalTransportClient {
  readonly #client: LocalClient;
  readonly #path: string;

  constructor(socketPath: string) {
    this.#path = socketPath;
    this.#client = new LocalClient(`unix:${socketPath}`, grpc.credentials.createInsecure());
  }

  #call<Req, Res>(invoke: Invoke<Req, Res>, req: Req, timeoutMs: number): Promise<CallResult<Res>> {
    return new Promise((resolve) => {
      invoke(this.#client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err !== null) {
          const message =
            err.code === grpc.status.UNAVAILABLE
              ? `tandemd is not running on this node (no answer on ${this.#path}); start it with \`systemctl start tandem\` or \`tandem cluster start\``
              : err.details || err.message;
          resolve({ ok: false, error: { code: err.code, message } });
        } else if (res === undefined)
          resolve({ ok: false, error: { code: grpc.status.INTERNAL, message: 'empty reply' } });
        else resolve({ ok: true, value: res });
      });
    });
  }

  status(req: StatusRequest, timeoutMs = 5000): Promise<CallResult<StatusReply>> {
    return this.#call((c, q, md, o, cb) => c.status(q, md, o, cb), req, timeoutMs);
  }
  configCommand(req: ConfigCommandRequest, timeoutMs = 30_000): Promise<CallResult<CommandReply>> {
    return this.#call((c, q, md, o, cb) => c.configCommand(q, md, o, cb), req, timeoutMs);
  }
  cleanup(req: CleanupRequest, timeoutMs = 30_000): Promise<CallResult<CommandReply>> {
    return this.#call((c, q, md, o, cb) => c.cleanup(q, md, o, cb), req, timeoutMs);
  }
  clusterStop(req: ClusterStopRequest, timeoutMs = 120_000): Promise<CallResult<CommandReply>> {
    return this.#call((c, q, md, o, cb) => c.clusterStop(q, md, o, cb), req, timeoutMs);
  }

  close(): void {
    this.#client.close();
  }
}
