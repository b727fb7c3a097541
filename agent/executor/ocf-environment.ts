/**
 * The environment of a forked OCF agent, as Pacemaker's services_linux.c builds it: OCF_ROOT, the
 * RA API version (1.1), the instance/type/provider, OCF_RESKEY_<param> for instance attributes,
 * OCF_RESKEY_CRM_meta_<meta> (`-` → `_`) including timeout and interval in ms and the action name,
 * OCF_CHECK_LEVEL, the exit-reason prefix, HA_RSCTMP and PATH. Nothing else of tandem's own
 * environment leaks to the agent except what `baseEnv` holds.
 */
import type { AgentRef, Attributes } from '../../coordinator/cib/model.ts';
import { EXIT_REASON_PREFIX } from './exit-reason.ts';

/** The Pacemaker feature set tandem's records claim (fail counts per operation need ≥ 3.0.13). */
export const CRM_FEATURE_SET = '3.19.6';

export interface OcfEnvironmentInput {
  ocfRoot: string;
  stateDir: string;
  baseEnv: Readonly<Record<string, string>>;
  agent: AgentRef;
  resource: string;
  action: string;
  params: Attributes;
  meta: Attributes;
  timeoutMs: number;
  intervalMs: number;
  checkLevel?: string;
  nodeName?: string;
}

export function metaEnvName(name: string): string {
  return `OCF_RESKEY_CRM_meta_${name.replace(/-/g, '_')}`;
}

export function buildOcfEnvironment(input: OcfEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = { ...input.baseEnv };
  env['OCF_ROOT'] = input.ocfRoot;
  env['OCF_RA_VERSION_MAJOR'] = '1';
  env['OCF_RA_VERSION_MINOR'] = '1';
  env['OCF_RESOURCE_INSTANCE'] = input.resource;
  env['OCF_RESOURCE_TYPE'] = input.agent.type;
  if (input.agent.provider !== undefined) env['OCF_RESOURCE_PROVIDER'] = input.agent.provider;
  env['OCF_EXIT_REASON_PREFIX'] = EXIT_REASON_PREFIX;
  env['HA_RSCTMP'] = input.stateDir;
  env['PATH'] = input.baseEnv['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  for (const [name, value] of Object.entries(input.params)) env[`OCF_RESKEY_${name}`] = value;
  for (const [name, value] of Object.entries(input.meta)) env[metaEnvName(name)] = value;
  env[metaEnvName('timeout')] = String(input.timeoutMs);
  env[metaEnvName('interval')] = String(input.intervalMs);
  env[metaEnvName('name')] = input.action;
  if (input.nodeName !== undefined) env[metaEnvName('on_node')] = input.nodeName;
  env['OCF_RESKEY_crm_feature_set'] = CRM_FEATURE_SET;
  if (input.checkLevel !== undefined) env['OCF_CHECK_LEVEL'] = input.checkLevel;
  return env;
}
