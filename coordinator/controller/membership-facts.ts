/**
 * Membership facts → node_state, the way Pacemaker's DC writes them (in_ccm, crmd, join,
 * expected), so the scheduler's online/unclean determination (unpack.ts, Pacemaker's
 * determine_online_status_*) reads them as intended:
 * - member: in_ccm, crmd online, join member, expected member. A node that was not a member
 *   before rejoins with an empty history (probes follow: its resources' state is unknown).
 * - lost: not in the membership; with stonith enabled it stays expected "member", which the
 *   scheduler reads as unclean (fence before recovering its resources); without, expected "down".
 * - unclean: as lost with stonith, whatever the setting (the scheduler ignores it without fencing).
 * - fenced / left: down and clean; history erased (its resources are stopped).
 * A node that leaves loses its transient attributes (Pacemaker's attrd purges a lost peer's), which
 * also clears its fail counts; they come back from its agent when it rejoins.
 * Nodes the view does not mention keep their state. Pure: returns a new status.
 */
import type { ClusterStatus, NodeState } from '../cib/status.ts';
import type { MembershipNodeState, MembershipView } from './controller-types.ts';
import { editNode } from './status-recorder.ts';

function isMember(n: NodeState | undefined): boolean {
  return n !== undefined && n.inCcm && n.crmd === 'online' && n.join === 'member';
}

export function applyMembership(
  status: ClusterStatus,
  view: MembershipView,
  options: { stonithEnabled: boolean; dc?: string },
): ClusterStatus {
  let s: ClusterStatus = { ...status, haveQuorum: view.haveQuorum };
  if (options.dc !== undefined) s.dc = options.dc;
  for (const v of view.nodes) {
    const prev = s.nodes.find((n) => n.name === v.name);
    s = editNode(s, v.name, (n) => applyNodeState(n, v.state, prev, options.stonithEnabled, v.id));
  }
  return s;
}

function applyNodeState(
  n: NodeState,
  state: MembershipNodeState,
  prev: NodeState | undefined,
  stonithEnabled: boolean,
  id: string | undefined,
): void {
  if (id !== undefined) n.id = id;
  switch (state) {
    case 'member':
      if (!isMember(prev)) n.history = [];
      n.inCcm = true;
      n.crmd = 'online';
      n.join = 'member';
      n.expected = 'member';
      return;
    case 'lost':
    case 'unclean': {
      const wasDown = prev !== undefined && !prev.inCcm && prev.expected === 'down';
      n.inCcm = false;
      n.crmd = 'offline';
      n.join = 'down';
      // Already known down (fenced, left): losing it again changes nothing.
      n.expected = wasDown || (state === 'lost' && !stonithEnabled) ? 'down' : 'member';
      if (!wasDown) n.transientAttributes = {};
      return;
    }
    case 'fenced':
    case 'left':
      n.inCcm = false;
      n.crmd = 'offline';
      n.join = 'down';
      n.expected = 'down';
      n.transientAttributes = {};
      n.history = [];
      return;
  }
}
