/** A span of personal data found in a text: character offsets into that text, end exclusive. */
export interface PiiSpan {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

export interface ScrubOptions {
  /** Name of the scrub policy to apply (which operator for which entity type). */
  readonly policy?: string;
  /** Ties consistent placeholders to one document (the same person is <PERSON_1> throughout it). */
  readonly documentId?: string;
  readonly signal?: AbortSignal;
}

/** Text with personal data replaced, and the way back to the original's offsets. */
export interface ScrubbedText {
  readonly text: string;
  /** Where replacements stand in the scrubbed `text`, with the entity type each replaced. */
  readonly replacements: readonly PiiSpan[];
  /** Maps a span of the scrubbed text to the span of the original it came from. */
  toOriginalSpan(start: number, end: number): { readonly start: number; readonly end: number };
}

/** Removes personal data from text. Implemented by @bear/security; consumed by rag and agents. */
export const Scrubber = Symbol.for("@bear/core:Scrubber");
export interface Scrubber {
  scrub(text: string, options?: ScrubOptions): Promise<ScrubbedText>;
}
