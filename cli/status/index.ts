/** `tandem status`: the snapshot from tandemd rendered as crm_mon text, JSON (stable API) or XML. */
export {
  buildStatus,
  failuresOf,
  STATUS_API_VERSION,
  TWO_NODE_WARNING,
  type StatusDocument,
} from './status-document.ts';
export { renderStatusText, ctime, humanMs, failureLine } from './render-text.ts';
export { renderStatusXml } from './render-xml.ts';
export { runStatus, statusText, type StatusOptions } from './status-command.ts';
export { registerStatusCommand } from './register.ts';
