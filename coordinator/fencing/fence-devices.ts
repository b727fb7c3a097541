/**
 * Fence devices are the configuration's `stonith:` primitives (`stonith:fence_ipmilan`, …), as in
 * Pacemaker. Their instance attributes are the agent's options, except Pacemaker's own `pcmk_*`
 * parameters, which say which nodes a device can fence and how:
 * - `pcmk_host_map` ("rsha1:1;rsha2:2"): node → plug; `pcmk_host_list` ("rsha1 rsha2"): nodes
 *   whose plug is their name; `pcmk_host_check`: static-list (default when a map or list is given),
 *   dynamic-list (default otherwise: ask the agent with `action=list`), status (`action=status`
 *   per node), none (every node);
 * - `pcmk_host_argument`: the option naming the plug (default: both `port` and `plug`; `none`);
 * - `pcmk_reboot_action` / `pcmk_off_action`: the agent action to run instead;
 * - `pcmk_reboot_timeout` / `pcmk_off_timeout`, else the cluster's `stonith-timeout` (60 s).
 * Devices are tried by `priority` (meta, higher first), then configuration order.
 */
import type { Attributes, ClusterConfig, Primitive } from '../cib/model.ts';
import { parseDurationMs } from '../cib/duration.ts';

export interface FenceDevice {
  id: string;
  /** The agent's executable name (`fence_ipmilan`). */
  agent: string;
  /** Options passed to the agent (no `pcmk_*`). */
  options: Attributes;
  /** node → plug, when the device has a static map or list. */
  hostMap?: Map<string, string>;
  hostCheck: 'static-list' | 'dynamic-list' | 'status' | 'none';
  /** Option names carrying the plug (empty = none). */
  hostArguments: string[];
  actionMap: { reboot: string; off: string };
  timeoutMs: { reboot: number; off: number };
  priority: number;
}

export const DEFAULT_STONITH_TIMEOUT_MS = 60_000;

function durationOr(text: string | undefined, dflt: number): number {
  if (text === undefined) return dflt;
  const r = parseDurationMs(text);
  return r.ok ? r.value : dflt;
}

/** `pcmk_host_map`: `node:plug` entries separated by `;`, `,` or spaces (also `node=plug`). */
export function parseHostMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(/[;,\s]+/)) {
    const m = /^([^:=]+)[:=](.+)$/.exec(entry);
    if (m?.[1] !== undefined && m[2] !== undefined) map.set(m[1], m[2]);
  }
  return map;
}

function stonithPrimitives(config: ClusterConfig): Primitive[] {
  const out: Primitive[] = [];
  for (const r of config.resources) {
    if (r.kind === 'primitive') out.push(r);
    else if (r.kind === 'group') out.push(...r.members);
    else if (r.child.kind === 'primitive') out.push(r.child);
    else out.push(...r.child.members);
  }
  return out.filter((p) => p.agent.standard === 'stonith');
}

export function fenceDevices(config: ClusterConfig): FenceDevice[] {
  const stonithTimeout = durationOr(config.properties['stonith-timeout'], DEFAULT_STONITH_TIMEOUT_MS);
  const devices = stonithPrimitives(config).map((p, index) => {
    const a = p.instanceAttributes;
    const options: Attributes = {};
    for (const [k, v] of Object.entries(a)) if (!k.startsWith('pcmk_')) options[k] = v;
    let hostMap: Map<string, string> | undefined;
    if (a['pcmk_host_map'] !== undefined) hostMap = parseHostMap(a['pcmk_host_map']);
    if (a['pcmk_host_list'] !== undefined) {
      hostMap ??= new Map();
      for (const n of a['pcmk_host_list'].split(/[;,\s]+/).filter((x) => x !== ''))
        if (!hostMap.has(n)) hostMap.set(n, n);
    }
    const check = a['pcmk_host_check'];
    const hostCheck: FenceDevice['hostCheck'] =
      check === 'static-list' || check === 'dynamic-list' || check === 'status' || check === 'none'
        ? check
        : hostMap !== undefined
          ? 'static-list'
          : 'dynamic-list';
    const arg = a['pcmk_host_argument'];
    const opTimeout = p.operations.find((o) => o.name === 'monitor' || o.name === 'start')?.timeoutMs;
    const base = opTimeout !== undefined ? Math.max(opTimeout, stonithTimeout) : stonithTimeout;
    const priority = Number.parseInt(p.metaAttributes['priority'] ?? '0', 10);
    const device: FenceDevice = {
      id: p.id,
      agent: p.agent.type,
      options,
      hostCheck,
      hostArguments: arg === undefined ? ['port', 'plug'] : arg === 'none' ? [] : [arg],
      actionMap: { reboot: a['pcmk_reboot_action'] ?? 'reboot', off: a['pcmk_off_action'] ?? 'off' },
      timeoutMs: {
        reboot: durationOr(a['pcmk_reboot_timeout'], base),
        off: durationOr(a['pcmk_off_timeout'], base),
      },
      priority: Number.isFinite(priority) ? priority : 0,
    };
    if (hostMap !== undefined) device.hostMap = hostMap;
    return { device, index };
  });
  devices.sort((x, y) => y.device.priority - x.device.priority || x.index - y.index);
  return devices.map((d) => d.device);
}

/** The agent's stdin: `name=value` lines (values on one line; newlines would split an option). */
export function fenceAgentInput(options: Attributes): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`)
    .join('');
}

/** Node names a `list` output names: one per line, `plug[,alias]`. */
export function parseListOutput(stdout: string): Set<string> {
  const names = new Set<string>();
  for (const line of stdout.split('\n')) {
    for (const part of line.trim().split(',')) {
      const p = part.trim();
      if (p !== '') names.add(p);
    }
  }
  return names;
}
