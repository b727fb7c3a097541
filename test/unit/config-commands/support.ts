/** Helpers for the configuration command tests: run pcs-style command lines on a model. */
import { emptyConfig, type ClusterConfig } from '../../../coordinator/cib/index.ts';
import { applyConfigCommand } from '../../../cli/config/apply.ts';
import type { CommandError, CommandResult, ConfigEdit } from '../../../cli/config/command-result.ts';

/** Splits a command line on spaces (the tests use no quoted words). */
export function words(line: string): string[] {
  return line.split(/\s+/).filter((w) => w !== '');
}

export function apply(config: ClusterConfig, line: string): CommandResult<ConfigEdit> {
  return applyConfigCommand(config, words(line));
}

/** Applies lines in order; throws (a test bug) when one fails. */
export function applyAll(config: ClusterConfig, lines: readonly string[]): ClusterConfig {
  let current = config;
  for (const line of lines) {
    const r = apply(current, line);
    if (!r.ok) throw new Error(`setup command failed: ${line}: ${r.error.message}`);
    current = r.value.config;
  }
  return current;
}

/** The RS runbook's commands (addresses from the documentation range), without the clone word. */
export const RUNBOOK = [
  'property set stonith-enabled=false',
  'property set no-quorum-policy=ignore',
  'resource defaults resource-stickiness=100',
  'resource create vm_repository ocf:heartbeat:Filesystem device=192.0.2.72:/opt/vm_repository directory=/opt/vm_repository fstype=nfs options=defaults',
  'resource create ClusterIP ocf:heartbeat:IPaddr2 ip=192.0.2.58 cidr_netmask=24',
  'resource create tomcat-service lsb:abiquo-tomcat',
  'resource group add abiquo_rs vm_repository ClusterIP tomcat-service',
  'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 timeout=5 attempts=3',
  'resource clone ping connection',
  'constraint colocation add abiquo_rs with ping-clone score=INFINITY',
];

export function base(): ClusterConfig {
  return emptyConfig('pacemaker1', ['rsha1', 'rsha2']);
}

export function runbookConfig(): ClusterConfig {
  return applyAll(base(), RUNBOOK);
}

export type { CommandError };
