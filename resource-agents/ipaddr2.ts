/**
 * ocf:tandem:IPaddr2 — a floating IPv4 address on a local interface, like ocf:heartbeat:IPaddr2,
 * with duplicate address detection before adding (on by default; the stock agent's run_arping is
 * off by default): if another host already answers ARP for the address, start refuses instead of
 * creating two owners of one IP.
 *
 * All state is the kernel's (`ip -j -4 addr show`): monitor reports 0 only when the address is
 * really on the interface. Gratuitous ARPs after start are sent by a detached `arping -U` so start
 * does not wait for them; its PID is kept in the state directory and stop ends it.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentContext, AgentResult, BuiltinAgent } from './agent-api.ts';
import { OcfRc } from './agent-api.ts';
import {
  missingRequired,
  renderMetaData,
  withDefaults,
  type AgentDescription,
} from './internal/meta-data.ts';
import { connectedRouteFor, parseIpv4, parsePrefixLength, type Route } from './internal/ipv4.ts';
import { describeFailure, findExecutable, runCommand } from './internal/run-command.ts';
import { parseDuration, parseInteger } from './internal/values.ts';

const description: AgentDescription = {
  type: 'IPaddr2',
  version: '1.0',
  shortdesc: 'Manages a floating IPv4 address',
  longdesc:
    'Adds an IPv4 address to a network interface and removes it again. Before adding, it ' +
    'checks with ARP duplicate address detection that no other host already uses the address ' +
    'and refuses to start if one does. After adding, it announces the address with gratuitous ' +
    'ARPs. When nic or cidr_netmask are not given they are taken from the connected route that ' +
    'contains the address (the interface needs a fixed address in that subnet).',
  parameters: [
    {
      name: 'ip',
      shortdesc: 'IPv4 address',
      longdesc: 'The floating IPv4 address in dotted quad notation, e.g. 192.0.2.58.',
      type: 'string',
      required: true,
      unique: true,
    },
    {
      name: 'cidr_netmask',
      shortdesc: 'Prefix length',
      longdesc:
        'Prefix length (0-32) or dotted netmask of the address. Default: that of the connected route containing ip.',
      type: 'string',
    },
    {
      name: 'nic',
      shortdesc: 'Network interface',
      longdesc:
        'Interface to add the address to. Default: the interface of the connected route containing ip.',
      type: 'string',
    },
    {
      name: 'broadcast',
      shortdesc: 'Broadcast address',
      longdesc: 'Broadcast address; + (default for prefixes up to /30) computes it, - sets none.',
      type: 'string',
    },
    {
      name: 'label',
      shortdesc: 'Interface label',
      longdesc:
        'Label for the address (ip addr ... label). A label without the NIC: prefix gets it ' +
        '(eth0:vip); at most 15 characters in total. iflabel is accepted as an alias.',
      type: 'string',
    },
    {
      name: 'arp_count',
      shortdesc: 'Gratuitous ARPs',
      longdesc: 'Number of gratuitous ARP announcements after start (0 disables them).',
      type: 'integer',
      default: '5',
    },
    {
      name: 'arp_interval',
      shortdesc: 'Interval between gratuitous ARPs',
      longdesc:
        'Milliseconds between gratuitous ARPs. iputils-arping only takes whole seconds, so ' +
        'values are rounded up to seconds (minimum 1 s).',
      type: 'integer',
      default: '1000',
    },
    {
      name: 'dad_timeout',
      shortdesc: 'Duplicate address detection wait',
      longdesc:
        'How long start waits for another host to answer ARP for the address before adding it ' +
        '(arping -D). A duration (1s, 300ms); 0 disables duplicate address detection.',
      type: 'string',
      default: '1s',
    },
  ],
  actions: [
    { name: 'start', timeout: '20s' },
    { name: 'stop', timeout: '20s' },
    { name: 'monitor', timeout: '20s', interval: '10s', depth: 0 },
    { name: 'meta-data', timeout: '5s' },
    { name: 'validate-all', timeout: '20s' },
  ],
};

const metaData = renderMetaData(description);

interface IpConfig {
  ip: string;
  prefix: number | undefined;
  nic: string | undefined;
  broadcast: string | undefined;
  label: string | undefined;
  arpCount: number;
  arpIntervalS: number;
  dadTimeoutMs: number;
}

type Check<T> = { ok: true; value: T } | { ok: false; result: AgentResult };
const fail = (rc: AgentResult['rc'], exitReason: string): { ok: false; result: AgentResult } => ({
  ok: false,
  result: { rc, exitReason },
});

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function parseConfig(ctx: AgentContext): Check<IpConfig> {
  const p = withDefaults(description, ctx.params);
  const missing = missingRequired(description, p);
  if (missing.length > 0)
    return fail(OcfRc.errConfigured, `missing required parameter(s): ${missing.join(', ')}`);
  const ip = (p.ip ?? '').trim();
  if (parseIpv4(ip) === undefined) {
    return fail(
      OcfRc.errConfigured,
      ip.includes(':')
        ? `ip=${ip} is IPv6: ocf:tandem:IPaddr2 manages IPv4 only (use ocf:heartbeat:IPaddr2)`
        : `ip="${ip}" is not a valid IPv4 address`,
    );
  }
  const maskText = nonEmpty(p.cidr_netmask);
  const prefix = maskText === undefined ? undefined : parsePrefixLength(maskText);
  if (maskText !== undefined && prefix === undefined) {
    return fail(
      OcfRc.errConfigured,
      `cidr_netmask="${maskText}" is not valid: use a prefix length 0-32 or a netmask`,
    );
  }
  const count = parseInteger('arp_count', p.arp_count, { min: 0, max: 100 });
  if (!count.ok) return fail(OcfRc.errConfigured, count.error);
  const interval = parseInteger('arp_interval', p.arp_interval, { min: 0 });
  if (!interval.ok) return fail(OcfRc.errConfigured, interval.error);
  const dad = parseDuration('dad_timeout', p.dad_timeout);
  if (!dad.ok) return fail(OcfRc.errConfigured, dad.error);
  const nic = nonEmpty(p.nic);
  if (nic !== undefined && !/^[A-Za-z0-9_.@-]{1,15}$/.test(nic)) {
    return fail(OcfRc.errConfigured, `nic="${nic}" is not a valid interface name`);
  }
  const label = nonEmpty(p.label) ?? nonEmpty(p.iflabel);
  return {
    ok: true,
    value: {
      ip,
      prefix,
      nic,
      broadcast: nonEmpty(p.broadcast),
      label,
      arpCount: count.value ?? 5,
      arpIntervalS: Math.max(1, Math.ceil((interval.value ?? 1000) / 1000)),
      dadTimeoutMs: dad.value ?? 1000,
    },
  };
}

interface AddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  label?: string;
}
interface LinkInfo {
  ifname?: string;
  flags?: string[];
  operstate?: string;
  addr_info?: AddrInfo[];
}

async function ipJson<T>(
  args: string[],
  signal: AbortSignal,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const r = await runCommand('ip', ['-j', ...args], { signal });
  if (r.code !== 0) return { ok: false, error: `ip ${args.join(' ')}: ${describeFailure(r)}` };
  try {
    return { ok: true, value: JSON.parse(r.stdout.trim() === '' ? '[]' : r.stdout) as T };
  } catch {
    return { ok: false, error: `ip ${args.join(' ')}: unreadable JSON output` };
  }
}

/** Where the address currently is, if anywhere on this host. */
async function findAddress(
  ip: string,
  signal: AbortSignal,
): Promise<
  | { ok: true; value: { ifname: string; prefix: number; label: string } | undefined }
  | { ok: false; error: string }
> {
  const links = await ipJson<LinkInfo[]>(['-4', 'addr', 'show'], signal);
  if (!links.ok) return links;
  for (const link of links.value) {
    for (const a of link.addr_info ?? []) {
      if (a.family === 'inet' && a.local === ip) {
        return {
          ok: true,
          value: {
            ifname: link.ifname ?? '',
            prefix: a.prefixlen ?? 32,
            label: a.label ?? link.ifname ?? '',
          },
        };
      }
    }
  }
  return { ok: true, value: undefined };
}

function fullLabel(c: IpConfig, nic: string): string | undefined {
  if (c.label === undefined) return undefined;
  return c.label === nic || c.label.startsWith(`${nic}:`) ? c.label : `${nic}:${c.label}`;
}

/** The interface and prefix to use: configured, else from the connected route containing the IP. */
async function resolveTarget(
  c: IpConfig,
  signal: AbortSignal,
): Promise<Check<{ nic: string; prefix: number }>> {
  let route: { dev: string; prefix: number } | undefined;
  if (c.nic === undefined || c.prefix === undefined) {
    const routes = await ipJson<Route[]>(['-4', 'route', 'show'], signal);
    if (!routes.ok) return fail(OcfRc.errGeneric, routes.error);
    const candidates = c.nic === undefined ? routes.value : routes.value.filter((r) => r.dev === c.nic);
    route = connectedRouteFor(candidates, parseIpv4(c.ip) ?? 0);
  }
  const nic = c.nic ?? route?.dev;
  const prefix = c.prefix ?? route?.prefix;
  if (nic === undefined || prefix === undefined) {
    return fail(
      OcfRc.errArgs,
      `no connected route on this host contains ${c.ip}${c.nic === undefined ? '' : ` on ${c.nic}`}: set nic= and cidr_netmask=, or give the interface a fixed address in that subnet`,
    );
  }
  const link = await ipJson<LinkInfo[]>(['link', 'show', 'dev', nic], signal);
  if (!link.ok || link.value.length === 0)
    return fail(OcfRc.errArgs, `nic ${nic} does not exist on this host`);
  if (!(link.value[0]?.flags ?? []).includes('UP')) {
    return fail(OcfRc.errInstalled, `nic ${nic} is down: bring it up (ip link set dev ${nic} up)`);
  }
  const label = fullLabel(c, nic);
  if (label !== undefined && label.length > 15) {
    return fail(OcfRc.errConfigured, `label ${label} is longer than 15 characters: shorten label=`);
  }
  return { ok: true, value: { nic, prefix } };
}

async function monitor(c: IpConfig, ctx: AgentContext): Promise<AgentResult> {
  const where = await findAddress(c.ip, ctx.signal);
  if (!where.ok) return { rc: OcfRc.errGeneric, exitReason: where.error };
  const at = where.value;
  if (at === undefined) return { rc: OcfRc.notRunning };
  if (c.nic !== undefined && at.ifname !== c.nic) {
    return { rc: OcfRc.errGeneric, exitReason: `${c.ip} is on ${at.ifname}, not on nic ${c.nic}` };
  }
  if (c.prefix !== undefined && at.prefix !== c.prefix) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `${c.ip} is on ${at.ifname} as /${at.prefix}, configured /${c.prefix}`,
    };
  }
  const label = fullLabel(c, at.ifname);
  if (label !== undefined && at.label !== label) {
    return { rc: OcfRc.errGeneric, exitReason: `${c.ip} has label ${at.label}, configured ${label}` };
  }
  return { rc: OcfRc.ok };
}

/**
 * ARP duplicate address detection: `arping -D` exits as soon as a host answers. Waiting is bounded
 * by dad_timeout; no answer within it means the address is free.
 */
async function detectDuplicate(
  c: IpConfig,
  nic: string,
  ctx: AgentContext,
): Promise<AgentResult | undefined> {
  if (c.dadTimeoutMs <= 0) return undefined;
  const arping = findExecutable('arping');
  if (arping === null) {
    return {
      rc: OcfRc.errInstalled,
      exitReason: 'arping not found: install iputils-arping (or set dad_timeout=0)',
    };
  }
  const waitS = Math.max(1, Math.ceil(c.dadTimeoutMs / 1000));
  const r = await runCommand(arping, ['-D', '-c', '2', '-w', String(waitS), '-I', nic, c.ip], {
    signal: ctx.signal,
    timeoutMs: c.dadTimeoutMs,
  });
  const reply = /reply from \S+ \[([0-9A-Fa-f:]+)\]/.exec(r.stdout);
  if (reply !== null) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `${c.ip} is already in use by another host (MAC ${reply[1] ?? '?'}) on ${nic}`,
    };
  }
  if (r.error === 'timeout' || r.code === 0) return undefined;
  if (r.error === 'aborted')
    return { rc: OcfRc.errGeneric, exitReason: 'start aborted during duplicate address detection' };
  return { rc: OcfRc.errGeneric, exitReason: `duplicate address detection failed: ${describeFailure(r)}` };
}

const garpPidFile = (ctx: AgentContext, ip: string): string => join(ctx.stateDir, `IPaddr2-${ip}.garp.pid`);

async function sendGratuitousArp(c: IpConfig, nic: string, ctx: AgentContext): Promise<void> {
  if (c.arpCount <= 0) return;
  const arping = findExecutable('arping');
  if (arping === null) return;
  const child = spawn(
    arping,
    ['-U', '-c', String(c.arpCount), '-i', String(c.arpIntervalS), '-I', nic, c.ip],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  child.on('error', () => undefined);
  child.unref();
  if (child.pid !== undefined) {
    try {
      await writeFile(garpPidFile(ctx, c.ip), `${child.pid}\n`);
    } catch {
      // the announcements still go out; only an early stop cannot end them
    }
  }
}

async function stopGratuitousArp(c: IpConfig, ctx: AgentContext): Promise<void> {
  const file = garpPidFile(ctx, c.ip);
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (Number.isInteger(pid) && pid > 0 && cmd.includes('arping') && cmd.includes(c.ip))
      process.kill(pid, 'SIGTERM');
  } catch {
    // no announcer running
  }
  await rm(file, { force: true });
}

async function start(c: IpConfig, ctx: AgentContext): Promise<AgentResult> {
  const current = await monitor(c, ctx);
  if (current.rc !== OcfRc.notRunning) return current;
  const target = await resolveTarget(c, ctx.signal);
  if (!target.ok) return target.result;
  const { nic, prefix } = target.value;
  const duplicate = await detectDuplicate(c, nic, ctx);
  if (duplicate !== undefined) return duplicate;
  const brd = c.broadcast ?? (prefix <= 30 ? '+' : '-');
  const label = fullLabel(c, nic);
  const args = [
    '-4',
    'addr',
    'add',
    `${c.ip}/${prefix}`,
    'dev',
    nic,
    ...(brd === '-' ? [] : ['brd', brd]),
    ...(label === undefined || label === nic ? [] : ['label', label]),
  ];
  const r = await runCommand('ip', args, { signal: ctx.signal });
  if (r.code !== 0)
    return { rc: OcfRc.errGeneric, exitReason: `ip ${args.join(' ')}: ${describeFailure(r)}` };
  const after = await monitor({ ...c, nic, prefix }, ctx);
  if (after.rc !== OcfRc.ok) {
    return {
      rc: OcfRc.errGeneric,
      exitReason: `${c.ip} is not on ${nic} after adding it: ${after.exitReason ?? 'absent'}`,
    };
  }
  await sendGratuitousArp(c, nic, ctx);
  return { rc: OcfRc.ok };
}

async function stop(c: IpConfig, ctx: AgentContext): Promise<AgentResult> {
  await stopGratuitousArp(c, ctx);
  const where = await findAddress(c.ip, ctx.signal);
  if (!where.ok) return { rc: OcfRc.errGeneric, exitReason: where.error };
  const at = where.value;
  // Not here, or on another interface than ours: nothing of this resource to remove.
  if (at === undefined || (c.nic !== undefined && at.ifname !== c.nic)) return { rc: OcfRc.ok };
  const args = ['-4', 'addr', 'del', `${c.ip}/${at.prefix}`, 'dev', at.ifname];
  const r = await runCommand('ip', args, { signal: ctx.signal });
  const again = await findAddress(c.ip, ctx.signal);
  if (again.ok && again.value === undefined) return { rc: OcfRc.ok };
  return {
    rc: OcfRc.errGeneric,
    exitReason: `could not remove ${c.ip} from ${at.ifname}: ${describeFailure(r)}`,
  };
}

async function validate(c: IpConfig, ctx: AgentContext): Promise<AgentResult> {
  if (findExecutable('ip') === null)
    return { rc: OcfRc.errInstalled, exitReason: 'ip not found: install iproute2' };
  const target = await resolveTarget(c, ctx.signal);
  return target.ok ? { rc: OcfRc.ok } : target.result;
}

async function run(action: string, ctx: AgentContext): Promise<AgentResult> {
  if (action === 'meta-data') return { rc: OcfRc.ok, output: metaData };
  if (!['start', 'stop', 'monitor', 'status', 'validate-all'].includes(action)) {
    return { rc: OcfRc.errUnimplemented, exitReason: `action ${action} is not supported by IPaddr2` };
  }
  const config = parseConfig(ctx);
  if (!config.ok) return config.result;
  const c = config.value;
  switch (action) {
    case 'start':
      return start(c, ctx);
    case 'stop':
      return stop(c, ctx);
    case 'validate-all':
      return validate(c, ctx);
    default:
      return monitor(c, ctx);
  }
}

export const ipaddr2Agent: BuiltinAgent = {
  provider: 'tandem',
  type: 'IPaddr2',
  metaData: () => metaData,
  run,
};
