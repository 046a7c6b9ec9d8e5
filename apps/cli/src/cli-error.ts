import { BearError, type BearErrorOptions } from "@bear/core";

/** Codes of the errors the CLI itself raises (package errors keep their own codes). */
export type CliErrorCode =
  | "USAGE"
  | "INPUT_NOT_FOUND"
  | "INPUT_INVALID"
  | "WORKSPACE_NOT_INITIALISED"
  | "WORKSPACE_EXISTS"
  | "PASSPHRASE_REQUIRED"
  | "PARTIAL_FAILURE"
  | "NOT_AVAILABLE"
  | "AUDIT_TAMPERED"
  | "CANCELLED";

/** An error of the `bear` command line, mapped to an exit code by `reportError`. */
export class CliError extends BearError<CliErrorCode> {
  constructor(code: CliErrorCode, message: string, options?: BearErrorOptions) {
    super(code, message, options);
  }
}

/** Raised when the command did its job for some items but not for others; the report was already printed. */
export class PartialFailure extends CliError {
  constructor(message: string, options?: BearErrorOptions) {
    super("PARTIAL_FAILURE", message, options);
  }
}
