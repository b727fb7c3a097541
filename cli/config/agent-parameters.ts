/**
 * Checking a primitive's parameters against its agent's meta-data, as pcs does on `resource
 * create` / `resource update`: an unknown parameter name or a missing required one is refused
 * unless --force. `checkAgentParameters` is pure; `readAgentParameters` runs the OCF agent's
 * `meta-data` action (the I/O edge) and returns undefined when the agent is not installed here.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { AgentRef, Primitive } from '../../coordinator/cib/index.ts';

export interface AgentParameters {
  /** Parameter names in meta-data order. */
  names: string[];
  required: string[];
}

/** Reads `<parameter name=… required=…>` elements from OCF meta-data XML. */
export function parseParameters(metadata: string): AgentParameters | undefined {
  const names: string[] = [];
  const required: string[] = [];
  for (const match of metadata.matchAll(/<parameter\b([^>]*)>/g)) {
    const attrs = match[1] ?? '';
    const name = /\bname\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
    if (name === undefined || name === '') continue;
    names.push(name);
    if (/\brequired\s*=\s*"(1|true|yes)"/i.test(attrs)) required.push(name);
  }
  return /<resource-agent\b/.test(metadata) ? { names, required } : undefined;
}

export interface ParameterCheck {
  errors: string[];
  warnings: string[];
}

/** Unknown and missing-required parameters: errors, or warnings when `force`. */
export function checkAgentParameters(
  primitive: Primitive,
  params: AgentParameters,
  force: boolean,
): ParameterCheck {
  const problems: string[] = [];
  const given = Object.keys(primitive.instanceAttributes);
  const unknown = given.filter((n) => !params.names.includes(n));
  if (unknown.length > 0) {
    problems.push(
      `invalid parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} for ` +
        `'${primitive.id}': the agent accepts ${params.names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  const missing = params.required.filter((n) => !given.includes(n));
  if (missing.length > 0) {
    problems.push(
      `required parameter${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')} ` +
        `missing for '${primitive.id}': add ${missing.map((n) => `${n}=VALUE`).join(' ')}`,
    );
  }
  if (force) return { errors: [], warnings: problems.map((p) => `${p} (accepted: --force)`) };
  return { errors: problems.map((p) => `${p}; or pass --force to accept it`), warnings: [] };
}

/**
 * Runs `$OCF_ROOT/resource.d/PROVIDER/TYPE meta-data` (5 s limit). Only OCF agents have
 * parameters to check; anything else, or an agent that is not installed, yields undefined.
 */
export function readAgentParameters(
  agent: AgentRef,
  ocfRoot = process.env['OCF_ROOT'] ?? '/usr/lib/ocf',
): Promise<AgentParameters | undefined> {
  if (agent.standard !== 'ocf' || agent.provider === undefined) return Promise.resolve(undefined);
  if (!/^[\w.-]+$/.test(agent.provider) || !/^[\w.-]+$/.test(agent.type)) return Promise.resolve(undefined);
  const path = join(ocfRoot, 'resource.d', agent.provider, agent.type);
  return new Promise((resolve) => {
    execFile(
      path,
      ['meta-data'],
      { timeout: 5000, env: { ...process.env, OCF_ROOT: ocfRoot }, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout) => resolve(err ? undefined : parseParameters(stdout)),
    );
  });
}
