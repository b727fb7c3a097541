/**
 * The abiquo-rs runbook (`examples/abiquo-rs/runbook.sh`) as the demo runs it: the script itself
 * runs unchanged, with `TANDEM` pointing to a recording shim, so every `tandem -f "$CIB" …` line
 * it would run is captured (argv exactly as bash expanded it). The demo then adapts each command
 * to one machine (`adaptRunbookCommand`, pure: the NFS export becomes a bind mount of a tmpfs,
 * the stock agents become tandem's built-in ones, the ping gets a sub-second interval), adds the
 * pingd location rule the guide lacks, and applies the commands through the same code as
 * `tandem -f` — in-process, so eleven commands cost one process start rather than eleven.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The repository root: the nearest folder above this module holding package.json. This module
 * runs from cli/demo/ (tsx) or bundled into build/tandem.mjs, so a fixed number of `..` is wrong
 * for one of the two.
 */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..', '..');
  }
}
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const RUNBOOK_PATH = join(REPO_ROOT, 'examples', 'abiquo-rs', 'runbook.sh');
export const LSB_SCRIPT_PATH = join(REPO_ROOT, 'examples', 'abiquo-rs', 'abiquo-tomcat');

export interface DemoSettings {
  /** 'netns': real mounts and addresses; 'loopback': Dummy stand-ins for both. */
  mode: 'netns' | 'loopback';
  /** The tmpfs standing in for the NFS export (bind-mounted by vm_repository). */
  exportDir: string;
  /** Where vm_repository mounts it on the active node. */
  mountDir: string;
  floatingIp: string;
  /** The nodes' interface carrying the floating IP. */
  nic: string;
  /** What the ping clone pings. */
  gatewayIp: string;
  /** The ping monitor interval (sub-second detection). */
  pingIntervalMs: number;
}

export interface AdaptedCommand {
  /** The command as the runbook ran it (without `-f FILE`); empty for a command the demo adds. */
  original: string[];
  /** The command the demo applies. */
  words: string[];
  /** Why it differs (empty when unchanged). */
  notes: string[];
}

function replaceParams(words: readonly string[], replacements: Readonly<Record<string, string>>): string[] {
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) return w;
    const key = w.slice(0, eq);
    const value = replacements[key];
    return value === undefined ? w : `${key}=${value}`;
  });
}

/**
 * The demo's version of one runbook command. Only the three `resource create` lines of agents
 * that cannot run as written on one machine change; everything else (setup, properties,
 * stickiness, group, clone with its stray word, colocation) is applied exactly as written.
 */
export function adaptRunbookCommand(original: readonly string[], s: DemoSettings): AdaptedCommand {
  const words = [...original];
  const notes: string[] = [];
  const [family, verb, id, agent] = words;
  if (family !== 'resource' || verb !== 'create' || id === undefined || agent === undefined) {
    return { original: [...original], words, notes };
  }
  const rest = words.slice(4);
  switch (agent) {
    case 'ocf:heartbeat:Filesystem': {
      if (s.mode === 'loopback') {
        notes.push('not root: no mounts, so the NFS mount is played by ocf:tandem:Dummy');
        return { original: [...original], words: ['resource', 'create', id, 'ocf:tandem:Dummy'], notes };
      }
      notes.push(
        `NFS cannot be mounted here: a bind mount of the tmpfs export ${s.exportDir} stands in for it`,
      );
      const params = replaceParams(rest, {
        device: s.exportDir,
        directory: s.mountDir,
        fstype: 'none',
        options: 'bind',
      });
      return {
        original: [...original],
        words: [
          'resource',
          'create',
          id,
          'ocf:tandem:Filesystem',
          ...params,
          'op',
          'monitor',
          'interval=5s',
          'timeout=20s',
        ],
        notes,
      };
    }
    case 'ocf:heartbeat:IPaddr2': {
      if (s.mode === 'loopback') {
        notes.push(
          'not root: no network namespaces, so the floating IP is played by ocf:tandem:Dummy (it is NOT real)',
        );
        return { original: [...original], words: ['resource', 'create', id, 'ocf:tandem:Dummy'], notes };
      }
      notes.push(
        "tandem's own IPaddr2 (duplicate address detection before adding, 100 ms on this LAN); monitor every 1 s",
      );
      return {
        original: [...original],
        words: [
          'resource',
          'create',
          id,
          'ocf:tandem:IPaddr2',
          ...rest,
          `nic=${s.nic}`,
          'dad_timeout=100ms',
          'arp_count=2',
          'op',
          'monitor',
          'interval=1s',
          'timeout=10s',
        ],
        notes,
      };
    }
    case 'lsb:abiquo-tomcat':
      notes.push('the sample LSB script (a tiny HTTP service) is abiquo-tomcat; monitor (status) every 1 s');
      return {
        original: [...original],
        words: [...words, 'op', 'monitor', 'interval=1s', 'timeout=10s'],
        notes,
      };
    case 'ocf:pacemaker:ping': {
      notes.push(
        `tandem's own ping (fping, in-process) every ${s.pingIntervalMs} ms with short timeouts and no dampening, ` +
          'so a lost gateway is noticed in well under a second (the guide: 5 s timeout, 3 attempts, 10 s monitor)',
      );
      const params = replaceParams(rest, { host_list: s.gatewayIp, timeout: '100ms', attempts: '2' });
      return {
        original: [...original],
        words: [
          'resource',
          'create',
          id,
          'ocf:tandem:ping',
          ...params,
          'dampen=0',
          'op',
          'monitor',
          `interval=${s.pingIntervalMs}ms`,
          'timeout=5s',
        ],
        notes,
      };
    }
    default:
      return { original: [...original], words, notes };
  }
}

/** The rule the guide lacks: without it the group stays on a node that lost its gateway. */
export const PINGD_RULE: readonly string[] = [
  'constraint',
  'location',
  'abiquo_rs',
  'rule',
  'score=-INFINITY',
  'pingd',
  'lt',
  '1',
  'or',
  'not_defined',
  'pingd',
];

export const PINGD_RULE_WHY =
  "the guide only colocates abiquo_rs with ping-clone; the ping agent's monitor succeeds with pingd=0, so the " +
  'group would stay on a node that lost its gateway. This rule bans such a node (see examples/abiquo-rs/README.md).';

/** The shim the runbook calls as $TANDEM: one record per call (argc, then one arg per line). */
export function recordingShim(recordFile: string): string {
  return [
    '#!/usr/bin/env bash',
    '# Written by `tandem demo`: records the command instead of running it.',
    `{ printf '%d\\n' "$#"; printf '%s\\n' "$@"; } >> ${shellQuote(recordFile)}`,
    '',
  ].join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Parses the shim's records; drops `-f FILE` (the demo chooses where commands go). */
export function parseRecords(text: string): Result<string[][]> {
  const lines = text.split('\n');
  const out: string[][] = [];
  let i = 0;
  while (i < lines.length) {
    const head = lines[i];
    if (head === undefined || head === '') {
      i++;
      continue;
    }
    const n = Number(head);
    if (!Number.isInteger(n) || n < 0)
      return { ok: false, error: `runbook record: bad argument count '${head}'` };
    const argv = lines.slice(i + 1, i + 1 + n);
    if (argv.length !== n) return { ok: false, error: 'runbook record: truncated' };
    i += 1 + n;
    const words: string[] = [];
    for (let k = 0; k < argv.length; k++) {
      const w = argv[k] ?? '';
      if (w === '-f' || w === '--file') {
        k++;
        continue;
      }
      words.push(w);
    }
    out.push(words);
  }
  return { ok: true, value: out };
}

export interface RecordedRunbook {
  commands: string[][];
  /** The runbook's own `+ tandem …` lines. */
  transcript: string[];
}

/** Runs the runbook with the recording shim (bounded by `timeoutMs`). */
export async function recordRunbook(workDir: string, timeoutMs = 20_000): Promise<Result<RecordedRunbook>> {
  const shim = join(workDir, 'tandem-record');
  const record = join(workDir, 'runbook.record');
  await writeFile(shim, recordingShim(record));
  await chmod(shim, 0o755);
  await writeFile(record, '');
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn('bash', [RUNBOOK_PATH, join(workDir, 'runbook-cib.json')], {
      env: { ...process.env, TANDEM: shim },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
  if (out.code !== 0)
    return { ok: false, error: `${RUNBOOK_PATH} exited ${String(out.code)}: ${out.stderr.trim()}` };
  const parsed = parseRecords(await readFile(record, 'utf8'));
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: { commands: parsed.value, transcript: out.stdout.split('\n').filter((l) => l.startsWith('+ ')) },
  };
}

/**
 * The per-node LSB wrapper installed as `<lsbDir>/abiquo-tomcat`: the sample script with this
 * node's pid file and log, answering on every address (the floating one included) on `port`.
 */
export function lsbWrapper(options: {
  pidFile: string;
  logFile: string;
  port: number;
  bind: string;
}): string {
  return [
    '#!/bin/sh',
    '# Written by tandem demo / the cluster tests: the abiquo-rs sample LSB script with this node’s files.',
    `export ABIQUO_TOMCAT_PIDFILE=${shellQuote(options.pidFile)}`,
    `export ABIQUO_TOMCAT_LOG=${shellQuote(options.logFile)}`,
    `export ABIQUO_TOMCAT_PORT=${options.port}`,
    `export ABIQUO_TOMCAT_BIND=${shellQuote(options.bind)}`,
    `export ABIQUO_TOMCAT_DEFAULTS=/nonexistent`,
    `export ABIQUO_TOMCAT_NODE=${shellQuote(process.execPath)}`,
    `exec ${shellQuote(LSB_SCRIPT_PATH)} "$@"`,
    '',
  ].join('\n');
}
