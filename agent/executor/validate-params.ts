/**
 * Parameter checks before start, from the agent's meta-data: a missing required parameter refuses
 * the start (naming the parameter and the agent), an unknown parameter is a warning (Pacemaker
 * passes unknown parameters through; agents ignore them), defaults fill what is unset.
 */
import type { Attributes } from '../../coordinator/cib/model.ts';
import type { AgentMetaData } from './meta-data.ts';

export interface ParamCheck {
  /** Problems that refuse the operation. */
  errors: string[];
  warnings: string[];
  /** The parameters with meta-data defaults applied for those not given. */
  withDefaults: Attributes;
}

export function validateParams(agentName: string, meta: AgentMetaData, params: Attributes): ParamCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const known = new Set(meta.parameters.map((p) => p.name));
  const withDefaults: Attributes = { ...params };
  for (const p of meta.parameters) {
    const given = params[p.name];
    if (p.required && (given === undefined || given === '')) {
      errors.push(
        `${agentName} requires parameter "${p.name}"${p.shortdesc ? ` (${p.shortdesc})` : ''}: set ${p.name}=VALUE`,
      );
    }
    if (given === undefined && p.default !== undefined) withDefaults[p.name] = p.default;
    if (given !== undefined && p.options !== undefined && p.type === 'select' && !p.options.includes(given)) {
      errors.push(`${agentName} parameter "${p.name}"="${given}" is not one of: ${p.options.join(', ')}`);
    }
  }
  for (const name of Object.keys(params).sort()) {
    if (!known.has(name)) warnings.push(`${agentName} has no parameter "${name}"; the agent will ignore it`);
  }
  return { errors, warnings, withDefaults };
}
