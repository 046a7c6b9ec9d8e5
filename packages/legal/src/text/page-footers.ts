// EDGAR page footers ("Source: ACME CORP, 10-K, 3/30/2007") in text taken from a filing's PDF are glued to the last
// word of the page ("TERMINATIONSource: …, SB-2/A, 9/18/2006"), so they ran into clause headings and evidence.
// CUAD's own texts put each footer on a line of its own between blank lines; `pageFooterLayout` gives glued ones
// the same layout for segmentation, in a string of the same length, so every offset into the text still holds.

// "Source: ISSUER, FORM, M/D/YYYY": the issuer may hold commas ("ACME, INC."), the form does not ("DRS/A (on S-1)").
const GLUED_FOOTER = /(?<=\S)Source:[ \t]+[^\n\f]{1,150}?,[ \t]*[^,\n\f]{1,30},[ \t]*\d{1,2}\/\d{1,2}\/\d{4}/g;

/** Where a page footer is glued to the text before it: half-open ranges over the footer. */
export function gluedPageFooters(text: string): { start: number; end: number }[] {
  if (!text.includes("Source:")) return [];
  return [...text.matchAll(GLUED_FOOTER)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * The text with each glued page footer turned into a blank line (a paragraph break, as CUAD's texts have it)
 * padded with spaces to the footer's length: the same length as `text`, equal to it outside the footers.
 */
export function pageFooterLayout(text: string): string {
  const footers = gluedPageFooters(text);
  if (footers.length === 0) return text;
  let out = "";
  let at = 0;
  for (const f of footers) {
    out += text.slice(at, f.start) + "\n\n" + " ".repeat(f.end - f.start - 2);
    at = f.end;
  }
  return out + text.slice(at);
}
