/** Expected failures as values: `{ ok: true, value } | { ok: false, error }` (error names the path and the fix). */
import type { ParseResult } from './score.ts';

export type Result<T> = ParseResult<T>;

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: string): Result<T> {
  return { ok: false, error };
}
