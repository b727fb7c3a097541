import test from 'ava';
import { addScores, formatScore, parseScore } from '../../../coordinator/cib/score.ts';
import { parseDurationMs } from '../../../coordinator/cib/duration.ts';

const scores: [string, number | null][] = [
  ['INFINITY', 1_000_000],
  ['+INFINITY', 1_000_000],
  ['-INFINITY', -1_000_000],
  ['100', 100],
  ['-5', -5],
  ['2000000', 1_000_000],
  ['abc', null],
  ['1.5', null],
];
for (const [text, want] of scores) {
  test(`parseScore(${text})`, (t) => {
    const r = parseScore(text);
    if (want === null) t.false(r.ok);
    else t.deepEqual(r, { ok: true, value: want });
  });
}

test('score addition: -INFINITY dominates, then +INFINITY', (t) => {
  t.is(addScores(1_000_000, -1_000_000), -1_000_000);
  t.is(addScores(1_000_000, 5), 1_000_000);
  t.is(addScores(999_999, 5), 1_000_000);
  t.is(addScores(100, 200), 300);
  t.is(formatScore(addScores(-999_999, -5)), '-INFINITY');
});

const durations: [string, number | null][] = [
  ['10s', 10_000],
  ['10', 10_000],
  ['500ms', 500],
  ['2min', 120_000],
  ['1h', 3_600_000],
  ['PT10S', 10_000],
  ['P1DT1M', 86_460_000],
  ['0', 0],
  ['ten', null],
  ['10 parsecs', null],
];
for (const [text, want] of durations) {
  test(`parseDurationMs(${text})`, (t) => {
    const r = parseDurationMs(text);
    if (want === null) t.false(r.ok);
    else t.deepEqual(r, { ok: true, value: want });
  });
}
