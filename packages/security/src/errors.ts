import { BearError, type BearErrorOptions } from "@bear/core";

export type SecurityErrorCode =
  | "SECURITY_CONFIG_INVALID"
  | "PII_RECOGNIZER_INVALID"
  | "VAULT_ACCESS_DENIED"
  | "VAULT_TOKEN_UNKNOWN"
  | "AUDIT_LOG_CORRUPT"
  | "AUDIT_LOG_UNWRITABLE"
  | "DECRYPTION_FAILED"
  | "KEY_INVALID"
  | "ACCESS_DENIED"
  | "AUTHENTICATION_FAILED"
  | "PRINCIPAL_UNKNOWN"
  | "PRINCIPAL_STORE_INVALID"
  | "RATE_LIMITED"
  | "NAME_MODEL_INVALID"
  | "PII_SCAN_FAILED"
  | "DATA_KEY_DESTROYED";

/** Root of every error @bear/security throws on purpose. */
export class SecurityError extends BearError<SecurityErrorCode> {
  constructor(code: SecurityErrorCode, message: string, options?: BearErrorOptions) {
    super(code, message, options);
  }
}

/** A scanner or security option that cannot be used, named with the value given and what it takes. */
export class SecurityConfigError extends SecurityError {
  constructor(option: string, value: string, expected: string, options?: BearErrorOptions) {
    super("SECURITY_CONFIG_INVALID", `security option '${option}' is invalid: '${value}' (expected ${expected})`, { details: { option, value }, ...options });
  }
}

export class RecognizerConfigError extends SecurityError {
  constructor(recognizer: string, reason: string, options?: BearErrorOptions) {
    super("PII_RECOGNIZER_INVALID", `custom recognizer '${recognizer}' is invalid: ${reason}`, {
      hint: "Give each custom recognizer a name, an entity type, a valid regular expression and a score between 0 and 1.",
      ...options,
    });
  }
}

export class VaultAccessDeniedError extends SecurityError {
  constructor(reason: string, options?: BearErrorOptions) {
    super("VAULT_ACCESS_DENIED", `restoring tokenized values was refused: ${reason}`, {
      hint: "Restoring needs the vault key and a principal holding the 'pii.restore' permission.",
      ...options,
    });
  }
}

export class VaultTokenUnknownError extends SecurityError {
  constructor(token: string) {
    super("VAULT_TOKEN_UNKNOWN", `token '${token}' is not in the vault`, {
      hint: "Restore with the same TokenVault (or vault file) that tokenized the text.",
    });
  }
}

export class AuditLogError extends SecurityError {
  constructor(code: "AUDIT_LOG_CORRUPT" | "AUDIT_LOG_UNWRITABLE", message: string, options?: BearErrorOptions) {
    super(code, message, options);
  }
}

export class DecryptionError extends SecurityError {
  /** No retry opens what fails authentication: a workflow step or queued job that meets it fails at once. */
  readonly retryable = false;
  constructor(what: string, reason: string, options?: BearErrorOptions) {
    super("DECRYPTION_FAILED", `cannot decrypt '${what}': ${reason}`, {
      hint: "Check that the passphrase or key file is the one the data was encrypted with; a tampered or truncated file cannot be decrypted.",
      ...options,
    });
  }
}

/** Content sealed under a document's data key, after that key was destroyed (crypto-shredding). */
export class DataKeyDestroyedError extends SecurityError {
  constructor(documentId: string) {
    super("DATA_KEY_DESTROYED", `document '${documentId}' has no data key: it was deleted, and what was sealed for it cannot be opened`, {
      hint: "This is what deleting a document in an encrypted workspace does; ingest the document again to store it anew.",
      details: { documentId },
    });
  }
}

export class KeyError extends SecurityError {
  constructor(message: string, options?: BearErrorOptions) {
    super("KEY_INVALID", message, { hint: "Key files hold exactly 32 random bytes (raw, hex or base64).", ...options });
  }
}

export class AccessDeniedError extends SecurityError {
  constructor(
    readonly principalId: string,
    readonly action: string,
    readonly resource: string,
    reason: string,
  ) {
    super("ACCESS_DENIED", `principal '${principalId}' may not '${action}' on '${resource}': ${reason}`, {
      hint: "Ask an admin to grant the role or assign the matter.",
      details: { principalId, action, resource },
    });
  }
}

export class AuthenticationError extends SecurityError {
  constructor(what: string) {
    super("AUTHENTICATION_FAILED", `authentication failed for ${what}`, {
      hint: "Check the user name and password, or the API key.",
    });
  }
}

export class PrincipalUnknownError extends SecurityError {
  constructor(id: string) {
    super("PRINCIPAL_UNKNOWN", `principal '${id}' does not exist`, { hint: "Create the user or API key first." });
  }
}

/** The principals file cannot be read or does not hold what AccessControl wrote. */
export class PrincipalStoreError extends SecurityError {
  constructor(file: string, reason: string, options?: BearErrorOptions) {
    super("PRINCIPAL_STORE_INVALID", `principals file '${file}' is unusable: ${reason}`, {
      hint: "Restore it from a backup, or move it away to start with no principals (every API key must then be issued again).",
      ...options,
      details: { file },
    });
  }
}

export class RateLimitedError extends SecurityError {
  constructor(
    readonly principalId: string,
    readonly retryAfterMs: number,
  ) {
    super("RATE_LIMITED", `principal '${principalId}' exceeded its request rate (retry in ${retryAfterMs} ms)`, {
      hint: "Slow down, or raise the rate limit in the security configuration.",
      details: { principalId, retryAfterMs },
    });
  }
}

export class NameModelError extends SecurityError {
  constructor(file: string, reason: string, options?: BearErrorOptions) {
    super("NAME_MODEL_INVALID", `name model '${file}' cannot be read: ${reason}`, {
      hint: "Reinstall @bear/security, or rebuild the weights with `npm run train -w @bear/security`.",
      ...options,
    });
  }
}

export class ScanPoolError extends SecurityError {
  constructor(reason: string, options?: BearErrorOptions) {
    super("PII_SCAN_FAILED", `PII scan pool: ${reason}`, { hint: "Create a new PiiScanPool; rebuild @bear/security if its worker script is missing.", ...options });
  }
}
