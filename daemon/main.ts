/**
 * tandemd: the per-node daemon (composition root). `tandemd --config /etc/tandem/tandem.conf`.
 *
 * Exit codes: 0 after a clean stop (SIGTERM/SIGINT: resources keep running; `tandem cluster
 * stop`: resources stopped first), 1 when the configuration, the cluster key or the state cannot
 * be used (the message names the file and the fix), 2 for a bad command line.
 * With systemd's Type=notify the unit is told READY=1 once the servers listen (via systemd-notify
 * when NOTIFY_SOCKET is set).
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadDaemonConfig } from './config.ts';
import { createRootLogger } from './logger.ts';
import { TandemNode } from './node.ts';

const USAGE = 'usage: tandemd --config /etc/tandem/tandem.conf\n';

function notifySystemd(state: string): void {
  if (process.env['NOTIFY_SOCKET'] === undefined) return;
  const child = spawn('systemd-notify', [state], { stdio: 'ignore' });
  child.on('error', () => undefined);
}

async function main(): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    process.stderr.write(`tandemd: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const path = values.config ?? '/etc/tandem/tandem.conf';
  const config = await loadDaemonConfig(path);
  if (!config.ok) {
    process.stderr.write(`tandemd: ${config.error}\n`);
    return 1;
  }
  const log = createRootLogger(config.value.log, config.value.logLevel, config.value.node);
  const started = await TandemNode.start(config.value, log);
  if (!started.ok) {
    log.error({ reason: started.error }, 'tandemd cannot start');
    process.stderr.write(`tandemd: ${started.error}\n`);
    return 1;
  }
  const node = started.value;
  notifySystemd('--ready');
  const onSignal = (signal: string): void => {
    log.info({ signal }, 'signal received: stopping without stopping resources');
    notifySystemd('--stopping');
    void node.stop({ stopResources: false });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  await node.stopped;
  return 0;
}

process.exitCode = await main();
// Anything left (a stuck agent child, a half-open channel) must not keep a stopped daemon alive.
setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
