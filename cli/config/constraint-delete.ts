/** `constraint delete|remove ID…`: removes location, colocation or order constraints by id. */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import { splitFlags } from './args.ts';
import { type CommandResult, type ConfigEdit, invalid, success, usageError } from './command-result.ts';

export function constraintDeleteCommand(
  config: ClusterConfig,
  args: readonly string[],
): CommandResult<ConfigEdit> {
  const split = splitFlags(args, {}, 'constraint delete');
  if (!split.ok) return split;
  const ids = split.value.words;
  if (ids.length === 0) return usageError('usage: tandem constraint delete CONSTRAINT_ID...');
  const { location, colocation, order } = config.constraints;
  const all = [...location, ...colocation, ...order].map((c) => c.id);
  for (const id of ids) {
    if (!all.includes(id)) {
      return invalid(
        `unknown constraint '${id}' (constraints: ${all.length > 0 ? all.join(', ') : 'none'}); ` +
          `\`tandem constraint config\` lists them with their ids`,
      );
    }
  }
  const gone = new Set(ids);
  const next = structuredClone(config);
  const c = next.constraints;
  c.location = c.location.filter((x) => !gone.has(x.id));
  c.colocation = c.colocation.filter((x) => !gone.has(x.id));
  c.order = c.order.filter((x) => !gone.has(x.id));
  return success({ config: next, warnings: [] });
}
