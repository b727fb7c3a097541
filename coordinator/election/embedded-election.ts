import type { Election, ElectionInput, ElectionState } from './types.ts';

/**
 * The embedded election: within a partition whose members agree on the view, the DC is the member
 * with the lowest node name (byte order of the names, as `Array.prototype.sort` on strings gives).
 * Every time this node becomes DC, or learns that an epoch at least as high as its own exists, it
 * takes a new epoch = highest seen + 1, so epochs strictly increase across DC changes that can see
 * each other, and a paused or partitioned former DC carries a lower epoch than the current one.
 *
 * While the view is not agreed (a join or loss in progress) the previous DC is kept if it is still
 * a member and no higher epoch has been seen (no election storm on every heartbeat), otherwise
 * there is no DC until agreement.
 */
export class EmbeddedElection implements Election {
  readonly kind = 'embedded';
  #state: ElectionState = { dc: '', dcEpoch: 0, isDc: false, maxEpochSeen: 0 };

  current(): ElectionState {
    return this.#state;
  }

  decide(input: ElectionInput): ElectionState {
    const prev = this.#state;
    let maxEpochSeen = prev.maxEpochSeen;
    for (const p of input.peers) maxEpochSeen = Math.max(maxEpochSeen, p.dcEpoch);
    const members = new Set(input.members);
    // Our epoch is still ours alone: nobody has a higher one, nor the same one under another DC
    // (two partitions that each took epoch N must not both keep it after they merge).
    const epochStillMine =
      prev.dcEpoch >= maxEpochSeen && input.peers.every((p) => p.dcEpoch < prev.dcEpoch || p.dc === prev.dc);
    let next: ElectionState;
    if (!input.agreed) {
      // Keep the previous DC while it is still a member and no higher epoch has appeared; a DC
      // that learns of a higher epoch steps down until the view agrees (never mints one unagreed).
      const keep = prev.dc !== '' && members.has(prev.dc) && epochStillMine;
      next = keep ? { ...prev, maxEpochSeen } : { dc: '', dcEpoch: prev.dcEpoch, isDc: false, maxEpochSeen };
    } else {
      const candidate = [...input.members].sort()[0] ?? input.self;
      if (candidate === input.self) {
        if (prev.isDc && epochStillMine) next = { ...prev, maxEpochSeen };
        else next = { dc: input.self, dcEpoch: maxEpochSeen + 1, isDc: true, maxEpochSeen: maxEpochSeen + 1 };
      } else {
        const claim = input.peers.find((p) => p.name === candidate);
        next =
          claim !== undefined && claim.dc === candidate
            ? { dc: candidate, dcEpoch: claim.dcEpoch, isDc: false, maxEpochSeen }
            : { dc: '', dcEpoch: prev.dcEpoch, isDc: false, maxEpochSeen };
      }
    }
    this.#state = next;
    return next;
  }
}
