import { createRequire } from "node:module";
import type nlpType from "compromise";

type Nlp = typeof nlpType;
let loaded: Nlp | undefined;
let lexiconOf: Record<string, string | string[]> | undefined;

/**
 * compromise (NLP tagging), loaded on first use: it costs most of a second of CPU to load, and
 * importing @bear/security (to write an audit record, check a key…) should not pay for it.
 */
export function nlp(): Nlp {
  return (loaded ??= createRequire(import.meta.url)("compromise") as Nlp);
}

/** compromise's word → tags lexicon (lower-case keys). */
export function lexicon(): Record<string, string | string[]> {
  return (lexiconOf ??= (nlp().model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon);
}
