import path from "node:path";

/** What a document is called: the fields a person names it by, and its opening text. */
export interface DocumentProfileInput {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly parties: readonly string[];
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

/** Words a document can be named by: lowercased, possessives and file-name escapes removed. */
export function nameWords(text: string): string[] {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // a stray % is just a character
  }
  const words = decoded.toLowerCase().replace(/['’]s\b/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length >= 2 && !STOP.has(w) && !/^\d{1,2}$/.test(w));
}

const NAME_WEIGHT = 1;
const HEAD_WEIGHT = 0.6;
/** The opening that names the document and its parties. */
const HEAD_CHARS = 1500;

/** What the documents are named by, gathered one document at a time. */
class NamingTally {
  /** Naming word -> the documents it names, with its weight there (names 1, opening only 0.6). */
  readonly postings = new Map<string, { id: string; weight: number }[]>();
  readonly df = new Map<string, number>();
  count = 0;

  add(d: DocumentProfileInput): void {
    const file = path.basename(d.source).replace(/\.[a-z0-9]{1,5}$/i, "");
    const names = new Set(nameWords(`${d.title} ${d.parties.join(" ")} ${file.replace(/[_.-]+/g, " ")}`));
    const head = new Set(nameWords(d.text.slice(0, HEAD_CHARS)));
    const post = (w: string, weight: number): void => {
      const list = this.postings.get(w);
      if (list) list.push({ id: d.id, weight });
      else this.postings.set(w, [{ id: d.id, weight }]);
    };
    for (const w of names) post(w, NAME_WEIGHT);
    for (const w of head) if (!names.has(w)) post(w, HEAD_WEIGHT);
    for (const w of new Set([...names, ...nameWords(d.text)])) this.df.set(w, (this.df.get(w) ?? 0) + 1);
    this.count++;
  }
}

/** Documents a resolver reads between two yields to the event loop when built with `build`. */
const DOCUMENTS_PER_SLICE = 16;

/**
 * Finds the document a question names ("the Supply Agreement between Florida Chemical and
 * Flotek", "ResConnect's NDA", a file name). A word counts by its rarity across the documents
 * across the documents' whole texts (idf), fully when it is in the title, parties or file name,
 * partly when only the opening has it, so words most documents use ("confidential", "employees")
 * decide little.
 */
export class DocumentResolver {
  /** Naming word -> the documents it names and its weight there. */
  readonly #postings: Map<string, { id: string; weight: number }[]>;
  readonly #idf: Map<string, number>;
  readonly #size: number;

  constructor(documents: readonly DocumentProfileInput[] | NamingTally) {
    let tally: NamingTally;
    if (documents instanceof NamingTally) tally = documents;
    else {
      tally = new NamingTally();
      for (const d of documents) tally.add(d);
    }
    this.#postings = tally.postings;
    this.#size = tally.count;
    const n = tally.count;
    const rarest = Math.log((n + 1) / 1.5);
    // Only naming words are scored: the df of the other words of the texts is not kept.
    this.#idf = new Map([...tally.postings.keys()].map((w) => [w, Math.log((n + 1) / ((tally.df.get(w) ?? 0) + 0.5)) / rarest]));
  }

  /**
   * The same resolver as `new DocumentResolver(documents)`, built a few documents at a time with the
   * event loop served in between (reading every text of a large index takes seconds).
   */
  static async build(documents: AsyncIterable<DocumentProfileInput> | Iterable<DocumentProfileInput>): Promise<DocumentResolver> {
    const tally = new NamingTally();
    for await (const d of documents) {
      tally.add(d);
      if (tally.count % DOCUMENTS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return new DocumentResolver(tally);
  }

  get size(): number {
    return this.#size;
  }

  /** Every document sharing a naming word with `reference`, best first. */
  rank(reference: string): DocumentMatch[] {
    const words = [...new Set(nameWords(reference))];
    const scores = new Map<string, number>();
    for (const w of words) {
      const idf = this.#idf.get(w);
      if (idf === undefined || idf <= 0) continue;
      for (const p of this.#postings.get(w) ?? []) scores.set(p.id, (scores.get(p.id) ?? 0) + p.weight * idf);
    }
    const out: DocumentMatch[] = [];
    for (const [documentId, score] of scores) if (score > 0) out.push({ documentId, score });
    return out.sort((a, b) => b.score - a.score || a.documentId.localeCompare(b.documentId));
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

  /** The one document `reference` clearly names, or undefined when it names none or several. */
  named(reference: string, thresholds: ResolverThresholds): DocumentMatch | undefined {
    const [best, second] = this.rank(reference);
    if (!best || best.score < thresholds.minScore) return undefined;
    if (second && best.score - second.score < thresholds.minMargin) return undefined;
    return best;
  }
}
