/** Membership heartbeats ↔ protobuf (1:1; `dc: ''` ⇔ none). */
import type { Heartbeat } from '../membership/index.ts';
import type { HeartbeatMessage } from '../../proto/gen/tandem/v1/tandem.ts';

export function encodeHeartbeat(h: Heartbeat): HeartbeatMessage {
  return {
    cluster: h.cluster,
    node: h.node,
    incarnation: h.incarnation,
    seq: h.seq,
    configVersion: h.configVersion,
    dc: h.dc,
    dcEpoch: h.dcEpoch,
    view: [...h.view],
    acks: h.acks.map((a) => ({ node: a.node, seq: a.seq, incarnation: a.incarnation })),
    active: h.active,
    witness: h.witness,
    leaving: h.leaving,
  };
}

export function decodeHeartbeat(m: HeartbeatMessage): Heartbeat {
  return {
    kind: 'heartbeat',
    cluster: m.cluster,
    node: m.node,
    incarnation: m.incarnation,
    seq: m.seq,
    configVersion: m.configVersion,
    dc: m.dc,
    dcEpoch: m.dcEpoch,
    view: [...m.view],
    acks: m.acks.map((a) => ({ node: a.node, seq: a.seq, incarnation: a.incarnation })),
    active: m.active,
    witness: m.witness,
    leaving: m.leaving,
  };
}
