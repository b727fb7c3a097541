/**
 * The gRPC transport (proto/tandem/v1): the Peer server and clients between nodes, authenticated
 * with the shared cluster key; the membership's PeerLink and the controller's ActionSink over them;
 * the Local service on a unix socket for the CLI. Other folders import from here.
 */
export {
  CLUSTER_KEY_BYTES,
  DEFAULT_KEY_FILE,
  DEFAULT_MAX_SKEW_MS,
  MAC_HEADER,
  NODE_HEADER,
  TS_HEADER,
  computeMac,
  createKeyFile,
  readKeyFile,
  signCall,
  verifyCall,
  type AuthResult,
  type VerifyOptions,
} from './auth.ts';
export { silentLogger, type TransportLogger } from './logger.ts';
export { decodeHeartbeat, encodeHeartbeat } from './heartbeat-codec.ts';
export { PeerTransportServer, type PeerHandlers, type PeerServerOptions } from './peer-server.ts';
export { PeerClients, type CallError, type CallResult, type PeerClientsOptions } from './peer-clients.ts';
export { GrpcPeerLink } from './grpc-peer-link.ts';
export { buildActionRequest, findPrimitive, type ActionRequest } from './action-request.ts';
export {
  GrpcActionSink,
  decodeActionRequest,
  parseOutcome,
  type GrpcActionSinkOptions,
  type LocalActionRunner,
} from './grpc-action-sink.ts';
export { DEFAULT_SOCKET_PATH, LocalTransportServer, type LocalHandlers } from './local-server.ts';
export { LocalTransportClient } from './local-client.ts';
export type * from '../../proto/gen/tandem/v1/tandem.ts';
