/**
 * Table: a command that cannot be applied → the kind of error (usage → exit 2, invalid → exit 1)
 * and a message that names what to fix.
 */
import test from 'ava';
import { apply, applyAll, base, RUNBOOK, runbookConfig } from './support.ts';

interface BadCase {
  line: string;
  setup?: 'runbook' | readonly string[];
  kind: 'usage' | 'invalid';
  message: RegExp;
}

const cases: BadCase[] = [
  {
    line: 'resource group add abiquo_rs nosuch',
    setup: 'runbook',
    kind: 'invalid',
    message: /^unknown resource 'nosuch': create it first with `tandem resource create nosuch …`$/,
  },
  { line: 'resource group add g', kind: 'usage', message: /usage: tandem resource group add GROUP RESOURCE/ },
  {
    line: 'resource group add ClusterIP vm_repository',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ClusterIP' is a primitive, not a group/,
  },
  {
    line: 'resource group add g ping',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ping' is inside clone 'ping-clone'.*unclone ping-clone/,
  },
  {
    line: 'resource group add abiquo_rs ClusterIP',
    setup: 'runbook',
    kind: 'invalid',
    message: /already in group 'abiquo_rs'.*--before or --after/,
  },
  {
    line: 'resource group add abiquo_rs ping-clone',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ping-clone' is a clone: only primitive resources/,
  },
  {
    line: 'resource group add g a a',
    setup: ['resource create a Dummy'],
    kind: 'usage',
    message: /'a' is named twice/,
  },
  {
    line: 'resource group add abiquo_rs x --before nosuch',
    setup: [...RUNBOOK, 'resource create x Dummy'],
    kind: 'invalid',
    message: /'nosuch': it is not in group 'abiquo_rs'/,
  },
  {
    line: 'resource group remove abiquo_rs ping',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ping' is not a member of group 'abiquo_rs'/,
  },
  {
    line: 'resource create x Foo',
    kind: 'usage',
    message: /cannot tell which agent 'Foo' is: give the full name/,
  },
  {
    line: 'resource create x ocf:IPaddr2',
    kind: 'usage',
    message: /ocf agents need a provider, e\.g\. ocf:heartbeat:IPaddr2/,
  },
  {
    line: 'resource create x nosuch:std:type',
    kind: 'usage',
    message: /invalid agent name.*standards: ocf, lsb/,
  },
  { line: 'resource create x lsb:a:b', kind: 'usage', message: /only ocf agents have a provider/ },
  {
    line: 'resource create ClusterIP Dummy',
    setup: 'runbook',
    kind: 'invalid',
    message: /cannot create 'ClusterIP': primitive 'ClusterIP' already uses that id/,
  },
  { line: 'resource create 9lives Dummy', kind: 'usage', message: /invalid resource id '9lives'/ },
  { line: 'resource create x', kind: 'usage', message: /usage: tandem resource create ID/ },
  { line: 'resource create x Dummy op interval=5s', kind: 'usage', message: /'op' needs an action first/ },
  {
    line: 'resource create x Dummy op monitor interval=soon',
    kind: 'usage',
    message: /op monitor interval: "soon" is not a duration/,
  },
  {
    line: 'resource create x Dummy op monitor on-fail=explode',
    kind: 'usage',
    message: /on-fail='explode': use one of ignore, block/,
  },
  {
    line: 'resource create x Dummy op monitor interval=10s monitor interval=10s',
    kind: 'usage',
    message: /two 'monitor' operations with the same interval/,
  },
  {
    line: 'resource create x Dummy op monitor frobs=1',
    kind: 'usage',
    message: /unknown operation option 'frobs'/,
  },
  { line: 'resource create x Dummy --bogus', kind: 'usage', message: /unknown option --bogus \(accepted: / },
  {
    line: 'resource create x Dummy clone --group g',
    kind: 'usage',
    message: /cannot be both cloned and in a group/,
  },
  { line: 'resource create x Dummy --before y', kind: 'usage', message: /--before and --after need --group/ },
  { line: 'resource create x Dummy --group', kind: 'usage', message: /--group needs a value/ },
  {
    line: 'resource create x Dummy promotable',
    kind: 'usage',
    message: /'promotable' resources are not supported yet/,
  },
  {
    line: 'resource create x Dummy notapair',
    kind: 'usage',
    message: /expected resource options as name=value, got 'notapair'/,
  },
  {
    line: 'resource create x Dummy clone c globally-unique=true',
    kind: 'usage',
    message: /globally-unique clones are not supported yet/,
  },
  {
    line: 'resource clone vm_repository',
    setup: 'runbook',
    kind: 'invalid',
    message: /member of group 'abiquo_rs': clone the whole group/,
  },
  {
    line: 'resource clone ping',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ping' is already cloned \(clone 'ping-clone'\)/,
  },
  {
    line: 'resource clone ping ClusterIP meta',
    setup: RUNBOOK.slice(0, 8),
    kind: 'invalid',
    message: /cannot name the clone 'ClusterIP': primitive 'ClusterIP' already uses that id/,
  },
  { line: 'resource clone nosuch', kind: 'invalid', message: /unknown resource 'nosuch'/ },
  {
    line: 'resource clone ping c clone-max=many',
    setup: RUNBOOK.slice(0, 8),
    kind: 'usage',
    message: /clone-max='many': use a whole number/,
  },
  {
    line: 'resource unclone ClusterIP',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ClusterIP' is not a clone/,
  },
  {
    line: 'resource delete nosuch',
    kind: 'invalid',
    message: /unknown resource 'nosuch': nothing to delete/,
  },
  {
    line: 'resource update abiquo_rs x=1',
    setup: 'runbook',
    kind: 'invalid',
    message: /'abiquo_rs' is a group and has no parameters: .*tandem resource meta abiquo_rs/,
  },
  { line: 'resource update nosuch x=1', kind: 'invalid', message: /unknown resource 'nosuch'/ },
  {
    line: 'resource meta ClusterIP',
    setup: 'runbook',
    kind: 'usage',
    message: /usage: tandem resource meta ID name=value/,
  },
  { line: 'resource enable nosuch', kind: 'invalid', message: /unknown resource 'nosuch'/ },
  {
    line: 'resource defaults set create meta a=b',
    kind: 'usage',
    message: /rule-based default sets are not supported; use `tandem resource defaults update/,
  },
  {
    line: 'resource defaults resource-stickiness=lots',
    kind: 'usage',
    message: /resource-stickiness: "lots" is not a score/,
  },
  {
    line: 'resource op defaults timeout=forever',
    kind: 'usage',
    message: /timeout: "forever" is not a duration/,
  },
  {
    line: 'resource frobnicate x',
    kind: 'usage',
    message: /unknown configuration command 'tandem resource frobnicate x'/,
  },
  {
    line: 'property set stonith-enabeld=false',
    kind: 'invalid',
    message: /unknown cluster property 'stonith-enabeld': check the spelling.*--force/,
  },
  {
    line: 'property set stonith-enabled=maybe',
    kind: 'invalid',
    message: /stonith-enabled='maybe': use true or false/,
  },
  {
    line: 'property set no-quorum-policy=panic',
    kind: 'invalid',
    message: /no-quorum-policy='panic': use one of stop, freeze, ignore/,
  },
  {
    line: 'property set stonith-enabled',
    kind: 'usage',
    message: /expected properties as name=value, got 'stonith-enabled'/,
  },
  { line: 'property unset stonith-enabled', kind: 'invalid', message: /'stonith-enabled' is not set/ },
  {
    line: 'constraint location nosuch prefers rsha1',
    kind: 'invalid',
    message: /unknown resource 'nosuch': create it first/,
  },
  {
    line: 'constraint location ping prefers rsha1',
    setup: 'runbook',
    kind: 'invalid',
    message: /'ping' is inside clone 'ping-clone': constrain the clone instead.*--force/,
  },
  {
    line: 'constraint location abiquo_rs prefers rsha3',
    setup: 'runbook',
    kind: 'invalid',
    message:
      /node 'rsha3' is not in the cluster \(nodes: rsha1, rsha2\): did you mean 'rsha1'\? .*tandem cluster node add rsha3/,
  },
  {
    line: 'constraint location add l1 abiquo_rs RSHA2 100',
    setup: 'runbook',
    kind: 'invalid',
    message: /node 'RSHA2' is not in the cluster .*did you mean 'rsha2'\?/,
  },
  {
    line: 'constraint location abiquo_rs likes rsha1',
    setup: 'runbook',
    kind: 'usage',
    message: /expected prefers, avoids or rule/,
  },
  {
    line: 'constraint location abiquo_rs prefers rsha1=lots',
    setup: 'runbook',
    kind: 'usage',
    message: /"lots" is not a score/,
  },
  {
    line: 'constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or x eq 2 and y eq 3',
    setup: 'runbook',
    kind: 'usage',
    message: /'and' and 'or' mixed without parentheses/,
  },
  {
    line: 'constraint location abiquo_rs rule ( pingd lt 1',
    setup: 'runbook',
    kind: 'usage',
    message: /missing '\)'/,
  },
  {
    line: 'constraint location abiquo_rs rule pingd under 1',
    setup: 'runbook',
    kind: 'usage',
    message: /'pingd' must be followed by lt, gt, lte, gte, eq or ne/,
  },
  {
    line: 'constraint location abiquo_rs rule date gt 2025-01-01',
    setup: 'runbook',
    kind: 'usage',
    message: /date expressions are not supported yet/,
  },
  {
    line: 'constraint location abiquo_rs rule rack gt integer three',
    setup: 'runbook',
    kind: 'usage',
    message: /'three' is not an integer/,
  },
  {
    line: 'constraint location abiquo_rs rule score=1 score-attribute=pingd defined pingd',
    setup: 'runbook',
    kind: 'usage',
    message: /score= or score-attribute=, not both/,
  },
  {
    line: 'constraint location abiquo_rs rule score=-INFINITY',
    setup: 'runbook',
    kind: 'usage',
    message: /missing the rule expression/,
  },
  {
    line: 'constraint location abiquo_rs rule constraint-id=ClusterIP defined pingd',
    setup: 'runbook',
    kind: 'invalid',
    message: /constraint id 'ClusterIP' is already in use/,
  },
  {
    line: 'constraint colocation add abiquo_rs with abiquo_rs',
    setup: 'runbook',
    kind: 'invalid',
    message: /cannot colocate 'abiquo_rs' with itself/,
  },
  {
    line: 'constraint colocation add abiquo_rs with ping-clone',
    setup: 'runbook',
    kind: 'invalid',
    message:
      /already colocated with 'ping-clone'.*tandem constraint delete colocation-abiquo_rs-ping-clone-INFINITY.*--force/,
  },
  {
    line: 'constraint colocation add abiquo_rs ping-clone',
    setup: 'runbook',
    kind: 'usage',
    message: /usage: tandem constraint colocation add/,
  },
  {
    line: 'constraint colocation add abiquo_rs with nosuch',
    setup: 'runbook',
    kind: 'invalid',
    message: /unknown resource 'nosuch'/,
  },
  {
    line: 'constraint colocation add abiquo_rs with ping-clone weight=5',
    setup: RUNBOOK.slice(0, 9),
    kind: 'usage',
    message: /unknown option 'weight'/,
  },
  {
    line: 'constraint order abiquo_rs then',
    setup: 'runbook',
    kind: 'usage',
    message: /usage: tandem constraint order/,
  },
  {
    line: 'constraint order abiquo_rs then ping-clone kind=Sometimes',
    setup: 'runbook',
    kind: 'usage',
    message: /kind='Sometimes': use Mandatory, Optional or Serialize/,
  },
  {
    line: 'constraint order abiquo_rs then abiquo_rs',
    setup: 'runbook',
    kind: 'invalid',
    message: /cannot order 'abiquo_rs' after itself/,
  },
  {
    line: 'constraint delete nosuch',
    setup: 'runbook',
    kind: 'invalid',
    message: /unknown constraint 'nosuch' \(constraints: colocation-abiquo_rs-ping-clone-INFINITY\)/,
  },
  {
    line: 'node standby rsha9',
    kind: 'invalid',
    message: /unknown node 'rsha9' \(nodes: rsha1, rsha2\): add it with `tandem cluster node add rsha9`/,
  },
  { line: 'node standby', kind: 'usage', message: /usage: tandem node standby NODE\.\.\. \| --all/ },
  { line: 'node attribute rsha1 site', kind: 'usage', message: /expected node attributes as name=value/ },
  { line: 'cluster node add rsha1', kind: 'invalid', message: /node 'rsha1' is already in the cluster/ },
];

for (const c of cases) {
  test(`refuses: ${c.line}`, (t) => {
    const start = c.setup === 'runbook' ? runbookConfig() : applyAll(base(), c.setup ?? []);
    const before = structuredClone(start);
    const r = apply(start, c.line);
    if (r.ok) {
      t.fail(`expected a ${c.kind} error, the command succeeded`);
      return;
    }
    t.is(r.error.kind, c.kind, r.error.message);
    t.regex(r.error.message, c.message);
    t.deepEqual(start, before, 'the input configuration is not mutated');
  });
}
