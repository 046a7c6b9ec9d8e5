import { BearError } from "@bear/core";
import { ExitCode } from "./exit-codes";

export interface OutputOptions {
  readonly json: boolean;
}

/** Machine output goes to stdout as one JSON document; people get text. Errors go to stderr. */
export function emit(options: OutputOptions, data: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

const useColour = () => process.stderr.isTTY && !process.env.NO_COLOR;

export function reportError(options: OutputOptions, error: unknown): ExitCode {
  const bear = BearError.isInstance(error) ? error : undefined;
  const code = bear ? exitCodeFor(bear.code) : ExitCode.Internal;
  if (options.json) {
    const body = bear ? bear.toJSON() : { name: "Error", code: "INTERNAL", message: (error as Error)?.message ?? String(error) };
    process.stderr.write(`${JSON.stringify({ error: body })}\n`);
  } else {
    const text = bear ? bear.describe() : `internal error: ${(error as Error)?.stack ?? String(error)}`;
    process.stderr.write(`${useColour() ? "\x1b[31merror\x1b[0m" : "error"}: ${text}\n`);
  }
  return code;
}

function exitCodeFor(code: string): ExitCode {
  if (code === "USAGE") return ExitCode.Usage;
  if (code === "PARTIAL_FAILURE") return ExitCode.PartialFailure;
  return ExitCode.InputError;
}
