/** Deterministic simulation of the cluster core: fake clock, in-memory network, N virtual nodes. */
export { SimClock } from './sim-clock.ts';
export { SimNetwork, type SimNetworkOptions } from './sim-network.ts';
export {
  SimNode,
  type DcRequest,
  type RequestLog,
  type SimMessage,
  type SimNodeOptions,
} from './sim-node.ts';
export { SimCluster, type SimClusterOptions } from './sim-cluster.ts';
