import type { ClusterConfig } from './model.ts';
import type { ClusterStatus } from './status.ts';

export interface CibExportOptions {
  /** `validate-with` (default pacemaker-3.9). */
  validateWith?: string;
  /** `crm_feature_set` (default 3.16.1, Pacemaker 2.1.5's). */
  crmFeatureSet?: string;
}

export function toCibXml(_config: ClusterConfig, _status?: ClusterStatus, _opts?: CibExportOptions): string {
  throw new Error('not implemented yet');
}
