import path from "node:path";

/** What a document is called: the fields a person names it by, and its opening text. */
export interface DocumentProfileInput {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly parties: readonly string[];
  /** Scrubbed on ingest: its file name does not name it (the scrub cannot see a name in a file name, rev12 #9). */
  readonly scrubbed?: boolean;
  /** The document's text: its opening names it; all of it tells which words every document uses. */
  readonly text: string;
}

/** One document a question or a `--doc` reference may name, best first. */
export interface DocumentMatch {
  readonly documentId: string;
  /**
   * Sum of the rarity (idf) of the reference's words that name this document, in units of the
   * rarest possible word (one found in a single document), so thresholds hold for any corpus size.
   */
  readonly score: number;
}

/** Thresholds calibrated on the tune half of the public split (see scripts/train-answer-ranker.ts). */
export interface ResolverThresholds {
  /** The best document's score must reach this. */
  readonly minScore: number;
  /** ...and beat the second best by this much. */
  readonly minMargin: number;
  /**
   * When no one document is clear, the few that score at least this (and within one rarest-word
   * of the best) are still the ones the question names: the answer stays among them.
   */
  readonly minSetScore: number;
}

/** At most this many documents in an ambiguous set; more means the question names none. */
const MAX_SET = 4;

const STOP = new Set(
  "a an and are as at be been but by can could did do does for from had has have how i if in into is it its may might must no not of on or our shall should so than that the their them then there these they this those to under upon was we were what when where which who whom whose why will with would you your consider between any document documents contract contracts agreement agreements".split(
    " ",
  ),
);

/** `text` lowercased, file-name escapes decoded and possessives removed: what naming words are cut from. */
function namingText(text: string): string {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // a stray % is just a character
  }
  return decoded.toLowerCase().replace(/['’]s\b/g, "");
}

/** A naming word is two characters or more, not a stop word, not a one- or two-digit number. */
const keptWord = (w: string): boolean => w.length >= 2 && !STOP.has(w) && !/^\d{1,2}$/.test(w);

/** Words a document can be named by: lowercased, possessives and file-name escapes removed. */
export function nameWords(text: string): string[] {
  return (namingText(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter(keptWord);
}

/**
 * Whether `word` holds a word a document can be named by (see `nameWords`): not a stop word or a
 * word every contract uses ("agreement", "contract", "document"), not a one- or two-digit number.
 */
export function canNameDocument(word: string): boolean {
  return nameWords(word).length > 0;
}

const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
/** Per BMP code point: 0 not yet asked, 1 a letter or number, 2 neither (64 KiB, whatever a text holds). */
const bmpWordCodes = new Uint8Array(0x10000);
/** Whether code point `c` is a letter or a number (`\p{L}`, `\p{N}`): ASCII by range, the rest of the BMP by the regex once, astral ones by the regex. */
function isWordCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  if (c > 0xffff) return LETTER_OR_NUMBER.test(String.fromCodePoint(c));
  let known = bmpWordCodes[c];
  if (!known) bmpWordCodes[c] = known = LETTER_OR_NUMBER.test(String.fromCodePoint(c)) ? 1 : 2;
  return known === 1;
}

/**
 * `into` with `nameWords(text)` added, in their order: the same words, cut by one scan of the text
 * instead of a Unicode regex match, a filter and an array of every word (a whole document's
 * vocabulary, as a NamingIndex profiles it: namingWords over cuad_train 0.72-1.02 -> 0.50-0.61 s CPU).
 */
export function addNameWords(text: string, into: Set<string>): Set<string> {
  const lower = namingText(text);
  let start = -1;
  const end = (at: number): void => {
    const w = lower.slice(start, at);
    // keptWord, with the number test by character codes: a two-character word of two ASCII digits
    if (w.length >= 2 && !STOP.has(w) && !(w.length === 2 && isDigit(w.charCodeAt(0)) && isDigit(w.charCodeAt(1)))) into.add(w);
    start = -1;
  };
  for (let i = 0; i < lower.length; ) {
    const c = lower.codePointAt(i) ?? 0; // i < length: always defined
    if (isWordCode(c)) {
      if (start < 0) start = i;
    } else if (start >= 0) end(i);
    i += c > 0xffff ? 2 : 1;
  }
  if (start >= 0) end(lower.length);
  return into;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** A file name's words: its base name without the extension, separators made spaces. */
export function fileNameText(source: string): string {
  return path
    .basename(source)
    .replace(/\.[a-z0-9]{1,5}$/i, "")
    .replace(/[_.-]+/g, " ");
}

/** What a document is named by, computed once per document version (see NamingIndex). */
export interface NamingWords {
  /** Words of its title, parties and file name. */
  readonly names: ReadonlySet<string>;
  /** Words of its opening that are not among `names`. */
  readonly head: ReadonlySet<string>;
  /** Every word of the document (names and whole text): what its document frequency counts. */
  readonly words: ReadonlySet<string>;
}

/** The opening that names the document and its parties. */
const HEAD_CHARS = 1500;

export function namingWords(d: DocumentProfileInput): NamingWords {
  const names = new Set(nameWords(`${d.title} ${d.parties.join(" ")} ${d.scrubbed ? "" : fileNameText(d.source)}`));
  const head = new Set(nameWords(d.text.slice(0, HEAD_CHARS)).filter((w) => !names.has(w)));
  return { names, head, words: addNameWords(d.text, new Set(names)) };
}

/** Weight of a naming word in a document: names 1, opening only 0.6. */
export const NAME_WEIGHT = 1;
export const HEAD_WEIGHT = 0.6;

/** One naming word: the documents it names (by slot, with its weight there), and how many documents use it at all. */
export interface NamingEntry {
  readonly postings: readonly { readonly slot: number; readonly weight: number }[];
  readonly df: number;
}

/**
 * Finds the document a question names ("the Supply Agreement between Florida Chemical and
 * Flotek", "ResConnect's NDA", a file name). A word counts by its rarity across the documents'
 * whole texts (idf), fully when it is in the title, parties or file name, partly when only the
 * opening has it, so words most documents use ("confidential", "employees") decide little.
 * Made by a NamingIndex (see naming-index.ts), which keeps it current as documents come and go.
 */
export class DocumentResolver {
  /** Naming word -> the documents it names and its document frequency. */
  readonly #entries: ReadonlyMap<string, NamingEntry>;
  /** Document id by slot (undefined: a free slot). */
  readonly #ids: readonly (string | undefined)[];
  readonly #size: number;
  /** log((n + 1) / 1.5): the idf of the rarest possible word, the unit of scores. */
  readonly #rarest: number;
  /** Scores by slot while one reference is scored (zero between calls; `rank` is synchronous). */
  readonly #scores: Float64Array;

  /** `entries` and `ids` are the resolver's own (not changed after). */
  constructor(entries: ReadonlyMap<string, NamingEntry>, ids: readonly (string | undefined)[], size: number) {
    this.#entries = entries;
    this.#ids = ids;
    this.#size = size;
    this.#rarest = Math.log((size + 1) / 1.5);
    this.#scores = new Float64Array(ids.length);
  }

  get size(): number {
    return this.#size;
  }

  /** Every document sharing a naming word with `reference`, best first. */
  rank(reference: string): DocumentMatch[] {
    return this.#matches(reference).sort(byScore);
  }

  /**
   * The documents `reference` names: the one it clearly names, else the few close to the best
   * when the best is named strongly enough, else none (the question names no document).
   */
  scope(reference: string, thresholds: ResolverThresholds): DocumentMatch[] {
    const ranked = this.rank(reference);
    const best = ranked[0];
    if (!best) return [];
    const second = ranked[1];
    if (best.score >= thresholds.minScore && (!second || best.score - second.score >= thresholds.minMargin)) return [best];
    if (best.score < thresholds.minSetScore) return [];
    const close = ranked.filter((m) => m.score >= best.score - 1);
    return close.length <= MAX_SET ? close : [];
  }

  /** The one document `reference` clearly names, or undefined when it names none or several (the first two of `rank`, without sorting the rest). */
  named(reference: string, thresholds: ResolverThresholds): DocumentMatch | undefined {
    let best: DocumentMatch | undefined;
    let second: DocumentMatch | undefined;
    for (const m of this.#matches(reference)) {
      if (!best || byScore(m, best) < 0) [best, second] = [m, best];
      else if (!second || byScore(m, second) < 0) second = m;
    }
    if (!best || best.score < thresholds.minScore) return undefined;
    if (second && best.score - second.score < thresholds.minMargin) return undefined;
    return best;
  }

  /** The documents sharing a naming word with `reference`, with their scores, unordered. */
  #matches(reference: string): DocumentMatch[] {
    const scores = this.#scores;
    const touched: number[] = [];
    for (const w of new Set(nameWords(reference))) {
      const entry = this.#entries.get(w);
      if (!entry) continue;
      const idf = Math.log((this.#size + 1) / (entry.df + 0.5)) / this.#rarest;
      if (idf <= 0) continue;
      for (const p of entry.postings) {
        if (scores[p.slot] === 0) touched.push(p.slot);
        scores[p.slot]! += p.weight * idf;
      }
    }
    const out: DocumentMatch[] = [];
    for (const slot of touched) {
      out.push({ documentId: this.#ids[slot]!, score: scores[slot]! });
      scores[slot] = 0;
    }
    return out;
  }
}

/** Best first; equal scores by document id. */
function byScore(a: DocumentMatch, b: DocumentMatch): number {
  return b.score - a.score || a.documentId.localeCompare(b.documentId);
}
