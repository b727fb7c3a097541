/**
 * Runs fence agents by the fence-agents conventions: the executable `fence_*` reads `name=value`
 * options on stdin (`action=off|reboot|on|status|monitor|list`, `port=`/`plug=` the target's plug,
 * `nodename=` the target's node name, plus the device's own options) and exits 0 on success.
 * For `status`, 0 means on and 2 off.
 *
 * `fence(target)` tries every device that can fence the target (see fence-devices.ts) until one
 * succeeds; when none does the result says why for each, and the caller keeps the node unclean
 * (recovery of its resources stays blocked) and shows the failure.
 */
import { join } from 'node:path';
import type { ClusterConfig } from '../cib/model.ts';
import {
  type FenceDevice,
  DEFAULT_STONITH_TIMEOUT_MS,
  fenceAgentInput,
  fenceDevices,
  parseListOutput,
} from './fence-devices.ts';
import {
  type FenceProcessResult,
  type FenceProcessRunner,
  spawnFenceProcessRunner,
} from './fence-process.ts';

/** Where fence-agents installs its executables. */
export const DEFAULT_FENCE_AGENT_DIR = '/usr/sbin';

export type FenceAction = 'reboot' | 'off';

export interface FenceAttempt {
  device: string;
  /** The agent action run (`reboot`, `off`, `list`, `status`). */
  action: string;
  ok: boolean;
  /** What happened, for logs and status ("exit 1: Unable to connect", "timed out after 60000 ms"). */
  detail: string;
}

export type FenceResult =
  | { ok: true; device: string; durationMs: number; attempts: FenceAttempt[] }
  | { ok: false; noDevice: boolean; reason: string; attempts: FenceAttempt[] };

export interface FenceRunnerOptions {
  /** Directory of the `fence_*` executables (default /usr/sbin). */
  agentDir?: string;
  processRunner?: FenceProcessRunner;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function describe(r: FenceProcessResult, timeoutMs: number): string {
  switch (r.outcome.kind) {
    case 'exited': {
      const how =
        r.outcome.exitSignal !== null
          ? `killed by ${r.outcome.exitSignal}`
          : `exit ${r.outcome.exitCode ?? '?'}`;
      const why = firstLine(r.stderr) || firstLine(r.stdout);
      return why === '' ? how : `${how}: ${why.slice(0, 200)}`;
    }
    case 'timeout':
      return `timed out after ${timeoutMs} ms`;
    case 'cancelled':
      return 'cancelled';
    case 'spawn-error':
      return `could not run the agent (${r.outcome.code}): ${r.outcome.message}`;
  }
}

function exitCode(r: FenceProcessResult): number | undefined {
  return r.outcome.kind === 'exited' && r.outcome.exitSignal === null
    ? (r.outcome.exitCode ?? undefined)
    : undefined;
}

export class FenceRunner {
  readonly agentDir: string;
  readonly #runner: FenceProcessRunner;

  constructor(options: FenceRunnerOptions = {}) {
    this.agentDir = options.agentDir ?? DEFAULT_FENCE_AGENT_DIR;
    this.#runner = options.processRunner ?? spawnFenceProcessRunner;
  }

  /** Path of a device's agent; the type must be a plain executable name. */
  agentPath(device: FenceDevice): string | undefined {
    return /^[A-Za-z0-9_.-]+$/.test(device.agent) ? join(this.agentDir, device.agent) : undefined;
  }

  /** Runs one agent action on a device (`monitor`, `list`, `status`, `off`, …) for an optional target. */
  async deviceAction(
    device: FenceDevice,
    action: string,
    options: { target?: string; plug?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<{ ok: boolean; code?: number; detail: string; stdout: string }> {
    const file = this.agentPath(device);
    if (file === undefined) {
      return { ok: false, detail: `agent '${device.agent}' is not a plain executable name`, stdout: '' };
    }
    const input: Record<string, string> = { action };
    if (options.target !== undefined) {
      const plug = options.plug ?? options.target;
      for (const arg of device.hostArguments) input[arg] = plug;
      input['nodename'] = options.target;
    }
    Object.assign(input, device.options);
    input['action'] = action; // the device's options never override the action
    const timeoutMs = options.timeoutMs ?? DEFAULT_STONITH_TIMEOUT_MS;
    const r = await this.#runner.run({
      file,
      stdin: fenceAgentInput(input),
      timeoutMs,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    const code = exitCode(r);
    return {
      ok: code === 0,
      ...(code !== undefined ? { code } : {}),
      detail: describe(r, timeoutMs),
      stdout: r.stdout,
    };
  }

  /** Whether `device` can fence `target`, and with which plug. */
  async plugFor(
    device: FenceDevice,
    target: string,
    signal?: AbortSignal,
  ): Promise<{ plug?: string; attempt?: FenceAttempt }> {
    const sig = signal !== undefined ? { signal } : {};
    switch (device.hostCheck) {
      case 'none':
        return { plug: device.hostMap?.get(target) ?? target };
      case 'static-list': {
        const plug = device.hostMap?.get(target);
        return plug === undefined ? {} : { plug };
      }
      case 'dynamic-list': {
        const r = await this.deviceAction(device, 'list', { timeoutMs: device.timeoutMs.off, ...sig });
        const attempt: FenceAttempt = { device: device.id, action: 'list', ok: r.ok, detail: r.detail };
        if (!r.ok) return { attempt };
        const plug = device.hostMap?.get(target) ?? target;
        return parseListOutput(r.stdout).has(plug) ? { plug, attempt } : { attempt };
      }
      case 'status': {
        const plug = device.hostMap?.get(target) ?? target;
        const r = await this.deviceAction(device, 'status', {
          target,
          plug,
          timeoutMs: device.timeoutMs.off,
          ...sig,
        });
        // status: 0 = on, 2 = off; both mean the device controls that plug.
        const controls = r.code === 0 || r.code === 2;
        const attempt: FenceAttempt = { device: device.id, action: 'status', ok: controls, detail: r.detail };
        return controls ? { plug, attempt } : { attempt };
      }
    }
  }

  /** Fences `target` with the first device that can and succeeds. */
  async fence(
    target: string,
    action: FenceAction,
    config: ClusterConfig,
    signal?: AbortSignal,
  ): Promise<FenceResult> {
    const started = performance.now();
    const attempts: FenceAttempt[] = [];
    const devices = fenceDevices(config);
    let candidates = 0;
    for (const device of devices) {
      if (signal?.aborted === true) break;
      const { plug, attempt } = await this.plugFor(device, target, signal);
      if (attempt !== undefined && !attempt.ok) attempts.push(attempt);
      if (plug === undefined) continue;
      candidates++;
      const agentAction = device.actionMap[action];
      const r = await this.deviceAction(device, agentAction, {
        target,
        plug,
        timeoutMs: device.timeoutMs[action],
        ...(signal !== undefined ? { signal } : {}),
      });
      attempts.push({ device: device.id, action: agentAction, ok: r.ok, detail: r.detail });
      if (r.ok) {
        return { ok: true, device: device.id, durationMs: Math.round(performance.now() - started), attempts };
      }
    }
    if (candidates === 0) {
      const reason =
        devices.length === 0
          ? `no fence device is configured: add one (tandem resource create NAME stonith:fence_AGENT …) or set stonith-enabled=false`
          : `none of the fence devices (${devices.map((d) => d.id).join(', ')}) can fence ${target}: check pcmk_host_list / pcmk_host_map`;
      return { ok: false, noDevice: true, reason, attempts };
    }
    const last = attempts.filter((a) => a.action !== 'list' && a.action !== 'status');
    return {
      ok: false,
      noDevice: false,
      reason: `fencing ${target} failed: ${last.map((a) => `${a.device} ${a.action}: ${a.detail}`).join('; ')}`,
      attempts,
    };
  }
}
