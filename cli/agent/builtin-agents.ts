/**
 * tandem's built-in agents and their OCF installer, from resource-agents/index.ts. Loaded lazily so
 * that `tandem agent` on an agent that is not built-in pays nothing for them, and so that a broken
 * built-in module does not take `tandem agent run ocf:heartbeat:…` down with it.
 */
import type { BuiltinAgent } from '../../resource-agents/agent-api.ts';

export interface BuiltinAgentsModule {
  agents: BuiltinAgent[];
  installOcf: (ocfRoot?: string) => Promise<string[]>;
}

export async function loadBuiltinAgents(): Promise<BuiltinAgentsModule> {
  try {
    const mod = await import('../../resource-agents/index.ts');
    return { agents: [...mod.builtinAgents.values()], installOcf: mod.installOcf };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      agents: [],
      installOcf: () => Promise.reject(new Error(`tandem's built-in agents failed to load: ${why}`)),
    };
  }
}
