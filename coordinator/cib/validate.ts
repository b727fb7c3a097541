/**
 * Semantic validation of a configuration, like `crm_verify`: errors make the configuration
 * unusable (tandem refuses to save or run it); warnings are dangerous-but-valid settings.
 * Every issue names the model path (`resources[abiquo_rs].members[ClusterIP].operations[0].intervalMs`,
 * `constraints.colocation[col-1].withRsc`) and says what to do. Pure: reads only `config`.
 */
import {
  INFINITY,
  OnFail,
  type AttributeExpression,
  type Attributes,
  type ClusterConfig,
  type Clone,
  type Group,
  type Operation,
  type Primitive,
  type Resource,
  type Rule,
} from './model.ts';
import type { ConfigIssue, ValidationReport } from './issues.ts';
import { parseDurationMs } from './duration.ts';
import { parseScore } from './score.ts';
import { editDistance } from './shape.ts';
import { isBooleanWord, isTrue } from './xml-values.ts';

/** Where a resource id is defined. */
interface ResourceEntry {
  resource: Resource;
  path: string;
  /** The group or clone directly containing it, if any. */
  parent?: Group | Clone;
  /** The clone containing it at any depth, if any. */
  clone?: Clone;
}

const NO_QUORUM_POLICIES = ['stop', 'freeze', 'ignore', 'demote', 'suicide'];
const BOOLEAN_PROPERTIES = [
  'stonith-enabled',
  'symmetric-cluster',
  'maintenance-mode',
  'start-failure-is-fatal',
  'enable-startup-probes',
  'stop-all-resources',
  'stop-orphan-resources',
  'stop-orphan-actions',
  'concurrent-fencing',
  'shutdown-lock',
];
const DURATION_PROPERTIES = ['cluster-recheck-interval', 'stonith-timeout', 'dc-deadtime', 'cluster-delay'];
const ROLES = ['Started', 'Stopped', 'Promoted', 'Unpromoted', 'Master', 'Slave'];
const BOOLEAN_META = [
  'is-managed',
  'maintenance',
  'critical',
  'allow-migrate',
  'globally-unique',
  'interleave',
];
const MULTIPLE_ACTIVE = ['block', 'stop_only', 'stop_start', 'stop_unexpected'];
const ORDER_ACTIONS = ['start', 'stop', 'promote', 'demote'];
const COMPARISON_OPS = ['lt', 'lte', 'gt', 'gte', 'eq', 'ne'];
/** Agents whose clone publishes a connectivity node attribute (name param, default pingd). */
const PING_AGENTS = ['ocf:pacemaker:ping', 'ocf:tandem:ping', 'ocf:pacemaker:pingd', 'ocf:heartbeat:pingd'];
/** Pacemaker ids are XML IDs (NCName): a letter or _ first, then letters, digits, _ . - */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

class Checker {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  error(path: string, message: string, fix: string): void {
    this.errors.push({ path, message, fix });
  }

  warn(path: string, message: string, fix: string): void {
    this.warnings.push({ path, message, fix });
  }
}

function agentSpec(p: Primitive): string {
  return [p.agent.standard, p.agent.provider, p.agent.type].filter((x) => x !== undefined).join(':');
}

function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function knownList(names: Iterable<string>): string {
  const all = [...names];
  if (all.length === 0) return 'none defined yet';
  return all.length > 8 ? `${all.slice(0, 8).join(', ')}, …` : all.join(', ');
}

function isValidScore(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) <= INFINITY;
}

function scoreProblem(n: number): string | undefined {
  if (!Number.isFinite(n)) return `${n} is not a score`;
  if (!Number.isInteger(n)) return `${n} is not an integer score`;
  if (Math.abs(n) > INFINITY) return `${n} is outside ±INFINITY (±${INFINITY})`;
  return undefined;
}

export function validateConfig(config: ClusterConfig): ValidationReport {
  const c = new Checker();
  const resources = indexResources(c, config);
  checkIds(c, config);
  checkProperties(c, config);
  checkNodes(c, config);
  checkMeta(c, 'rscDefaults', config.rscDefaults, false);
  checkOpDefaults(c, config.opDefaults);
  const stonithEnabled = isTrue(config.properties['stonith-enabled'] ?? 'true');
  for (const entry of resources.values()) checkResource(c, entry, stonithEnabled);
  checkConstraints(c, config, resources);
  warnDangerous(c, config, resources);
  return { errors: c.errors, warnings: c.warnings };
}

// ---------------------------------------------------------------------------------------------
// Resources

function indexResources(c: Checker, config: ClusterConfig): Map<string, ResourceEntry> {
  const index = new Map<string, ResourceEntry>();
  const add = (entry: ResourceEntry): void => {
    const id = entry.resource.id;
    const prior = index.get(id);
    if (prior !== undefined) {
      const twoPlaces = prior.resource.kind === 'primitive' && entry.resource.kind === 'primitive';
      c.error(
        `${entry.path}.id`,
        twoPlaces
          ? `primitive ${id} is defined in two places (${prior.path} and ${entry.path}); a primitive can be in one group or one clone only`
          : `resource id ${id} is already used by ${prior.path}`,
        twoPlaces
          ? `keep ${id} in one place: to run a cloned copy elsewhere, create a second primitive with another id`
          : `rename one of them (ids must be unique across resources, constraints and operations)`,
      );
      return;
    }
    index.set(id, entry);
  };
  const walk = (r: Resource, path: string, parent?: Group | Clone, clone?: Clone): void => {
    const entry: ResourceEntry = { resource: r, path };
    if (parent !== undefined) entry.parent = parent;
    if (clone !== undefined) entry.clone = clone;
    add(entry);
    if (r.kind === 'group') {
      r.members.forEach((m, i) => walk(m, `${path}.members[${m.id === '' ? i : m.id}]`, r, clone));
    } else if (r.kind === 'clone') {
      // The type forbids a clone inside a clone; JSON or casts can still produce one.
      const child = r.child as Resource;
      if (child.kind === 'clone') {
        c.error(
          `${path}.child`,
          `clone ${r.id} contains clone ${child.id}: a clone of a clone is not allowed`,
          `clone the primitive or group directly (remove one clone level)`,
        );
        return;
      }
      walk(child, `${path}.child`, r, r);
    }
  };
  config.resources.forEach((r, i) => walk(r, `resources[${r.id === '' ? i : r.id}]`));
  return index;
}

function checkResource(c: Checker, entry: ResourceEntry, stonithEnabled: boolean): void {
  const r = entry.resource;
  const path = entry.path;
  if (r.id === '') c.error(`${path}.id`, 'resource has an empty id', 'give it an id such as ClusterIP');
  else if (!ID_PATTERN.test(r.id)) {
    c.error(
      `${path}.id`,
      `"${r.id}" is not a valid id (Pacemaker ids start with a letter or _ and contain only letters, digits, _ . -)`,
      `rename it, e.g. "${r.id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^([^A-Za-z_])/, '_$1')}"`,
    );
  }
  checkMeta(c, `${path}.metaAttributes`, r.metaAttributes, r.kind === 'clone');
  switch (r.kind) {
    case 'primitive':
      checkPrimitive(c, r, path, stonithEnabled);
      break;
    case 'group':
      if (r.members.length === 0) {
        c.error(
          `${path}.members`,
          `group ${r.id} has no members`,
          `add members (tandem resource group add ${r.id} RSC…) or delete the group`,
        );
      }
      break;
    case 'clone':
      checkCloneMeta(c, r, path);
      break;
  }
}

function checkPrimitive(c: Checker, p: Primitive, path: string, stonithEnabled: boolean): void {
  const a = p.agent;
  const spec = agentSpec(p);
  if (a.type === '' || /[:/\s]/.test(a.type)) {
    c.error(
      `${path}.agent.type`,
      `agent type "${a.type}" is not valid`,
      'give the agent name, e.g. IPaddr2 or abiquo-tomcat',
    );
  }
  if (a.standard === 'ocf') {
    if (a.provider === undefined || a.provider === '') {
      c.error(
        `${path}.agent.provider`,
        `ocf agent ${spec} has no provider`,
        `write it as ocf:PROVIDER:${a.type}, e.g. ocf:heartbeat:${a.type}`,
      );
    }
  } else if (a.provider !== undefined) {
    c.error(
      `${path}.agent.provider`,
      `${a.standard} agents have no provider, but "${a.provider}" is given`,
      `write it as ${a.standard}:${a.type}`,
    );
  }
  const seen = new Map<string, number>();
  p.operations.forEach((op, i) => {
    const opPath = `${path}.operations[${i}]`;
    checkOperation(c, op, opPath, stonithEnabled);
    const key = `${op.name}_${op.intervalMs}`;
    const prior = seen.get(key);
    if (prior !== undefined) {
      c.error(
        opPath,
        `operation ${op.name} with interval ${op.intervalMs}ms is defined twice (also operations[${prior}])`,
        'remove one, or give them different intervals (name + interval must be unique per resource)',
      );
    } else seen.set(key, i);
  });
}

function checkOperation(c: Checker, op: Operation, path: string, stonithEnabled: boolean): void {
  if (op.name === '')
    c.error(`${path}.name`, 'operation has no name', 'use monitor, start, stop, promote or demote');
  if (!Number.isInteger(op.intervalMs) || op.intervalMs < 0) {
    c.error(
      `${path}.intervalMs`,
      `interval ${op.intervalMs} is not a non-negative whole number of milliseconds`,
      'use 0 for one-shot operations, or a positive interval such as 10000 (interval=10s)',
    );
  }
  if (op.intervalMs > 0 && (op.name === 'start' || op.name === 'stop')) {
    c.error(
      `${path}.intervalMs`,
      `${op.name} cannot be recurring (Pacemaker ignores this operation)`,
      'set interval=0s, or use a monitor operation for periodic checks',
    );
  } else if (op.intervalMs > 0 && op.name !== 'monitor') {
    c.warn(
      `${path}.intervalMs`,
      `only monitor operations usually recur, but ${op.name} has an interval`,
      'set interval=0s',
    );
  }
  if (op.timeoutMs !== undefined && (!Number.isInteger(op.timeoutMs) || op.timeoutMs <= 0)) {
    c.error(
      `${path}.timeoutMs`,
      `timeout ${op.timeoutMs} must be a positive number of ms`,
      'use e.g. timeout=20s',
    );
  }
  const onFail: unknown = op.onFail;
  if (onFail !== undefined && !(Object.values(OnFail) as unknown[]).includes(onFail)) {
    c.error(
      `${path}.onFail`,
      `on-fail ${JSON.stringify(onFail)} is not valid`,
      `use one of ${Object.values(OnFail).join(', ')}`,
    );
  }
  if (onFail === 'fence' && !stonithEnabled) {
    c.error(
      `${path}.onFail`,
      "on-fail=fence is not valid when fencing is disabled (Pacemaker resets it to 'stop')",
      'use on-fail=stop (or restart/block), or enable fencing with a fence device',
    );
  }
  if (op.role !== undefined && !ROLES.includes(op.role)) {
    c.error(`${path}.role`, `role "${op.role}" is not valid`, `use one of ${ROLES.join(', ')}`);
  }
  const level = op.attributes?.['OCF_CHECK_LEVEL'];
  if (level !== undefined && !/^\d+$/.test(level)) {
    c.error(`${path}.attributes.OCF_CHECK_LEVEL`, `"${level}" is not a number`, 'use 0, 10 or 20');
  }
}

function checkMeta(c: Checker, path: string, meta: Attributes, isClone: boolean): void {
  for (const [name, value] of Object.entries(meta)) {
    const p = `${path}.${name}`;
    if (name === 'target-role') {
      if (!ROLES.some((r) => r.toLowerCase() === value.toLowerCase())) {
        c.error(
          p,
          `target-role "${value}" is not valid`,
          `use Started or Stopped (tandem resource enable|disable)`,
        );
      }
    } else if (
      BOOLEAN_META.includes(name) ||
      (isClone && ['notify', 'ordered', 'promotable'].includes(name))
    ) {
      if (!isBooleanWord(value))
        c.error(p, `${name}="${value}" is not a boolean`, `use ${name}=true or ${name}=false`);
    } else if (['resource-stickiness', 'migration-threshold', 'priority'].includes(name)) {
      const s = parseScore(value);
      if (!s.ok) c.error(p, s.error, `set ${name} to an integer or INFINITY`);
    } else if (name === 'failure-timeout') {
      const d = parseDurationMs(value);
      if (!d.ok) c.error(p, d.error, 'use e.g. failure-timeout=10min (0 disables expiry)');
    } else if (name === 'multiple-active' && !MULTIPLE_ACTIVE.includes(value)) {
      c.error(p, `multiple-active="${value}" is not valid`, `use one of ${MULTIPLE_ACTIVE.join(', ')}`);
    }
  }
}

function checkCloneMeta(c: Checker, r: Clone, path: string): void {
  const meta = r.metaAttributes;
  for (const name of ['clone-max', 'clone-node-max', 'clone-min']) {
    const v = meta[name];
    if (v !== undefined && !/^\d+$/.test(v)) {
      c.error(
        `${path}.metaAttributes.${name}`,
        `${name}="${v}" is not a non-negative integer`,
        `use e.g. ${name}=2`,
      );
    }
  }
  const promotable = meta['promotable'];
  if (promotable !== undefined && isTrue(promotable)) {
    c.error(
      `${path}.metaAttributes.promotable`,
      `clone ${r.id} is promotable; tandem supports anonymous clones only`,
      'remove promotable=true',
    );
  }
  const unique = meta['globally-unique'];
  if (unique !== undefined && isTrue(unique)) {
    c.warn(
      `${path}.metaAttributes.globally-unique`,
      `clone ${r.id} is globally-unique; tandem treats it as anonymous`,
      'remove globally-unique=true',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ids across the whole document (resources are reported by indexResources)

function checkIds(c: Checker, config: ClusterConfig): void {
  const owners = new Map<string, string>();
  const claim = (id: string | undefined, path: string): void => {
    if (id === undefined) return;
    if (id === '') {
      c.error(path, 'id is empty', 'give it an id or leave it out to have one generated');
      return;
    }
    if (!ID_PATTERN.test(id)) {
      c.error(
        path,
        `"${id}" is not a valid id (Pacemaker ids start with a letter or _ and contain only letters, digits, _ . -)`,
        'rename it',
      );
    }
    const prior = owners.get(id);
    if (prior !== undefined) {
      c.error(
        path,
        `id ${id} is already used by ${prior}`,
        'rename one of them: ids must be unique in the whole configuration',
      );
    } else owners.set(id, path);
  };
  const walkOps = (p: Primitive, path: string): void => {
    p.operations.forEach((o, i) => claim(o.id, `${path}.operations[${i}].id`));
  };
  // Resource ids first (duplicates among them are reported by indexResources).
  const resourceIds = new Set<string>();
  const collect = (r: Resource, path: string): void => {
    if (!resourceIds.has(r.id)) {
      resourceIds.add(r.id);
      owners.set(r.id, path);
    }
    if (r.kind === 'group') r.members.forEach((m) => collect(m, `${path}.members[${m.id}]`));
    else if (r.kind === 'clone') collect(r.child, `${path}.child`);
  };
  config.resources.forEach((r) => collect(r, `resources[${r.id}]`));
  const opsOf = (r: Resource, path: string): void => {
    if (r.kind === 'primitive') walkOps(r, path);
    else if (r.kind === 'group') r.members.forEach((m) => opsOf(m, `${path}.members[${m.id}]`));
    else opsOf(r.child, `${path}.child`);
  };
  config.resources.forEach((r) => opsOf(r, `resources[${r.id}]`));
  const walkRule = (r: Rule, path: string): void => {
    claim(r.id, `${path}.id`);
    r.expressions.forEach((x, i) => {
      if (x.kind === 'rule') walkRule(x, `${path}.expressions[${i}]`);
      else claim(x.id, `${path}.expressions[${i}].id`);
    });
  };
  const { location, colocation, order } = config.constraints;
  for (const l of location) {
    claim(l.id, `constraints.location[${l.id}].id`);
    (l.rules ?? []).forEach((r, i) => walkRule(r, `constraints.location[${l.id}].rules[${i}]`));
  }
  for (const x of colocation) claim(x.id, `constraints.colocation[${x.id}].id`);
  for (const o of order) claim(o.id, `constraints.order[${o.id}].id`);
}

// ---------------------------------------------------------------------------------------------
// Properties and nodes

function checkProperties(c: Checker, config: ClusterConfig): void {
  for (const [name, value] of Object.entries(config.properties)) {
    const p = `properties.${name}`;
    if (name === 'no-quorum-policy' && !NO_QUORUM_POLICIES.includes(value)) {
      c.error(
        p,
        `no-quorum-policy "${value}" is not valid (Pacemaker would fall back to stop)`,
        `use one of ${NO_QUORUM_POLICIES.join(', ')}`,
      );
    } else if (BOOLEAN_PROPERTIES.includes(name) && !isBooleanWord(value)) {
      c.error(p, `${name}="${value}" is not a boolean`, `tandem property set ${name}=true (or false)`);
    } else if (DURATION_PROPERTIES.includes(name)) {
      const d = parseDurationMs(value);
      if (!d.ok) c.error(p, d.error, `tandem property set ${name}=15min (a duration)`);
    } else if (name === 'cluster-name' && config.clusterName !== '' && value !== config.clusterName) {
      c.warn(
        p,
        `property cluster-name="${value}" differs from the cluster name "${config.clusterName}"`,
        'unset the property (the cluster name is exported as cluster-name)',
      );
    }
  }
}

function checkNodes(c: Checker, config: ClusterConfig): void {
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  config.nodes.forEach((n, i) => {
    const path = `nodes[${n.name === '' ? i : n.name}]`;
    if (n.name === '') c.error(`${path}.name`, 'node has no name', 'give the node its host name (uname -n)');
    const priorName = names.get(n.name);
    if (priorName !== undefined) {
      c.error(`${path}.name`, `node ${n.name} is listed twice`, 'remove the duplicate node entry');
    } else names.set(n.name, i);
    const priorId = ids.get(n.id);
    if (n.id === '') c.error(`${path}.id`, 'node has an empty id', 'use its corosync node id, e.g. "1"');
    else if (priorId !== undefined) {
      c.error(`${path}.id`, `node id ${n.id} is also used by nodes[${priorId}]`, 'give each node its own id');
    } else ids.set(n.id, i);
    for (const name of ['standby', 'maintenance']) {
      const v = n.attributes[name];
      if (v !== undefined && !isBooleanWord(v)) {
        c.error(
          `${path}.attributes.${name}`,
          `${name}="${v}" is not on/off`,
          `tandem node ${name} ${n.name} (or un${name})`,
        );
      }
    }
  });
}

function checkOpDefaults(c: Checker, defaults: Attributes): void {
  const t = defaults['timeout'];
  if (t !== undefined && !parseDurationMs(t).ok) {
    c.error(
      'opDefaults.timeout',
      `timeout "${t}" is not a duration`,
      'tandem resource op defaults timeout=20s',
    );
  }
  const onFail = defaults['on-fail'];
  if (onFail !== undefined && !(Object.values(OnFail) as string[]).includes(onFail)) {
    c.error(
      'opDefaults.on-fail',
      `on-fail "${onFail}" is not valid`,
      `use one of ${Object.values(OnFail).join(', ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Constraints

function checkConstraints(c: Checker, config: ClusterConfig, resources: Map<string, ResourceEntry>): void {
  const nodeNames = new Set(config.nodes.map((n) => n.name));
  const ref = (id: string, path: string, field: string): ResourceEntry | undefined => {
    const entry = resources.get(id);
    if (entry !== undefined) {
      if (entry.clone !== undefined && entry.resource !== entry.clone) {
        c.warn(
          path,
          `${field} ${id} is inside clone ${entry.clone.id}; constraints on clone children apply to the clone`,
          `reference the clone: ${entry.clone.id}`,
        );
      }
      return entry;
    }
    const near = nearest(id, resources.keys());
    c.error(
      path,
      `${field} "${id}" is not a resource`,
      near !== undefined
        ? `did you mean ${near}? (resources: ${knownList(resources.keys())})`
        : `create resource ${id} first or use one of: ${knownList(resources.keys())}`,
    );
    return undefined;
  };
  const role = (value: string | undefined, path: string): void => {
    if (value !== undefined && !ROLES.includes(value)) {
      c.error(path, `role "${value}" is not valid`, `use one of ${ROLES.join(', ')}`);
    }
  };

  for (const l of config.constraints.location) {
    const path = `constraints.location[${l.id}]`;
    ref(l.rsc, `${path}.rsc`, 'rsc');
    role(l.role, `${path}.role`);
    const hasRules = (l.rules ?? []).length > 0;
    if (l.node !== undefined) {
      if (!nodeNames.has(l.node)) {
        const near = nearest(l.node, nodeNames);
        c.error(
          `${path}.node`,
          `node "${l.node}" is not a cluster node`,
          near !== undefined
            ? `did you mean ${near}?`
            : `use one of: ${knownList(nodeNames)} (or add the node)`,
        );
      }
      if (l.score === undefined) {
        c.error(
          `${path}.score`,
          `location on node ${l.node} has no score`,
          'add score=INFINITY (prefers) or -INFINITY (avoids)',
        );
      }
      if (hasRules)
        c.error(
          `${path}.rules`,
          'a location has either node + score or rules, not both',
          'split it into two constraints',
        );
    } else if (!hasRules) {
      c.error(path, 'location has neither a node nor rules', `add node=NODE score=SCORE, or a rule`);
    }
    if (l.score !== undefined) {
      const problem = scoreProblem(l.score);
      if (problem !== undefined)
        c.error(`${path}.score`, problem, 'use an integer between -INFINITY and INFINITY');
    }
    (l.rules ?? []).forEach((r, i) => checkRule(c, r, `${path}.rules[${i}]`, nodeNames, true));
  }

  for (const x of config.constraints.colocation) {
    const path = `constraints.colocation[${x.id}]`;
    ref(x.rsc, `${path}.rsc`, 'rsc');
    ref(x.withRsc, `${path}.withRsc`, 'withRsc');
    if (x.rsc === x.withRsc) {
      c.error(
        `${path}.withRsc`,
        `${x.rsc} is colocated with itself`,
        'colocate it with another resource, or delete the constraint',
      );
    }
    const problem = scoreProblem(x.score);
    if (problem !== undefined)
      c.error(`${path}.score`, problem, 'use INFINITY, -INFINITY or an integer in between');
    role(x.rscRole, `${path}.rscRole`);
    role(x.withRscRole, `${path}.withRscRole`);
  }

  for (const o of config.constraints.order) {
    const path = `constraints.order[${o.id}]`;
    ref(o.first, `${path}.first`, 'first');
    ref(o.then, `${path}.then`, 'then');
    if (o.first === o.then) {
      c.error(
        `${path}.then`,
        `${o.first} is ordered after itself`,
        'order it against another resource, or delete the constraint',
      );
    }
    if (!ORDER_ACTIONS.includes(o.firstAction)) {
      c.error(
        `${path}.firstAction`,
        `action "${o.firstAction}" is not valid`,
        `use one of ${ORDER_ACTIONS.join(', ')}`,
      );
    }
    if (!ORDER_ACTIONS.includes(o.thenAction)) {
      c.error(
        `${path}.thenAction`,
        `action "${o.thenAction}" is not valid`,
        `use one of ${ORDER_ACTIONS.join(', ')}`,
      );
    }
    if (o.kind === 'Serialize' && o.symmetrical) {
      c.error(`${path}.symmetrical`, 'Serialize orders cannot be symmetrical', 'set symmetrical=false');
    }
    if (o.score !== undefined) {
      const problem = scoreProblem(o.score);
      if (problem !== undefined)
        c.error(`${path}.score`, problem, 'use kind=Mandatory or kind=Optional instead of a score');
      else if ((o.score === 0) !== (o.kind === 'Optional')) {
        c.warn(
          `${path}.score`,
          `legacy score=${o.score} means ${o.score === 0 ? 'Optional' : 'Mandatory'}, but kind is ${o.kind}; kind wins`,
          'remove the score',
        );
      } else {
        c.warn(
          `${path}.score`,
          "score on an order constraint is deprecated (crm_verify warns: use 'kind' instead)",
          `replace score=${o.score} with kind=${o.score === 0 ? 'Optional' : 'Mandatory'}`,
        );
      }
    }
  }
}

function checkRule(c: Checker, r: Rule, path: string, nodeNames: Set<string>, top: boolean): void {
  if (r.expressions.length === 0) {
    c.error(
      `${path}.expressions`,
      'rule has no expressions',
      'add an expression, e.g. "pingd lt 1", or delete the rule',
    );
  }
  if (r.score !== undefined && r.scoreAttribute !== undefined) {
    c.error(path, 'rule has both score and score-attribute', 'keep one of them');
  }
  if (r.score !== undefined && !isValidScore(r.score)) {
    c.error(
      `${path}.score`,
      scoreProblem(r.score) ?? 'bad score',
      'use an integer between -INFINITY and INFINITY',
    );
  }
  if (top && r.score === undefined && r.scoreAttribute === undefined) {
    c.warn(
      path,
      'rule has no score (it counts as 0 and changes nothing)',
      'add score=-INFINITY or score=INFINITY',
    );
  }
  const booleanOp: unknown = r.booleanOp;
  if (booleanOp !== 'and' && booleanOp !== 'or') {
    c.error(`${path}.booleanOp`, `boolean-op ${JSON.stringify(booleanOp)} is not and/or`, 'use and or or');
  }
  r.expressions.forEach((x, i) => {
    const xp = `${path}.expressions[${i}]`;
    if (x.kind === 'rule') checkRule(c, x, xp, nodeNames, false);
    else checkExpression(c, x, xp, nodeNames);
  });
}

function checkExpression(c: Checker, x: AttributeExpression, path: string, nodeNames: Set<string>): void {
  if (x.attribute === '')
    c.error(`${path}.attribute`, 'expression names no attribute', 'name a node attribute, e.g. pingd');
  const op: string = x.operation;
  if (COMPARISON_OPS.includes(op)) {
    if (x.value === undefined) {
      c.error(
        `${path}.value`,
        `"${x.attribute} ${op}" has nothing to compare with`,
        `add a value, e.g. "${x.attribute} ${op} 1"`,
      );
    } else if ((x.type === 'integer' || x.type === 'number') && Number.isNaN(Number(x.value))) {
      c.error(`${path}.value`, `"${x.value}" is not a ${x.type}`, `use a numeric value or type=string`);
    } else if (
      x.type === undefined &&
      ['lt', 'lte', 'gt', 'gte'].includes(op) &&
      Number.isNaN(Number(x.value))
    ) {
      c.warn(
        `${path}.type`,
        `"${x.attribute} ${op} ${x.value}" compares numbers by default, but "${x.value}" is not a number`,
        'add type=string (or compare with a number)',
      );
    } else if (x.attribute === '#uname' && op === 'eq' && !nodeNames.has(x.value)) {
      c.warn(`${path}.value`, `no node is named "${x.value}"`, `use one of: ${knownList(nodeNames)}`);
    }
  } else if (op === 'defined' || op === 'not_defined') {
    if (x.value !== undefined)
      c.warn(`${path}.value`, `${op} ignores the value "${x.value}"`, 'remove the value');
  } else {
    c.error(
      `${path}.operation`,
      `operation "${op}" is not valid`,
      'use defined, not_defined, lt, lte, gt, gte, eq or ne',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// crm_verify-style warnings

function warnDangerous(c: Checker, config: ClusterConfig, resources: Map<string, ResourceEntry>): void {
  const props = config.properties;
  const stonithEnabled = isTrue(props['stonith-enabled'] ?? 'true');
  const hasFencing = [...resources.values()].some(
    (e) => e.resource.kind === 'primitive' && e.resource.agent.standard === 'stonith',
  );
  if (stonithEnabled && !hasFencing && resources.size > 0) {
    c.warn(
      'properties.stonith-enabled',
      `Resource start-up disabled since no STONITH resources have been defined (stonith-enabled is ${props['stonith-enabled'] ?? 'unset, and Pacemaker defaults it to true'})`,
      'create a fence device (tandem resource create NAME stonith:fence_AGENT …) or, accepting the split-brain risk, tandem property set stonith-enabled=false',
    );
  }
  const nqp = props['no-quorum-policy'] ?? 'stop';
  if (!stonithEnabled && nqp === 'suicide') {
    c.warn(
      'properties.no-quorum-policy',
      'no-quorum-policy=suicide needs fencing; with stonith disabled Pacemaker resets it to stop',
      'enable fencing or tandem property set no-quorum-policy=stop',
    );
  }
  if (config.nodes.length === 2 && nqp === 'ignore' && !stonithEnabled) {
    c.warn(
      'properties.no-quorum-policy',
      'two nodes with no-quorum-policy=ignore and stonith disabled: when the link between them breaks, both nodes run the resources (split brain)',
      'add a witness (Redis lease or ZooKeeper) so only the quorate node runs resources, or enable fencing',
    );
  }
  warnPingWithoutRule(c, config, resources);
  if (!isTrue(props['symmetric-cluster'] ?? 'true')) {
    const enabled = new Set(config.constraints.location.filter((l) => (l.score ?? 0) >= 0).map((l) => l.rsc));
    for (const r of config.resources) {
      if (!enabled.has(r.id)) {
        c.warn(
          `resources[${r.id}]`,
          `symmetric-cluster=false and no location constraint enables ${r.id} on any node: it cannot run`,
          `tandem constraint location ${r.id} prefers NODE`,
        );
      }
    }
  }
}

function pingAttributeName(p: Primitive): string {
  return p.instanceAttributes['name'] ?? 'pingd';
}

function ruleUsesAttribute(r: Rule, attribute: string): boolean {
  if (r.scoreAttribute === attribute) return true;
  return r.expressions.some((x) =>
    x.kind === 'rule' ? ruleUsesAttribute(x, attribute) : x.attribute === attribute,
  );
}

function warnPingWithoutRule(c: Checker, config: ClusterConfig, resources: Map<string, ResourceEntry>): void {
  for (const clone of config.resources) {
    if (clone.kind !== 'clone' || clone.child.kind !== 'primitive') continue;
    if (!PING_AGENTS.includes(agentSpec(clone.child))) continue;
    const attribute = pingAttributeName(clone.child);
    for (const col of config.constraints.colocation) {
      if (col.score <= 0 || (col.withRsc !== clone.id && col.withRsc !== clone.child.id)) continue;
      if (!resources.has(col.rsc)) continue;
      const guarded = config.constraints.location.some(
        (l) => l.rsc === col.rsc && (l.rules ?? []).some((r) => ruleUsesAttribute(r, attribute)),
      );
      if (guarded) continue;
      c.warn(
        `constraints.colocation[${col.id}]`,
        `${col.rsc} is colocated with ${clone.id}, but no location rule uses the ${attribute} attribute: ` +
          `the ping clone keeps running on a node that lost its gateway (${attribute}=0), so ${col.rsc} does not move`,
        `tandem constraint location ${col.rsc} rule score=-INFINITY ${attribute} lt 1 or not_defined ${attribute}`,
      );
    }
  }
}
