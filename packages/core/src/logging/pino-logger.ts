import type * as Pino from "pino";
import type { DestinationStream } from "pino";
import { loadOnFirstUse } from "../modules/load-on-first-use";
import type { Logger, LogLevel } from "./logger";
import { loggableError } from "./loggable-error";

const loadPino = loadOnFirstUse<typeof Pino>("pino");

/**
 * Field names whose values may hold document text, personal data or secrets. Their values are
 * replaced with "[redacted]" wherever they appear (top level or one/two levels down), so a careless
 * `log.info({ chunk }, "...")` cannot leak a client's words into a log file.
 */
export const REDACTED_FIELDS: readonly string[] = [
  "text",
  "content",
  "contents",
  "document",
  "body",
  "prompt",
  "messages",
  "answer",
  "snippet",
  "query",
  "question",
  "password",
  "passphrase",
  "secret",
  "apiKey",
  "api_key",
  "token",
  "key",
  "authorization",
  "cookie",
  "original",
  "pii",
  // A client library's error may carry the command it failed on: ioredis puts a SET's value in `args`.
  "args",
];


function redactionPaths(fields: readonly string[]): string[] {
  return fields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
}

export interface PinoLoggerOptions {
  readonly level?: LogLevel;
  readonly name?: string;
  /** Where lines go; default stderr, so stdout stays clean for `--json` output. */
  readonly destination?: DestinationStream;
  /** Extra field names to redact, on top of REDACTED_FIELDS. */
  readonly redact?: readonly string[];
}

/** A pino-backed Logger: JSON lines, levels, redaction of sensitive fields. */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const { pino } = loadPino();
  const instance = pino(
    {
      level: options.level ?? "info",
      ...(options.name === undefined ? {} : { name: options.name }),
      base: { pid: process.pid },
      redact: { paths: redactionPaths([...REDACTED_FIELDS, ...(options.redact ?? [])]), censor: "[redacted]" },
      serializers: { err: (error: unknown) => loggableError(error), error: (error: unknown) => loggableError(error) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination(2),
  );
  return instance as unknown as Logger;
}
