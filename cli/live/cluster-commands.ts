/**
 * Live forms of `tandem cluster setup|start|stop|status` and `tandem resource cleanup|move|ban|clear`.
 *
 * - `cluster setup NAME NODE... [--key-file PATH]` (no -f): creates the cluster key (32 random
 *   bytes, mode 0600; default /etc/tandem/cluster.key) and prints the tandem.conf to write on
 *   each node. The configuration itself starts empty in each daemon's store.
 * - `cluster start` / `cluster stop [--all] [--keep-resources]`: start tandemd via systemd / ask
 *   it to stop (by default stopping this node's resources first, as `pcs cluster stop` does).
 * - `cluster status`: `tandem status`.
 */
import { spawnSync } from 'node:child_process';
import { createKeyFile, DEFAULT_KEY_FILE, LocalTransportClient } from '../../coordinator/transport/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import type { LiveIo } from './live-command.ts';
import { localSocketPath } from './socket.ts';

export async function liveClusterSetup(args: readonly string[], io: LiveIo): Promise<void> {
  const words = [...args];
  let keyFile = DEFAULT_KEY_FILE;
  const k = words.findIndex((w) => w === '--key-file' || w.startsWith('--key-file='));
  if (k >= 0) {
    const w = words[k] ?? '';
    const value = w.includes('=') ? w.slice(w.indexOf('=') + 1) : words[k + 1];
    if (value === undefined || value === '') throw new CliError('--key-file needs a path', ExitCode.usage);
    words.splice(k, w.includes('=') ? 1 : 2);
    keyFile = value;
  }
  const force = words.includes('--force');
  const plain = words.filter((w) => !w.startsWith('--'));
  const [name, ...nodes] = plain;
  if (name === undefined || nodes.length === 0) {
    throw new CliError(
      'usage: tandem cluster setup NAME NODE... [--key-file PATH] (offline: tandem -f FILE cluster setup …)',
      ExitCode.usage,
    );
  }
  try {
    if (force) {
      const { unlink } = await import('node:fs/promises');
      await unlink(keyFile).catch(() => undefined);
    }
    await createKeyFile(keyFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CliError(
        `${keyFile} already exists: the cluster key is set up (pass --force to replace it on every node)`,
      );
    throw new CliError(`cannot write ${keyFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  io.stdout(
    `Cluster key written to ${keyFile} (32 random bytes, mode 0600): copy it to ${nodes.join(', ')} (same path).\n`,
  );
  io.stdout(`Then on each node write /etc/tandem/tandem.conf, e.g. on ${nodes[0] ?? 'NODE'}:\n\n`);
  io.stdout(`cluster = ${name}\nnode = ${nodes[0] ?? 'NODE'}\nlisten = ADDRESS:7400\n`);
  for (const n of nodes.slice(1)) io.stdout(`peer.${n} = ADDRESS_OF_${n}:7400\n`);
  io.stdout(`keyFile = ${keyFile}\n\nand start it: systemctl enable --now tandem\n`);
}

export async function liveClusterStop(args: readonly string[], io: LiveIo): Promise<void> {
  const client = new LocalTransportClient(localSocketPath());
  try {
    const r = await client.clusterStop({
      all: args.includes('--all'),
      stopResources: !args.includes('--keep-resources'),
    });
    if (!r.ok) throw new CliError(r.error.message);
    io.stdout(r.value.stdout);
    if (r.value.stderr !== '') io.stderr(r.value.stderr);
    if (r.value.exitCode !== 0) process.exitCode = r.value.exitCode;
  } finally {
    client.close();
  }
}

export function liveClusterStart(io: LiveIo): void {
  const r = spawnSync('systemctl', ['start', 'tandem'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new CliError(
      `systemctl start tandem failed${r.stderr ? `: ${r.stderr.trim()}` : ''}; without systemd run \`tandemd --config /etc/tandem/tandem.conf\``,
    );
  }
  io.stdout('tandemd started\n');
}
