/**
 * The administrative commands' meaning as pure edits (the CLI wiring lives in cli/):
 * - `cleanupStatus`: `tandem resource cleanup [RSC] [NODE]` (crm_resource --cleanup / --refresh):
 *   forget the operation history and fail counts, so the scheduler probes again;
 * - `moveResource` / `banResource` / `clearResource`: `tandem resource move|ban|clear`, the
 *   `cli-prefer-RSC` (INFINITY) and `cli-ban-RSC-on-NODE` (-INFINITY) location constraints pcs and
 *   crm_resource create, with an optional lifetime (`expires`, which the scheduler honours);
 * - `setStandby`: `tandem node standby|unstandby` (permanent node attribute standby=on).
 * Inputs are never mutated; failures are values whose message names the fix.
 */
import type { ClusterConfig, LocationConstraint, Primitive } from '../cib/model.ts';
import { INFINITY } from '../cib/model.ts';
import type { ClusterStatus, OpRecord } from '../cib/status.ts';
import type { Result } from '../cib/result.ts';
import { fail, ok } from '../cib/result.ts';
import { parseScore } from '../cib/score.ts';
import { parseIsoTimeMs } from '../cib/iso-time.ts';

export interface CleanupOptions {
  /** A primitive, group or clone id (all resources when absent). */
  rsc?: string;
  /** One node (all nodes when absent). */
  node?: string;
  /** Forget the history of every matching resource, not only of those that failed (crm_resource --refresh). */
  refresh?: boolean;
}

export interface CleanupResult {
  status: ClusterStatus;
  /** What was forgotten: resource (history id) and node, sorted. */
  cleaned: { rsc: string; node: string }[];
}

/** Primitive ids a resource id stands for (a group's members, a clone's children). */
export function primitiveIdsOf(config: ClusterConfig, id: string): string[] | undefined {
  for (const r of config.resources) {
    const members: Primitive[] =
      r.kind === 'primitive'
        ? [r]
        : r.kind === 'group'
          ? r.members
          : r.child.kind === 'primitive'
            ? [r.child]
            : r.child.members;
    if (r.id === id || (r.kind === 'clone' && r.child.id === id)) return members.map((m) => m.id);
    const m = members.find((p) => p.id === id);
    if (m) return [m.id];
  }
  return undefined;
}

function baseId(historyId: string): string {
  return historyId.includes(':') ? historyId.slice(0, historyId.indexOf(':')) : historyId;
}

function failCountRsc(attribute: string): string | undefined {
  for (const prefix of ['fail-count-', 'last-failure-']) {
    if (!attribute.startsWith(prefix)) continue;
    const rest = attribute.slice(prefix.length);
    return baseId(rest.includes('#') ? rest.slice(0, rest.indexOf('#')) : rest);
  }
  return undefined;
}

function isFailedOp(op: OpRecord): boolean {
  if (op.opStatus === -1 || op.opStatus === 1) return false;
  if (op.opStatus !== 0) return true;
  const probe = op.operation === 'monitor' && op.intervalMs === 0;
  if (probe) return ![0, 7, 8].includes(op.rc);
  return op.rc !== (op.targetRc ?? 0);
}

/**
 * Forgets history and fail counts. Without `refresh`, only resources that failed on a node (a fail
 * count, or a failed operation in their history) are cleaned there, as `crm_resource --cleanup`.
 */
export function cleanupStatus(
  config: ClusterConfig,
  status: ClusterStatus,
  options: CleanupOptions = {},
): Result<CleanupResult> {
  let wanted: Set<string> | undefined;
  if (options.rsc !== undefined) {
    const ids = primitiveIdsOf(config, options.rsc);
    const inHistory = status.nodes.some((n) => n.history.some((h) => baseId(h.id) === options.rsc));
    if (ids === undefined && !inHistory) {
      return fail(
        `resource cleanup: no resource '${options.rsc}' in the configuration or the history (see \`tandem resource status\`)`,
      );
    }
    wanted = new Set(ids ?? [options.rsc]);
  }
  if (options.node !== undefined && !config.nodes.some((n) => n.name === options.node)) {
    const known = config.nodes.map((n) => n.name).join(', ');
    return fail(`resource cleanup: no node '${options.node}' (nodes: ${known || 'none'})`);
  }
  const cleaned: { rsc: string; node: string }[] = [];
  const nodes = status.nodes.map((n) => {
    if (options.node !== undefined && n.name !== options.node) return n;
    const targets = new Set<string>();
    for (const h of n.history) {
      const id = baseId(h.id);
      if (wanted !== undefined && !wanted.has(id)) continue;
      if (options.refresh === true || h.ops.some(isFailedOp)) targets.add(id);
    }
    for (const [k, v] of Object.entries(n.transientAttributes)) {
      const id = failCountRsc(k);
      if (id === undefined || (wanted !== undefined && !wanted.has(id))) continue;
      const score = parseScore(v);
      if (k.startsWith('last-failure-') || (score.ok && score.value !== 0)) targets.add(id);
    }
    if (targets.size === 0) return n;
    for (const id of [...targets].sort()) cleaned.push({ rsc: id, node: n.name });
    const attrs = { ...n.transientAttributes };
    for (const k of Object.keys(attrs)) {
      const id = failCountRsc(k);
      if (id !== undefined && targets.has(id)) delete attrs[k];
    }
    return {
      ...n,
      transientAttributes: attrs,
      history: n.history.filter((h) => !targets.has(baseId(h.id))),
    };
  });
  cleaned.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.rsc < b.rsc ? -1 : 1));
  return ok({ status: { ...status, nodes }, cleaned });
}

export interface LifetimeOptions {
  /** How long the constraint applies; absent = until `clear`. */
  lifetimeMs?: number;
  /** Wall time now, ms (required with lifetimeMs). */
  nowMs?: number;
}

function resourceExists(config: ClusterConfig, rsc: string): boolean {
  return primitiveIdsOf(config, rsc) !== undefined;
}

function checkTarget(config: ClusterConfig, command: string, rsc: string, node: string): string | undefined {
  if (!resourceExists(config, rsc)) {
    const ids = config.resources.map((r) => r.id).join(', ');
    return `resource ${command}: no resource '${rsc}' (resources: ${ids || 'none'})`;
  }
  if (!config.nodes.some((n) => n.name === node)) {
    const names = config.nodes.map((n) => n.name).join(', ');
    return `resource ${command}: no node '${node}' (nodes: ${names || 'none'})`;
  }
  return undefined;
}

/** ISO-8601 UTC text of epoch ms (what `expires` holds). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function withConstraint(
  config: ClusterConfig,
  constraint: LocationConstraint,
  options: LifetimeOptions,
  command: string,
): Result<ClusterConfig> {
  if (options.lifetimeMs !== undefined) {
    if (!(options.lifetimeMs > 0) || options.nowMs === undefined) {
      return fail(`resource ${command}: lifetime must be a positive duration (e.g. lifetime=PT1H or 30min)`);
    }
    constraint.expires = isoTime(options.nowMs + options.lifetimeMs);
  }
  const location = config.constraints.location.filter((l) => l.id !== constraint.id);
  location.push(constraint);
  return ok({ ...config, constraints: { ...config.constraints, location } });
}

export function preferConstraintId(rsc: string): string {
  return `cli-prefer-${rsc}`;
}

export function banConstraintId(rsc: string, node: string): string {
  return `cli-ban-${rsc}-on-${node}`;
}

/** `resource move RSC NODE [lifetime=…]`: `cli-prefer-RSC` with score INFINITY on NODE (replacing an earlier one). */
export function moveResource(
  config: ClusterConfig,
  rsc: string,
  node: string,
  options: LifetimeOptions = {},
): Result<ClusterConfig> {
  const bad = checkTarget(config, 'move', rsc, node);
  if (bad !== undefined) return fail(bad);
  return withConstraint(config, { id: preferConstraintId(rsc), rsc, node, score: INFINITY }, options, 'move');
}

/** `resource ban RSC NODE [lifetime=…]`: `cli-ban-RSC-on-NODE` with score -INFINITY. */
export function banResource(
  config: ClusterConfig,
  rsc: string,
  node: string,
  options: LifetimeOptions = {},
): Result<ClusterConfig> {
  const bad = checkTarget(config, 'ban', rsc, node);
  if (bad !== undefined) return fail(bad);
  return withConstraint(
    config,
    { id: banConstraintId(rsc, node), rsc, node, score: -INFINITY },
    options,
    'ban',
  );
}

/**
 * `resource clear RSC [NODE]`: removes the constraints move and ban created for RSC (`cli-prefer-RSC`,
 * `cli-ban-RSC-on-*`; with NODE only those naming NODE). Returns the removed ids too.
 */
export function clearResource(
  config: ClusterConfig,
  rsc: string,
  node?: string,
): { config: ClusterConfig; removed: string[] } {
  const isCli = (l: LocationConstraint): boolean =>
    l.rsc === rsc &&
    (l.id === preferConstraintId(rsc) || l.id.startsWith(`cli-ban-${rsc}-on-`)) &&
    (node === undefined || l.node === node);
  const removed = config.constraints.location.filter(isCli).map((l) => l.id);
  if (removed.length === 0) return { config, removed };
  return {
    config: {
      ...config,
      constraints: { ...config.constraints, location: config.constraints.location.filter((l) => !isCli(l)) },
    },
    removed,
  };
}

/** Leftover move/ban constraints (`cli-*`), with whether each has expired at `nowMs` (for status). */
export function cliConstraints(
  config: ClusterConfig,
  nowMs: number,
): { constraint: LocationConstraint; expired: boolean }[] {
  return config.constraints.location
    .filter((l) => l.id.startsWith('cli-prefer-') || l.id.startsWith('cli-ban-'))
    .map((l) => {
      const at = l.expires === undefined ? undefined : parseIsoTimeMs(l.expires);
      return { constraint: l, expired: at !== undefined && at <= nowMs };
    });
}

/** `node standby|unstandby NODE`: the permanent node attribute standby=on, or its removal. */
export function setStandby(config: ClusterConfig, node: string, on: boolean): Result<ClusterConfig> {
  const i = config.nodes.findIndex((n) => n.name === node);
  const target = config.nodes[i];
  if (target === undefined) {
    const names = config.nodes.map((n) => n.name).join(', ');
    return fail(`node ${on ? 'standby' : 'unstandby'}: no node '${node}' (nodes: ${names || 'none'})`);
  }
  const attributes = { ...target.attributes };
  if (on) attributes['standby'] = 'on';
  else delete attributes['standby'];
  const nodes = [...config.nodes];
  nodes[i] = { ...target, attributes };
  return ok({ ...config, nodes });
}
