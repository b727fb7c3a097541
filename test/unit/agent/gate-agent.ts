/** An in-test built-in agent whose actions finish when the test releases them. */
import type { AgentContext, AgentResult, BuiltinAgent } from '../../../resource-agents/agent-api.ts';

export interface GateCall {
  action: string;
  ctx: AgentContext;
  finish: (result: AgentResult) => void;
}

export class GateAgent implements BuiltinAgent {
  readonly provider = 'tandem' as const;
  readonly calls: GateCall[] = [];
  running = 0;
  maxRunning = 0;
  /** Results for actions that finish at once (not gated). */
  immediate = new Map<string, AgentResult>();
  /** When true, the agent ignores its AbortSignal (a runaway built-in). */
  ignoreAbort = false;

  constructor(readonly type: string = 'Gate') {}

  metaData(): string {
    return `<?xml version="1.0"?>
<resource-agent name="${this.type}" version="1.0"><version>1.1</version>
<shortdesc lang="en">gate</shortdesc>
<parameters>
<parameter name="need" required="1"><shortdesc lang="en">needed</shortdesc><content type="string"/></parameter>
<parameter name="level"><shortdesc lang="en">level</shortdesc><content type="integer" default="3"/></parameter>
</parameters>
<actions><action name="start" timeout="20s"/><action name="monitor" timeout="20s" interval="10s"/></actions>
</resource-agent>`;
  }

  run(action: string, ctx: AgentContext): Promise<AgentResult> {
    const now = this.immediate.get(action);
    if (now !== undefined) return Promise.resolve(now);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise<AgentResult>((resolve) => {
      const finish = (r: AgentResult): void => {
        this.running -= 1;
        resolve(r);
      };
      this.calls.push({ action, ctx, finish });
      if (!this.ignoreAbort) {
        ctx.signal.addEventListener('abort', () => finish({ rc: 1, exitReason: 'aborted' }), { once: true });
      }
    });
  }
}

/** Resolves when `cond` holds, checking after each macrotask; rejects after `deadlineMs`. */
export async function until(cond: () => boolean, deadlineMs = 5000): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not reached before the deadline');
    await new Promise((r) => setImmediate(r));
  }
}
