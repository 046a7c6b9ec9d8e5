export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export interface LogFn {
  (message: string): void;
  (fields: Readonly<Record<string, unknown>>, message?: string): void;
}

/**
 * Structured logger (pino-shaped). Packages log through this token and never `console.*`.
 * Never put document text, PII or secrets in a log line: log ids, counts and types.
 */
export const Logger = Symbol.for("@bear/core:Logger");
export interface Logger {
  readonly level: LogLevel;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  /** A logger whose lines carry `bindings`; by convention `{ name: "rag:LanceChunkStore" }`. */
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}

const noop: LogFn = () => undefined;

/** The default for libraries: logs nothing. */
export const silentLogger: Logger = {
  level: "silent",
  fatal: noop,
  error: noop,
  warn: noop,
  info: noop,
  debug: noop,
  trace: noop,
  child: () => silentLogger,
};
