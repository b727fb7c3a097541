/**
 * What a configuration command returns: a new configuration plus warnings, or an error that says
 * whether the command line was malformed (`usage`, exit 2) or the request cannot be applied to this
 * configuration (`invalid`, exit 1). Messages name what to fix.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';

export interface CommandError {
  kind: 'usage' | 'invalid';
  message: string;
}

export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

/** The outcome of an editing command: the edited copy (the input is never mutated) and warnings. */
export interface ConfigEdit {
  config: ClusterConfig;
  warnings: string[];
}

export function success<T>(value: T): CommandResult<T> {
  return { ok: true, value };
}

/** The command line is malformed: exit 2. */
export function usageError<T>(message: string): CommandResult<T> {
  return { ok: false, error: { kind: 'usage', message } };
}

/** The command cannot be applied to this configuration: exit 1. */
export function invalid<T>(message: string): CommandResult<T> {
  return { ok: false, error: { kind: 'invalid', message } };
}
