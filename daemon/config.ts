/**
 * tandemd's own configuration (`--config /etc/tandem/tandem.conf`): who this node is, where its
 * peers listen, where state lives. Two spellings, same fields:
 *
 * JSON:
 *   { "cluster": "rs", "node": "rsha1", "listen": "192.0.2.1:7400",
 *     "peers": { "rsha2": "192.0.2.2:7400" }, "witness": "redis://192.0.2.9:6379" }
 *
 * key=value (one per line, `#` comments; peers as `peer.NAME = HOST:PORT`):
 *   cluster = rs
 *   node = rsha1
 *   listen = 192.0.2.1:7400
 *   peer.rsha2 = 192.0.2.2:7400
 *
 * Fields (defaults in brackets): cluster, node, listen, peers (the other nodes; this node's own
 * entry may be present and is ignored), keyFile [/etc/tandem/cluster.key], stateDir
 * [/var/lib/tandem], socket [/run/tandem/tandemd.sock], ocfRoot [/usr/lib/ocf], lsbDir
 * [/etc/init.d], agentStateDir [/run/resource-agents], heartbeatIntervalMs [100], peerTimeoutMs
 * [400], witness [none] (none | redis://HOST:PORT), witnessLeaseMs [1000], restartHoldMs [15000]
 * (how long peers keep a SIGTERM-restarted node's resources in place), dcDeadtimeMs [max(2000,
 * 5 × peerTimeoutMs)] (a just-started node without quorum waits this long before acting as DC),
 * twoNode, waitForAll
 * (votequorum; defaults from membership), fenceAgentDir [/usr/sbin] (where the `fence_*` agents of
 * `stonith:` resources are; the DC runs them), log [stdout] (stdout | stderr | a file path),
 * logLevel [info].
 */
import { readFile } from 'node:fs/promises';

export interface DaemonConfig {
  cluster: string;
  node: string;
  listen: string;
  /** Other nodes: name → host:port. */
  peers: Record<string, string>;
  keyFile: string;
  stateDir: string;
  socket: string;
  ocfRoot?: string;
  lsbDir?: string;
  agentStateDir?: string;
  heartbeatIntervalMs?: number;
  peerTimeoutMs?: number;
  witness: 'none' | { kind: 'redis'; host: string; port: number };
  witnessLeaseMs?: number;
  /** How long peers keep a restarting node's resources where they are (SIGTERM restart). */
  restartHoldMs?: number;
  /** A freshly started node without quorum waits this long for its peers before acting as DC. */
  dcDeadtimeMs?: number;
  twoNode?: boolean;
  waitForAll?: boolean;
  /** Directory of the fence agents (`stonith:fence_x` runs `fenceAgentDir/fence_x`). */
  fenceAgentDir?: string;
  log: string;
  logLevel: string;
}

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; error: string };

const KNOWN = new Set([
  'cluster',
  'node',
  'listen',
  'peers',
  'keyFile',
  'stateDir',
  'socket',
  'ocfRoot',
  'lsbDir',
  'agentStateDir',
  'heartbeatIntervalMs',
  'peerTimeoutMs',
  'witness',
  'witnessLeaseMs',
  'restartHoldMs',
  'dcDeadtimeMs',
  'twoNode',
  'waitForAll',
  'fenceAgentDir',
  'log',
  'logLevel',
]);

/** `key = value` lines → a plain object (peer.NAME → peers[NAME]; numbers and booleans typed later). */
export function parseKeyValue(text: string, where: string): ConfigResult<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const peers: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = /^([A-Za-z][\w.-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (m === null) return { ok: false, error: `${where}:${i + 1}: expected "key = value", got "${line}"` };
    const [, key = '', value = ''] = m;
    if (key.startsWith('peer.')) peers[key.slice(5)] = value;
    else out[key] = value;
  }
  if (Object.keys(peers).length > 0) out['peers'] = peers;
  return { ok: true, value: out };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown, field: string, where: string): ConfigResult<number | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0)
    return {
      ok: false,
      error: `${where}: ${field} must be a positive integer (ms), got ${JSON.stringify(v)}`,
    };
  return { ok: true, value: n };
}

function bool(v: unknown, field: string, where: string): ConfigResult<boolean | undefined> {
  if (v === undefined) return { ok: true, value: undefined };
  if (typeof v === 'boolean') return { ok: true, value: v };
  if (typeof v === 'string' && /^(true|on|yes|1)$/i.test(v)) return { ok: true, value: true };
  if (typeof v === 'string' && /^(false|off|no|0)$/i.test(v)) return { ok: true, value: false };
  return { ok: false, error: `${where}: ${field} must be true or false, got ${JSON.stringify(v)}` };
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/;

/** Checks and completes a parsed configuration; errors name the field and the fix. */
export function checkDaemonConfig(raw: Record<string, unknown>, where: string): ConfigResult<DaemonConfig> {
  for (const k of Object.keys(raw)) {
    if (!KNOWN.has(k))
      return { ok: false, error: `${where}: unknown field "${k}" (known: ${[...KNOWN].join(', ')})` };
  }
  const cluster = str(raw['cluster']);
  const node = str(raw['node']);
  const listen = str(raw['listen']);
  if (cluster === undefined)
    return {
      ok: false,
      error: `${where}: "cluster" is missing: name the cluster (as in \`tandem cluster setup NAME …\`)`,
    };
  if (node === undefined)
    return { ok: false, error: `${where}: "node" is missing: this node's name (one of the cluster's nodes)` };
  if (listen === undefined || !HOST_PORT.test(listen)) {
    return {
      ok: false,
      error: `${where}: "listen" must be HOST:PORT (the peer address of this node), got ${JSON.stringify(raw['listen'])}`,
    };
  }
  const peersRaw = raw['peers'] ?? {};
  if (typeof peersRaw !== 'object' || peersRaw === null || Array.isArray(peersRaw)) {
    return { ok: false, error: `${where}: "peers" must map node names to HOST:PORT` };
  }
  const peers: Record<string, string> = {};
  for (const [name, addr] of Object.entries(peersRaw as Record<string, unknown>)) {
    if (name === node) continue;
    if (typeof addr !== 'string' || !HOST_PORT.test(addr)) {
      return { ok: false, error: `${where}: peers.${name} must be HOST:PORT, got ${JSON.stringify(addr)}` };
    }
    peers[name] = addr;
  }
  let witness: DaemonConfig['witness'] = 'none';
  const w = str(raw['witness']);
  if (w !== undefined && w !== 'none') {
    const m = /^redis:\/\/([^:/\s]+)(?::(\d+))?\/?$/.exec(w);
    if (m === null)
      return { ok: false, error: `${where}: witness must be "none" or "redis://HOST:PORT", got "${w}"` };
    witness = { kind: 'redis', host: m[1] ?? '', port: Number(m[2] ?? 6379) };
  }
  const hb = num(raw['heartbeatIntervalMs'], 'heartbeatIntervalMs', where);
  if (!hb.ok) return hb;
  const pt = num(raw['peerTimeoutMs'], 'peerTimeoutMs', where);
  if (!pt.ok) return pt;
  const wl = num(raw['witnessLeaseMs'], 'witnessLeaseMs', where);
  if (!wl.ok) return wl;
  const rh = num(raw['restartHoldMs'], 'restartHoldMs', where);
  if (!rh.ok) return rh;
  const dd = num(raw['dcDeadtimeMs'], 'dcDeadtimeMs', where);
  if (!dd.ok) return dd;
  const tn = bool(raw['twoNode'], 'twoNode', where);
  if (!tn.ok) return tn;
  const wfa = bool(raw['waitForAll'], 'waitForAll', where);
  if (!wfa.ok) return wfa;
  if (hb.value !== undefined && pt.value !== undefined && pt.value <= 2 * hb.value) {
    return {
      ok: false,
      error: `${where}: peerTimeoutMs (${pt.value}) must be more than twice heartbeatIntervalMs (${hb.value})`,
    };
  }
  const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
    (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
  return {
    ok: true,
    value: {
      cluster,
      node,
      listen,
      peers,
      keyFile: str(raw['keyFile']) ?? '/etc/tandem/cluster.key',
      stateDir: str(raw['stateDir']) ?? '/var/lib/tandem',
      socket: str(raw['socket']) ?? '/run/tandem/tandemd.sock',
      ...opt('ocfRoot', str(raw['ocfRoot'])),
      ...opt('lsbDir', str(raw['lsbDir'])),
      ...opt('agentStateDir', str(raw['agentStateDir'])),
      ...opt('heartbeatIntervalMs', hb.value),
      ...opt('peerTimeoutMs', pt.value),
      witness,
      ...opt('witnessLeaseMs', wl.value),
      ...opt('restartHoldMs', rh.value),
      ...opt('dcDeadtimeMs', dd.value),
      ...opt('twoNode', tn.value),
      ...opt('waitForAll', wfa.value),
      ...opt('fenceAgentDir', str(raw['fenceAgentDir'])),
      log: str(raw['log']) ?? 'stdout',
      logLevel: str(raw['logLevel']) ?? 'info',
    },
  };
}

/** Reads a JSON (first non-blank character `{`) or key=value configuration file. */
export async function loadDaemonConfig(path: string): Promise<ConfigResult<DaemonConfig>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error:
        code === 'ENOENT'
          ? `${path} does not exist: write it (see deploy/README.md) or pass --config PATH`
          : `cannot read ${path}: ${String(err)}`,
    };
  }
  if (text.trimStart().startsWith('{')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return { ok: false, error: `${path}: expected a JSON object` };
      return checkDaemonConfig(v as Record<string, unknown>, path);
    } catch (err) {
      return {
        ok: false,
        error: `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const kv = parseKeyValue(text, path);
  if (!kv.ok) return kv;
  return checkDaemonConfig(kv.value, path);
}
