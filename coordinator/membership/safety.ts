/**
 * The safety table of docs/safety.md §5 as data, for `tandem status` to quote. Keep it in step
 * with the document.
 */
export interface SafetyProfile {
  configuration: string;
  survives: string[];
  cannotSurvive: string[];
}

export interface SafetyInput {
  nodeCount: number;
  witness: boolean;
  stonithEnabled: boolean;
  /** Defaults shown in the text; pass the configured ones. */
  peerTimeoutMs?: number;
  leaseMarginMs?: number;
}

/** The profile that applies to a configuration (docs/safety.md §5). Pure. */
export function safetyProfile(input: SafetyInput): SafetyProfile {
  const peerTimeout = input.peerTimeoutMs ?? 400;
  const margin = input.leaseMarginMs ?? 150;
  let p: SafetyProfile;
  if (input.nodeCount === 2 && !input.witness) {
    p = {
      configuration: '2 nodes, no witness (two_node)',
      survives: [
        'crash of either node',
        'gateway loss on the active node (pingd rule)',
        'a node isolated from peer and gateway (demotes itself)',
      ],
      cannotSurvive: [
        'a cut link between the nodes while both reach the gateway: BOTH run the group until it heals',
        `a pause of the active node longer than the peer timeout (${peerTimeout} ms)`,
      ],
    };
  } else if (input.witness) {
    p = {
      configuration: `${input.nodeCount} nodes + witness`,
      survives: [
        'crash of any node',
        'a cut link (only the witness holder side runs)',
        'a node cut from both peer and witness',
        'witness down while the nodes see each other',
        'clock steps; clock drift within the margin',
      ],
      cannotSurvive: [
        `a pause of the active node longer than the lease margin (${margin} ms) with a link or witness loss`,
        'a witness (Redis) failover that loses the lease key',
        'no node reaching the witness nor a majority: nothing runs (safe, but down)',
      ],
    };
  } else {
    p = {
      configuration: `${input.nodeCount} nodes, no witness`,
      survives: ['crash of a minority', 'any partition (only a majority side runs)', 'one-way link failures'],
      cannotSurvive: [
        `a pause of the active node longer than the lease margin (${margin} ms)`,
        'non-transitive partitions stall new starts until they heal (safe, not live)',
      ],
    };
  }
  if (input.stonithEnabled) {
    p = {
      configuration: `${p.configuration}, stonith enabled`,
      survives: [
        ...p.survives,
        'long pauses and zombie resources of a lost node (fenced before recovery)',
        ...(input.nodeCount === 2 && !input.witness
          ? ['a cut link (fence race: the fenced node stops)']
          : []),
      ],
      cannotSurvive: [
        // Fencing turns both into a fence race that one side wins before any recovery.
        ...p.cannotSurvive.filter((s) => !s.startsWith('a pause') && !s.startsWith('a cut link')),
        'a fence device that reports success without cutting the node',
      ],
    };
  }
  return p;
}
