import { BearError, type BearErrorOptions } from "./bear-error";

export type CoreErrorCode =
  | "CONFIG_INVALID"
  | "CONFIG_FILE_UNREADABLE"
  | "WORKSPACE_UNUSABLE"
  | "PATH_OUTSIDE_WORKSPACE"
  | "OFFLINE_VIOLATION"
  | "DISPOSED"
  | "INVALID_ARGUMENT"
  | "MATTER_ID_INVALID"
  | WorkerPoolErrorCode;

export class ConfigError extends BearError<"CONFIG_INVALID" | "CONFIG_FILE_UNREADABLE"> {}

export class WorkspaceError extends BearError<"WORKSPACE_UNUSABLE"> {
  constructor(message: string, options?: BearErrorOptions) {
    super("WORKSPACE_UNUSABLE", message, options);
  }
}

export class PathOutsideWorkspaceError extends BearError<"PATH_OUTSIDE_WORKSPACE"> {
  constructor(
    readonly requestedPath: string,
    readonly root: string,
    reason: string,
    /** What `root` is, as the user knows it: "the workspace", "the folder being ingested". */
    rootName = "the workspace",
  ) {
    super("PATH_OUTSIDE_WORKSPACE", `path '${requestedPath}' is outside ${rootName} '${root}': ${reason}`, {
      hint: `Use a path inside ${rootName}; '..', absolute paths elsewhere and symlinks that leave it are refused.`,
      details: { requestedPath, root },
    });
  }
}

export class OfflineViolationError extends BearError<"OFFLINE_VIOLATION"> {
  constructor(
    readonly target: string,
    readonly via: string,
  ) {
    super("OFFLINE_VIOLATION", `BEAR is offline: refused a ${via} connection to '${target}' (only loopback is allowed)`, {
      hint: "BEAR never sends data off this machine. Model downloads you ask for run inside allowNetwork().",
      details: { target, via },
    });
  }
}

export class DisposedError extends BearError<"DISPOSED"> {
  constructor(what: string) {
    super("DISPOSED", `${what} has been disposed and cannot be used any more`, {
      hint: "Create a new instance; dispose() releases native memory and file handles for good.",
    });
  }
}

export class InvalidArgumentError extends BearError<"INVALID_ARGUMENT"> {
  constructor(argument: string, value: unknown, expected: string) {
    super("INVALID_ARGUMENT", `invalid ${argument}: ${formatValue(value)} (expected ${expected})`, {
      details: { argument, expected },
    });
  }
}

/** A short, safe rendering of a value for an error message (never a whole document). */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return "undefined";
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

export type WorkerPoolErrorCode = "WORKER_POOL_BUSY" | "WORKER_OUT_OF_MEMORY" | "WORKER_FAILED";

/** A WorkerPool refused or lost a task: its queue was full, or the worker died (out of memory, crash). */
export class WorkerPoolError extends BearError<WorkerPoolErrorCode> {}
