/**
 * Which `Operation.attributes` entries are `<op>` XML attributes (pacemaker-3.x schema) and which
 * are op instance attributes (`<op><instance_attributes>`, e.g. OCF_CHECK_LEVEL, passed to the agent).
 */
export const OP_XML_ATTRIBUTES: ReadonlySet<string> = new Set([
  'description',
  'start-delay',
  'interval-origin',
  'record-pending',
  'requires',
]);

/** Splits op attributes into XML attributes and instance attributes (agent parameters). */
export function splitOpAttributes(attributes: Record<string, string> | undefined): {
  xml: Record<string, string>;
  instance: Record<string, string>;
} {
  const xml: Record<string, string> = {};
  const instance: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (OP_XML_ATTRIBUTES.has(k)) xml[k] = v;
    else instance[k] = v;
  }
  return { xml, instance };
}
