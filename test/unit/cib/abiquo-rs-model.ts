/** The RS pair from the Abiquo guide, built directly in model form (documentation addresses only). */
import { emptyConfig, INFINITY, type ClusterConfig } from '../../../coordinator/cib/index.ts';

export function abiquoRsConfig(): ClusterConfig {
  const config = emptyConfig('abiquo-rs', ['rsha1', 'rsha2']);
  config.version = { adminEpoch: 0, epoch: 7, numUpdates: 0 };
  config.properties = { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore' };
  config.rscDefaults = { 'resource-stickiness': '100' };
  config.resources = [
    {
      kind: 'group',
      id: 'abiquo_rs',
      metaAttributes: {},
      members: [
        {
          kind: 'primitive',
          id: 'vm_repository',
          agent: { standard: 'ocf', provider: 'heartbeat', type: 'Filesystem' },
          instanceAttributes: {
            device: '192.0.2.10:/opt/vm_repository',
            directory: '/opt/vm_repository',
            fstype: 'nfs',
          },
          metaAttributes: {},
          operations: [{ name: 'monitor', intervalMs: 20_000 }],
        },
        {
          kind: 'primitive',
          id: 'ClusterIP',
          agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
          instanceAttributes: { ip: '192.0.2.100', cidr_netmask: '24' },
          metaAttributes: {},
          operations: [{ name: 'monitor', intervalMs: 30_000 }],
        },
        {
          kind: 'primitive',
          id: 'tomcat-service',
          agent: { standard: 'lsb', type: 'abiquo-tomcat' },
          instanceAttributes: {},
          metaAttributes: {},
          operations: [{ name: 'monitor', intervalMs: 30_000 }],
        },
      ],
    },
    {
      kind: 'clone',
      id: 'ping-clone',
      metaAttributes: {},
      child: {
        kind: 'primitive',
        id: 'ping',
        agent: { standard: 'ocf', provider: 'pacemaker', type: 'ping' },
        instanceAttributes: { dampen: '5s', multiplier: '1000', host_list: '192.0.2.1' },
        metaAttributes: {},
        operations: [{ name: 'monitor', intervalMs: 10_000, timeoutMs: 60_000 }],
      },
    },
  ];
  config.constraints.colocation = [
    {
      id: 'colocation-abiquo_rs-ping-clone-INFINITY',
      rsc: 'abiquo_rs',
      withRsc: 'ping-clone',
      score: INFINITY,
    },
  ];
  return config;
}
