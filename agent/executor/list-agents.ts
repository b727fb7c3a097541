/**
 * The agents installed on this node, as `crm_resource --list-agents` / `pcs resource agents` list
 * them: OCF executables under `${ocfRoot}/resource.d/PROVIDER/`, LSB scripts in the init dir, and
 * the built-in `ocf:tandem:*` agents.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParseResult } from '../../coordinator/cib/score.ts';

export interface ListAgentsOptions {
  ocfRoot: string;
  lsbDir: string;
  builtinTypes: readonly string[];
  /** `ocf`, `ocf:heartbeat`, `lsb`, `service`; absent: everything. */
  filter?: string;
}

async function executables(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    try {
      const s = await stat(join(dir, name));
      if (s.isFile() && (s.mode & 0o111) !== 0) out.push(name);
    } catch {
      // vanished or a dangling link: not an agent
    }
  }
  return out;
}

export async function listAgents(options: ListAgentsOptions): Promise<ParseResult<string[]>> {
  const [standard, provider, extra] = (options.filter ?? '').split(':');
  if (extra !== undefined || (standard !== '' && !['ocf', 'lsb', 'service'].includes(standard ?? ''))) {
    return {
      ok: false,
      error: `"${options.filter ?? ''}": list what? use ocf, ocf:PROVIDER, lsb or service`,
    };
  }
  if (provider !== undefined && standard !== 'ocf') {
    return { ok: false, error: `"${options.filter ?? ''}": only ocf agents have providers (ocf:PROVIDER)` };
  }
  const out = new Set<string>();
  if (standard === '' || standard === 'ocf') {
    const providersDir = join(options.ocfRoot, 'resource.d');
    const providers = await readdir(providersDir).catch((): string[] => []);
    for (const p of providers) {
      if (provider !== undefined && p !== provider) continue;
      for (const t of await executables(join(providersDir, p))) out.add(`ocf:${p}:${t}`);
    }
    if (provider === undefined || provider === 'tandem') {
      for (const t of options.builtinTypes) out.add(`ocf:tandem:${t}`);
    }
  }
  if (standard === '' || standard === 'lsb' || standard === 'service') {
    const prefix = standard === 'service' ? 'service' : 'lsb';
    for (const t of await executables(options.lsbDir)) out.add(`${prefix}:${t}`);
  }
  return { ok: true, value: [...out].sort() };
}
