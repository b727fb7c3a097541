import test from 'ava';
import { safetyProfile } from '../../../coordinator/membership/index.ts';

const cases = [
  {
    input: { nodeCount: 2, witness: false, stonithEnabled: false },
    config: /two_node/,
    hazard: /BOTH run the group/,
    not: undefined,
  },
  {
    input: { nodeCount: 2, witness: true, stonithEnabled: false },
    config: /witness/,
    hazard: /lease margin \(150 ms\)/,
    not: /BOTH/,
  },
  {
    input: { nodeCount: 3, witness: false, stonithEnabled: false, leaseMarginMs: 200 },
    config: /3 nodes, no witness/,
    hazard: /lease margin \(200 ms\)/,
    not: /BOTH/,
  },
  {
    input: { nodeCount: 2, witness: false, stonithEnabled: true },
    config: /stonith enabled/,
    hazard: /fence device/,
    not: /BOTH|a pause/,
  },
];

for (const c of cases) {
  test(`safetyProfile: ${JSON.stringify(c.input)}`, (t) => {
    const p = safetyProfile(c.input);
    t.regex(p.configuration, c.config);
    t.true(
      p.cannotSurvive.some((s) => c.hazard.test(s)),
      p.cannotSurvive.join(' | '),
    );
    if (c.not !== undefined)
      t.false(
        p.cannotSurvive.some((s) => c.not.test(s)),
        p.cannotSurvive.join(' | '),
      );
    t.true(p.survives.length >= 3);
  });
}
