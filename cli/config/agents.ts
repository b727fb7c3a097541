/**
 * Resource agent names as pcs accepts them: `standard:provider:type` for OCF, `standard:type`
 * otherwise, or a bare type that tandem can resolve without doubt (the agents tandem ships).
 */
import { ResourceStandard, type AgentRef } from '../../coordinator/cib/index.ts';
import { type CommandResult, success, usageError } from './command-result.ts';

/** Bare names tandem resolves, as pcs does when exactly one installed agent has that type. */
const SHORT_NAMES: readonly AgentRef[] = [
  { standard: 'ocf', provider: 'heartbeat', type: 'Filesystem' },
  { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
  { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
  { standard: 'ocf', provider: 'pacemaker', type: 'ping' },
];

export function formatAgent(agent: AgentRef): string {
  return agent.provider === undefined
    ? `${agent.standard}:${agent.type}`
    : `${agent.standard}:${agent.provider}:${agent.type}`;
}

const STANDARDS = Object.values(ResourceStandard) as string[];

function isStandard(s: string): s is ResourceStandard {
  return STANDARDS.includes(s);
}

export interface ResolvedAgent {
  agent: AgentRef;
  /** Set when a bare name was expanded (pcs prints "Assumed agent name …"). */
  assumed?: string;
}

export function resolveAgentName(text: string): CommandResult<ResolvedAgent> {
  const parts = text.split(':');
  const nonEmpty = parts.every((p) => p !== '');
  if (parts.length === 1 && nonEmpty) {
    const matches = SHORT_NAMES.filter((a) => a.type.toLowerCase() === text.toLowerCase());
    const [only] = matches;
    if (only && matches.length === 1) {
      const full = formatAgent(only);
      return success({ agent: only, assumed: `assumed agent name '${full}' (deduced from '${text}')` });
    }
    return usageError(
      `cannot tell which agent '${text}' is: give the full name, e.g. ocf:heartbeat:${text} or lsb:${text} ` +
        `(bare names tandem knows: ${SHORT_NAMES.map((a) => a.type).join(', ')})`,
    );
  }
  const [standard = '', second = '', third] = parts;
  if (!nonEmpty || parts.length > 3 || !isStandard(standard)) {
    return usageError(
      `invalid agent name '${text}': use STANDARD:PROVIDER:TYPE for ocf (ocf:heartbeat:IPaddr2) or ` +
        `STANDARD:TYPE (lsb:abiquo-tomcat); standards: ${STANDARDS.join(', ')}`,
    );
  }
  if (standard === 'ocf') {
    if (third === undefined) {
      return usageError(
        `invalid agent name '${text}': ocf agents need a provider, e.g. ocf:heartbeat:${second}`,
      );
    }
    return success({ agent: { standard, provider: second, type: third } });
  }
  if (third !== undefined) {
    return usageError(
      `invalid agent name '${text}': only ocf agents have a provider; use ${standard}:${third}`,
    );
  }
  return success({ agent: { standard, type: second } });
}
