/**
 * A minimal ordered XML tree over fast-xml-parser (`preserveOrder`), and the writer for it.
 *
 * Document order matters in a CIB (resources, group members, rule expressions), so elements keep
 * their children in order instead of being grouped by tag name.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, ok, type Result } from './result.ts';
import type { XmlElement } from './xml-element.ts';
import { parseSimpleXml } from './xml-fast-parse.ts';

export type { XmlElement };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
  trimValues: false,
  htmlEntities: true,
  commentPropName: false,
});

type OrderedNode = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function convert(node: OrderedNode): XmlElement | string | undefined {
  let name: string | undefined;
  for (const key of Object.keys(node)) {
    if (key !== ':@') name = key;
  }
  if (name === undefined) return undefined;
  const body = node[name];
  if (name === '#text') return typeof body === 'string' ? body : String(body);
  const attrs: Record<string, string> = {};
  const rawAttrs = node[':@'];
  if (isRecord(rawAttrs)) {
    for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
  }
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(body)) {
    for (const child of body) {
      if (!isRecord(child)) continue;
      const c = convert(child);
      if (typeof c === 'string') text += c;
      else if (c !== undefined) children.push(c);
    }
  }
  return { name, attrs, children, text: text.trim() };
}

/**
 * Parses an XML document; the error names line and column of the first syntax error. Plain
 * documents (every CIB tandem or cibadmin writes) take the one-pass reader in xml-fast-parse.ts;
 * anything else, and every broken document, goes through fast-xml-parser (same tree, its errors).
 */
export function parseXml(xml: string): Result<XmlElement> {
  const simple = parseSimpleXml(xml);
  return simple !== undefined ? ok(simple) : parseXmlGeneral(xml);
}

/** parseXml through fast-xml-parser alone (validator, then parser); exported for the tests. */
export function parseXmlGeneral(xml: string): Result<XmlElement> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const e = valid.err;
    return fail(`XML syntax error at line ${e.line}, column ${e.col}: ${e.msg}`);
  }
  const doc: unknown = parser.parse(xml);
  if (!Array.isArray(doc)) return fail('XML document has no root element');
  for (const node of doc) {
    if (!isRecord(node)) continue;
    const c = convert(node);
    if (typeof c === 'object' && !c.name.startsWith('?') && !c.name.startsWith('!')) return ok(c);
  }
  return fail('XML document has no root element');
}

export function escapeXmlAttr(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Element builder: `el('nvpair', { id, name, value })`; attributes with undefined values are left out. */
export function el(
  name: string,
  attrs: Record<string, string | undefined>,
  children: XmlElement[] = [],
): XmlElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { name, attrs: clean, children, text: '' };
}

/** Writes an element tree with two-space indentation, attributes in insertion order. */
export function writeXml(root: XmlElement): string {
  const lines: string[] = [];
  const walk = (e: XmlElement, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(e.attrs)
      .map(([k, v]) => ` ${k}="${escapeXmlAttr(v)}"`)
      .join('');
    if (e.children.length === 0 && e.text === '') {
      lines.push(`${pad}<${e.name}${attrs}/>`);
      return;
    }
    if (e.children.length === 0) {
      lines.push(`${pad}<${e.name}${attrs}>${escapeXmlAttr(e.text)}</${e.name}>`);
      return;
    }
    lines.push(`${pad}<${e.name}${attrs}>`);
    for (const c of e.children) walk(c, depth + 1);
    lines.push(`${pad}</${e.name}>`);
  };
  walk(root, 0);
  return lines.join('\n') + '\n';
}
