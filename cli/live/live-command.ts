/**
 * Live mode of the pcs-style commands (no -f): the words go to the local tandemd, which forwards
 * them to the DC; the DC applies them to the stored configuration, saves it durably and replicates
 * it to every member. Output and exit code are the DC's.
 */
import { LocalTransportClient } from '../../coordinator/transport/index.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { localSocketPath } from './socket.ts';

export interface LiveIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runLiveCommand(words: readonly string[], io: LiveIo): Promise<void> {
  const client = new LocalTransportClient(localSocketPath());
  try {
    const r = await client.configCommand({ words: [...words], origin: '' });
    if (!r.ok) {
      throw new CliError(
        `${r.error.message}; to edit a configuration file offline instead, pass -f FILE (like pcs -f)`,
        ExitCode.error,
      );
    }
    if (r.value.stdout !== '') io.stdout(r.value.stdout);
    if (r.value.stderr !== '') io.stderr(r.value.stderr);
    if (r.value.exitCode !== 0) process.exitCode = r.value.exitCode;
  } finally {
    client.close();
  }
}
