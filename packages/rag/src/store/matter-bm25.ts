/**
 * BM25 with the statistics of the caller's matters only (the ethical wall, rev12 #10).
 *
 * LanceDB's full-text index weighs a term by its rarity over the whole table, every matter's
 * chunks included, so a caller's scores (and order) would say whether other matters' documents
 * hold a word. Searches scoped to matters are rescored here with statistics computed over those
 * matters alone: their committed chunk count, their average chunk length in terms and each query
 * term's document frequency among their chunks. Nothing of another matter enters the figure.
 *
 * The formula is LanceDB's (k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5) / (df + 0.5))), and
 * lengths count terms as its analyser keeps them (stop words out), so a workspace of one matter
 * ranks as before.
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/**
 * LanceDB's English stop words (tantivy's list, NLTK's words without apostrophes; its analyser drops them after stemming): neither
 * matched nor counted in a chunk's length. Blind (encrypted) terms never hold them.
 */
const LANCE_STOP_WORDS = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves " +
    "what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while " +
    "of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there " +
    "when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now d ll m o re ve y " +
    "ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn"
  ).split(" "),
);

/** Letters ASCII folding spells out that Unicode decomposition leaves alone. */
const FOLDED: Readonly<Record<string, string>> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" };

/**
 * A term as LanceDB's ASCII folding (after its stop words) leaves it: accents and compatibility
 * forms spelled in ASCII ("sociét" and "societ" are one term). Approximates its table by Unicode
 * decomposition and the letters above; ASCII terms (and blind tokens) are unchanged.
 */
export function foldTerm(term: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range
  if (!/[^\x00-\x7f]/.test(term)) return term;
  return term
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[ßæœøđðłþı]/g, (c) => FOLDED[c] ?? c);
}

/**
 * A token of LanceDB's "simple" tokenizer (tantivy: a run of `char::is_alphanumeric`, i.e. Alphabetic or Numeric):
 * anything else splits, combining marks included: the "i̇" JavaScript makes of "İ" is two tokens, "i" and what follows.
 */
const LANCE_TOKEN = /[\p{Alphabetic}\p{N}]+/gu;
/** LanceDB's default `max_token_length`: tantivy's RemoveLongFilter drops tokens of this many UTF-8 bytes or more. */
const LANCE_MAX_TOKEN_BYTES = 40;

/**
 * The terms of analysed search text (space-separated terms or blind tokens) that LanceDB indexes: split as its
 * tokenizer splits, long tokens dropped, stop words out, then folded.
 */
export function indexedTerms(analysed: string): string[] {
  const out: string[] = [];
  for (const t of analysed.match(LANCE_TOKEN) ?? []) {
    if (LANCE_STOP_WORDS.has(t) || (t.length * 3 >= LANCE_MAX_TOKEN_BYTES && Buffer.byteLength(t) >= LANCE_MAX_TOKEN_BYTES)) continue;
    out.push(foldTerm(t));
  }
  return out;
}

export function bm25Idf(documents: number, frequency: number): number {
  return Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
}

/** The statistics of the caller's matters a score reads. */
export interface MatterStatistics {
  /** Committed chunks in the matters. */
  readonly chunks: number;
  /** Their mean length in indexed terms. */
  readonly meanLength: number;
  /** Chunks of the matters holding each query term. */
  readonly frequency: ReadonlyMap<string, number>;
}

/**
 * BM25 of one chunk (its indexed terms) for the query terms, under the matters' statistics. A term the query holds
 * twice counts twice, as in LanceDB's score ("straße strasse" folds to one term, twice).
 */
export function matterBm25(chunkTerms: readonly string[], queryTerms: readonly string[], stats: MatterStatistics): number {
  const counts = new Map<string, number>();
  const times = new Map<string, number>();
  for (const t of queryTerms) {
    counts.set(t, 0);
    times.set(t, (times.get(t) ?? 0) + 1);
  }
  for (const t of chunkTerms) {
    const c = counts.get(t);
    if (c !== undefined) counts.set(t, c + 1);
  }
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * chunkTerms.length) / (stats.meanLength || 1));
  let score = 0;
  for (const [term, tf] of counts) {
    if (tf === 0) continue;
    const df = Math.max(1, stats.frequency.get(term) ?? 1);
    score += ((times.get(term) ?? 1) * bm25Idf(Math.max(stats.chunks, df), df) * tf * (BM25_K1 + 1)) / (tf + norm);
  }
  return score;
}
