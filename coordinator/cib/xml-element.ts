/** One element of a parsed XML document, children in document order (see xml-tree.ts). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content (trimmed), '' when none. */
  text: string;
}
