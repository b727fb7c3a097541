/** IPv4 addresses and prefixes as numbers, for IPaddr2's checks and the routing-table lookup. */

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (m === null) return undefined;
  let n = 0;
  for (const part of m.slice(1)) {
    const v = Number(part);
    if (v > 255 || (part.length > 1 && part.startsWith('0'))) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `24` or `255.255.255.0` → 24; anything else (or a non-contiguous mask) → undefined. */
export function parsePrefixLength(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t);
    return n <= 32 ? n : undefined;
  }
  const dotted = parseIpv4(t);
  if (dotted === undefined) return undefined;
  for (let p = 0; p <= 32; p++) if (maskOf(p) === dotted) return p;
  return undefined;
}

export function inPrefix(ip: number, network: number, prefix: number): boolean {
  const mask = maskOf(prefix);
  return (ip & mask) >>> 0 === (network & mask) >>> 0;
}

export function broadcastOf(ip: number, prefix: number): number {
  return ((ip | ~maskOf(prefix)) >>> 0) % 2 ** 32;
}

export interface Route {
  dst: string;
  dev?: string;
  gateway?: string;
  scope?: string;
}

/**
 * The connected (gateway-less) route with the longest prefix that contains `ip`, as findif.sh
 * chooses the interface for IPaddr2: a route via a gateway does not say on which link the address
 * may live.
 */
export function connectedRouteFor(
  routes: readonly Route[],
  ip: number,
): { dev: string; prefix: number } | undefined {
  let best: { dev: string; prefix: number } | undefined;
  for (const r of routes) {
    if (r.gateway !== undefined || r.dev === undefined || r.dst === 'default') continue;
    const [net, len] = r.dst.split('/');
    const network = parseIpv4(net ?? '');
    const prefix = len === undefined ? 32 : Number(len);
    if (network === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) continue;
    if (inPrefix(ip, network, prefix) && (best === undefined || prefix > best.prefix))
      best = { dev: r.dev, prefix };
  }
  return best;
}
