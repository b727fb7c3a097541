import type { ClusterConfig } from './model.ts';
import type { ClusterStatus } from './status.ts';
import { fail, type Result } from './result.ts';

export interface CibImport {
  config: ClusterConfig;
  status: ClusterStatus;
  /** Harmless things that were not imported (named, so nothing is dropped silently). */
  warnings: string[];
}

export function parseCibXml(_xml: string): Result<CibImport> {
  return fail('not implemented yet');
}
