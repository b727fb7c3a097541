/**
 * `tandem demo` (the main job) and the live two-node cluster harness it shares with the cluster
 * integration tests and the drills.
 */
import type { Command } from 'commander';

export type { ClusterOptions, NodeFiles } from './cluster.ts';
export { NODE_NAMES, STANDIN_PORT, STANDIN_REPLY, TwoNodeCluster } from './cluster.ts';
export type { DaemonProfile } from './daemon-launch.ts';
export { daemonProfile } from './daemon-launch.ts';
export type { FailoverMeasurement, MeasureOptions } from './failover-probe.ts';
export { measureFailover, summarize } from './failover-probe.ts';
export type { AdaptedCommand, DemoSettings } from './runbook.ts';
export { PINGD_RULE, adaptRunbookCommand, parseRecords, recordingShim } from './runbook.ts';

/** Registers `tandem demo` on the root program. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job: a local two-node cluster (network namespaces as root), the abiquo-rs group, a crash of the active node and the measured failover time; cleans up after itself',
    )
    .option('--witness', 'add the Redis witness (192.0.2.59 in the gateway namespace) as a third vote')
    .option('--no-witness', 'no witness: two_node quorum only (the default for now)')
    .option('--loopback', 'no network namespaces even as root (the floating IP is then not real)')
    .action(async (opts: { witness?: boolean; loopback?: boolean }) => {
      const { runDemo, DEFAULT_DEMO_OPTIONS } = await import('./run-demo.ts');
      process.exitCode = await runDemo({
        ...DEFAULT_DEMO_OPTIONS,
        witness: opts.witness ?? DEFAULT_DEMO_OPTIONS.witness,
        loopback: opts.loopback === true,
      });
    });
}
