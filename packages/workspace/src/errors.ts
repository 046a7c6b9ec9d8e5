import { BearError, type BearErrorOptions } from "@bear/core";

/** Codes of the errors this package raises (package errors keep their own codes). */
export type WorkspaceErrorCode =
  | "WORKSPACE_NOT_INITIALISED"
  | "WORKSPACE_EXISTS"
  | "WORKSPACE_DAMAGED"
  | "PASSPHRASE_REQUIRED"
  | "PASSPHRASE_TOO_SHORT"
  | "WRONG_PASSPHRASE"
  | "INPUT_INVALID"
  | "INPUT_NOT_FOUND"
  | "UPLOAD_TOO_LARGE"
  | "UPLOAD_REJECTED"
  | "CONVERSATION_NOT_FOUND"
  | "PLUGIN_EXISTS"
  | "PLUGIN_NOT_FOUND"
  | "PLUGIN_FAILED"
  | "USER_EXISTS"
  | "USER_NOT_FOUND"
  | "AGENT_NOT_CREATABLE";

/** An error of a workspace rule: its folder, keys, uploads, users or plugins. */
export class BearWorkspaceError extends BearError<WorkspaceErrorCode> {
  constructor(code: WorkspaceErrorCode, message: string, options?: BearErrorOptions) {
    super(code, message, options);
  }
}
