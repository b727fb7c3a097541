/** Fetching and rendering `tandem status` (loaded on first use by cli/status/index.ts). */
import { LocalTransportClient } from '../../coordinator/transport/index.ts';
import type { StatusSnapshot } from '../../daemon/status-snapshot.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { localSocketPath } from '../live/index.ts';
import { buildStatus } from './status-document.ts';
import { renderStatusText } from './render-text.ts';
import { renderStatusXml } from './render-xml.ts';

export interface StatusOptions {
  inactive?: boolean;
  watch?: boolean;
  interval: string;
  outputAs: 'text' | 'json' | 'xml';
  local?: boolean;
}

/** Fetches the snapshot and renders it in the requested format. */
export async function statusText(client: LocalTransportClient, o: StatusOptions): Promise<string> {
  const r = await client.status({ localOnly: o.local === true });
  if (!r.ok) throw new CliError(r.error.message, ExitCode.error);
  let snapshot: StatusSnapshot;
  try {
    snapshot = JSON.parse(r.value.statusJson) as StatusSnapshot;
  } catch {
    throw new CliError(
      'tandemd answered with an unreadable status; check that tandem and tandemd are the same version',
    );
  }
  const built = buildStatus(snapshot);
  switch (o.outputAs) {
    case 'json':
      return `${JSON.stringify(built.document, null, 2)}\n`;
    case 'xml':
      return renderStatusXml(built.document);
    case 'text':
      return `${renderStatusText(built.document, snapshot.config, built.display, { inactive: o.inactive === true }).join('\n')}\n`;
  }
}

/** The `status` command's action: once, or refreshed in place with --watch. */
export async function runStatus(o: StatusOptions): Promise<void> {
  const client = new LocalTransportClient(localSocketPath());
  try {
    if (o.watch !== true) {
      process.stdout.write(await statusText(client, o));
      return;
    }
    const intervalMs = Math.max(200, Number(o.interval) * 1000 || 2000);
    let stop = false;
    process.once('SIGINT', () => (stop = true));
    while (!stop) {
      let text: string;
      try {
        text = await statusText(client, o);
      } catch (err) {
        text = `tandem: ${err instanceof Error ? err.message : String(err)}\n`;
      }
      process.stdout.write(`\x1b[H\x1b[2J${text}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    client.close();
  }
}
