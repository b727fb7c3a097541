/** Helpers for the controller tests: the RS pair from the CIB fixture, node states, actions. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
  parseCibXml,
} from '../../../coordinator/cib/index.ts';
import type { Action } from '../../../coordinator/scheduler/index.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/abiquo-rs.cib.xml', import.meta.url));

/** The abiquo-rs configuration (group abiquo_rs + ping-clone on rsha1/rsha2) and its status. */
export function rsPair(): { config: ClusterConfig; status: ClusterStatus } {
  const r = parseCibXml(readFileSync(FIXTURE, 'utf8'));
  if (!r.ok) throw new Error(`fixture: ${r.error}`);
  return { config: r.value.config, status: r.value.status };
}

/** The RS pair with extra group meta attributes (migration-threshold, failure-timeout, …). */
export function rsPairWithGroupMeta(meta: Record<string, string>): ClusterConfig {
  const config = structuredClone(rsPair().config);
  const group = config.resources.find((r) => r.id === 'abiquo_rs');
  if (group?.kind !== 'group') throw new Error('fixture: no group abiquo_rs');
  Object.assign(group.metaAttributes, meta);
  return config;
}

export function onlineNode(name: string, extra: Partial<NodeState> = {}): NodeState {
  return {
    name,
    inCcm: true,
    crmd: 'online',
    join: 'member',
    expected: 'member',
    transientAttributes: {},
    history: [],
    ...extra,
  };
}

export function action(id: string, extra: Partial<Action> = {}): Action {
  const [kind = 'start', rsc, node, interval] = id.split(' ');
  const a: Action = { id, kind: kind as Action['kind'], pseudo: false, ...extra };
  if (rsc !== undefined && a.rsc === undefined) a.rsc = rsc;
  if (node !== undefined && a.node === undefined) a.node = node;
  if (interval !== undefined && a.intervalMs === undefined) a.intervalMs = Number(interval);
  return a;
}

/** Where each primitive instance runs (instance → nodes), from a transition's resource views. */
export function placement(
  resources: readonly { instance: string; current: string[] }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of resources) out[r.instance] = r.current.join(',');
  return out;
}
