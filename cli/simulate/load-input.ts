/**
 * Reads what `tandem simulate` simulates: a Pacemaker CIB XML file (configuration + status), or a
 * native configuration file with an optional saved state. Failures are values whose message names
 * the file and what to do.
 */
import { readFile } from 'node:fs/promises';
import {
  loadConfigFile,
  loadStatusFile,
  parseCibXml,
  type ClusterConfig,
  type ClusterStatus,
  type Result,
} from '../../coordinator/cib/index.ts';

export interface SimulationSource {
  config: ClusterConfig;
  status: ClusterStatus;
  warnings: string[];
}

export async function loadCibXmlFile(path: string): Promise<Result<SimulationSource>> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch (err) {
    return {
      ok: false,
      error: `cannot read CIB XML file "${path}": ${describe(err)}; pass an existing file (e.g. from cibadmin --query > cib.xml)`,
    };
  }
  const parsed = parseCibXml(xml);
  if (!parsed.ok) return { ok: false, error: `"${path}" is not a usable CIB: ${parsed.error}` };
  return {
    ok: true,
    value: { config: parsed.value.config, status: parsed.value.status, warnings: parsed.value.warnings },
  };
}

/**
 * A native configuration, with the state saved in `statePath` or, without one, a fresh cluster:
 * every configured node online with no operation history (so the simulation shows the probes and
 * the initial placement).
 */
export async function loadNativeFiles(
  configPath: string,
  statePath: string | undefined,
): Promise<Result<SimulationSource>> {
  const config = await loadConfigFile(configPath);
  // The loaders' messages already name the file and the fix.
  if (!config.ok) return { ok: false, error: config.error };
  if (statePath === undefined)
    return { ok: true, value: { config: config.value, status: freshStatus(config.value), warnings: [] } };
  const status = await loadStatusFile(statePath);
  if (!status.ok) return { ok: false, error: status.error };
  return { ok: true, value: { config: config.value, status: status.value, warnings: [] } };
}

export function freshStatus(config: ClusterConfig): ClusterStatus {
  return {
    haveQuorum: true,
    nodes: config.nodes.map((n) => ({
      name: n.name,
      id: n.id,
      inCcm: true,
      crmd: 'online',
      join: 'member',
      expected: 'member',
      transientAttributes: {},
      history: [],
    })),
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'it is a directory';
    if (code === 'EACCES') return 'permission denied';
    return err.message;
  }
  return String(err);
}
