/**
 * Encrypts small pieces of stored content (chunk text, titles, extracted documents) at rest, and
 * gives the deterministic keyed "blind" tokens that let a full-text index work over encrypted text.
 * Implemented by @bear/security; consumed by rag when the workspace is encrypted.
 */
export const ContentCipher = Symbol.for("@bear/core:ContentCipher");
export interface ContentCipher {
  /** A fingerprint of the key (not secret): an index sealed under one key refuses another. */
  readonly keyId: string;
  /** Authenticated encryption of `plaintext`; a fresh nonce each call, so equal inputs differ. */
  seal(plaintext: string): string;
  /** The plaintext of `sealed`; throws on a wrong key or any tampered byte, never returns garbage. */
  open(sealed: string): string;
  /**
   * A keyed pseudonym of one normalised search term: equal terms give equal tokens under one key,
   * and the term cannot be recovered without it. Tokens are lowercase alphanumerics.
   */
  blindTerm(term: string): string;
}
