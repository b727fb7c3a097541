/**
 * crm_mon's text layout (Pacemaker 2.1 "fancy" lists) for a ClusterDisplay: the node list and the
 * full list of resources, as `crm_mon -1 -r` and `crm_simulate` print them. `depth` is the nesting
 * of the section headings: 0 for crm_mon (`Node List:`), 1 inside crm_simulate's
 * `Current cluster status:` (`  * Node List:`).
 */
import type { ClusterConfig, Clone, Group, Primitive } from '../../coordinator/cib/index.ts';
import {
  effectiveMeta,
  isDisabled,
  isTrue,
  listPrimitives,
  type ClusterDisplay,
  type InstanceDisplay,
  type NodeDisplay,
} from './cluster-display.ts';
import { compareNodeNames, sortNodeNames } from './node-order.ts';

interface Line {
  depth: number;
  text: string;
}

function item(depth: number, text: string): string {
  return `${'  '.repeat(depth)}* ${text}`;
}

function heading(depth: number, text: string): string {
  return depth === 0 ? `${text}:` : item(depth, `${text}:`);
}

/** `Node List:` with individually shown nodes first, then `Online: [ … ]` and `OFFLINE: [ … ]`. */
export function renderNodeList(display: ClusterDisplay, depth: number): string[] {
  const lines = [heading(depth, 'Node List')];
  const online: string[] = [];
  const offline: string[] = [];
  const running = new Map<string, number>();
  for (const inst of display.instances) for (const n of inst.nodes) running.set(n, (running.get(n) ?? 0) + 1);
  const nodes = [...display.nodes].sort((a, b) => compareNodeNames(a.name, b.name));
  for (const node of nodes) {
    const status = individualStatus(node, (running.get(node.name) ?? 0) > 0);
    if (status !== undefined) lines.push(item(depth + 1, `Node ${node.name}: ${status}`));
    else if (node.online) online.push(node.name);
    else offline.push(node.name);
  }
  if (online.length > 0) lines.push(item(depth + 1, `Online: [ ${online.join(' ')} ]`));
  if (offline.length > 0) lines.push(item(depth + 1, `OFFLINE: [ ${offline.join(' ')} ]`));
  return lines;
}

/** The status crm_mon prints for a node shown on its own line, or undefined for a plain online/offline node. */
function individualStatus(node: NodeDisplay, hasResources: boolean): string | undefined {
  const has = (f: NodeDisplay['flags'][number]): boolean => node.flags.includes(f);
  if (has('unclean'))
    return node.online ? 'UNCLEAN (online)' : has('pending') ? 'UNCLEAN (pending)' : 'UNCLEAN (offline)';
  if (has('pending')) return 'pending';
  if (has('standby_onfail') && node.online) return 'standby (on-fail)';
  if (has('standby')) {
    if (!node.online) return 'OFFLINE (standby)';
    return hasResources ? 'standby (with active resources)' : 'standby';
  }
  if (has('maintenance')) return node.online ? 'maintenance' : 'OFFLINE (maintenance)';
  return undefined;
}

/** `Full List of Resources:` (inactive resources included, as crm_simulate always shows them). */
export function renderResourceList(config: ClusterConfig, display: ClusterDisplay, depth: number): string[] {
  const lines = [heading(depth, 'Full List of Resources')];
  const byRsc = new Map<string, InstanceDisplay[]>();
  for (const inst of display.instances) {
    const list = byRsc.get(inst.rsc) ?? [];
    list.push(inst);
    byRsc.set(inst.rsc, list);
  }
  const nodeNames = sortNodeNames(display.nodes.map((n) => n.name));
  const body: Line[] = [];
  for (const top of config.resources) {
    switch (top.kind) {
      case 'primitive':
        body.push({
          depth: depth + 1,
          text: primitiveLine(config, top, undefined, undefined, first(byRsc, top.id)),
        });
        break;
      case 'group':
        body.push(...groupLines(config, top, undefined, byRsc, depth + 1, undefined));
        break;
      case 'clone':
        body.push(...cloneLines(config, top, byRsc, nodeNames, depth + 1));
        break;
    }
  }
  if (body.length === 0) body.push({ depth: depth + 1, text: 'No resources' });
  return [...lines, ...body.map((l) => item(l.depth, l.text))];
}

function first(byRsc: Map<string, InstanceDisplay[]>, rsc: string): InstanceDisplay | undefined {
  return byRsc.get(rsc)?.[0];
}

function agentText(p: Primitive): string {
  const a = p.agent;
  return a.provider !== undefined ? `${a.standard}:${a.provider}:${a.type}` : `${a.standard}:${a.type}`;
}

/** `id\t(class:provider:type):\t Started node (flags)`, as pcmk__native_output_string writes it. */
export function primitiveLine(
  config: ClusterConfig,
  p: Primitive,
  group: Group | undefined,
  clone: Clone | undefined,
  inst: InstanceDisplay | undefined,
): string {
  const place = {
    primitive: p,
    top: clone ?? group ?? p,
    ...(group ? { group } : {}),
    ...(clone ? { clone } : {}),
  };
  const nodes = inst?.nodes ?? [];
  const flags = inst?.flags ?? [];
  let s = `${p.id}\t(${agentText(p)}):\t`;
  if (flags.includes('orphaned')) s += ' ORPHANED';
  s += flags.includes('failed') ? ' FAILED' : nodes.length > 0 ? ' Started' : ' Stopped';
  if (nodes.length === 1) s += ` ${nodes[0] ?? ''}`;
  const shown: string[] = [];
  if (isDisabled(effectiveMeta(config, place, 'target-role'))) shown.push('disabled');
  if (flags.includes('blocked')) shown.push('blocked');
  else if (flags.includes('unmanaged')) shown.push('unmanaged');
  if (flags.includes('failure-ignored')) shown.push('failure ignored');
  if (shown.length > 0) s += ` (${shown.join(', ')})`;
  if (nodes.length > 1) s += ` [ ${sortNodeNames(nodes).join(' ')} ]`;
  return s;
}

function headerAttributes(meta: Record<string, string>, disabledBy: string | undefined): string {
  const attrs: string[] = [];
  if (isDisabled(disabledBy)) attrs.push('disabled');
  const managed = meta['is-managed'];
  if (managed !== undefined && !isTrue(managed)) attrs.push('unmanaged');
  return attrs.length > 0 ? ` (${attrs.join(', ')})` : '';
}

function groupLines(
  config: ClusterConfig,
  group: Group,
  clone: Clone | undefined,
  byRsc: Map<string, InstanceDisplay[]>,
  depth: number,
  instanceIndex: number | undefined,
): Line[] {
  const label = instanceIndex === undefined ? group.id : `${group.id}:${instanceIndex}`;
  const lines: Line[] = [
    {
      depth,
      text: `Resource Group: ${label}${headerAttributes(group.metaAttributes, group.metaAttributes['target-role'])}:`,
    },
  ];
  for (const m of group.members) {
    const inst = instanceIndex === undefined ? first(byRsc, m.id) : byRsc.get(m.id)?.[instanceIndex];
    lines.push({ depth: depth + 1, text: primitiveLine(config, m, group, clone, inst) });
  }
  return lines;
}

/** Anonymous clone: healthy active instances collapse into `Started: [ … ]`, the rest print on their own. */
function cloneLines(
  config: ClusterConfig,
  clone: Clone,
  byRsc: Map<string, InstanceDisplay[]>,
  nodeNames: string[],
  depth: number,
): Line[] {
  const child = clone.child;
  const lines: Line[] = [
    {
      depth,
      text: `Clone Set: ${clone.id} [${child.id}]${headerAttributes(clone.metaAttributes, clone.metaAttributes['target-role'] ?? child.metaAttributes['target-role'])}:`,
    },
  ];
  const cloneMax = Number(clone.metaAttributes['clone-max'] ?? nodeNames.length);
  const started: string[] = [];
  const individual: Line[] = [];
  const occupied = new Set<string>();
  let active = 0;
  if (child.kind === 'primitive') {
    for (const inst of byRsc.get(child.id) ?? []) {
      if (inst.nodes.length === 0) continue;
      active++;
      for (const n of inst.nodes) occupied.add(n);
      const special = inst.flags.some(
        (f) => f === 'failed' || f === 'unmanaged' || f === 'orphaned' || f === 'blocked',
      );
      if (special || inst.nodes.length > 1) {
        individual.push({ depth: depth + 1, text: primitiveLine(config, child, undefined, clone, inst) });
      } else {
        started.push(...inst.nodes);
      }
    }
  } else {
    const perMember = child.members.map((m) => byRsc.get(m.id) ?? []);
    const count = Math.max(0, ...perMember.map((l) => l.length));
    for (let i = 0; i < count; i++) {
      const insts = perMember.map((l) => l[i]);
      const nodes = new Set(insts.flatMap((x) => x?.nodes ?? []));
      if (nodes.size === 0) continue;
      active++;
      for (const n of nodes) occupied.add(n);
      const healthy =
        nodes.size === 1 &&
        insts.every((x) => x !== undefined && x.nodes.length === 1 && x.flags.length === 0);
      if (healthy) started.push(...nodes);
      else individual.push(...groupLines(config, child, clone, byRsc, depth + 1, i));
    }
  }
  lines.push(...individual);
  if (started.length > 0)
    lines.push({ depth: depth + 1, text: `Started: [ ${sortNodeNames(started).join(' ')} ]` });
  if (cloneMax > active) {
    const stopped = nodeNames.filter((n) => !occupied.has(n));
    const primitive = child.kind === 'primitive' ? child : child.members[0];
    const disabled =
      primitive !== undefined
        ? isDisabled(effectiveMeta(config, { primitive, clone, top: clone }, 'target-role'))
        : isDisabled(clone.metaAttributes['target-role']);
    if (stopped.length > 0) {
      lines.push({
        depth: depth + 1,
        text: `${disabled ? 'Stopped (disabled)' : 'Stopped'}: [ ${stopped.join(' ')} ]`,
      });
    }
  }
  return lines;
}

/** `N of M resource instances DISABLED and K BLOCKED from further action due to failure`, or nothing. */
export function renderInstanceCounts(config: ClusterConfig, display: ClusterDisplay): string[] {
  let total = 0;
  let disabled = 0;
  const nodeCount = config.nodes.length;
  for (const place of listPrimitives(config)) {
    const n = place.clone ? Number(place.clone.metaAttributes['clone-max'] ?? nodeCount) : 1;
    total += n;
    if (isDisabled(effectiveMeta(config, place, 'target-role'))) disabled += n;
  }
  const blocked = display.instances.filter((i) => i.flags.includes('blocked')).length;
  if (disabled === 0 && blocked === 0) return [];
  return [
    `${disabled} of ${total} resource instances DISABLED and ${blocked} BLOCKED from further action due to failure`,
    '',
  ];
}

/** Node list and resource list as one crm_mon-style block (a blank line between them). */
export function renderClusterStatus(config: ClusterConfig, display: ClusterDisplay, depth: number): string[] {
  return [...renderNodeList(display, depth), '', ...renderResourceList(config, display, depth)];
}
