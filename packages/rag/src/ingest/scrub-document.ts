import type { ScrubOptions, Scrubber } from "@bear/core";

/** Between the text and its title in one scrub: blank lines no finding spans, never replaced. */
const SEPARATOR = "\n\n\n\n";

/** A document's text and declared title after the scrub, with the way back to the text's original offsets. */
export interface ScrubbedDocument {
  readonly text: string;
  readonly title: string | undefined;
  toOriginalSpan(start: number, end: number): { readonly start: number };
}

/**
 * Scrubs a document's text and the title its format declares (PDF Title, HTML <title>, e-mail
 * Subject) in one pass (rev12 #9), so the title is numbered with the document: "Jane Okafor" in the
 * title is the body's <PERSON_1>. The title follows the text, so the body's numbering is the one a
 * scrub of the text alone gives. When the scrub changed the separator (it never should), the title
 * is scrubbed on its own with the same document id.
 */
export async function scrubDocument(scrubber: Scrubber, text: string, title: string | undefined, options: ScrubOptions): Promise<ScrubbedDocument> {
  if (!title) {
    const scrubbed = await scrubber.scrub(text, options);
    return { text: scrubbed.text, title, toOriginalSpan: (s, e) => scrubbed.toOriginalSpan(s, e) };
  }
  const joined = await scrubber.scrub(`${text}${SEPARATOR}${title}`, options);
  const end = scrubbedOffsetOf(text.length, joined.text.length, (s) => joined.toOriginalSpan(s, s).start);
  if (joined.text.startsWith(SEPARATOR, end) && joined.toOriginalSpan(end, end + SEPARATOR.length).start === text.length) {
    return { text: joined.text.slice(0, end), title: joined.text.slice(end + SEPARATOR.length), toOriginalSpan: (s, e) => joined.toOriginalSpan(s, e) };
  }
  const [body, scrubbedTitle] = [await scrubber.scrub(text, options), await scrubber.scrub(title, options)];
  return { text: body.text, title: scrubbedTitle.text, toOriginalSpan: (s, e) => body.toOriginalSpan(s, e) };
}

/** The first offset of the scrubbed text that maps to `original` or later (binary search: the map only grows). */
function scrubbedOffsetOf(original: number, scrubbedLength: number, toOriginal: (s: number) => number): number {
  let lo = 0;
  let hi = scrubbedLength;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toOriginal(mid) < original) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The words of a file name that a scrubbed document may be searched and titled by: those its scrubbed
 * text or title also holds. A name the scrub removed from the text ("okafor-jane-divorce.eml") is
 * not kept; the scrub cannot see it in the file name itself (lower case, no context).
 */
export function fileNameWordsIn(name: string, scrubbed: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  // a handful of words, each looked for as a whole word (no set of the text's words is built)
  return words.filter((w) => new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, "iu").test(scrubbed)).join(" ");
}
