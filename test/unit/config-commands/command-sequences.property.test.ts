/**
 * Property: any sequence of configuration commands (drawn from a small vocabulary over a few
 * ids, so they collide often) never mutates its input, and every command the editing layer
 * accepts leaves a configuration that validateConfig accepts (no errors). A command the layer
 * accepts but validation refuses would be a confusing "refused" at the CLI instead of a
 * precise message.
 */
import { fc, testProp } from '@fast-check/ava';
import { formatIssues, validateConfig } from '../../../coordinator/cib/index.ts';
import { apply, base } from './support.ts';

const rsc = fc.constantFrom('a', 'b', 'c', 'g', 'a-clone', 'g-clone', 'nosuch');
const node = fc.constantFrom('rsha1', 'rsha2', 'rsha3');
const score = fc.constantFrom('INFINITY', '-INFINITY', '100', '-5', '0');

const command = fc.oneof(
  fc
    .tuple(rsc, fc.constantFrom('Dummy', 'ocf:pacemaker:ping host_list=192.0.2.1', 'lsb:abiquo-tomcat'))
    .map(([id, agent]) => `resource create ${id} ${agent}`),
  fc.tuple(rsc, rsc).map(([id, g]) => `resource create ${id} Dummy --group ${g}`),
  fc.tuple(rsc).map(([id]) => `resource create ${id} Dummy clone`),
  fc
    .tuple(rsc, fc.array(rsc, { minLength: 1, maxLength: 3 }))
    .map(([g, ms]) => `resource group add ${g} ${ms.join(' ')}`),
  fc
    .tuple(rsc, fc.array(rsc, { maxLength: 2 }))
    .map(([g, ms]) => `resource group remove ${g} ${ms.join(' ')}`),
  rsc.map((id) => `resource clone ${id}`),
  rsc.map((id) => `resource unclone ${id}`),
  rsc.map((id) => `resource delete ${id}`),
  rsc.map((id) => `resource disable ${id}`),
  rsc.map((id) => `resource enable ${id}`),
  fc
    .tuple(rsc, fc.constantFrom('ip=192.0.2.9', 'op monitor interval=10s', 'meta resource-stickiness=50'))
    .map(([id, what]) => `resource update ${id} ${what}`),
  fc
    .tuple(rsc, fc.constantFrom('prefers', 'avoids'), node, score)
    .map(([id, mode, n, s]) => `constraint location ${id} ${mode} ${n}=${s}`),
  fc
    .tuple(rsc, score)
    .map(([id, s]) => `constraint location ${id} rule score=${s} pingd lt 1 or not_defined pingd`),
  fc.tuple(rsc, rsc, score).map(([x, y, s]) => `constraint colocation add ${x} with ${y} ${s}`),
  fc
    .tuple(rsc, rsc, fc.constantFrom('Mandatory', 'Optional', 'Serialize'))
    .map(([x, y, k]) => `constraint order ${x} then ${y} kind=${k}`),
  fc.constantFrom(
    'resource defaults resource-stickiness=100',
    'property set stonith-enabled=false',
    'node standby rsha1',
  ),
);

testProp(
  'accepted commands keep the configuration valid; inputs are never mutated',
  [fc.array(command, { minLength: 1, maxLength: 12 })],
  (t, lines) => {
    let config = base();
    for (const line of lines) {
      const before = structuredClone(config);
      const r = apply(config, line);
      t.deepEqual(config, before, `input mutated by: ${line}`);
      if (!r.ok) continue;
      config = r.value.config;
      const errors = validateConfig(config).errors;
      t.deepEqual(formatIssues(errors), [], `after: ${lines.slice(0, lines.indexOf(line) + 1).join(' ; ')}`);
    }
  },
  { numRuns: 300 },
);
