/**
 * `tandem status` text: the `crm_mon -1` layout of Pacemaker 2.1 (Cluster Summary, Node List,
 * Active / Full List of Resources, Failed Resource Actions), then what crm_mon does not say:
 * quorum and witness, the lease, why resources are not running, leftover move/ban constraints,
 * and safety warnings. Pure: document in, lines out.
 */
import type { ClusterConfig } from '../../coordinator/cib/index.ts';
import { renderNodeList, renderResourceList, type ClusterDisplay } from '../render/index.ts';
import type { StatusDocument, StatusFailure } from './status-document.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) style, local time: `Wed Jun  4 10:15:02 2025`. */
export function ctime(isoText: string): string {
  const d = new Date(isoText);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()] ?? ''} ${MONTHS[d.getMonth()] ?? ''} ${String(d.getDate()).padStart(2, ' ')} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

/** Humanised ms as crm_mon prints intervals and exec times: 10s, 1m, 1.044s, 33ms. */
export function humanMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${(ms / 1000).toFixed(3)}s`;
}

export function failureLine(f: StatusFailure): string {
  let s = `${f.rsc}${f.intervalMs > 0 ? ` ${humanMs(f.intervalMs)}-interval` : ''} ${f.operation} on ${f.node}`;
  if (f.status === 'complete') {
    s += ` returned '${f.rcText}'${f.exitReason !== undefined ? ` (${f.exitReason})` : ''}`;
  } else {
    s += ` could not be executed (${f.status}${f.exitReason !== undefined ? `: ${f.exitReason}` : ''})`;
  }
  if (f.lastRcChange !== undefined) s += ` at ${ctime(f.lastRcChange)}`;
  if (f.execTimeMs !== undefined && f.execTimeMs > 0) s += ` after ${humanMs(f.execTimeMs)}`;
  return s;
}

/** Drops stopped primitives, stopped clone lines and then-empty group/clone headers (crm_mon without -r). */
function activeOnly(lines: string[]): string[] {
  const kept = lines.filter(
    (l) => !/\t Stopped( \(disabled\))?( |$)/.test(l) && !/^\s*\* Stopped( \([^)]*\))?: \[/.test(l),
  );
  const out: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const line = kept[i] ?? '';
    const isHeader = /^\s*\* (Resource Group|Clone Set): .*:$/.test(line);
    const indent = line.search(/\S/);
    const next = kept[i + 1];
    if (isHeader && (next === undefined || next.search(/\S/) <= indent)) continue;
    out.push(line);
  }
  return out;
}

export function renderStatusText(
  doc: StatusDocument,
  config: ClusterConfig,
  display: ClusterDisplay,
  options: { inactive: boolean },
): string[] {
  const c = doc.cluster;
  const q = c.quorum;
  const lines: string[] = ['Cluster Summary:'];
  lines.push(`  * Stack: tandem (tandemd is running)`);
  lines.push(
    c.dc === null
      ? '  * Current DC: NONE'
      : `  * Current DC: ${c.dc} (version tandem-0.1.0) - partition ${q.quorate ? 'with' : 'WITHOUT'} quorum`,
  );
  lines.push(`  * Last updated: ${ctime(c.lastUpdated)} on ${c.lastUpdatedOn}`);
  if (c.lastChange !== null)
    lines.push(`  * Last change:  ${ctime(c.lastChange)} via tandem on ${c.dc ?? c.lastUpdatedOn}`);
  lines.push(`  * ${c.nodesConfigured} node${c.nodesConfigured === 1 ? '' : 's'} configured`);
  let counts = `  * ${c.resourceInstancesConfigured} resource instance${c.resourceInstancesConfigured === 1 ? '' : 's'} configured`;
  if (c.disabled > 0 && c.blocked > 0)
    counts += ` (${c.disabled} DISABLED, ${c.blocked} BLOCKED from further action due to failure)`;
  else if (c.disabled > 0) counts += ` (${c.disabled} DISABLED)`;
  else if (c.blocked > 0) counts += ` (${c.blocked} BLOCKED from further action due to failure)`;
  lines.push(counts);
  const flags = [q.twoNode ? 'two_node' : '', q.waitForAll ? 'wait_for_all' : ''].filter((f) => f !== '');
  lines.push(
    `  * Quorum: ${q.quorate ? 'quorate' : 'NOT quorate'}, ${q.votes} of ${q.expectedVotes} votes (${q.needed} needed${flags.length > 0 ? `; ${flags.join(', ')}` : ''})`,
  );
  const w = c.witness;
  lines.push(
    w.kind === 'none'
      ? '  * Witness: none'
      : `  * Witness: ${w.kind} ${w.address ?? ''} - ${w.holder !== null ? `lease held by ${w.holder}` : 'lease not held'}${w.error !== undefined ? ` (last error: ${w.error})` : ''}`,
  );
  const l = c.lease;
  lines.push(
    `  * Lease: ${l.node} ${l.mayRun ? 'may run resources' : 'may NOT run resources'}${l.mayRun ? (l.remainingMs === null ? ' (no expiry while quorate)' : ` (${l.remainingMs} ms left, renewed continuously)`) : ''}`,
  );
  lines.push('');
  lines.push(...renderNodeList(display, 0));
  lines.push('');
  const full = renderResourceList(config, display, 0);
  if (options.inactive) {
    lines.push(...(full.length > 1 ? full : ['No resources']));
  } else {
    const body = activeOnly(full.slice(1));
    lines.push(...(body.length > 0 ? ['Active Resources:', ...body] : ['No active resources']));
  }
  if (doc.failures.length > 0) {
    lines.push('', 'Failed Resource Actions:');
    for (const f of doc.failures) lines.push(`  * ${failureLine(f)}`);
  }
  if (doc.fenceFailures.length > 0) {
    // crm_mon's "Failed Fencing Actions" section, with the reason and what it blocks.
    lines.push('', 'Failed Fencing Actions:');
    for (const f of doc.fenceFailures) {
      lines.push(
        `  * ${f.action} of ${f.node} failed: ${f.reason}, attempts=${f.attempts}, last-failed='${ctime(f.lastFailed)}' (recovery of its resources is blocked until fencing succeeds or \`tandem resource cleanup\`)`,
      );
    }
  }
  if (doc.notRunning.length > 0) {
    lines.push('', 'Why not running:');
    for (const n of doc.notRunning) {
      lines.push(`  * ${n.rsc}: ${n.reasons.join('; ')}${n.hint !== undefined ? `; ${n.hint}` : ''}`);
    }
  }
  if (doc.constraints.length > 0) {
    lines.push('', 'Move/ban constraints (remove with `tandem resource clear RSC`):');
    for (const k of doc.constraints) {
      const what = k.score >= 0 ? `${k.rsc} prefers ${k.node}` : `${k.rsc} banned from ${k.node}`;
      lines.push(
        `  * ${k.id}: ${what}${k.expires !== undefined ? ` (${k.expired ? 'expired' : 'expires'} ${k.expires})` : ''}`,
      );
    }
  }
  if (doc.warnings.length > 0) {
    lines.push('', 'WARNINGS:');
    for (const x of doc.warnings) lines.push(`  * ${x}`);
  }
  return lines;
}
