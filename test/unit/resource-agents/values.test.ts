import test from 'ava';
import { parseBool, parseDuration, parseInteger } from '../../../resource-agents/internal/values.ts';
import { parseFpingAlive, pingReceivedAny } from '../../../resource-agents/ping.ts';

const bools: [string | undefined, boolean, boolean | null][] = [
  [undefined, true, true],
  ['', false, false],
  ['yes', false, true],
  ['TRUE', false, true],
  ['1', false, true],
  ['off', true, false],
  ['no', true, false],
  ['maybe', true, null],
];
for (const [text, fallback, want] of bools) {
  test(`parseBool(${JSON.stringify(text)}, fallback ${fallback})`, (t) => {
    const r = parseBool('flag', text, fallback);
    if (want === null) {
      t.false(r.ok);
      if (!r.ok) t.regex(r.error, /flag="maybe"/);
    } else t.deepEqual(r, { ok: true, value: want });
  });
}

const ints: [string | undefined, { min?: number; max?: number }, number | undefined | null][] = [
  [undefined, {}, undefined],
  ['', {}, undefined],
  ['42', {}, 42],
  ['-3', {}, -3],
  ['3.5', {}, null],
  ['0', { min: 1 }, null],
  ['11', { max: 10 }, null],
  ['10', { max: 10 }, 10],
];
for (const [text, range, want] of ints) {
  test(`parseInteger(${JSON.stringify(text)}, ${JSON.stringify(range)})`, (t) => {
    const r = parseInteger('n', text, range);
    if (want === null) t.false(r.ok);
    else t.deepEqual(r, { ok: true, value: want });
  });
}

const durations: [string | undefined, number | undefined | null][] = [
  [undefined, undefined],
  ['5s', 5000],
  ['150ms', 150],
  ['2', 2000],
  ['soon', null],
];
for (const [text, want] of durations) {
  test(`parseDuration(${JSON.stringify(text)})`, (t) => {
    const r = parseDuration('dampen', text);
    if (want === null) {
      t.false(r.ok);
      if (!r.ok) t.regex(r.error, /^dampen: /);
    } else t.deepEqual(r, { ok: true, value: want });
  });
}

test('parseFpingAlive: one answering target per line, as given', (t) => {
  t.deepEqual([...parseFpingAlive('192.0.2.2\ngateway.example\n\n')], ['192.0.2.2', 'gateway.example']);
  t.is(parseFpingAlive('').size, 0);
});

const pingOutputs: [string, boolean][] = [
  ['3 packets transmitted, 2 received, 33% packet loss, time 2003ms', true],
  ['1 packets transmitted, 0 received, 100% packet loss, time 0ms', false],
  ['1 packets transmitted, 1 packets received, 0.0% packet loss', true],
  ['ping: unknown host', false],
];
for (const [out, want] of pingOutputs) {
  test(`pingReceivedAny(${out.slice(0, 40)}…)`, (t) => t.is(pingReceivedAny(out), want));
}
