/**
 * Latin and French terms of art of legal writing ("inter alia", "pari passu", "Force Majeure"): no one's name, in
 * any case. Some of their words are also given or family names ("Majeure", "Fide"), so a name reader alone would
 * take them for people.
 */
const TERM_OF_ART =
  /(?<![\p{L}\p{N}])(?:inter alia|inter se|et al|et seq|mutatis mutandis|pari passu|bona fides?|mala fide|pro rata|pro tanto|pro forma|pro bono|de minimis|de facto|de jure|prima facie|per se|ad hoc|sui generis|ab initio|ultra vires|res judicata|nunc pro tunc|amicus curiae|pendente lite|in camera|de novo|force majeure|caveat emptor|ex parte|in rem|in personam|quantum meruit|habeas corpus|ejusdem generis|contra proferentem|forum non conveniens|lex loci)(?![\p{L}\p{N}])/giu;

/** The widest reach of a term around a word of it (the longest term is 21 characters). */
const REACH = 24;

/** Whether [start, end) lies inside a term of art (in any case). */
export function inTermOfArt(text: string, start: number, end: number): boolean {
  const from = Math.max(0, start - REACH);
  const window = text.slice(from, Math.min(text.length, end + REACH));
  for (const m of window.matchAll(TERM_OF_ART)) {
    const s = from + m.index;
    if (s <= start && end <= s + m[0].length) return true;
  }
  return false;
}

/** Whether a term of art stands within 16 characters of [start, end) (a lower-case word beside "et al" is no name either). */
export function nearTermOfArt(text: string, start: number, end: number): boolean {
  const window = text.slice(Math.max(0, start - 16), end + 16);
  TERM_OF_ART.lastIndex = 0;
  const near = TERM_OF_ART.test(window);
  TERM_OF_ART.lastIndex = 0;
  return near;
}
