/** Fewer visible characters than this and a page counts as having no text layer. */
const MIN_VISIBLE_CHARS = 24;

/**
 * Whether a PDF page's text layer can be trusted, or the page should be OCRed instead: no text
 * (a scan, an image-only page), or garbage — text drawn with a font whose encoding maps glyphs to
 * the wrong code points, which reads as symbols, control and private-use characters.
 */
export function isUsableTextLayer(text: string): boolean {
  const visible = [...text.replace(/\s+/g, "")];
  if (visible.length < MIN_VISIBLE_CHARS) return false;
  let wordish = 0;
  let broken = 0;
  for (const ch of visible) {
    if (/[\p{L}\p{N}]/u.test(ch)) wordish++;
    else if (/[\p{Cc}\p{Co}\p{Cs}\ufffd]/u.test(ch)) broken++;
  }
  if (broken / visible.length > 0.05) return false;
  if (wordish / visible.length < 0.5) return false;
  // Letters glued into words with no vowel at all ("Xqzt Rvbkm") are a shifted encoding.
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  if (words.length >= 10) {
    const voweled = words.filter((w) => /[aeiouyàâäéèêëíìîïóòôöúùûüæøåāēīōū]/i.test(w) || !/[a-z]/i.test(w)).length;
    if (voweled / words.length < 0.6) return false;
  }
  return true;
}
