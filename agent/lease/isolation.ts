/** What the isolation rule reads. */
export interface IsolationInput {
  /** Peers this node currently sees as members (self excluded). */
  peersVisible: number;
  /**
   * The `pingd` attribute of this node (the ping agent's score: multiplier × reachable hosts), or
   * undefined when no ping resource runs here (no gateway configured / not measured yet).
   */
  pingd: number | undefined;
}

export type IsolationVerdict = { demote: false; reason: string } | { demote: true; reason: string };

/**
 * "A node that sees neither peer nor gateway demotes itself." Isolated means: no peer member AND a
 * pingd value that says no gateway answers (≤ 0). An unknown pingd (no ping resource, or not
 * measured yet) never demotes: without a gateway measure, losing the peer alone is the normal
 * crash-of-the-peer case that must NOT stop the survivor.
 */
export function isolationVerdict(input: IsolationInput): IsolationVerdict {
  if (input.peersVisible > 0) return { demote: false, reason: `sees ${input.peersVisible} peer(s)` };
  if (input.pingd === undefined) return { demote: false, reason: 'no peer, gateway not measured (no pingd)' };
  if (input.pingd > 0) return { demote: false, reason: `no peer, gateway reachable (pingd=${input.pingd})` };
  return { demote: true, reason: `isolated: no peer and no gateway (pingd=${input.pingd})` };
}
