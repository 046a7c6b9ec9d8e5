import { sentenceSpans } from "../chunking/legal-chunker";
import { queryTerms, stem } from "../retrieval/highlight";
import type { SearchHit } from "../retrieval/search-types";

/**
 * Features of (question × candidate sentence) for the learned answer ranker. Shared by the
 * runtime (`SentenceRanker`) and the training script, so both see exactly the same numbers.
 * Nothing here names a document or a phrase of an evaluation record: the features are lexical
 * overlap, the shape of the line, where it was retrieved, the kind of answer the question asks
 * for against the kind of fact the sentence states, and hashed (question word × sentence word)
 * pairs whose weights are learned.
 */

/** One sentence of a retrieved passage that could be cited. Offsets are into the document. */
export interface Candidate {
  readonly hit: SearchHit;
  /** Rank of its passage in the retrieved list (0 = best). */
  readonly rank: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Index of the sentence inside its passage. */
  readonly position: number;
}

/** What a question asks, computed once per question. */
export interface QuestionProfile {
  /** Stems of the words that ask something (the words naming the document set aside). */
  readonly topic: readonly string[];
  readonly topicHashes: Int32Array;
  /** Answer kinds the question asks for (see ANSWER_KINDS). */
  readonly kinds: readonly boolean[];
}

/** Question cues → the kind of answer expected. */
const QUESTION_KINDS: readonly RegExp[] = [
  /\bhow long\b|\bduration\b|\bperiod\b|\bterm\b|\bsurviv|\buntil\b|\bexpir|\brenew/i, // duration
  /\bgovern|\blaws?\b|\bjurisdiction/i, // law
  /\bcourts?\b|\bvenue\b|\barbitrat|\bdisputes?\b|\bforum\b/i, // forum
  /\bhow much\b|\bamount|\bfees?\b|\bprice|\bcap\b|\bliabilit|\bpay|\bcost|\broyalt|\bminimum\b/i, // amount
  /\bwhen\b|\bdate\b|\beffective\b/i, // date
  /\bwho\b|\bpart(?:y|ies)\b|\bnames?\b/i, // party
  /^\s*(?:consider[^;]*;\s*)?(?:is|are|does|do|can|may|will|has|have|must|shall)\b/i, // yes/no
  /\bnotice\b|\bnotif/i, // notice
];

/** Sentence cues → the kind of fact stated. */
const SENTENCE_KINDS: readonly RegExp[] = [
  /\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty|ninety)\s*(?:\(\d+\)\s*)?(?:calendar\s+|business\s+|full\s+)?(?:days?|weeks?|months?|years?)\b/i,
  /\blaws? of\b|\bgoverned by\b|\bconstrued\b|\bgoverning law\b/i,
  /\bcourts?\b|\barbitrat|\bvenue\b|\bjurisdiction\b/i,
  /\$\s?\d|\bdollars\b|\d\s?%|\bpercent\b|\bUSD\b|\bEUR\b/i,
  /\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/i,
  /\b(?:inc|llc|ltd|limited|corporation|corp|gmbh|plc|company|l\.p)\b/i,
  /\bshall\b|\bmust\b|\bagrees?\b|\bwill not\b|\bmay not\b/i,
  /\bnotice\b|\bnotify\b/i,
];

export const DENSE_NAMES: readonly string[] = [
  "bias",
  "coverage",
  "matchedFraction",
  "logMatched",
  "inverseRank",
  "topPassage",
  "passageScore",
  "logLength",
  "short",
  "long",
  "upperRatio",
  "endsWithColon",
  "blankForm",
  "fewWords",
  "numberedStart",
  "firstInPassage",
  "negation",
  "digits",
  "topDocument",
  "questionOverlapRaw",
  "sectionCoverage",
  ...QUESTION_KINDS.flatMap((_, q) => SENTENCE_KINDS.map((_, s) => `kind${q}x${s}`)),
  // The same for every candidate of a question: they move the whole list against "not found"
  // (the null option the ranker is trained with), so the top score means something on its own.
  "listBestMatchedFraction",
  "listBestCoverage",
  "topicSize",
  ...QUESTION_KINDS.map((_, q) => `asks${q}`),
];
export const DENSE = DENSE_NAMES.length;
/** Hashed feature space (question word × sentence word pairs, sentence words, matched words). */
export const HASH_BITS = 14;
export const HASH_SIZE = 1 << HASH_BITS;

function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h | 0;
}

function mix(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ salt, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return (h >>> 0) & (HASH_SIZE - 1);
}

/** The question's topic: its content words minus those that only name the document. */
export function questionProfile(question: string, namingStems: ReadonlySet<string> = new Set()): QuestionProfile {
  const asked = question.includes(";") && /^\s*consider\b/i.test(question) ? question.slice(question.indexOf(";") + 1) : question;
  const stems = [...new Set(queryTerms(asked).map(stem))].filter((s) => !namingStems.has(s));
  return {
    topic: stems,
    topicHashes: Int32Array.from(stems.map(hashWord)),
    kinds: QUESTION_KINDS.map((re) => re.test(asked)),
  };
}

const MAX_SENTENCE_STEMS = 80;

/** Stems of a sentence (unique, capped), and their hashes. */
export function sentenceStems(text: string): { stems: string[]; hashes: Int32Array } {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const stems = [...new Set(words.filter((w) => w.length >= 3).map(stem))].slice(0, MAX_SENTENCE_STEMS);
  return { stems, hashes: Int32Array.from(stems.map(hashWord)) };
}

const sectionCache = new WeakMap<SearchHit, { stems: string[]; hashes: Int32Array }>();
function sectionStems(hit: SearchHit): { stems: string[]; hashes: Int32Array } {
  let cached = sectionCache.get(hit);
  if (!cached) {
    cached = sentenceStems(hit.sectionPath.join(" "));
    sectionCache.set(hit, cached);
  }
  return cached;
}

/** The citable sentences of the passages, trimmed, each document region once (chunks overlap). */
export function candidateSentences(passages: readonly SearchHit[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  passages.forEach((hit, rank) => {
    sentenceSpans(hit.text, 0, hit.text.length).forEach((s, position) => {
      const raw = hit.text.slice(s.start, s.end);
      const text = raw.trim();
      if (text.length === 0) return;
      const start = hit.start + s.start + (raw.length - raw.trimStart().length);
      const end = start + text.length;
      const key = `${hit.documentId}:${start}:${end}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ hit, rank, start, end, text, position });
    });
  });
  return out;
}

/** A line that only labels or leaves room to fill in: never cited, whatever its score. */
export function isHeadingOrBlank(text: string): boolean {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 4) return true;
  if (/_{3,}|\.{5,}|\[\s*\]/.test(text) && words.length < 8) return true;
  if (/:\s*$/.test(text) && words.length < 10) return true;
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length > 0 && text.replace(/[^\p{Lu}]/gu, "").length / letters.length > 0.8 && words.length < 12;
}

/** Dense features and hashed feature indices for every candidate of one question. */
export interface FeaturizedCandidates {
  readonly dense: Float32Array[];
  readonly hashed: Uint16Array[];
  /**
   * Hashed features of the question alone (its words and word pairs), added to every candidate's
   * score. They move the whole list against "not found": some clauses are often absent.
   */
  readonly question: Uint16Array;
}

export function featurize(q: QuestionProfile, candidates: readonly Candidate[], stemsOf: (c: Candidate) => { stems: string[]; hashes: Int32Array } = (c) => sentenceStems(c.text)): FeaturizedCandidates {
  const cands = candidates.map((c) => ({ c, ...stemsOf(c) }));
  // Local rarity: a topic word found in few candidates says more than one found in all of them.
  const df = new Map<string, number>();
  for (const x of cands) for (const t of q.topic) if (x.stems.includes(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string): number => Math.log(1 + cands.length / (df.get(t) ?? 0.5));
  const totalIdf = q.topic.reduce((s, t) => s + idf(t), 0) || 1;
  const topScore = Math.max(1e-9, ...candidates.map((c) => c.hit.score));
  const topDoc = candidates.find((c) => c.rank === 0)?.hit.documentId;
  let listBestFraction = 0;
  let listBestCoverage = 0;
  for (const x of cands) {
    const matched = q.topic.filter((t) => x.stems.includes(t));
    listBestFraction = Math.max(listBestFraction, q.topic.length ? matched.length / q.topic.length : 0);
    listBestCoverage = Math.max(listBestCoverage, matched.reduce((sum, t) => sum + idf(t), 0) / totalIdf);
  }
  const dense: Float32Array[] = [];
  const hashed: Uint16Array[] = [];
  for (const { c, stems, hashes } of cands) {
    const f = new Float32Array(DENSE);
    const matched = q.topic.filter((t) => stems.includes(t));
    const words = c.text.match(/[\p{L}\p{N}]+/gu) ?? [];
    const letters = c.text.replace(/[^\p{L}]/gu, "");
    let i = 0;
    f[i++] = 1;
    f[i++] = matched.reduce((s, t) => s + idf(t), 0) / totalIdf;
    f[i++] = q.topic.length ? matched.length / q.topic.length : 0;
    f[i++] = Math.log1p(matched.length);
    f[i++] = 1 / (1 + c.rank);
    f[i++] = c.rank === 0 ? 1 : 0;
    f[i++] = Math.max(0, c.hit.score) / topScore;
    f[i++] = Math.log(1 + c.text.length) / 7;
    f[i++] = c.text.length < 40 ? 1 : 0;
    f[i++] = c.text.length > 500 ? 1 : 0;
    f[i++] = letters.length ? c.text.replace(/[^\p{Lu}]/gu, "").length / letters.length : 0;
    f[i++] = /:\s*$/.test(c.text) ? 1 : 0;
    f[i++] = /_{3,}|\.{5,}|\[\s*\]/.test(c.text) ? 1 : 0;
    f[i++] = words.length < 5 ? 1 : 0;
    f[i++] = /^(?:\(?[a-z0-9]{1,3}[.)]|\d+(?:\.\d+)+)\s/i.test(c.text) ? 1 : 0;
    f[i++] = c.position === 0 ? 1 : 0;
    f[i++] = /\b(?:not|no|neither|nor|without)\b/i.test(c.text) ? 1 : 0;
    f[i++] = /\d/.test(c.text) ? 1 : 0;
    f[i++] = c.hit.documentId === topDoc ? 1 : 0;
    f[i++] = Math.min(1, matched.length / 6);
    const section = sectionStems(c.hit);
    f[i++] = q.topic.reduce((sum, t) => sum + (section.stems.includes(t) ? idf(t) : 0), 0) / totalIdf;
    const sentenceKinds = SENTENCE_KINDS.map((re) => re.test(c.text));
    for (const qk of q.kinds) for (const sk of sentenceKinds) f[i++] = qk && sk ? 1 : 0;
    f[i++] = listBestFraction;
    f[i++] = listBestCoverage;
    f[i++] = Math.min(1, q.topic.length / 8);
    for (const qk of q.kinds) f[i++] = qk ? 1 : 0;
    dense.push(f);

    const h: number[] = [];
    for (const qh of q.topicHashes) for (const sh of hashes) h.push(mix(qh, sh, 0x1234567));
    for (const sh of hashes) h.push(mix(sh, 0, 0x2345678));
    for (let k = 0; k < q.topic.length; k++) if (stems.includes(q.topic[k]!)) h.push(mix(q.topicHashes[k]!, 1, 0x3456789));
    // The heading the sentence sits under ("12. Governing Law") says what the clause is about.
    for (const qh of q.topicHashes) for (const sh of section.hashes) h.push(mix(qh, sh, 0x4567891));
    hashed.push(Uint16Array.from(h));
  }
  return { dense, hashed, question: questionHashes(q) };
}

/** The question's own hashed features: each topic word, and each pair of neighbouring ones. */
export function questionHashes(q: QuestionProfile): Uint16Array {
  const h: number[] = [];
  q.topicHashes.forEach((qh, k) => {
    h.push(mix(qh, 2, 0x5678912));
    if (k > 0) h.push(mix(q.topicHashes[k - 1]!, qh, 0x6789123));
  });
  return Uint16Array.from(h);
}

/** The learned weights: dense first, then the hashed space, and the "not found" threshold. */
export interface RankerWeights {
  readonly version: 1;
  readonly dense: Float32Array;
  readonly hashed: Float32Array;
  /** Below this top score the answer is "not found in the selected documents". */
  readonly notFoundBelow: number;
  /** Document resolution thresholds (see DocumentResolver). */
  readonly resolver: { readonly minScore: number; readonly minMargin: number; readonly minSetScore: number };
}

/** Weighted sum of hashed features, scaled by 1/√n so long sentences do not win by length. */
export function hashedScore(weights: ArrayLike<number>, hashed: Uint16Array): number {
  let s = 0;
  const scale = hashed.length ? 1 / Math.sqrt(hashed.length) : 0;
  for (const h of hashed) s += weights[h]! * scale;
  return s;
}

/** A candidate's score: its own features plus the question's (`questionScore`, the same for all). */
export function scoreOf(w: RankerWeights, dense: Float32Array, hashed: Uint16Array, questionScore = 0): number {
  let s = questionScore;
  for (let i = 0; i < dense.length; i++) s += w.dense[i]! * dense[i]!;
  return s + hashedScore(w.hashed, hashed);
}
