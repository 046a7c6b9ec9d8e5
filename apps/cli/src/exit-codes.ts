/** Exit codes scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  /** Bad command line: unknown command or flag, missing argument. */
  Usage: 1,
  /** Bad input: missing file, invalid configuration, unreadable document. */
  InputError: 2,
  /** Some items succeeded, some failed (e.g. 9 of 10 files ingested). */
  PartialFailure: 3,
  /** A bug or an environment problem BEAR could not recover from. */
  Internal: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
