/**
 * The controller's `ActionSink` live: an action on this node runs through the local runner (no
 * network), an action on another node is a RunAction call to that node's daemon. An unreachable
 * node is the outcome `not-connected` (never a rejection). Fence actions go to the fencing sink
 * when one is given, else `no-fence-device`. An action for a node that is not a member is not
 * sent, and `nodeLost(node)` gives up the calls to a lost node that still wait for a connection
 * (both `cancelled`: nothing ran, nothing is recorded): the DC must not wait out their deadline
 * (the action's timeout + slack) before recovering. A call already sent runs to its answer or
 * deadline: a node that is lost but alive (a pause, a cut link) may be running it.
 */
import * as grpc from '@grpc/grpc-js';
import type { ActionContext, ActionOutcome, ActionSink } from '../controller/index.ts';
import type { Action } from '../scheduler/types.ts';
import type { RunActionRequest } from '../../proto/gen/tandem/v1/tandem.ts';
import { buildActionRequest, type ActionRequest } from './action-request.ts';
import type { PeerClients } from './peer-clients.ts';

/** Runs an action on this node (implemented by the daemon's node agent). */
export interface LocalActionRunner {
  run(req: ActionRequest): Promise<ActionOutcome>;
}

export interface GrpcActionSinkOptions {
  self: string;
  local: LocalActionRunner;
  clients: PeerClients;
  fence?: ActionSink;
  /** Added to the action's timeout for the call deadline (network and queueing). Default 5000. */
  slackMs?: number;
  /**
   * Whether `node` is a member now (default: always). An action for a node that is not is not
   * sent (`cancelled`): it could only wait out its deadline.
   */
  isMember?: (node: string) => boolean;
}

/** Default op timeout when the transition names none (Pacemaker's 20 s). */
const DEFAULT_ACTION_TIMEOUT_MS = 20_000;

export function parseOutcome(json: string): ActionOutcome {
  try {
    const v = JSON.parse(json) as ActionOutcome;
    if (typeof v === 'object' && v !== null && typeof v.status === 'string') return v;
  } catch {
    // fall through
  }
  return { status: 'error', exitReason: 'the node answered with an unreadable outcome' };
}

export class GrpcActionSink implements ActionSink {
  readonly #o: GrpcActionSinkOptions;
  /** Calls in flight, per target node. */
  readonly #inFlight = new Map<string, Set<AbortController>>();

  constructor(options: GrpcActionSinkOptions) {
    this.#o = options;
  }

  /** The node left the membership: its calls still waiting for a connection end now (`cancelled`). */
  nodeLost(node: string): void {
    const calls = this.#inFlight.get(node);
    if (calls === undefined) return;
    for (const c of calls) c.abort(new Error(`node ${node} left the membership while the action ran`));
  }

  async execute(action: Action, ctx: ActionContext): Promise<ActionOutcome> {
    if (action.kind === 'fence') {
      if (this.#o.fence !== undefined) return this.#o.fence.execute(action, ctx);
      return { status: 'no-fence-device', exitReason: 'no fencing device is configured' };
    }
    const node = action.node;
    if (node === undefined) return { status: 'invalid', exitReason: `action ${action.id} names no node` };
    const req = buildActionRequest(action, ctx, this.#o.self);
    if (node === this.#o.self) return this.#o.local.run(req);
    if (this.#o.isMember !== undefined && !this.#o.isMember(node)) {
      return { status: 'cancelled', exitReason: `node ${node} is not a member: the action was not sent` };
    }
    const timeoutMs = (action.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS) + (this.#o.slackMs ?? 5000);
    const abort = new AbortController();
    const onDispose = (): void => abort.abort(new Error('the controller stopped waiting'));
    if (ctx.signal.aborted) onDispose();
    else ctx.signal.addEventListener('abort', onDispose, { once: true });
    let calls = this.#inFlight.get(node);
    if (calls === undefined) this.#inFlight.set(node, (calls = new Set()));
    calls.add(abort);
    let r;
    try {
      r = await this.#o.clients.runAction(
        node,
        {
          actionJson: JSON.stringify(req.action),
          primitiveJson: req.primitive !== undefined ? JSON.stringify(req.primitive) : '',
          meta: req.meta,
          dcEpoch: req.dcEpoch,
          transitionId: req.transitionId,
          dc: req.dc,
        },
        timeoutMs,
        abort.signal,
      );
    } finally {
      ctx.signal.removeEventListener('abort', onDispose);
      calls.delete(abort);
      if (calls.size === 0) this.#inFlight.delete(node);
    }
    if (!r.ok && r.error.code === (grpc.status.CANCELLED as number) && abort.signal.aborted) {
      // Never sent: the node left (its status is now the membership's business) or the DC
      // stopped. Nothing is recorded for it, so no fail count on the lost node.
      const reason: unknown = abort.signal.reason;
      return {
        status: 'cancelled',
        exitReason: reason instanceof Error ? reason.message : `the call to node ${node} was given up`,
      };
    }
    if (!r.ok) {
      return {
        status: r.error.code === (grpc.status.DEADLINE_EXCEEDED as number) ? 'timeout' : 'not-connected',
        exitReason: `node ${node}: ${r.error.message}`,
      };
    }
    return parseOutcome(r.value.outcomeJson);
  }
}

/** The receiving side: RunActionRequest (protobuf) → ActionRequest, or an error naming the field. */
export function decodeActionRequest(
  req: RunActionRequest,
): { ok: true; value: ActionRequest } | { ok: false; error: string } {
  try {
    const action = JSON.parse(req.actionJson) as Action;
    if (typeof action !== 'object' || typeof action.kind !== 'string' || typeof action.id !== 'string') {
      return { ok: false, error: 'RunActionRequest.action_json is not an Action' };
    }
    const primitive =
      req.primitiveJson !== '' ? (JSON.parse(req.primitiveJson) as ActionRequest['primitive']) : undefined;
    return {
      ok: true,
      value: {
        action,
        ...(primitive !== undefined ? { primitive } : {}),
        meta: { ...req.meta },
        dcEpoch: req.dcEpoch,
        transitionId: req.transitionId,
        dc: req.dc,
      },
    };
  } catch (err) {
    return {
      ok: false,
      error: `RunActionRequest is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
