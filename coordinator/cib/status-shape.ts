/** Structural reading of a saved cluster state (JSON) → ClusterStatus, errors naming the JSON path. */
import type { AgentRef } from './model.ts';
import {
  OpStatus,
  type ClusterStatus,
  type NodeState,
  type OpRecord,
  type ResourceHistory,
} from './status.ts';
import { arrayOf, attributes, bool, Fields, int, oneOf, setOpt, str, type Reader } from './shape.ts';

const agentRef: Reader<AgentRef> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an agent {standard, provider?, type}');
  const standard = f.req('standard', oneOf(['ocf', 'lsb', 'service', 'systemd', 'stonith'] as const));
  const type = f.req('type', str);
  const provider = f.opt('provider', str);
  f.done();
  if (standard === undefined || type === undefined) return undefined;
  const a: AgentRef = { standard, type };
  setOpt(a, 'provider', provider);
  return a;
};

const opRecord: Reader<OpRecord> = (v, path, e) => {
  const f = new Fields(v, path, e, 'an operation record');
  const id = f.req('id', str);
  const operation = f.req('operation', str);
  const intervalMs = f.req('intervalMs', int);
  const callId = f.req('callId', int);
  const rc = f.req('rc', int);
  const opStatus = f.req('opStatus', oneOf(Object.values(OpStatus)));
  const r: OpRecord = {
    id: id ?? '',
    operation: operation ?? '',
    intervalMs: intervalMs ?? 0,
    callId: callId ?? 0,
    rc: rc ?? 0,
    opStatus: opStatus ?? OpStatus.done,
  };
  setOpt(r, 'targetRc', f.opt('targetRc', int));
  setOpt(r, 'lastRcChange', f.opt('lastRcChange', int));
  setOpt(r, 'lastRun', f.opt('lastRun', int));
  setOpt(r, 'execTimeMs', f.opt('execTimeMs', int));
  setOpt(r, 'queueTimeMs', f.opt('queueTimeMs', int));
  setOpt(r, 'opDigest', f.opt('opDigest', str));
  setOpt(r, 'transitionKey', f.opt('transitionKey', str));
  setOpt(r, 'transitionMagic', f.opt('transitionMagic', str));
  setOpt(r, 'crmFeatureSet', f.opt('crmFeatureSet', str));
  setOpt(r, 'onNode', f.opt('onNode', str));
  setOpt(r, 'exitReason', f.opt('exitReason', str));
  setOpt(r, 'operationKey', f.opt('operationKey', str));
  setOpt(r, 'attributes', f.opt('attributes', attributes));
  f.done();
  const complete = [id, operation, intervalMs, callId, rc, opStatus].every((x) => x !== undefined);
  return complete ? r : undefined;
};

const history: Reader<ResourceHistory> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a resource history');
  const id = f.req('id', str);
  const agent = f.req('agent', agentRef);
  const ops = f.req('ops', arrayOf(opRecord));
  f.done();
  return id === undefined || agent === undefined || ops === undefined ? undefined : { id, agent, ops };
};

const nodeState: Reader<NodeState> = (v, path, e) => {
  const f = new Fields(v, path, e, 'a node state');
  const name = f.req('name', str);
  const n: NodeState = {
    name: name ?? '',
    inCcm: f.req('inCcm', bool) ?? false,
    crmd: f.req('crmd', oneOf(['online', 'offline'] as const)) ?? 'offline',
    join: f.req('join', oneOf(['member', 'down', 'pending', 'banned'] as const)) ?? 'down',
    expected: f.req('expected', oneOf(['member', 'down'] as const)) ?? 'down',
    transientAttributes: f.req('transientAttributes', attributes) ?? {},
    history: f.req('history', arrayOf(history)) ?? [],
  };
  setOpt(n, 'id', f.opt('id', str));
  f.done();
  return name === undefined ? undefined : n;
};

export const clusterStatus: Reader<ClusterStatus> = (v, path, e) => {
  const before = e.errors.length;
  const f = new Fields(v, path, e, 'a cluster state');
  const s: ClusterStatus = {
    haveQuorum: f.req('haveQuorum', bool) ?? false,
    nodes: f.req('nodes', arrayOf(nodeState)) ?? [],
  };
  setOpt(s, 'dc', f.opt('dc', str));
  setOpt(s, 'crmFeatureSet', f.opt('crmFeatureSet', str));
  f.done();
  return e.errors.length === before ? s : undefined;
};
