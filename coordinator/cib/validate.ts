import type { ClusterConfig } from './model.ts';
import type { ValidationReport } from './issues.ts';

/** Checks a configuration; errors make it unusable, warnings are crm_verify-style advice. */
export function validateConfig(_config: ClusterConfig): ValidationReport {
  return { errors: [], warnings: [] };
}
