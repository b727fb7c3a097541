/**
 * The harness itself: the two-node topology's faults do what the cluster tests rely on, the
 * Redis witness server starts in the gateway namespace, and dispose leaves nothing behind.
 */
import test from 'ava';
import {
  FLOATING_IP,
  GATEWAY_IP,
  NODE_ADDRESSES,
  NODE_DEV,
  NetnsTopology,
  REDIS_IP,
  namespacesWithTag,
} from '../../../lab/netns-topology.ts';
import { startRedisServer } from '../../../lab/redis-server.ts';

async function reaches(topo: NetnsTopology, from: string, to: string): Promise<boolean> {
  return (await topo.exec(from, ['ping', '-c', '1', '-W', '1', to])).code === 0;
}

test('faults cut exactly what they name, heal restores, dispose removes everything', async (t) => {
  const created = await NetnsTopology.create();
  if (!created.ok) return t.fail(created.error);
  const topo = created.value;
  t.teardown(() => topo.dispose());
  const rsha1 = NODE_ADDRESSES['rsha1'] ?? '';
  const rsha2 = NODE_ADDRESSES['rsha2'] ?? '';

  const redis = await startRedisServer({ host: REDIS_IP, port: 6379, nsPrefix: topo.nsPrefix('gw') });
  if (!redis.ok) return t.fail(redis.error);
  t.teardown(() => redis.value.stop());
  const fromNode = await topo.exec('rsha1', ['redis-cli', '-h', REDIS_IP, 'ping']);
  t.is(fromNode.stdout.trim(), 'PONG', 'the witness answers from a node namespace');

  const table: Array<{
    fault: () => Promise<unknown>;
    rsha1ToPeer: boolean;
    rsha1ToGw: boolean;
    rsha2ToGw: boolean;
  }> = [
    { fault: () => Promise.resolve(undefined), rsha1ToPeer: true, rsha1ToGw: true, rsha2ToGw: true },
    { fault: () => topo.cutPeerLink(), rsha1ToPeer: false, rsha1ToGw: true, rsha2ToGw: true },
    { fault: () => topo.loseGateway('rsha1'), rsha1ToPeer: true, rsha1ToGw: false, rsha2ToGw: true },
  ];
  for (const [i, row] of table.entries()) {
    await row.fault();
    t.is(await reaches(topo, 'rsha1', rsha2), row.rsha1ToPeer, `case ${i}: rsha1 → rsha2`);
    t.is(await reaches(topo, 'rsha2', rsha1), row.rsha1ToPeer, `case ${i}: rsha2 → rsha1`);
    t.is(await reaches(topo, 'rsha1', GATEWAY_IP), row.rsha1ToGw, `case ${i}: rsha1 → gateway`);
    t.is(await reaches(topo, 'rsha2', GATEWAY_IP), row.rsha2ToGw, `case ${i}: rsha2 → gateway`);
    t.true(await reaches(topo, 'rsha1', REDIS_IP), `case ${i}: rsha1 → witness`);
    const healed = await topo.heal();
    t.true(healed.ok);
  }

  // A node process in its own mount namespace; a crash kills it and drops the node's addresses.
  const mnt = `${topo.dir}/rsha1/mnt`;
  const proc = topo.spawnOnNode(
    'rsha1',
    [
      'sh',
      '-c',
      `mkdir -p ${mnt} && mount -t tmpfs x ${mnt} && ip addr add ${FLOATING_IP}/24 dev ${NODE_DEV} && exec sleep 60`,
    ],
    { logFile: `${topo.dir}/rsha1/sleep.log` },
  );
  let mounted = false;
  for (let i = 0; i < 100 && !mounted; i++) {
    mounted =
      (await topo.mountsOf(proc.pid)).includes(mnt) &&
      (await topo.addressesOn('rsha1')).includes(FLOATING_IP);
    if (!mounted) await new Promise((r) => setTimeout(r, 50));
  }
  t.true(mounted, 'the node process mounted its tmpfs and added the floating IP');
  t.false((await topo.mountsOf(process.pid)).includes(mnt), 'the mount is the node’s own');
  t.true(await reaches(topo, 'gw', FLOATING_IP), 'the floating IP answers before the crash');
  const crashed = await topo.crashNode('rsha1');
  t.true(crashed.ok);
  t.not(await proc.exited, 0);
  t.deepEqual(await topo.addressesOn('rsha1'), []);
  t.false(await reaches(topo, 'gw', FLOATING_IP), 'the floating IP is gone with the node');
  t.true((await topo.reviveNode('rsha1')).ok);
  t.deepEqual(await topo.addressesOn('rsha1'), [rsha1]);

  await redis.value.stop();
  await topo.dispose();
  t.deepEqual(await namespacesWithTag(topo.tag), []);
});
