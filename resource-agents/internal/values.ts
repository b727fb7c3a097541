/**
 * Parsing of OCF parameter values: booleans as `ocf_is_true` reads them, integers, durations.
 * Each returns a value or an error naming the parameter and the accepted forms.
 */
import { parseDurationMs } from '../../coordinator/cib/duration.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const TRUE = new Set(['1', 'yes', 'true', 'on', 'y']);
const FALSE = new Set(['0', 'no', 'false', 'off', 'n', '']);

export function parseBool(name: string, text: string | undefined, fallback: boolean): Parsed<boolean> {
  if (text === undefined) return { ok: true, value: fallback };
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return { ok: true, value: true };
  if (FALSE.has(t)) return { ok: true, value: t === '' ? fallback : false };
  return { ok: false, error: `${name}="${text}" is not a boolean: use true or false` };
}

export function parseInteger(
  name: string,
  text: string | undefined,
  range: { min?: number; max?: number } = {},
): Parsed<number | undefined> {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return { ok: false, error: `${name}="${text}" is not an integer` };
  const n = Number(t);
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    return {
      ok: false,
      error: `${name}=${n} is out of range: use ${range.min ?? '-∞'}..${range.max ?? '∞'}`,
    };
  }
  return { ok: true, value: n };
}

/** A duration (`5s`, `150ms`, a bare number = seconds), absent → undefined. */
export function parseDuration(name: string, text: string | undefined): Parsed<number | undefined> {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  const r = parseDurationMs(text);
  return r.ok ? r : { ok: false, error: `${name}: ${r.error}` };
}
