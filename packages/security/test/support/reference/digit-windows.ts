// Frozen copy of the phone recognizer's digitWindows before it read the text's shared digit runs (oracle for
// test/fast-path.int.spec.ts; do not edit).
/**
 * Characters libphonenumber's finder allows between the digit blocks of one number (its VALID_PUNCTUATION: dashes,
 * slashes, dots, spaces, brackets, tildes). No line break: a number it finds never crosses one.
 */
const FINDER_PUNCTUATION = new Set(
  "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30FC\uFF0D\uFF0F/\uFF0E. \u00A0\u00AD\u200B\u2060\u3000()\uFF08\uFF09\uFF3B\uFF3D[]~\u2053\u223C\uFF5E",
);
const NON_ASCII_DIGIT = /\p{Nd}/u;
/** Fewest digits of a number libphonenumber calls valid (Austria: +43 and four national digits). */
const MIN_VALID_DIGITS = 6;

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const isDigitAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c > 127 && NON_ASCII_DIGIT.test(text[i] ?? ""));
};

/**
 * The longest block of digits in [from, to) joined by up to 4 of the finder's punctuation characters (a valid number
 * has at least MIN_VALID_DIGITS of them), and the count of ASCII digits.
 */
function digitRun(text: string, from: number, to: number): { digits: number; run: number } {
  let digits = 0;
  let run = 0;
  let current = 0;
  let gap = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      current = gap <= 4 ? current + 1 : 1;
      gap = 0;
    } else if (c > 127 && NON_ASCII_DIGIT.test(text[i] ?? "")) {
      current = gap <= 4 ? current + 1 : 1;
      gap = 0;
    } else if (current > 0 && FINDER_PUNCTUATION.has(text[i] ?? "")) {
      gap++;
      continue;
    } else {
      if (current > run) run = current;
      current = 0;
      gap = 0;
      continue;
    }
    if (current > run) run = current;
  }
  return { digits, run };
}

/**
 * Where the finder's candidates of one line can be looked for apart: the line cut inside every stretch between two
 * digits that holds two words (runs of letters and marks with something else between them). A candidate joins its
 * digit blocks with at most 4 punctuation characters, or with one extension label ("ext.", "x", "anexo"), so none
 * spans such a stretch; each piece keeps the whole stretches on both sides, so the finder sees the same characters
 * around every candidate (it reads one before and three after) and its left-to-right search meets the same ones.
 */
function linePieces(text: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let pieceStart = start;
  let lastDigit = -1; // end of the last digit seen
  let gapStart = -1; // where the stretch after the last digit starts
  let words = 0; // letter runs in the current stretch
  let inWord = false;
  for (let i = start; i < end; i++) {
    if (isDigitAt(text, i)) {
      if (lastDigit >= 0 && words >= 2) {
        out.push([pieceStart, i]); // the piece ends right before this digit, with the whole stretch
        pieceStart = gapStart;
      }
      lastDigit = i + 1;
      gapStart = i + 1;
      words = 0;
      inWord = false;
      continue;
    }
    if (lastDigit < 0) continue;
    const c = text.charCodeAt(i);
    const letter = c < 128 ? ((c | 32) >= 97 && (c | 32) <= 122) : LETTER_OR_MARK.test(text[i] ?? "");
    if (letter && !inWord) words++;
    inWord = letter;
  }
  out.push([pieceStart, end]);
  return out;
}

/**
 * The parts of a text that can hold a number libphonenumber would accept, each with its offset: in a line holding
 * at least 7 ASCII digits (or whose neighbour brings the pair to 7), the pieces (see linePieces) holding a block of
 * at least 6 digits joined only by the finder's punctuation (a valid number has 6 digits or more, and the finder
 * never joins blocks across other characters or lines). Its in-text finder is slow (well under 1 MB/s), and most of
 * a contract has no such piece: amounts ("$1,000,000"), dates and section numbers are not joined that way.
 */
export function digitWindows(text: string): { readonly offset: number; readonly text: string }[] {
  const lines: { start: number; end: number; digits: number; run: number }[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, end, ...digitRun(text, start, end) });
    if (nl < 0) break;
    start = nl + 1;
  }
  const out: { offset: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.run < MIN_VALID_DIGITS) continue;
    const here = line.digits;
    if (here + (lines[i + 1]?.digits ?? 0) < 7 && here + (lines[i - 1]?.digits ?? 0) < 7) continue;
    for (const [from, to] of linePieces(text, line.start, line.end)) {
      if (digitRun(text, from, to).run >= MIN_VALID_DIGITS) out.push({ offset: from, text: text.slice(from, to) });
    }
  }
  return out;
}
