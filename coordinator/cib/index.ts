/**
 * The cluster configuration (tandem's CIB): the model, its validation, the native JSON file and
 * Pacemaker CIB XML import/export. Other folders import from here, not from deep paths.
 */
export * from './model.ts';
export * from './status.ts';
export { parseScore, formatScore, addScores, clampScore, type ParseResult } from './score.ts';
export { parseDurationMs } from './duration.ts';
export { type Result, ok, fail } from './result.ts';
export { type ConfigIssue, type ValidationReport, formatIssues } from './issues.ts';
export { validateConfig } from './validate.ts';
export {
  serializeConfig,
  parseConfigJson,
  loadConfigFile,
  saveConfigFile,
  bumpEpoch,
  serializeStatus,
  parseStatusJson,
  loadStatusFile,
  saveStatusFile,
} from './native-file.ts';
export { parseCibXml, type CibImport } from './cib-xml-import.ts';
export {
  toCibXml,
  type CibExportOptions,
  DEFAULT_CRM_FEATURE_SET,
  DEFAULT_VALIDATE_WITH,
} from './cib-xml-export.ts';
export { computeOpDigest, fillOpDigests, effectiveTimeoutMs, DEFAULT_OP_TIMEOUT_MS } from './op-digest.ts';
export { md5Hex } from './md5.ts';
