/**
 * Durations as Pacemaker reads them (`crm_get_msec`): a number with an optional unit (ms, msec,
 * us, usec, s, sec, m, min, h, hr; no unit means seconds) or an ISO 8601 duration (PT10S, P1DT2H).
 */
import type { ParseResult } from './score.ts';

const UNIT_MS: Record<string, number> = {
  '': 1000,
  ms: 1,
  msec: 1,
  us: 0.001,
  usec: 0.001,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
};

export function parseDurationMs(text: string): ParseResult<number> {
  const s = text.trim();
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, d = '0', h = '0', m = '0', sec = '0'] = iso;
    const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(sec) * 1000;
    return { ok: true, value: Math.round(ms) };
  }
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  const factor = m ? UNIT_MS[(m[2] ?? '').toLowerCase()] : undefined;
  if (!m || factor === undefined) {
    return {
      ok: false,
      error: `"${text}" is not a duration: use a number with a unit (500ms, 10s, 2min, 1h) or ISO 8601 (PT10S)`,
    };
  }
  return { ok: true, value: Math.round(Number(m[1]) * factor) };
}
