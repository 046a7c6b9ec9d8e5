const BEAR_ERROR_BRAND = Symbol.for("@bear/core:BearError");

export interface BearErrorOptions {
  /** What the user can do about it, in one sentence. */
  readonly hint?: string;
  /** The lower-level error this one wraps (a native library's, a syscall's…). */
  readonly cause?: unknown;
  /** Structured, non-sensitive facts for logs and API responses (never document text or secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface BearErrorJson {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The root of every error BEAR throws on purpose. `code` is stable and machine-readable
 * (each package declares its own string-literal union); `message` names the thing and the
 * value; `hint` says what to do.
 */
export class BearError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Code, message: string, options: BearErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    Object.defineProperty(this, BEAR_ERROR_BRAND, { value: true });
  }

  /** True for a BearError from any copy of this package (instanceof fails across copies). */
  static isInstance(value: unknown): value is BearError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BEAR_ERROR_BRAND] === true;
  }

  /** The message followed by the hint, as a person at a terminal should see it. */
  describe(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }

  toJSON(): BearErrorJson {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}
