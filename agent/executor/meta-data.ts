/**
 * OCF meta-data XML (ra-api.rng, OCF 1.0 and 1.1) parsed into what the executor and tools use:
 * parameters (name, required, unique, type, default, shortdesc) and actions with their advised
 * timeouts and intervals.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseDurationMs } from '../../coordinator/cib/duration.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';

export interface ParameterMeta {
  name: string;
  required: boolean;
  unique: boolean;
  uniqueGroup?: string;
  reloadable: boolean;
  /** boolean, string, integer, select, … as the agent wrote it. */
  type: string;
  default?: string;
  options?: string[];
  shortdesc?: string;
  longdesc?: string;
  deprecated: boolean;
}

export interface ActionMeta {
  name: string;
  timeoutMs?: number;
  intervalMs?: number;
  depth?: string;
  role?: string;
  startDelayMs?: number;
}

export interface AgentMetaData {
  name: string;
  /** OCF version the agent claims (`<version>`). */
  ocfVersion?: string;
  agentVersion?: string;
  shortdesc?: string;
  longdesc?: string;
  parameters: ParameterMeta[];
  actions: ActionMeta[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ['parameter', 'action', 'option', 'shortdesc', 'longdesc'].includes(name),
});

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asNodes(v: unknown): Node[] {
  if (Array.isArray(v)) return v.filter(isNode);
  return isNode(v) ? [v] : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Text of the English (or first) description element. */
function desc(v: unknown): string | undefined {
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const texts = items.map((item) => {
    if (typeof item === 'string') return { lang: undefined, text: item };
    if (isNode(item)) return { lang: str(item['@lang']), text: str(item['#text']) ?? '' };
    return { lang: undefined, text: '' };
  });
  const chosen = texts.find((t) => t.lang === undefined || t.lang === 'en') ?? texts[0];
  const text = chosen?.text.replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

function bool(v: unknown): boolean {
  const s = str(v)?.toLowerCase();
  return s === '1' || s === 'true' || s === 'yes';
}

function ms(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const parsed = parseDurationMs(s);
  return parsed.ok ? parsed.value : undefined;
}

export function parseMetaData(xml: string): ParseResult<AgentMetaData> {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    return {
      ok: false,
      error: `meta-data is not well-formed XML: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const root = isNode(doc) ? doc['resource-agent'] : undefined;
  if (!isNode(root)) {
    return { ok: false, error: 'meta-data has no <resource-agent> root element' };
  }
  const parameters = asNodes(isNode(root['parameters']) ? root['parameters']['parameter'] : undefined).map(
    (p): ParameterMeta => {
      const content = asNodes(p['content'])[0];
      const def = content ? str(content['@default']) : undefined;
      const options = content ? asNodes(content['option']).map((o) => str(o['@value']) ?? '') : [];
      const shortdesc = desc(p['shortdesc']);
      const longdesc = desc(p['longdesc']);
      const uniqueGroup = str(p['@unique-group']);
      return {
        name: str(p['@name']) ?? '',
        required: bool(p['@required']),
        unique: bool(p['@unique']) || uniqueGroup !== undefined,
        ...(uniqueGroup !== undefined ? { uniqueGroup } : {}),
        reloadable: bool(p['@reloadable']),
        type: (content ? str(content['@type']) : undefined) ?? 'string',
        ...(def !== undefined ? { default: def } : {}),
        ...(options.length > 0 ? { options } : {}),
        ...(shortdesc !== undefined ? { shortdesc } : {}),
        ...(longdesc !== undefined ? { longdesc } : {}),
        deprecated: p['deprecated'] !== undefined,
      };
    },
  );
  const actions = asNodes(isNode(root['actions']) ? root['actions']['action'] : undefined).map(
    (a): ActionMeta => {
      const timeoutMs = ms(a['@timeout']);
      const intervalMs = ms(a['@interval']);
      const startDelayMs = ms(a['@start-delay']);
      const depth = str(a['@depth']);
      const role = str(a['@role']);
      return {
        name: str(a['@name']) ?? '',
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(intervalMs !== undefined ? { intervalMs } : {}),
        ...(startDelayMs !== undefined ? { startDelayMs } : {}),
        ...(depth !== undefined ? { depth } : {}),
        ...(role !== undefined ? { role } : {}),
      };
    },
  );
  const ocfVersion = str(root['version']);
  const agentVersion = str(root['@version']);
  const shortdesc = desc(root['shortdesc']);
  const longdesc = desc(root['longdesc']);
  return {
    ok: true,
    value: {
      name: str(root['@name']) ?? '',
      ...(ocfVersion !== undefined ? { ocfVersion } : {}),
      ...(agentVersion !== undefined ? { agentVersion } : {}),
      ...(shortdesc !== undefined ? { shortdesc } : {}),
      ...(longdesc !== undefined ? { longdesc } : {}),
      parameters: parameters.filter((p) => p.name !== ''),
      actions: actions.filter((a) => a.name !== ''),
    },
  };
}

/** The advised timeout of an action (the first entry without a depth, or any), if the agent gives one. */
export function advisedTimeoutMs(meta: AgentMetaData, action: string): number | undefined {
  const entries = meta.actions.filter((a) => a.name === action);
  return (entries.find((a) => a.depth === undefined || a.depth === '0') ?? entries[0])?.timeoutMs;
}

/** Synthesized meta-data for an LSB script, as Pacemaker builds it (no parameters; 15 s actions). */
export function lsbMetaDataXml(name: string, description?: string): string {
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const d = esc(description ?? name);
  return `<?xml version="1.0"?>
<resource-agent name="${esc(name)}" version="0.1">
  <version>1.1</version>
  <longdesc lang="en">${d}</longdesc>
  <shortdesc lang="en">${d}</shortdesc>
  <parameters/>
  <actions>
    <action name="meta-data" timeout="5s"/>
    <action name="start" timeout="15s"/>
    <action name="stop" timeout="15s"/>
    <action name="status" timeout="15s"/>
    <action name="restart" timeout="15s"/>
    <action name="force-reload" timeout="15s"/>
    <action name="monitor" timeout="15s" interval="15s"/>
  </actions>
</resource-agent>
`;
}
