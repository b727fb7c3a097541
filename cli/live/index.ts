/**
 * The CLI's live mode: commands sent to the local tandemd (unix socket, $TANDEM_SOCKET or
 * /run/tandem/tandemd.sock) instead of a -f file, and the live-only commands (`resource
 * cleanup|move|ban|clear`, `cluster start|stop|status`).
 */
import { liveClusterSetup, liveClusterStart, liveClusterStop } from './cluster-commands.ts';
import { runLiveCommand as sendToDaemon, type LiveIo } from './live-command.ts';

export { localSocketPath } from './socket.ts';
export type { LiveIo } from './live-command.ts';

const processIo: LiveIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** One command in live mode. `cluster setup|start|stop` act locally; the rest goes to the DC. */
export async function runLiveCommand(words: readonly string[], io: LiveIo = processIo): Promise<void> {
  const [family, sub, ...args] = words;
  if (family === 'cluster' && sub === 'setup') return liveClusterSetup(args, io);
  if (family === 'cluster' && sub === 'stop') return liveClusterStop(args, io);
  if (family === 'cluster' && sub === 'start') return liveClusterStart(io);
  return sendToDaemon(words, io);
}

export { registerLiveCommands } from './register.ts';
