import path from "node:path";
import { BearError, terminalSafe, terminalSafeJson } from "@bear/core";
import { ExitCode } from "./exit-codes";

export interface OutputOptions {
  readonly json: boolean;
}

/** Machine output goes to stdout as one JSON document (C1 and bidi controls escaped too); people get text. Errors go to stderr. */
export function emit(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${terminalSafeJson(data, 2)}\n` : `${human()}\n`);
}

/** Colours only on a terminal, and never with NO_COLOR set. */
export const useColour = (stream: NodeJS.WriteStream = process.stdout): boolean => Boolean(stream.isTTY) && !process.env.NO_COLOR;

const paint = (code: string) => (text: string, stream?: NodeJS.WriteStream) => (useColour(stream) ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint("1");
export const dim = paint("2");
export const red = paint("31");
export const green = paint("32");
export const yellow = paint("33");
export const cyan = paint("36");

/** Turns the `**term**` highlights of a snippet into bold on a terminal, and leaves them as is elsewhere. */
export function highlight(snippet: string): string {
  return useColour() ? snippet.replace(/\*\*(.+?)\*\*/g, (_, t: string) => `\x1b[1m${t}\x1b[0m`) : snippet;
}

/** Progress notes for people (stderr, so stdout stays clean for pipes); silent under --json. */
export function note(options: OutputOptions, text: string): void {
  if (!options.json) process.stderr.write(`${text}\n`);
}

export function reportError(options: OutputOptions, error: unknown): ExitCode {
  const bear = BearError.isInstance(error) ? error : undefined;
  const code = bear ? exitCodeFor(bear.code) : ExitCode.Internal;
  if (options.json) {
    const body = bear ? bear.toJSON() : { name: "Error", code: "INTERNAL", message: (error as Error)?.message ?? String(error) };
    process.stderr.write(`${terminalSafeJson({ error: body, exitCode: code })}\n`);
  } else {
    // messages quote file names, titles and paths found on disk or in documents: printed safe for the terminal
    const text = bear ? `${terminalSafe(bear.message)}${bear.hint ? `\n  hint: ${terminalSafe(bear.hint)}` : ""}` : `internal error: ${terminalSafe((error as Error)?.stack ?? String(error))}`;
    process.stderr.write(`${red("error", process.stderr)}: ${text}\n`);
  }
  return code;
}

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  USAGE: ExitCode.Usage,
  PARTIAL_FAILURE: ExitCode.PartialFailure,
  NOT_AVAILABLE: ExitCode.NotAvailable,
  AUDIT_TAMPERED: ExitCode.IntegrityFailure,
  AUDIT_LOG_CORRUPT: ExitCode.IntegrityFailure,
  CANCELLED: ExitCode.Cancelled,
  RUN_CANCELLED: ExitCode.Cancelled,
  DOWNLOAD_CANCELLED: ExitCode.Cancelled,
  AUDIT_LOG_UNWRITABLE: ExitCode.Internal,
  RAG_STORE_FAILED: ExitCode.Internal,
};

export function exitCodeFor(code: string): ExitCode {
  return BY_CODE[code] ?? ExitCode.InputError;
}

/** A path as a person reads it (relative under the current folder, else absolute), terminal-safe: names found on disk or in e-mails may carry ESC or bidi controls. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return terminalSafe(rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p);
}
