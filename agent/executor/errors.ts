/** Broken invariants in the agent (a caller's bug): thrown, never returned; retrying cannot help. */
export class AgentUsageError extends Error {
  override name = 'AgentUsageError';
  readonly nonRetryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
