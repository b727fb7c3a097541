/** Parameters checked against agent meta-data: parsing and the pure check, table-driven. */
import test from 'ava';
import type { Primitive } from '../../../coordinator/cib/index.ts';
import { checkAgentParameters, parseParameters } from '../../../cli/config/agent-parameters.ts';

const METADATA = `<?xml version="1.0"?>
<resource-agent name="IPaddr2" version="1.0">
  <parameters>
    <parameter name="ip" unique="1" required="1"><content type="string"/></parameter>
    <parameter name="nic"><content type="string"/></parameter>
    <parameter name="cidr_netmask" required="0"><content type="string"/></parameter>
  </parameters>
</resource-agent>`;

test('parseParameters reads names and required flags', (t) => {
  t.deepEqual(parseParameters(METADATA), { names: ['ip', 'nic', 'cidr_netmask'], required: ['ip'] });
  t.is(parseParameters('not meta-data'), undefined);
});

function primitive(instanceAttributes: Record<string, string>): Primitive {
  return {
    kind: 'primitive',
    id: 'vip',
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    instanceAttributes,
    metaAttributes: {},
    operations: [],
  };
}

const params = { names: ['ip', 'nic', 'cidr_netmask'], required: ['ip'] };

const cases: {
  title: string;
  attrs: Record<string, string>;
  force: boolean;
  errors: RegExp[];
  warnings: RegExp[];
}[] = [
  {
    title: 'all known, required given',
    attrs: { ip: '192.0.2.9', cidr_netmask: '24' },
    force: false,
    errors: [],
    warnings: [],
  },
  {
    title: 'unknown parameter',
    attrs: { ip: '192.0.2.9', ipp: '1' },
    force: false,
    errors: [
      /invalid parameter 'ipp' for 'vip': the agent accepts 'ip', 'nic', 'cidr_netmask'; or pass --force/,
    ],
    warnings: [],
  },
  {
    title: 'missing required parameter',
    attrs: { nic: 'eth0' },
    force: false,
    errors: [/required parameter 'ip' missing for 'vip': add ip=VALUE; or pass --force/],
    warnings: [],
  },
  {
    title: '--force turns both into warnings',
    attrs: { ipp: '1' },
    force: true,
    errors: [],
    warnings: [
      /invalid parameter 'ipp'.*\(accepted: --force\)/,
      /required parameter 'ip' missing.*\(accepted: --force\)/,
    ],
  },
];

for (const c of cases) {
  test(`checkAgentParameters: ${c.title}`, (t) => {
    const r = checkAgentParameters(primitive(c.attrs), params, c.force);
    t.is(r.errors.length, c.errors.length, r.errors.join('\n'));
    c.errors.forEach((re, i) => t.regex(r.errors[i] ?? '', re));
    t.is(r.warnings.length, c.warnings.length, r.warnings.join('\n'));
    c.warnings.forEach((re, i) => t.regex(r.warnings[i] ?? '', re));
  });
}
