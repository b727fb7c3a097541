/** `ocf-exit-reason:` lines on an agent's stderr (OCF_EXIT_REASON_PREFIX; Pacemaker keeps the last). */
export const EXIT_REASON_PREFIX = 'ocf-exit-reason:';

/** The last non-empty exit reason on stderr, trimmed and bounded to 128 characters, or undefined. */
export function parseExitReason(stderr: string): string | undefined {
  let reason: string | undefined;
  for (const line of stderr.split('\n')) {
    const at = line.indexOf(EXIT_REASON_PREFIX);
    if (at === -1) continue;
    const text = line.slice(at + EXIT_REASON_PREFIX.length).trim();
    if (text !== '') reason = text;
  }
  return reason === undefined ? undefined : reason.slice(0, 128);
}
