/**
 * `tandem status --output-as xml`: crm_mon 2.1's `--output-as=xml` element and attribute names
 * (pacemaker-result, summary, nodes, resources, failures, bans) so tools written for crm_mon read
 * it; tandem's extras (quorum, witness, lease, why-not-running) under <tandem>.
 */
import type { StatusDocument } from './status-document.ts';
import { ctime } from './render-text.ts';

function esc(v: string | number | boolean): string {
  return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function el(
  name: string,
  attrs: Record<string, string | number | boolean | undefined>,
  children?: string[],
  indent = '',
): string[] {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v as string | number | boolean)}"`)
    .join('');
  if (children === undefined || children.length === 0) return [`${indent}<${name}${a}/>`];
  return [`${indent}<${name}${a}>`, ...children, `${indent}</${name}>`];
}

export function renderStatusXml(doc: StatusDocument): string {
  const c = doc.cluster;
  const i1 = '  ';
  const i2 = '    ';
  const i3 = '      ';
  const summary = [
    ...el('stack', { type: 'tandem', 'pacemakerd-state': 'running' }, undefined, i2),
    ...el(
      'current_dc',
      c.dc === null
        ? { present: 'false' }
        : {
            present: 'true',
            version: 'tandem-0.1.0',
            name: c.dc,
            with_quorum: c.quorum.quorate,
            mixed_version: 'false',
          },
      undefined,
      i2,
    ),
    ...el('last_update', { time: ctime(c.lastUpdated), origin: c.lastUpdatedOn }, undefined, i2),
    ...(c.lastChange !== null
      ? el('last_change', { time: ctime(c.lastChange), client: 'tandem', origin: c.dc ?? '' }, undefined, i2)
      : []),
    ...el('nodes_configured', { number: c.nodesConfigured }, undefined, i2),
    ...el(
      'resources_configured',
      { number: c.resourceInstancesConfigured, disabled: c.disabled, blocked: c.blocked },
      undefined,
      i2,
    ),
  ];
  const nodes = doc.nodes.flatMap((n) =>
    el(
      'node',
      {
        name: n.name,
        id: n.id,
        online: n.online,
        standby: n.standby,
        standby_onfail: 'false',
        maintenance: n.maintenance,
        pending: n.pending,
        unclean: n.unclean,
        shutdown: n.shutdown,
        expected_up: 'true',
        is_dc: n.isDc,
        resources_running: n.resourcesRunning,
        type: 'member',
      },
      undefined,
      i2,
    ),
  );
  const resourceEl = (r: StatusDocument['resources'][number], indent: string): string[] =>
    el(
      'resource',
      {
        id: r.id,
        resource_agent: r.agent,
        role: r.role,
        active: r.role === 'Started',
        orphaned: r.orphaned,
        blocked: r.blocked,
        managed: r.managed,
        failed: r.failed,
        failure_ignored: 'false',
        nodes_running_on: r.nodes.length,
      },
      r.nodes.flatMap((n) => el('node', { name: n, cached: 'true' }, undefined, `${indent}  `)),
      indent,
    );
  const resources: string[] = [];
  const seen = new Set<string>();
  for (const r of doc.resources) {
    const coll = r.clone ?? r.group;
    if (coll === undefined) {
      resources.push(...resourceEl(r, i2));
      continue;
    }
    if (seen.has(coll)) continue;
    seen.add(coll);
    const members = doc.resources.filter((x) => (x.clone ?? x.group) === coll);
    const kind = r.clone !== undefined ? 'clone' : 'group';
    const attrs =
      kind === 'clone'
        ? {
            id: coll,
            multi_state: 'false',
            unique: 'false',
            managed: members.every((m) => m.managed),
            disabled: members.every((m) => m.disabled),
            failed: members.some((m) => m.failed),
          }
        : {
            id: coll,
            number_resources: members.length,
            managed: members.every((m) => m.managed),
            disabled: members.every((m) => m.disabled),
          };
    resources.push(
      ...el(
        kind,
        attrs,
        members.flatMap((m) => resourceEl(m, i3)),
        i2,
      ),
    );
  }
  const failures = doc.failures.flatMap((f) =>
    el(
      'failure',
      {
        op_key: f.opKey,
        node: f.node,
        exitstatus: f.rcText,
        exitreason: f.exitReason ?? '',
        exitcode: f.rc,
        status: f.status,
        'last-rc-change': f.lastRcChange,
        exec: f.execTimeMs,
        interval: f.intervalMs,
        task: f.operation === 'probe' ? 'monitor' : f.operation,
      },
      undefined,
      i2,
    ),
  );
  // crm_mon's <fence_history>: one failed <fence_event> per node whose fencing failed.
  const fenceEvents = doc.fenceFailures.flatMap((f) =>
    el(
      'fence_event',
      {
        status: 'failed',
        'extended-status': f.reason,
        target: f.node,
        action: f.action,
        delegate: c.dc ?? '',
        origin: c.dc ?? '',
        completed: f.lastFailed,
        attempts: f.attempts,
      },
      undefined,
      i2,
    ),
  );
  const bans = doc.constraints
    .filter((k) => k.score < 0)
    .flatMap((k) =>
      el(
        'ban',
        { id: k.id, resource: k.rsc, node: k.node, weight: k.score, 'promoted-only': 'false' },
        undefined,
        i2,
      ),
    );
  const q = c.quorum;
  const tandem = [
    ...el(
      'quorum',
      {
        quorate: q.quorate,
        votes: q.votes,
        expected_votes: q.expectedVotes,
        needed: q.needed,
        two_node: q.twoNode,
        wait_for_all: q.waitForAll,
      },
      undefined,
      i2,
    ),
    ...el(
      'witness',
      {
        kind: c.witness.kind,
        address: c.witness.address,
        holder: c.witness.holder ?? '',
        error: c.witness.error,
      },
      undefined,
      i2,
    ),
    ...el(
      'lease',
      { node: c.lease.node, may_run: c.lease.mayRun, remaining_ms: c.lease.remainingMs ?? 'infinite' },
      undefined,
      i2,
    ),
    ...doc.notRunning.flatMap((n) =>
      el('not_running', { resource: n.rsc, reasons: n.reasons.join('; '), hint: n.hint }, undefined, i2),
    ),
    ...doc.warnings.flatMap((w) => el('warning', { message: w }, undefined, i2)),
  ];
  const body = [
    ...el('summary', {}, summary, i1),
    ...el('nodes', {}, nodes, i1),
    ...el('resources', {}, resources, i1),
    ...(failures.length > 0 ? el('failures', {}, failures, i1) : []),
    ...(fenceEvents.length > 0 ? el('fence_history', {}, fenceEvents, i1) : []),
    ...(bans.length > 0 ? el('bans', {}, bans, i1) : []),
    ...el('tandem', { 'api-version': doc.apiVersion }, tandem, i1),
    ...el('status', { code: 0, message: 'OK' }, undefined, i1),
  ];
  return [
    `<pacemaker-result api-version="2.38" request="tandem status --output-as=xml">`,
    ...body,
    '</pacemaker-result>',
    '',
  ].join('\n');
}
