/**
 * Peer authentication with the shared cluster key (created by `tandem cluster setup`, 32 random
 * bytes). Every peer call carries:
 *
 *   x-tandem-node  the caller's node name
 *   x-tandem-ts    the caller's wall clock, ms since the epoch
 *   x-tandem-mac   hex(HMAC-SHA256(key, node "|" ts "|" method path))
 *
 * The server recomputes the MAC (constant-time compare), refuses a timestamp further than
 * `maxSkewMs` from its own clock (a stale or replayed-later call), and refuses a node name that is
 * not a configured cluster node. The key never travels. A call replayed within the skew window is
 * accepted (the calls it could replay are idempotent or epoch-guarded); TLS would close that gap.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Metadata } from '@grpc/grpc-js';

export const NODE_HEADER = 'x-tandem-node';
export const TS_HEADER = 'x-tandem-ts';
export const MAC_HEADER = 'x-tandem-mac';
export const CLUSTER_KEY_BYTES = 32;
/** Default bound on |server clock − caller timestamp|. */
export const DEFAULT_MAX_SKEW_MS = 30_000;
export const DEFAULT_KEY_FILE = '/etc/tandem/cluster.key';

export type AuthResult = { ok: true; value: { node: string } } | { ok: false; error: string };

export function computeMac(key: Buffer, node: string, ts: string, method: string): string {
  return createHmac('sha256', key).update(`${node}|${ts}|${method}`).digest('hex');
}

/** The metadata a call to `method` (e.g. `/tandem.v1.Peer/Heartbeat`) carries. */
export function signCall(
  key: Buffer,
  node: string,
  method: string,
  nowMs: number,
  into?: Metadata,
): Metadata {
  const md = into ?? new Metadata();
  const ts = String(Math.round(nowMs));
  md.set(NODE_HEADER, node);
  md.set(TS_HEADER, ts);
  md.set(MAC_HEADER, computeMac(key, node, ts, method));
  return md;
}

function header(md: Metadata, name: string): string | undefined {
  const [v] = md.get(name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export interface VerifyOptions {
  key: Buffer;
  /** Node names allowed to call (the configured cluster nodes). */
  nodes: ReadonlySet<string>;
  nowMs: number;
  maxSkewMs?: number;
}

/** Checks a call's metadata; the error says what was wrong (logged by the server, not sent back in detail). */
export function verifyCall(md: Metadata, method: string, o: VerifyOptions): AuthResult {
  const node = header(md, NODE_HEADER);
  const ts = header(md, TS_HEADER);
  const mac = header(md, MAC_HEADER);
  if (node === undefined || ts === undefined || mac === undefined) {
    return { ok: false, error: `missing ${[NODE_HEADER, TS_HEADER, MAC_HEADER].join('/')} metadata` };
  }
  if (!o.nodes.has(node)) return { ok: false, error: `node '${node}' is not a member of this cluster` };
  const expected = Buffer.from(computeMac(o.key, node, ts, method), 'hex');
  const given = /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, error: `bad MAC from '${node}' (wrong cluster key?)` };
  }
  const skew = Math.abs(o.nowMs - Number(ts));
  const max = o.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (!Number.isFinite(skew) || skew > max) {
    return {
      ok: false,
      error: `stale timestamp from '${node}': ${Number.isFinite(skew) ? `${Math.round(skew)} ms` : 'unparseable'} away from this node's clock (max ${max} ms; check NTP)`,
    };
  }
  return { ok: true, value: { node } };
}

/** Creates a new random key file (mode 0600, directories created). Refuses to overwrite. */
export async function createKeyFile(path: string): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(CLUSTER_KEY_BYTES);
  const fh = await open(path, 'wx', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(key);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return key;
}

/** Reads a key file: exactly 32 bytes, not readable by group/others. */
export async function readKeyFile(
  path: string,
): Promise<{ ok: true; value: Buffer } | { ok: false; error: string }> {
  try {
    const st = await stat(path);
    if ((st.mode & 0o077) !== 0) {
      return {
        ok: false,
        error: `cluster key ${path} is readable by group/others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${path}`,
      };
    }
    const key = await readFile(path);
    if (key.length !== CLUSTER_KEY_BYTES) {
      return {
        ok: false,
        error: `cluster key ${path} has ${key.length} bytes, expected ${CLUSTER_KEY_BYTES}; create it with \`tandem cluster setup --key-file ${path} NAME NODE...\` and copy it to every node`,
      };
    }
    return { ok: true, value: key };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error:
        code === 'ENOENT'
          ? `cluster key ${path} does not exist; create it with \`tandem cluster setup --key-file ${path} NAME NODE...\` and copy it to every node`
          : `cannot read cluster key ${path}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
