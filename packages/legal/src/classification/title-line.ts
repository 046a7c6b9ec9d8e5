// Lines that only name a clause ("9.5 Audit Rights.", "RECORD-KEEPING AND AUDITS", "e) Audit Rights.") or
// list clauses (a table of contents) carry the category's words without being the clause: the rule
// model never labels them.

// "22 Section 8.13" in a table of contents starts with the page number of the previous entry.
const NUMBERING = /^(?:\d{1,3}\s+)?(?:(?:section|article|clause)\s+)?(?:\d{1,3}(?:\.\d{1,3})*|[ivxl]{1,6}|\(?[a-z0-9]{1,3}\))\.?\s+/i;
// Three entries such as "Section 8.02 Jurisdiction 19".
const CONTENTS = /(?:(?:section|article)\s+\d{1,3}(?:\.\d{1,3})*\.?\s+[^.]{1,80}?\s\d{1,3}\s+){3}/i;
const CONNECTIVE = /^(?:of|and|or|to|for|the|in|on|by|with|a|an|&|-)$/;

const CLOSING = new Set([".", ":", ";", '"', "”"]);
const SPACE = /\s/;

/**
 * The text without its closing run of white space and . : ; " ” (what `replace(/[\s.:;"”]+$/, "")` removes), read back
 * from the end: the regex tried each position of a long run of such characters inside a sentence (a run of spaces)
 * and read on to the run's end from there, quadratic.
 */
function withoutClosing(text: string): string {
  let end = text.length;
  while (end > 0 && (CLOSING.has(text[end - 1] as string) || SPACE.test(text[end - 1] as string))) end--;
  return text.slice(0, end);
}

/** The line without its number and closing punctuation. */
export function titleText(line: string): string {
  return withoutClosing(line.trim().replace(NUMBERING, ""));
}

/** True when the line is the clause heading itself, or a short title in Title Case or capitals. */
export function isTitleLine(line: string, heading?: string): boolean {
  if (CONTENTS.test(line)) return true;
  const text = titleText(line);
  if (heading !== undefined && text.toLowerCase() === heading.trim().toLowerCase()) return true;
  if (/[,;]/.test(text)) return false;
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= 6 && words.every((w) => /^["“(]?[A-Z]/.test(w) || CONNECTIVE.test(w));
}
