/**
 * An ActionSink in front of another: `fence` actions run through the FenceRunner on this node (the
 * DC), and the actions of fence-device resources (`stonith:` primitives) are handled here too,
 * since no node agent runs them: start checks the device (`action=monitor`), a recurring monitor
 * repeats that check, stop only forgets the device, a probe reports whether it was started here.
 * Every other action goes to `inner` (gRPC to the node agents, or a simulation).
 *
 * A fence failure is an outcome `{ status: 'error', rc: 1, exitReason }` (`no-fence-device` when no
 * device can fence the node): the controller keeps the node unclean, which blocks the recovery of
 * its resources, and shows the reason.
 */
import type { ActionContext, ActionOutcome, ActionSink } from '../controller/action-sink.ts';
import type { Action } from '../scheduler/types.ts';
import { fenceDevices } from './fence-devices.ts';
import type { FenceResult, FenceRunner } from './fence-runner.ts';

export interface FencingSinkOptions {
  /** Called after every fence attempt (logs, `tandem status`, the membership layer). */
  onFence?: (node: string, result: FenceResult) => void;
}

export class FencingActionSink implements ActionSink {
  readonly #inner: ActionSink;
  readonly #fencer: FenceRunner;
  readonly #options: FencingSinkOptions;
  /** `rsc@node` of fence devices started. */
  readonly #started = new Set<string>();

  constructor(inner: ActionSink, fencer: FenceRunner, options: FencingSinkOptions = {}) {
    this.#inner = inner;
    this.#fencer = fencer;
    this.#options = options;
  }

  async execute(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    if (action.kind === 'fence') return this.#fence(action, ctx);
    const device =
      action.rsc === undefined ? undefined : fenceDevices(ctx.config).find((d) => d.id === action.rsc);
    if (device === undefined) return this.#inner.execute(action, ctx);
    const key = `${action.rsc ?? ''}@${action.node ?? ''}`;
    switch (action.kind) {
      case 'start':
      case 'monitor': {
        const started = performance.now();
        const r = await this.#fencer.deviceAction(device, 'monitor', {
          timeoutMs: action.timeoutMs ?? device.timeoutMs.off,
          signal: ctx.signal,
        });
        if (action.kind === 'start' && r.ok) this.#started.add(key);
        const execTimeMs = Math.round(performance.now() - started);
        return r.ok
          ? { status: 'done', rc: 0, execTimeMs }
          : { status: 'done', rc: 1, exitReason: `fence device ${device.id}: ${r.detail}`, execTimeMs };
      }
      case 'stop':
        this.#started.delete(key);
        return { status: 'done', rc: 0 };
      case 'probe':
        return { status: 'done', rc: this.#started.has(key) ? 0 : 7 };
      case 'cancel':
      case 'delete':
      case 'clear_failcount':
        return { status: 'done', rc: 0 };
      case 'promote':
      case 'demote':
      case 'shutdown':
        return { status: 'not-supported', exitReason: `fence devices do not ${action.kind}` };
    }
  }

  async #fence(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    const node = action.node;
    if (node === undefined) return { status: 'invalid', exitReason: `${action.id}: no node to fence` };
    const started = performance.now();
    const result = await this.#fencer.fence(node, action.fenceAction ?? 'reboot', ctx.config, ctx.signal);
    this.#options.onFence?.(node, result);
    const execTimeMs = Math.round(performance.now() - started);
    if (result.ok) return { status: 'done', rc: 0, execTimeMs };
    if (ctx.signal.aborted) return { status: 'cancelled', exitReason: result.reason };
    return result.noDevice
      ? { status: 'no-fence-device', exitReason: result.reason, execTimeMs }
      : { status: 'error', rc: 1, exitReason: result.reason, execTimeMs };
  }
}
