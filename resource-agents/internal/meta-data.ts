/**
 * A typed description of an agent (parameters and actions) and its rendering as OCF meta-data XML.
 *
 * The XML is OCF 1.1 content written so that it also validates against resource-agents'
 * `ra-api-1.dtd`, which `ocf-tester` checks with `xmllint --valid`: that DTD knows only the content
 * types string/integer/boolean/time (no `select`) and no `unique-group`/`reloadable`, so allowed
 * values of select-like parameters are listed in the longdesc instead.
 */
import type { Attributes } from '../../coordinator/cib/model.ts';

export interface ParameterSpec {
  name: string;
  shortdesc: string;
  longdesc: string;
  type: 'string' | 'integer' | 'boolean' | 'time';
  /** Default applied when the parameter is absent or empty. */
  default?: string;
  required?: boolean;
  unique?: boolean;
}

export interface ActionSpec {
  name: string;
  /** Advised timeout, e.g. `20s`. */
  timeout: string;
  interval?: string;
  depth?: number;
}

export interface AgentDescription {
  type: string;
  /** The agent's own version (not the OCF version). */
  version: string;
  shortdesc: string;
  longdesc: string;
  parameters: readonly ParameterSpec[];
  actions: readonly ActionSpec[];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderMetaData(desc: AgentDescription): string {
  const lines = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">',
    `<resource-agent name="${escapeXml(desc.type)}" version="${escapeXml(desc.version)}">`,
    '  <version>1.1</version>',
    `  <longdesc lang="en">${escapeXml(desc.longdesc)}</longdesc>`,
    `  <shortdesc lang="en">${escapeXml(desc.shortdesc)}</shortdesc>`,
    '  <parameters>',
  ];
  for (const p of desc.parameters) {
    lines.push(
      `    <parameter name="${escapeXml(p.name)}" required="${p.required === true ? 1 : 0}" unique="${p.unique === true ? 1 : 0}">`,
      `      <longdesc lang="en">${escapeXml(p.longdesc)}</longdesc>`,
      `      <shortdesc lang="en">${escapeXml(p.shortdesc)}</shortdesc>`,
      p.default === undefined
        ? `      <content type="${p.type}"/>`
        : `      <content type="${p.type}" default="${escapeXml(p.default)}"/>`,
      '    </parameter>',
    );
  }
  lines.push('  </parameters>', '  <actions>');
  for (const a of desc.actions) {
    const attrs = [`name="${escapeXml(a.name)}"`, `timeout="${escapeXml(a.timeout)}"`];
    if (a.interval !== undefined) attrs.push(`interval="${escapeXml(a.interval)}"`);
    if (a.depth !== undefined) attrs.push(`depth="${a.depth}"`);
    lines.push(`    <action ${attrs.join(' ')}/>`);
  }
  lines.push('  </actions>', '</resource-agent>', '');
  return lines.join('\n');
}

/**
 * The parameters with meta-data defaults applied to absent or empty values (OCF agents treat an
 * empty OCF_RESKEY_x like an unset one). Does not mutate `params`.
 */
export function withDefaults(desc: AgentDescription, params: Attributes): Attributes {
  const out: Attributes = { ...params };
  for (const p of desc.parameters) {
    const v = out[p.name];
    if ((v === undefined || v === '') && p.default !== undefined) out[p.name] = p.default;
  }
  return out;
}

/** Names of required parameters that are absent or empty. */
export function missingRequired(desc: AgentDescription, params: Attributes): string[] {
  return desc.parameters
    .filter((p) => p.required === true && (params[p.name] ?? '').trim() === '')
    .map((p) => p.name);
}
