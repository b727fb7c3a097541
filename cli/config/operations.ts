/**
 * `op ACTION name=value… [ACTION name=value…]…` as pcs reads it, into model operations with the
 * ids pcs generates (`ClusterIP-monitor-interval-30s`).
 */
import { OnFail, parseDurationMs, type Operation } from '../../coordinator/cib/index.ts';
import { isNameValue, parseBoolean, parseNameValues, sanitizeId, uniqueId } from './args.ts';
import { type CommandResult, success, usageError } from './command-result.ts';

/** pcs's interval for a monitor given without one (and the default monitor op tandem adds). */
export const DEFAULT_MONITOR_INTERVAL = '60s';

/** Op options pcs accepts (pcs `lib/cib/resource/operations.py` ATTRIBUTES). */
const OTHER_OP_OPTIONS = [
  'OCF_CHECK_LEVEL',
  'description',
  'interval-origin',
  'record-pending',
  'requires',
  'start-delay',
];

export interface OperationSpec {
  action: string;
  /** The name=value words after the action, as given. */
  options: string[];
}

/** Splits the words of one or more `op` sections into actions with their options. */
export function groupOperationWords(
  words: readonly string[],
  command: string,
): CommandResult<OperationSpec[]> {
  const specs: OperationSpec[] = [];
  for (const word of words) {
    if (isNameValue(word)) {
      const current = specs[specs.length - 1];
      if (!current) {
        return usageError(
          `\`${command}\`: 'op' needs an action first, e.g. op monitor interval=30s (got '${word}')`,
        );
      }
      current.options.push(word);
    } else {
      specs.push({ action: word, options: [] });
    }
  }
  return success(specs);
}

/** Builds one operation of resource `rscId`; `used` holds the ids already taken (the new id is added). */
export function buildOperation(
  rscId: string,
  spec: OperationSpec,
  used: Set<string>,
  command: string,
): CommandResult<Operation> {
  if (!/^[a-z][a-z0-9_-]*$/i.test(spec.action)) {
    return usageError(
      `\`${command}\`: '${spec.action}' is not an operation action (start, stop, monitor, …)`,
    );
  }
  const pairs = parseNameValues(spec.options, 'operation options', command);
  if (!pairs.ok) return pairs;
  const where = `op ${spec.action}`;
  let intervalText = spec.action === 'monitor' ? DEFAULT_MONITOR_INTERVAL : '0s';
  let id: string | undefined;
  const op: Operation = { name: spec.action, intervalMs: 0 };
  const attributes: Record<string, string> = {};
  for (const { name, value } of pairs.value) {
    switch (name) {
      case 'interval':
        intervalText = value;
        break;
      case 'timeout': {
        const ms = parseDurationMs(value);
        if (!ms.ok) return usageError(`\`${command}\`: ${where} timeout: ${ms.error}`);
        op.timeoutMs = ms.value;
        break;
      }
      case 'on-fail': {
        const values = Object.values(OnFail) as string[];
        if (!values.includes(value)) {
          return usageError(`\`${command}\`: ${where} on-fail='${value}': use one of ${values.join(', ')}`);
        }
        op.onFail = value as OnFail;
        break;
      }
      case 'role':
        op.role = value;
        break;
      case 'enabled': {
        const b = parseBoolean(value);
        if (b === undefined)
          return usageError(`\`${command}\`: ${where} enabled='${value}': use true or false`);
        op.enabled = b;
        break;
      }
      case 'id':
        id = value;
        break;
      case 'name':
        return usageError(
          `\`${command}\`: ${where}: the action is named by the word after 'op', not by name=`,
        );
      default:
        if (!OTHER_OP_OPTIONS.includes(name)) {
          return usageError(
            `\`${command}\`: ${where}: unknown operation option '${name}' (use interval, timeout, on-fail, role, ` +
              `enabled, id, ${OTHER_OP_OPTIONS.join(', ')})`,
          );
        }
        attributes[name] = value;
    }
  }
  const interval = parseDurationMs(intervalText);
  if (!interval.ok) return usageError(`\`${command}\`: ${where} interval: ${interval.error}`);
  op.intervalMs = interval.value;
  if (Object.keys(attributes).length > 0) op.attributes = attributes;
  if (id !== undefined) {
    if (used.has(id))
      return usageError(`\`${command}\`: ${where}: id '${id}' is already in use: choose another`);
  } else {
    id = uniqueId(sanitizeId(`${rscId}-${spec.action}-interval-${intervalText}`), used);
  }
  used.add(id);
  return success({ id, ...op });
}

/** Builds the operations of `op` sections; duplicates (same action and interval) are refused. */
export function buildOperations(
  rscId: string,
  words: readonly string[],
  used: Set<string>,
  command: string,
): CommandResult<Operation[]> {
  const specs = groupOperationWords(words, command);
  if (!specs.ok) return specs;
  const ops: Operation[] = [];
  for (const spec of specs.value) {
    const op = buildOperation(rscId, spec, used, command);
    if (!op.ok) return op;
    if (ops.some((o) => o.name === op.value.name && o.intervalMs === op.value.intervalMs)) {
      return usageError(
        `\`${command}\`: two '${op.value.name}' operations with the same interval: give them different intervals`,
      );
    }
    ops.push(op.value);
  }
  return success(ops);
}
