/**
 * Encrypts small pieces of stored content (chunk text, titles, extracted documents) at rest, and
 * gives the deterministic keyed "blind" tokens that let a full-text index work over encrypted text.
 * Implemented by @bear/security; consumed by rag when the workspace is encrypted.
 */
export const ContentCipher = Symbol.for("@bear/core:ContentCipher");
export interface ContentCipher {
  /** A fingerprint of the key (not secret): an index sealed under one key refuses another. */
  readonly keyId: string;
  /**
   * Authenticated encryption of `plaintext`; a fresh nonce each call, so equal inputs differ.
   * `context` (what the value was sealed for, e.g. a run, step, attempt and matter) is bound to it
   * as authenticated data: it is not stored, and `open` fails unless given the same context.
   */
  seal(plaintext: string, context?: string): string;
  /** The plaintext of `sealed`; throws on a wrong key or context, or any tampered byte, never returns garbage. */
  open(sealed: string, context?: string): string;
  /**
   * A keyed pseudonym of one normalised search term: equal terms give equal tokens under one key,
   * and the term cannot be recovered without it. Tokens are lowercase alphanumerics.
   */
  blindTerm(term: string): string;
}

/**
 * Per-document data keys, for crypto-shredding: what is sealed for a document opens only while
 * that document's own key exists, and `destroy` makes it unrecoverable wherever copies of the
 * sealed text lie (an index file, a backup of it, a disk image). Implemented by @bear/security
 * (each key wrapped by the workspace key); rag seals a document's stored text with it when bound.
 */
export const DocumentKeyring = Symbol.for("@bear/core:DocumentKeyring");
export interface DocumentKeyring {
  /** Seals `plaintext` under `documentId`'s data key, creating (and storing) the key on first use. */
  seal(documentId: string, plaintext: string): string;
  /** Opens what `seal` made for `documentId`; throws once its key was destroyed, or on any tampering. */
  open(documentId: string, sealed: string): string;
  /** Destroys `documentId`'s data key; false when it had none. */
  destroy(documentId: string): boolean;
}
