/** Where the CLI finds the local daemon: $TANDEM_SOCKET, else tandemd's default socket. */
import { DEFAULT_SOCKET_PATH } from '../../coordinator/transport/index.ts';

export function localSocketPath(): string {
  const env = process.env['TANDEM_SOCKET'];
  return env !== undefined && env !== '' ? env : DEFAULT_SOCKET_PATH;
}
