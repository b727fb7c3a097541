/** Node attributes: transient and permanent, with dampening and change events. */
export type {
  AttributeChange,
  AttributeListener,
  NodeAttributesOptions,
  SetOptions,
} from './node-attributes.ts';
export { AttributeLifetime, NodeAttributes, PERMANENT_ATTRIBUTES_FILE } from './node-attributes.ts';
export { readJsonIfExists, writeJsonAtomic } from './atomic-json-file.ts';
