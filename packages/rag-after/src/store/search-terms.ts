import { createRequire } from "node:module";
import type { ContentCipher } from "@bear/core";

// Porter2 (Snowball English): the same stemmer LanceDB's full-text analyser applies to plain text.
// Loaded through require with its one-line type here, so packages that compile rag's sources do
// not need an ambient declaration for this untyped CommonJS module.
const stem = createRequire(import.meta.url)("wink-porter2-stemmer") as (word: string) => string;

// English stop words dropped from blind (encrypted) search text, as LanceDB's own analyser drops
// them from plain text: they carry no ranking signal and would dominate the term statistics.
const STOP_WORDS = new Set(
  (
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with " +
    "shall may must any all each other its which who whom whose been being have has had do does did than so"
  ).split(" "),
);

/**
 * The terms of `text` as the encrypted index sees them: Unicode-decomposed, accents removed,
 * lowercased, split on anything that is not a letter or digit, stop words dropped, stemmed —
 * what LanceDB's analyser does to plain text, done before the terms are blinded.
 */
export function searchTerms(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && !STOP_WORDS.has(t))
    .map((t) => stem(t));
}

/** Text for the full-text index of an encrypted store: each term replaced by its keyed blind token. */
export function blindText(text: string, cipher: ContentCipher): string {
  return searchTerms(text)
    .map((t) => cipher.blindTerm(t))
    .join(" ");
}
