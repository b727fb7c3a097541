/**
 * The cluster configuration model: tandem's CIB.
 *
 * One model, three ways in: the native JSON file (this shape, serialised as is), Pacemaker CIB XML
 * (import/export), and pcs-compatible commands. Everything is plain data (JSON-serialisable, no
 * classes, no Maps) so that the native format round-trips losslessly and the scheduler can treat it
 * as an immutable value. Arrays keep the user's order (Pacemaker's order matters for tie-breaks and
 * group membership); attribute records keep insertion order.
 */

/** Pacemaker's INFINITY. Scores are clamped to [-INFINITY, +INFINITY]. */
export const INFINITY = 1_000_000;

/** A score: an integer in [-INFINITY, INFINITY]. `+INFINITY` / `INFINITY` / `-INFINITY` parse to ±1e6. */
export type Score = number;

/** Ordered name → value pairs (instance attributes, meta attributes, properties, defaults). */
export type Attributes = Record<string, string>;

export const ResourceStandard = {
  ocf: 'ocf',
  lsb: 'lsb',
  service: 'service',
  systemd: 'systemd',
  stonith: 'stonith',
} as const;
export type ResourceStandard = (typeof ResourceStandard)[keyof typeof ResourceStandard];

/** `standard:provider:type` (provider only for ocf), e.g. ocf:heartbeat:IPaddr2, lsb:abiquo-tomcat. */
export interface AgentRef {
  standard: ResourceStandard;
  provider?: string;
  type: string;
}

export const OnFail = {
  ignore: 'ignore',
  block: 'block',
  stop: 'stop',
  restart: 'restart',
  standby: 'standby',
  fence: 'fence',
  demote: 'demote',
} as const;
export type OnFail = (typeof OnFail)[keyof typeof OnFail];

/** An operation definition (`<op>`): `name` is the action (monitor, start, stop, …). */
export interface Operation {
  /** Pacemaker op id; generated as `RSC-NAME-interval-INTERVAL` when absent. */
  id?: string;
  name: string;
  /** 0 for non-recurring operations. */
  intervalMs: number;
  timeoutMs?: number;
  onFail?: OnFail;
  role?: string;
  enabled?: boolean;
  /** Other op attributes (e.g. OCF_CHECK_LEVEL, interval-origin, record-pending). */
  attributes?: Attributes;
}

export interface Primitive {
  kind: 'primitive';
  id: string;
  agent: AgentRef;
  /** Parameters passed to the agent (OCF_RESKEY_*). */
  instanceAttributes: Attributes;
  /** resource-stickiness, target-role, is-managed, migration-threshold, failure-timeout, … */
  metaAttributes: Attributes;
  operations: Operation[];
  description?: string;
  /** `<utilization>` (placement-strategy capacities), kept for round trips. */
  utilization?: Attributes;
}

export interface Group {
  kind: 'group';
  id: string;
  metaAttributes: Attributes;
  /** Start in this order, stop in reverse; each member is colocated with the previous one. */
  members: Primitive[];
  description?: string;
}

/** An anonymous clone (clone-max, clone-node-max in metaAttributes). */
export interface Clone {
  kind: 'clone';
  id: string;
  metaAttributes: Attributes;
  child: Primitive | Group;
  description?: string;
}

export type Resource = Primitive | Group | Clone;

export const ExpressionOp = {
  defined: 'defined',
  not_defined: 'not_defined',
  lt: 'lt',
  lte: 'lte',
  gt: 'gt',
  gte: 'gte',
  eq: 'eq',
  ne: 'ne',
} as const;
export type ExpressionOp = (typeof ExpressionOp)[keyof typeof ExpressionOp];

/** `<expression attribute=… operation=… value=… type=…>` on node attributes (#uname, #id, … included). */
export interface AttributeExpression {
  kind: 'expression';
  id?: string;
  attribute: string;
  operation: ExpressionOp;
  value?: string;
  /** Comparison type; Pacemaker guesses from the value when absent. */
  type?: 'string' | 'integer' | 'number' | 'version';
  /** `value-source` (literal by default). */
  valueSource?: 'literal' | 'param' | 'meta';
}

/** `<rule>`: a score (or score-attribute) applied when its expressions combine to true. */
export interface Rule {
  kind: 'rule';
  id?: string;
  score?: Score;
  scoreAttribute?: string;
  booleanOp: 'and' | 'or';
  expressions: (AttributeExpression | Rule)[];
  role?: string;
}

export interface LocationConstraint {
  id: string;
  rsc: string;
  /** Either node + score … */
  node?: string;
  score?: Score;
  /** … or rules (a node gets the score of every rule that matches it). */
  rules?: Rule[];
  role?: string;
  resourceDiscovery?: 'always' | 'never' | 'exclusive';
  /**
   * When the constraint stops applying (ISO-8601), for `tandem resource move|ban lifetime=…`.
   * Pacemaker writes a rule with `date_expression operation="lt"`; tandem keeps the end time here and
   * the scheduler ignores the constraint from then on (and rechecks at that time).
   */
  expires?: string;
}

export interface ColocationConstraint {
  id: string;
  /** The dependent: placed after, and relative to, withRsc. */
  rsc: string;
  withRsc: string;
  score: Score;
  rscRole?: string;
  withRscRole?: string;
  /** `node-attribute` (default `#uname`): colocate on nodes sharing this attribute's value. */
  nodeAttribute?: string;
  /** `influence` (default: the dependent's `critical` meta attribute, true). */
  influence?: boolean;
}

export type OrderKind = 'Mandatory' | 'Optional' | 'Serialize';

export interface OrderConstraint {
  id: string;
  first: string;
  then: string;
  firstAction: string; // start (default), stop, promote, demote
  thenAction: string; // defaults to firstAction
  kind: OrderKind;
  symmetrical: boolean;
  /** Legacy `score=` form, kept when imported (0 = Optional, >0 = Mandatory). */
  score?: Score;
  /** `require-all` (default true): with a clone as `first`, whether all instances must be up. */
  requireAll?: boolean;
}

export interface Constraints {
  location: LocationConstraint[];
  colocation: ColocationConstraint[];
  order: OrderConstraint[];
}

export interface NodeConfig {
  /** Pacemaker node id (corosync nodeid); defaults to the 1-based position. */
  id: string;
  name: string;
  /** Permanent node attributes (`standby=on`, `maintenance=on`, site, …). */
  attributes: Attributes;
  utilization?: Attributes;
}

/** admin_epoch / epoch / num_updates, compared lexicographically (as Pacemaker does). */
export interface ConfigVersion {
  adminEpoch: number;
  epoch: number;
  numUpdates: number;
}

export interface ClusterConfig {
  /** Native format version; bump with a migration when the shape changes. */
  formatVersion: 1;
  clusterName: string;
  version: ConfigVersion;
  /** cluster-property-set (crm_config): stonith-enabled, no-quorum-policy, … */
  properties: Attributes;
  /** rsc_defaults meta attributes. */
  rscDefaults: Attributes;
  /** op_defaults meta attributes. */
  opDefaults: Attributes;
  nodes: NodeConfig[];
  /** Top-level resources in document order. */
  resources: Resource[];
  constraints: Constraints;
}

export function emptyConfig(clusterName: string, nodeNames: readonly string[] = []): ClusterConfig {
  return {
    formatVersion: 1,
    clusterName,
    version: { adminEpoch: 0, epoch: 0, numUpdates: 0 },
    properties: {},
    rscDefaults: {},
    opDefaults: {},
    nodes: nodeNames.map((name, i) => ({ id: String(i + 1), name, attributes: {} })),
    resources: [],
    constraints: { location: [], colocation: [], order: [] },
  };
}
