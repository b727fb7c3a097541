/**
 * `tandem demo`: the main job. A two-node cluster on this machine, the abiquo-rs configuration
 * from the runbook, `tandem status`, a crash of the active node, the group on the survivor and the
 * measured failover time; everything removed at the end, also on Ctrl-C and on error. Every wait
 * has a deadline. Exit 0 only when the whole story ran.
 */
import { performance } from 'node:perf_hooks';
import { ExitCode } from '../exit-codes.ts';
import { FLOATING_IP, GATEWAY_IP, NODE_ADDRESSES, REDIS_IP, canUseNetns } from '../../lab/netns-topology.ts';
import { NODE_NAMES, STANDIN_PORT, TwoNodeCluster } from './cluster.ts';
import { measureFailover } from './failover-probe.ts';
import { PINGD_RULE_WHY } from './runbook.ts';

export interface DemoOptions {
  witness: boolean;
  loopback: boolean;
  /** Deadline for the group to start the first time. */
  startTimeoutMs: number;
  /** Deadline for the failover. */
  failoverTimeoutMs: number;
  out: (line: string) => void;
}

/**
 * Witness off by default: with tandemd as of this writing, a node holding the Redis lease still
 * reports "may NOT run resources" and the survivor refuses to start the group (see docs/demo.md).
 * `tandem demo --witness` runs it with the witness.
 */
export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  witness: false,
  loopback: false,
  startTimeoutMs: 30_000,
  failoverTimeoutMs: 15_000,
  out: (line) => process.stdout.write(`${line}\n`),
};

class DemoStepFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoStepFailed';
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Runs the demo; returns the exit code. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const out = options.out;
  const began = performance.now();
  const elapsed = (): string => `${((performance.now() - began) / 1000).toFixed(1)}s`;
  const step = (text: string): void => out(`\n[${elapsed()}] ${text}`);
  let cluster: TwoNodeCluster | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      if (cluster === undefined) return;
      out(`\n[${elapsed()}] Cleaning up: stopping the daemons, removing the namespaces, mounts and files…`);
      await cluster.dispose();
      out(`[${elapsed()}] Clean: nothing of the demo is left on this machine.`);
    })();
    return cleaning;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    out(`\n${signal}: interrupting the demo.`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const loopback = options.loopback || !canUseNetns();
    out('tandem demo: a two-node abiquo-rs cluster on this machine, then a crash of the active node.');
    if (loopback) {
      out(
        'NOTE: not running as root (or --loopback), so no network namespaces: both nodes share 127.0.0.1 and the ' +
          `floating IP ${FLOATING_IP} is NOT real (ClusterIP and the NFS mount are played by ocf:tandem:Dummy). ` +
          'Run `sudo npm run demo` for the real thing.',
      );
    }

    step(
      loopback
        ? 'Preparing two nodes on 127.0.0.1 (loopback mode: no namespaces)…'
        : 'Building the network: namespaces for rsha1, rsha2 and a gateway, joined by a bridge…',
    );
    const created = await TwoNodeCluster.create({
      witness: options.witness,
      loopback,
      log: (l) => out(`    ${l}`),
    });
    if (!created.ok) throw new DemoStepFailed(`could not build the two-node network: ${created.error}`);
    cluster = created.value;
    if (cluster.mode === 'netns') {
      out(
        indent(
          [
            `gw     ${GATEWAY_IP} (the gateway the ping clone pings)` +
              (options.witness ? `, ${REDIS_IP} (Redis: the witness)` : ''),
            ...NODE_NAMES.map(
              (n) => `${n}  ${NODE_ADDRESSES[n] ?? ''} (its own network and mount namespace)`,
            ),
            `floating IP ${FLOATING_IP} (ClusterIP), service http://${FLOATING_IP}:${STANDIN_PORT}/ (abiquo-tomcat stand-in)`,
            `"NFS" export: a tmpfs at ${cluster.topology.exportDir}, bind-mounted by vm_repository`,
          ].join('\n'),
        ),
      );
    }

    const profileReady = cluster.profile.available();
    if (!profileReady.ok) {
      throw new DemoStepFailed(
        `MISSING STEP: ${profileReady.error}. The network was built (see above); the demo cannot start ` +
          'the cluster without tandemd.',
      );
    }

    step('Running the abiquo-rs runbook (examples/abiquo-rs/runbook.sh) against the live cluster…');
    out(
      '    (its `tandem -f "$CIB" …` lines are recorded, adapted to this machine where they must be, and sent live)',
    );
    const brought = await cluster.bringUp({
      onPhase: (text) => step(text),
      onDaemon: (node, pid, logFile) => out(`    tandemd on ${node}: pid ${pid}, log ${logFile}`),
      onCommand: (cmd, stdout, stderr) => {
        if (cmd.original.length === 0) {
          out(`    (not in the runbook) tandem ${cmd.words.join(' ')}`);
          out(`        added by the demo: ${PINGD_RULE_WHY}`);
        } else {
          out(`    + tandem ${cmd.original.join(' ')}`);
        }
        if (cmd.notes.length > 0) {
          for (const note of cmd.notes) out(`        adapted: ${note}`);
          out(`        → tandem ${cmd.words.join(' ')}`);
        }
        if (cmd.words[0] === 'cluster' && cmd.words[1] === 'setup') out(`        → ${stdout}`);
        for (const line of stderr
          .trimEnd()
          .split('\n')
          .filter((l) => l !== '')) {
          out(`        ${line.replace(/^tandem: /, '')}`);
        }
      },
    });
    if (!brought.ok) throw new DemoStepFailed(brought.error);

    step('Waiting for the abiquo_rs group to start (mount, floating IP, abiquo-tomcat)…');
    const startedOn = await waitForAnyActive(cluster, options.startTimeoutMs);
    if (startedOn === undefined) {
      const status = await cluster.tandem('rsha1', ['status']);
      throw new DemoStepFailed(
        `the group did not start within ${options.startTimeoutMs / 1000} s; tandem status says:\n${indent(status.stdout + status.stderr)}`,
      );
    }
    const url =
      cluster.mode === 'netns'
        ? `http://${FLOATING_IP}:${STANDIN_PORT}/`
        : `http://127.0.0.1:${STANDIN_PORT}/`;
    out(
      `    abiquo_rs runs on ${startedOn}; ${url} answers${cluster.mode === 'netns' ? ' from the gateway' : ''}.`,
    );
    const before = await cluster.tandem(startedOn, ['status']);
    out(`\n$ tandem status            (on ${startedOn})`);
    out(indent(before.stdout + before.stderr));

    const survivor = NODE_NAMES.find((n) => n !== startedOn) ?? 'rsha2';
    step(
      `Crashing ${startedOn}: SIGKILL its tandemd and everything on it, and its addresses vanish (a dead host)…`,
    );
    const measured = await measureFailover({
      inject: () =>
        cluster === undefined ? Promise.resolve({ ok: true, value: undefined }) : cluster.crash(startedOn),
      probe: async () =>
        cluster !== undefined &&
        (await cluster.serviceAnswers()) &&
        (await cluster.activeNode()) === survivor,
      timeoutMs: options.failoverTimeoutMs,
    });
    if (!measured.ok) {
      const status = await cluster.tandem(survivor, ['status']);
      throw new DemoStepFailed(
        `failover to ${survivor} did not complete: ${measured.error}; tandem status on ${survivor}:\n${indent(status.stdout + status.stderr)}`,
      );
    }
    const after = await cluster.tandem(survivor, ['status']);
    out(`\n$ tandem status            (on ${survivor}, the survivor)`);
    out(indent(after.stdout + after.stderr));
    out(
      `\nFailover time: ${Math.round(measured.value.failoverMs)} ms — from the crash of ${startedOn} until ` +
        (cluster.mode === 'netns'
          ? `${url} answered again from the gateway, served by ${survivor}.`
          : `${url} answered again, served by ${survivor} (loopback mode: no real floating IP).`),
    );
    await cleanup();
    out(`\nDemo complete in ${elapsed()}.`);
    return ExitCode.ok;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    out(`\nDEMO FAILED: ${message}`);
    if (
      cluster !== undefined &&
      (process.env['TANDEM_DEMO_LOGS'] === '1' || !(err instanceof DemoStepFailed))
    ) {
      for (const n of NODE_NAMES)
        out(`--- tandemd log on ${n} (last lines) ---\n${await cluster.logTail(n, 60)}`);
    }
    await cleanup();
    return ExitCode.error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function waitForAnyActive(cluster: TwoNodeCluster, timeoutMs: number): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const active = await cluster.activeNode();
    if (active !== undefined && (await cluster.serviceAnswers())) return active;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
