/**
 * tandem's built-in resource agents (provider `tandem`): the registry the executor looks agents up
 * in, and `installOcf`, which exposes each agent as a standalone OCF executable so ocf-tester,
 * Pacemaker or any OCF consumer can run it.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { BuiltinAgent } from './agent-api.ts';
import { dummyAgent } from './dummy.ts';
import { filesystemAgent } from './filesystem.ts';
import { ipaddr2Agent } from './ipaddr2.ts';
import { pingAgent } from './ping.ts';

export * from './agent-api.ts';

/** Built-in agents keyed by OCF type (`Dummy`, `Filesystem`, `IPaddr2`, `ping`). */
export const builtinAgents: ReadonlyMap<string, BuiltinAgent> = new Map(
  [dummyAgent, filesystemAgent, ipaddr2Agent, pingAgent].map((a) => [a.type, a]),
);

export function getBuiltinAgent(type: string): BuiltinAgent | undefined {
  return builtinAgents.get(type);
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The esbuild bundle of ocf-main.ts that scripts/build.sh writes (see ocfWrapperScript). */
export const OCF_BUNDLE = join(repoRoot, 'build', 'tandem-ocf.mjs');

/**
 * The sh wrapper installed as `${ocfRoot}/resource.d/tandem/TYPE`. It runs the bundle
 * build/tandem-ocf.mjs (scripts/build.sh, ~0.1 s to start) when no source it is made of is newer,
 * else ocf-main.ts through tsx (~0.4 s more CPU per call, compiling on every run), so an edited
 * tree never runs stale code — as bin/tandem and bin/tandemd do.
 */
export function ocfWrapperScript(type: string): string {
  const node = shellQuote(process.execPath);
  const tsx = shellQuote(pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href);
  const main = shellQuote(join(repoRoot, 'resource-agents', 'ocf-main.ts'));
  const sources = ['resource-agents', 'coordinator/cib'].map((d) => shellQuote(join(repoRoot, d))).join(' ');
  return [
    '#!/bin/sh',
    `# ocf:tandem:${type}, written by \`tandem agent install-ocf\`; runs tandem's built-in agent.`,
    '# The action is the first argument; parameters come from OCF_RESKEY_* (OCF RA API 1.1).',
    `bundle=${shellQuote(OCF_BUNDLE)}`,
    `if [ -f "$bundle" ] && [ -z "$(find ${sources} -newer "$bundle" -name '*.ts' -print -quit 2>/dev/null)" ]; then`,
    `  exec ${node} --no-warnings "$bundle" ${shellQuote(type)} "$@"`,
    'fi',
    `exec ${node} --no-warnings --import ${tsx} ${main} ${shellQuote(type)} "$@"`,
    '',
  ].join('\n');
}

/**
 * Writes an executable (mode 0755) `${ocfRoot}/resource.d/tandem/TYPE` for every built-in agent,
 * creating the directories. Returns the paths written. Rejects on I/O errors (e.g. not root for
 * /usr/lib/ocf).
 */
export async function installOcf(ocfRoot = '/usr/lib/ocf'): Promise<string[]> {
  const dir = join(ocfRoot, 'resource.d', 'tandem');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const written: string[] = [];
  for (const type of [...builtinAgents.keys()].sort()) {
    const path = join(dir, type);
    await writeFile(path, ocfWrapperScript(type), { mode: 0o755 });
    await chmod(path, 0o755);
    written.push(path);
  }
  return written;
}
