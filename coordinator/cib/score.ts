/**
 * Scores as Pacemaker has them: integers clamped to ±INFINITY (1,000,000), where -INFINITY wins
 * over +INFINITY when both are added (`pcmk__add_scores`).
 */
import { INFINITY, type Score } from './model.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses `INFINITY`, `+INFINITY`, `-INFINITY`, `inf`-style aliases and integers; clamps to ±INFINITY. */
export function parseScore(text: string): ParseResult<Score> {
  const s = text.trim();
  const lower = s.toLowerCase();
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') {
    return { ok: true, value: INFINITY };
  }
  if (lower === '-infinity' || lower === '-inf') return { ok: true, value: -INFINITY };
  if (!/^[+-]?\d+$/.test(s)) {
    return { ok: false, error: `"${text}" is not a score: use an integer, INFINITY or -INFINITY` };
  }
  return { ok: true, value: clampScore(Number(s)) };
}

export function clampScore(n: number): Score {
  if (n >= INFINITY) return INFINITY;
  if (n <= -INFINITY) return -INFINITY;
  return Math.trunc(n);
}

/** Formats as Pacemaker writes scores: INFINITY, -INFINITY or the integer. */
export function formatScore(score: Score): string {
  if (score >= INFINITY) return 'INFINITY';
  if (score <= -INFINITY) return '-INFINITY';
  return String(score);
}

/** Pacemaker's score addition: -INFINITY dominates, then +INFINITY, else the clamped sum. */
export function addScores(a: Score, b: Score): Score {
  if (a <= -INFINITY || b <= -INFINITY) return -INFINITY;
  if (a >= INFINITY || b >= INFINITY) return INFINITY;
  return clampScore(a + b);
}
