/**
 * A fast, strict reader for the plain XML a CIB is: one root element, elements with attributes in
 * double or single quotes, the five XML entities and character references, comments, an XML
 * declaration at the very start. One forward pass that builds the `XmlElement` tree directly.
 *
 * Contract: returns the tree fast-xml-parser (as configured in xml-tree.ts) would give, or
 * `undefined` when the document uses anything outside that subset (DOCTYPE, CDATA, processing
 * instructions, HTML entities, unusual names, a byte-order mark, …) or is not well formed. The
 * caller then falls back to fast-xml-parser, which gives the same tree for valid documents and its
 * line/column error for broken ones. So this is only an optimisation: it never changes a result.
 * Pure; reads only its argument.
 */
import type { XmlElement } from './xml-element.ts';

/** Name characters accepted here (an ASCII subset of XML names): 1 = may start a name, 2 = may continue one. */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) NAME[c] = 1;
  else if (/[0-9.-]/.test(ch)) NAME[c] = 2;
}

/** Names fast-xml-parser rejects or renames (prototype pollution guards): left to it. */
const GUARDED_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
]);

const DECLARATION =
  /^<\?xml(?:[ \t\n]+[A-Za-z_:][A-Za-z0-9_:.-]*="[^"<>&]*"|[ \t\n]+[A-Za-z_:][A-Za-z0-9_:.-]*='[^'<>&]*')*[ \t\n]*\?>/;

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** Reads a name at `i`; returns its end index, or -1 when there is no acceptable name there. */
function nameEnd(s: string, i: number): number {
  const c0 = s.charCodeAt(i);
  if (!(c0 < 128 && NAME[c0] === 1)) return -1;
  let j = i + 1;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c < 128 && NAME[c] !== 0) j++;
    else return j;
  }
}

/**
 * Decodes `&amp; &lt; &gt; &quot; &apos;` and character references in `raw` (which contains `&`
 * at `amp`); undefined for any other entity or a code point fast-xml-parser decodes differently.
 */
function decodeEntities(raw: string, amp: number): string | undefined {
  let out = '';
  let from = 0;
  let i = amp;
  while (i >= 0) {
    out += raw.slice(from, i);
    const semi = raw.indexOf(';', i + 1);
    if (semi < 0 || semi - i > 12) return undefined;
    const name = raw.slice(i + 1, semi);
    switch (name) {
      case 'amp':
        out += '&';
        break;
      case 'lt':
        out += '<';
        break;
      case 'gt':
        out += '>';
        break;
      case 'quot':
        out += '"';
        break;
      case 'apos':
        out += "'";
        break;
      default: {
        let cp: number;
        if (/^#[0-9]{1,8}$/.test(name)) cp = Number.parseInt(name.slice(1), 10);
        else if (/^#x[0-9A-Fa-f]{1,6}$/.test(name)) cp = Number.parseInt(name.slice(2), 16);
        else return undefined;
        const plain = cp === 9 || cp === 10 || cp === 13 || (cp >= 32 && cp <= 0xd7ff);
        if (!plain && !(cp >= 0xe000 && cp <= 0x10ffff)) return undefined;
        out += String.fromCodePoint(cp);
      }
    }
    from = semi + 1;
    i = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

/** Text content of one open element: pieces from the first one that is not blank. */
interface Open {
  element: XmlElement;
  text: string[] | undefined;
}

function closeElement(open: Open): void {
  if (open.text !== undefined) open.element.text = open.text.join('').trim();
}

/**
 * The distinct element and attribute names of a document, so each occurrence reuses one string
 * (a CIB has a few dozen names and millions of occurrences): fewer allocations, and property keys
 * that are already internalised. Keyed by first character and length.
 */
class NameTable {
  private readonly byKey = new Map<number, string[]>();

  /** The name spanning s[from, to). */
  get(s: string, from: number, to: number): string {
    const len = to - from;
    const key = s.charCodeAt(from) * 4096 + Math.min(len, 4095);
    let list = this.byKey.get(key);
    if (list === undefined) {
      list = [];
      this.byKey.set(key, list);
    }
    for (const name of list) if (name.length === len && s.startsWith(name, from)) return name;
    const name = s.slice(from, to);
    if (list.length < 16) list.push(name);
    return name;
  }
}

/** See the file comment: the tree, or undefined to let fast-xml-parser decide. */
export function parseSimpleXml(input: string): XmlElement | undefined {
  // fast-xml-parser normalises line ends before parsing.
  const s = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const n = s.length;
  let i = 0;
  if (s.startsWith('<?')) {
    const m = DECLARATION.exec(s);
    if (m === null) return undefined;
    i = m[0].length;
  }
  let root: XmlElement | undefined;
  const stack: Open[] = [];
  const names = new NameTable();
  while (i < n) {
    const lt = s.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      // Text between markup.
      const top = stack[stack.length - 1];
      if (top === undefined) {
        for (let k = i; k < end; k++) if (!isXmlSpace(s.charCodeAt(k))) return undefined;
      } else {
        let blank = true;
        for (let k = i; k < end; k++) {
          if (!isXmlSpace(s.charCodeAt(k))) {
            blank = false;
            break;
          }
        }
        if (!blank || top.text !== undefined) {
          let piece = s.slice(i, end);
          const amp = piece.indexOf('&');
          if (amp >= 0) {
            const decoded = decodeEntities(piece, amp);
            if (decoded === undefined) return undefined;
            piece = decoded;
          }
          if (top.text !== undefined) top.text.push(piece);
          else if (piece.trim() !== '') top.text = [piece];
        }
      }
    }
    if (lt < 0) break;
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === 47) {
      // </name>
      const ne = nameEnd(s, lt + 2);
      const top = stack.pop();
      if (ne < 0 || top === undefined) return undefined;
      const name = top.element.name;
      if (ne - (lt + 2) !== name.length || !s.startsWith(name, lt + 2)) return undefined;
      let j = ne;
      while (isXmlSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 62) return undefined;
      closeElement(top);
      i = j + 1;
      continue;
    }
    if (c1 === 33) {
      // Only comments; DOCTYPE and CDATA are left to fast-xml-parser.
      if (!s.startsWith('<!--', lt)) return undefined;
      const close = s.indexOf('-->', lt + 4);
      if (close < 0) return undefined;
      const dashes = s.indexOf('--', lt + 4);
      if (dashes !== close || s.charCodeAt(close - 1) === 45) return undefined;
      i = close + 3;
      continue;
    }
    // <name attr="value" …> or <name …/>
    const ne = nameEnd(s, lt + 1);
    if (ne < 0) return undefined;
    const name = names.get(s, lt + 1, ne);
    if (GUARDED_NAMES.has(name)) return undefined;
    const attrs: Record<string, string> = {};
    let j = ne;
    let selfClosing = false;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 62) {
        j++;
        break;
      }
      if (c === 47) {
        if (s.charCodeAt(j + 1) !== 62) return undefined;
        selfClosing = true;
        j += 2;
        break;
      }
      if (!isXmlSpace(c)) return undefined;
      do j++;
      while (isXmlSpace(s.charCodeAt(j)));
      const c2 = s.charCodeAt(j);
      if (c2 === 62 || c2 === 47) continue;
      const ae = nameEnd(s, j);
      if (ae < 0 || s.charCodeAt(ae) !== 61) return undefined;
      const attr = names.get(s, j, ae);
      if (GUARDED_NAMES.has(attr) || attrs[attr] !== undefined) return undefined;
      const quote = s.charCodeAt(ae + 1);
      if (quote !== 34 && quote !== 39) return undefined;
      const qe = s.indexOf(quote === 34 ? '"' : "'", ae + 2);
      if (qe < 0) return undefined;
      let value = s.slice(ae + 2, qe);
      if (value.includes('<') || value.includes('>')) return undefined;
      const amp = value.indexOf('&');
      if (amp >= 0) {
        const decoded = decodeEntities(value, amp);
        if (decoded === undefined) return undefined;
        value = decoded;
      }
      attrs[attr] = value;
      j = qe + 1;
    }
    const element: XmlElement = { name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.element.children.push(element);
    else if (root === undefined) root = element;
    else return undefined; // a second root element
    if (!selfClosing) stack.push({ element, text: undefined });
    i = j;
  }
  if (stack.length > 0) return undefined;
  return root;
}
