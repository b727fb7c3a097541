/** Attribute value parsing shared by the CIB XML import: booleans, integers, scores, durations. */
import { parseDurationMs } from './duration.ts';
import { fail, ok, type Result } from './result.ts';
import { parseScore } from './score.ts';

/** Pacemaker's `crm_is_true`: true, on, yes, y, 1 (case-insensitive). */
export function isTrue(value: string): boolean {
  return ['true', 'on', 'yes', 'y', '1'].includes(value.trim().toLowerCase());
}

const BOOLEAN_WORDS = new Set(['true', 'on', 'yes', 'y', '1', 'false', 'off', 'no', 'n', '0']);

export function isBooleanWord(value: string): boolean {
  return BOOLEAN_WORDS.has(value.trim().toLowerCase());
}

export function parseIntStrict(text: string, what: string): Result<number> {
  if (!/^[+-]?\d+$/.test(text.trim())) return fail(`${what}="${text}" is not an integer`);
  return ok(Number(text.trim()));
}

export function parseScoreAt(text: string, what: string): Result<number> {
  const r = parseScore(text);
  return r.ok ? r : fail(`${what}: ${r.error}`);
}

export function parseDurationAt(text: string, what: string): Result<number> {
  const r = parseDurationMs(text);
  return r.ok ? r : fail(`${what}: ${r.error}`);
}

/** Formats milliseconds the way pcs writes op intervals: `10s`, `500ms`, `0s`. */
export function formatDurationMs(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
