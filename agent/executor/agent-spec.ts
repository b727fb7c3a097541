/** `STANDARD:PROVIDER:TYPE` (ocf) and `STANDARD:TYPE` (lsb, service) as Pacemaker and pcs write agents. */
import type { AgentRef } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';

export function parseAgentSpec(text: string): ParseResult<AgentRef> {
  const parts = text.split(':');
  const [standard, a, b] = parts;
  if (standard === 'ocf') {
    if (parts.length !== 3 || !a || !b) {
      return {
        ok: false,
        error: `agent "${text}": ocf agents are written ocf:PROVIDER:TYPE (e.g. ocf:heartbeat:Dummy)`,
      };
    }
    return { ok: true, value: { standard: 'ocf', provider: a, type: b } };
  }
  if (standard === 'lsb' || standard === 'service' || standard === 'systemd' || standard === 'stonith') {
    if (parts.length !== 2 || !a) {
      return { ok: false, error: `agent "${text}": ${standard} agents are written ${standard}:NAME` };
    }
    return { ok: true, value: { standard, type: a } };
  }
  return {
    ok: false,
    error: `agent "${text}": unknown standard "${standard ?? ''}"; use ocf:PROVIDER:TYPE or lsb:NAME`,
  };
}

export function formatAgentRef(agent: AgentRef): string {
  return agent.provider !== undefined
    ? `${agent.standard}:${agent.provider}:${agent.type}`
    : `${agent.standard}:${agent.type}`;
}
