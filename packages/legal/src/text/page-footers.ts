// EDGAR page footers ("Source: ACME CORP, 10-K, 3/30/2007") in text taken from a filing's PDF are glued to the last
// word of the page ("TERMINATIONSource: …, SB-2/A, 9/18/2006"), so they ran into clause headings and evidence.
// CUAD's own texts put each footer on a line of its own between blank lines; `pageFooterLayout` gives glued ones
// the same layout for segmentation, in a string of the same length, so every offset into the text still holds.

// "Source: ISSUER, FORM, M/D/YYYY": the issuer may hold commas ("ACME, INC."); the form is an SEC form's name in
// capitals and digits ("10-K", "SB-2/A", "SC 13D", "DRS/A (on S-1)"), so prose with a date in it ("(Source: London
// Metal Exchange, daily fix, 1/15/2020)") is no footer. Glued means right after the page's last character, which is
// not a blank, an opening bracket nor an opening quote. (Pages end in letters, digits and full stops, but also in
// ':', '-', ']', ',', ')', ';' and '"' in CUAD's train texts, so no narrower set of characters will do.)
const SEC_FORM = String.raw`[A-Z0-9]{1,8}(?:[- ][A-Z0-9]{1,8}){0,2}(?:\/A)?(?:[ \t]+\(on[ \t]+[A-Z0-9]{1,8}(?:-[A-Z0-9]{1,8})*(?:\/A)?\))?`;
const GLUED_FOOTER = new RegExp(String.raw`(?<=[^\s(\[{“‘«])Source:[ \t]+[^\n\f]{1,150}?,[ \t]*${SEC_FORM},[ \t]*\d{1,2}\/\d{1,2}\/\d{4}`, "gu");

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
