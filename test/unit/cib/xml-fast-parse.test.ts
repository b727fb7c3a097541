// The one-pass XML reader must give fast-xml-parser's tree or decline (never a different tree, never
// a tree where fast-xml-parser reports an error). Internal modules, so imported by path.
import { readFileSync } from 'node:fs';
import test from 'ava';
import fc from 'fast-check';
import { parseSimpleXml } from '../../../coordinator/cib/xml-fast-parse.ts';
import { parseXmlGeneral } from '../../../coordinator/cib/xml-tree.ts';
import { toCibXml } from '../../../coordinator/cib/index.ts';
import { generateCluster } from '../../support/cib-generator.ts';

const FIXTURE = readFileSync(new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url), 'utf8');

/** undefined when the fast reader declined; else whether it matched the general parser. */
function agrees(xml: string): boolean | undefined {
  const fast = parseSimpleXml(xml);
  if (fast === undefined) return undefined;
  const general = parseXmlGeneral(xml);
  return general.ok && JSON.stringify(general.value) === JSON.stringify(fast);
}

test('fast reader: CIBs tandem writes take the fast path and match', (t) => {
  t.true(agrees(FIXTURE));
  const c = generateCluster({ seed: 3, nodes: 4, resources: 30 });
  t.true(agrees(toCibXml(c.config, c.status)));
});

const cases: [string, boolean][] = [
  // [document, fast path expected]
  ['<a/>', true],
  ['<?xml version="1.0" encoding="UTF-8"?>\n<a b="1"\n c=\'x"y\'/>', true],
  ['<a> x <b/> y </a>', true],
  ['<a>&amp;&lt;&gt;&quot;&apos;&#10;&#x41;&#32;</a>', true],
  ['<a b="&#10;&#13;&#9;&amp;amp;"/>', true],
  ['<a>x<!-- c -->y</a><!-- after -->', true],
  ['<a>x\r\ny</a>', true],
  ['<a></a  >', true],
  ['<a>\u00a0<b/>\u00a0</a>', true],
  ['<a>&nbsp;</a>', false],
  ['<a>&#0;</a>', false],
  ['<a b="&#xD800;"/>', false],
  ['<a><![CDATA[x]]></a>', false],
  ['<!DOCTYPE a><a/>', false],
  ['<a><?pi x?></a>', false],
  ['\ufeff<a/>', false],
  [' <?xml version="1.0"?><a/>', false],
  ['<a/><b/>', false],
  ['<a></b>', false],
  ['<a>', false],
  ['<a b="1" b="2"/>', false],
  ['<a b="1"c="2"/>', false],
  ['<a b = "1"/>', false],
  ['<a b/>', false],
  ['<a toString="1"/>', false],
  ['<a>a&b</a>', false],
  ['<a/>x', false],
  ['', false],
];
for (const [xml, fast] of cases) {
  test(`fast reader: ${JSON.stringify(xml)} ${fast ? 'matches' : 'is left to fast-xml-parser'}`, (t) => {
    t.is(agrees(xml), fast ? true : undefined);
  });
}

test('fast reader: mutated documents never give a tree fast-xml-parser would not (property)', (t) => {
  const palette = ['<', '>', '&', ';', '"', "'", '/', '!', '?', '-', ' ', '\n', '\r', '=', '&amp;', '&#10;'];
  const extra = ['&#x0;', '<!--', '-->', '<a>', '</a>', '<b/>', 'x', '\u00a0', '<![CDATA[', '__proto__'];
  const base = `<cib a="1"><x id="p" v="a&amp;b"> t <y/>  <!-- c --> u </x><z/></cib>`;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          at: fc.nat({ max: base.length }),
          insert: fc.constantFrom(...palette, ...extra),
          drop: fc.nat({ max: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      (edits) => {
        let xml = base;
        for (const e of edits) {
          const at = Math.min(e.at, xml.length);
          xml = xml.slice(0, at) + e.insert + xml.slice(at + e.drop);
        }
        return agrees(xml) !== false;
      },
    ),
    { numRuns: 3000 },
  );
  t.pass();
});
