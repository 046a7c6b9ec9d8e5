/** Exit codes scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  /** Bad command line: unknown command or flag, missing argument. */
  Usage: 1,
  /** Bad input: missing file, invalid configuration, unreadable document, workspace not initialised. */
  InputError: 2,
  /** Some items succeeded, some failed (e.g. 9 of 10 files ingested), or a workflow run failed. */
  PartialFailure: 3,
  /** A bug or an environment problem BEAR could not recover from. */
  Internal: 4,
  /** The feature is not available here yet (a package not released, no model configured). */
  NotAvailable: 5,
  /** An integrity check failed: the audit log was edited, deleted from or reordered. */
  IntegrityFailure: 6,
  /** The operation was cancelled (Ctrl-C, or `bear workflow cancel`). */
  Cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
