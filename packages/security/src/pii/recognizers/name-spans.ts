/** Titles written before a name. */
export const HONORIFIC = /^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Judge|Justice|Hon|Rev|Messrs)\.?\s+)+/;

/** Capitalised words that start a clause or a heading, not a name. */
export const STOP_START: ReadonlySet<string> = new Set(["The", "This", "That", "These", "Each", "Any", "All", "Such", "Our", "Your", "His", "Her", "Its", "Their", "A", "An", "In", "On", "At", "Of", "For", "By", "To", "And", "Section", "Article", "Schedule", "Exhibit"]);

/**
 * A reported name span made ready to check: cut at the first line break (names do not run across
 * lines: "Extensions\n Apt" is an address block), tidied, and without a possessive ("Wilson's").
 */
export function nameSpan(text: string, start: number, end: number, dropHonorific: boolean): [number, number] | undefined {
  const newline = text.slice(start, end).search(/\s*\n/);
  const span = tidy(text, start, newline > 0 ? start + newline : end, dropHonorific);
  if (!span) return undefined;
  const [s] = span;
  let e = span[1];
  if (/\p{L}['’]s$/u.test(text.slice(s, e))) e -= 2;
  return [s, e];
}

/** Trims punctuation and honorifics off a span reported by the NLP library. */
export function tidy(text: string, start: number, end: number, dropHonorific: boolean): [number, number] | undefined {
  let s = start;
  let e = end;
  while (s < e && /[\s"'“”‘’([,;:!?*-]/.test(text[s] ?? "")) s++;
  while (e > s && /[\s"'“”‘’)\],;:!?*.-]/.test(text[e - 1] ?? "")) {
    // keep the period of a trailing initial or abbreviation ("Inc.", "Ravil G.")
    // ("INC.", "L.P.", "S.A." too: a placeholder must not leave the period of a split legal form behind)
    if (text[e - 1] === "." && /(?:^|[\s.])(?:[A-Z]|[Ii]nc|INC|[Ll]td|LTD|[Cc]o|CO|[Cc]orp|CORP|Jr|Sr|JR|SR|Bros|BROS|Ltda|LTDA)$|\p{L}\.\p{L}$/u.test(text.slice(s, e - 1))) break;
    e--;
  }
  if (dropHonorific) {
    const h = HONORIFIC.exec(text.slice(s, e));
    if (h) s += h[0].length;
  }
  if (e - s < 2 || !/\p{L}/u.test(text.slice(s, e))) return undefined;
  return [s, e];
}
