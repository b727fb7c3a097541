/**
 * Helpers for the resource-agent integration tests: running commands, temporary OCF roots with
 * tandem's agents installed, and network-namespace pairs joined by a veth link. Everything created
 * is removed in t.teardown, also when the test fails.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { fileURLToPath } from 'node:url';
import { OCF_BUNDLE, installOcf } from '../../../resource-agents/index.ts';
import { run, waitFor, type Run } from '../../../lab/process.ts';

export { run, waitFor, type Run };

/** Like run, but fails the test with the command's output when it does not exit 0. */
export async function must(t: ExecutionContext, file: string, args: readonly string[]): Promise<Run> {
  const r = await run(file, args);
  if (r.code !== 0) t.fail(`${file} ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r;
}

/** A temporary directory (mode 0755, so `su nobody` can reach agents in it), removed at teardown. */
export async function tempDir(t: ExecutionContext, tag: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `tandem-ra-${tag}-${process.pid}-`));
  await chmod(dir, 0o755);
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let bundled: Promise<boolean> | undefined;

/**
 * Makes sure the installed wrappers run the bundle (build/tandem-ocf.mjs, ~4× faster to start than
 * tsx): scripts/build.sh once per test process (a quick no-op when fresh), then the wrappers' own
 * freshness check. False when they will fall back to tsx (the bundle could not be built).
 */
export function ensureOcfBundle(): Promise<boolean> {
  bundled ??= (async () => {
    await run('bash', [join(repoRoot, 'scripts', 'build.sh')]);
    const stale = await run('find', [
      join(repoRoot, 'resource-agents'),
      join(repoRoot, 'coordinator', 'cib'),
      '-newer',
      OCF_BUNDLE,
      '-name',
      '*.ts',
      '-print',
      '-quit',
    ]);
    return stale.code === 0 && stale.stdout.trim() === '';
  })();
  return bundled;
}

/** An OCF root with tandem's agents installed; returns the root and each agent's path by type. */
export async function tempOcfRoot(
  t: ExecutionContext,
  tag: string,
): Promise<{ root: string; agents: Map<string, string> }> {
  const root = await tempDir(t, `ocf-${tag}`);
  await ensureOcfBundle();
  const paths = await installOcf(root);
  return { root, agents: new Map(paths.map((p) => [p.slice(p.lastIndexOf('/') + 1), p])) };
}

export function agentPath(agents: Map<string, string>, type: string): string {
  const p = agents.get(type);
  if (p === undefined) throw new Error(`agent ${type} was not installed`);
  return p;
}

/** The environment for one standalone OCF invocation. */
export function ocfEnv(
  ocfRoot: string,
  stateDir: string,
  instance: string,
  params: Record<string, string>,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OCF_ROOT: ocfRoot,
    HA_RSCTMP: stateDir,
    OCF_RESOURCE_INSTANCE: instance,
  };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
  return { ...env, ...extra };
}

let pairCounter = 0;

export interface NetnsPair {
  /** The namespace standing for this node. */
  node: string;
  /** The namespace standing for the peer / gateway. */
  peer: string;
  nodeIf: string;
  peerIf: string;
}

/**
 * Two namespaces joined by a veth pair, both ends up, lo up; `nodeAddr` and `peerAddr` (with
 * prefix, e.g. 192.0.2.1/24) assigned. Deleting the namespaces at teardown removes the link too.
 */
export async function netnsPair(t: ExecutionContext, nodeAddr: string, peerAddr: string): Promise<NetnsPair> {
  const n = pairCounter++;
  const tag = `${process.pid}${String.fromCharCode(97 + n)}`;
  const pair: NetnsPair = {
    node: `tnd-n${tag}`,
    peer: `tnd-p${tag}`,
    nodeIf: `vn${tag}`,
    peerIf: `vp${tag}`,
  };
  t.teardown(async () => {
    await run('ip', ['netns', 'del', pair.node]);
    await run('ip', ['netns', 'del', pair.peer]);
  });
  await must(t, 'ip', ['netns', 'add', pair.node]);
  await must(t, 'ip', ['netns', 'add', pair.peer]);
  await must(t, 'ip', [
    'link',
    'add',
    pair.nodeIf,
    'netns',
    pair.node,
    'type',
    'veth',
    'peer',
    'name',
    pair.peerIf,
    'netns',
    pair.peer,
  ]);
  for (const [ns, dev, addr] of [
    [pair.node, pair.nodeIf, nodeAddr],
    [pair.peer, pair.peerIf, peerAddr],
  ] as const) {
    await must(t, 'ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await must(t, 'ip', ['-n', ns, 'addr', 'add', addr, 'dev', dev]);
    await must(t, 'ip', ['-n', ns, 'link', 'set', dev, 'up']);
  }
  return pair;
}
