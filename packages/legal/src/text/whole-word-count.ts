// Counting a defined term's uses built a regular expression per term (`\bTerm\b`), so each contract
// compiled a few dozen expressions of its own that the next contract never reuses (V8 compiles each to
// machine code on its first runs over a long text). A literal search with the same boundary test is
// what that expression did.

/** A word character as `\b` reads it without the `u` flag: [A-Za-z0-9_]. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/**
 * How many times `term` occurs in `text` from `from` on as `/\bterm\b/g` would count it over
 * `text.slice(from)` (escaped, case-sensitive, matches not overlapping): a boundary is where a word
 * character meets a non-word character, and `from` and the text's end count as non-word.
 */
export function countWholeWord(text: string, term: string, from = 0): number {
  if (term.length === 0) throw new RangeError("countWholeWord: the term is empty");
  const startsWithWord = isWordChar(term.charCodeAt(0));
  const endsWithWord = isWordChar(term.charCodeAt(term.length - 1));
  let count = 0;
  let at = text.indexOf(term, from);
  while (at >= 0) {
    const end = at + term.length;
    const wordBefore = at > from && isWordChar(text.charCodeAt(at - 1));
    const wordAfter = end < text.length && isWordChar(text.charCodeAt(end));
    if (wordBefore !== startsWithWord && wordAfter !== endsWithWord) {
      count++;
      at = text.indexOf(term, end);
    } else at = text.indexOf(term, at + 1);
  }
  return count;
}
