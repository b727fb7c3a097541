/**
 * Validation findings. `path` locates the offending field in the model
 * (`resources[abiquo_rs].members[ClusterIP].operations[0].intervalMs`,
 * `constraints.colocation[col-1].withRsc`); `fix` says what to change.
 */
export interface ConfigIssue {
  path: string;
  message: string;
  fix: string;
}

export interface ValidationReport {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** One line per issue: `PATH: MESSAGE (fix: FIX)`. */
export function formatIssues(issues: readonly ConfigIssue[], label = ''): string[] {
  const prefix = label === '' ? '' : `${label}: `;
  return issues.map((i) => `${prefix}${i.path}: ${i.message} (fix: ${i.fix})`);
}
