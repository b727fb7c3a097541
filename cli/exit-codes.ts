/** The CLI's exit codes: a fixed, documented table (README "Exit codes"). */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The command failed; stderr names what to fix. */
  error: 1,
  /** The command line was wrong (unknown command, missing argument). */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can fix: printed as `tandem: MESSAGE` and exits 1 (or the given code). */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
  }
}
