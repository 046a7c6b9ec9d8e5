import { CUAD_CATEGORIES, type CuadCategory } from "../cuad-categories";
import { sentenceTypedFeatures, typedCues } from "./typed-cues";

/** Hashed sparse features of one sentence plus its dense rule scores, as the clause model reads them. */
export interface SentenceFeatures {
  /** Hash buckets in [0, 2^hashBits), sorted, unique. */
  readonly indices: Int32Array;
  /** One value for every hashed feature (the bag is L2-normalised: 1/sqrt(count)). */
  readonly value: number;
  /** Rule score per CUAD category, in CUAD_CATEGORIES order. */
  readonly rules: Float32Array;
}

/** What the extractor sees around a sentence. */
export interface SentenceContext {
  readonly sentence: string;
  readonly heading?: string;
  /** The sentence before it in the same clause, if any. */
  readonly previous?: string;
  /** The sentence after it in the same clause, if any. */
  readonly next?: string;
  /** The clause's opening text (its first sentences), when the sentence is not the clause's first. */
  readonly clauseOpening?: string;
  /** Titles of the sections the sentence's clause sits under ("Pricing | DISTRIBUTORSHIP"), when read (`sectionTitles`). */
  readonly section?: string;
  /** Start offset / text length: where in the contract the sentence sits (0–1). */
  readonly position: number;
  /** Rule scores of the sentence (RuleClauseClassifier.scoreSentence). */
  readonly ruleScores: ReadonlyMap<CuadCategory, number>;
}

const MAX_TOKENS = 160;
const TOKEN = /[a-z]+(?:'[a-z]+)?|\d+/g;

/** Lower-cased words; every number is one token, its digit count kept ("#2" for "30"). */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const out: string[] = [];
  const lower = text.length > 4 * max * 8 ? text.slice(0, 4 * max * 8).toLowerCase() : text.toLowerCase();
  for (const m of lower.matchAll(TOKEN)) {
    const t = m[0];
    out.push(t.charCodeAt(0) < 58 ? `#${Math.min(t.length, 5)}` : t);
    if (out.length >= max) break;
  }
  return out;
}

/** 32-bit FNV-1a: the same bucket in training and at run time, on every platform. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Which feature families beyond the words a model reads (a model file records them). */
export interface FeatureOptions {
  /** Typed cues of the sentence and its neighbours: money, percentages, durations, defined terms … (`typed-cues.ts`). */
  readonly typed?: boolean;
}

/** The feature strings of a sentence in its context (before hashing); exported for tests. */
export function featureStrings(ctx: SentenceContext, options: FeatureOptions = {}): string[] {
  const words = tokenize(ctx.sentence);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(`w:${words[i]}`);
    if (i > 0) out.push(`b:${words[i - 1]} ${words[i]}`);
  }
  if (words.length > 0) out.push(`first:${words[0]}`, `first2:${words.slice(0, 2).join(" ")}`);
  if (ctx.heading) {
    const h = tokenize(ctx.heading, 12);
    for (let i = 0; i < h.length; i++) {
      out.push(`h:${h[i]}`);
      if (i > 0) out.push(`hb:${h[i - 1]} ${h[i]}`);
    }
  } else out.push("h:none");
  if (ctx.previous) for (const w of new Set(tokenize(ctx.previous, 60))) out.push(`p:${w}`);
  if (ctx.next) for (const w of new Set(tokenize(ctx.next, 40))) out.push(`n:${w}`);
  if (ctx.section) for (const w of new Set(tokenize(ctx.section, 16))) out.push(`s:${w}`);
  if (ctx.clauseOpening) for (const w of new Set(tokenize(ctx.clauseOpening, 60))) out.push(`c:${w}`);
  out.push(`pos:${Math.min(9, Math.floor(ctx.position * 10))}`);
  if (ctx.position < 0.02) out.push("pos:head");
  // Rule scores also as bands, so the model can read them non-linearly.
  for (const [category, score] of ctx.ruleScores) out.push(`r:${category}:${score >= 0.8 ? 3 : score >= 0.5 ? 2 : score > 0.12 ? 1 : 0}`);
  out.push(`len:${Math.min(9, Math.floor(Math.log2(1 + words.length)))}`);
  if (options.typed) {
    out.push(...sentenceTypedFeatures(ctx.sentence));
    // The neighbours' kinds of value: a rate stated in the next sentence, a lead-in before a list item.
    if (ctx.previous) out.push(...typedCues(ctx.previous, "tp:"));
    if (ctx.next) out.push(...typedCues(ctx.next, "tn:"));
    if (ctx.previous && /:\s*$/.test(ctx.previous)) out.push("t:after-leadin");
  }
  return out;
}

// The model reads only the hash buckets of the feature strings, so sentenceFeatures hashes each feature
// as FNV-1a over its parts (prefix, token, separator, token) straight from the lower-cased text: the
// same buckets as hashing featureStrings' strings, without building ~400 strings a sentence (with the
// per-sentence arrays and sets around them, a sixth of what a review allocated).
const FNV_PRIME = 0x01000193;

/** FNV-1a continued from `h` over `text[start, end)`: fnv1a(p + s) === fnvOver(fnv1a(p), s, 0, s.length). */
function fnvOver(h: number, text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

const isLowerLetter = (c: number): boolean => c >= 97 && c <= 122;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * tokenize()'s tokens as offsets into its lower-cased text: token k is `lower.slice(starts[k], ends[k])`,
 * or, when ends[k] is negative, a number of -ends[k] digits ("#" and min(digits, 5), as tokenize writes it).
 */
class TokenRun {
  lower = "";
  count = 0;
  starts = new Int32Array(MAX_TOKENS);
  ends = new Int32Array(MAX_TOKENS);

  /** The same tokens as tokenize(text, max), in order: /[a-z]+(?:'[a-z]+)?|\d+/g over the lower-cased text. */
  read(text: string, max: number): this {
    const lower = text.length > 4 * max * 8 ? text.slice(0, 4 * max * 8).toLowerCase() : text.toLowerCase();
    if (this.starts.length < max) {
      this.starts = new Int32Array(max);
      this.ends = new Int32Array(max);
    }
    let count = 0;
    const n = lower.length;
    for (let i = 0; i < n && count < max; ) {
      const c = lower.charCodeAt(i);
      if (isLowerLetter(c)) {
        let j = i + 1;
        while (j < n && isLowerLetter(lower.charCodeAt(j))) j++;
        if (j + 1 < n && lower.charCodeAt(j) === 39 && isLowerLetter(lower.charCodeAt(j + 1))) {
          j += 2;
          while (j < n && isLowerLetter(lower.charCodeAt(j))) j++;
        }
        this.starts[count] = i;
        this.ends[count++] = j;
        i = j;
      } else if (isDigit(c)) {
        let j = i + 1;
        while (j < n && isDigit(lower.charCodeAt(j))) j++;
        this.starts[count] = i;
        this.ends[count++] = -(j - i);
        i = j;
      } else i++;
    }
    this.lower = lower;
    this.count = count;
    return this;
  }

  /** FNV-1a continued from `h` over token k's text. */
  hash(h: number, k: number): number {
    const end = this.ends[k]!;
    if (end >= 0) return fnvOver(h, this.lower, this.starts[k]!, end);
    h = Math.imul(h ^ 35, FNV_PRIME); // "#"
    return Math.imul(h ^ (48 + Math.min(-end, 5)), FNV_PRIME);
  }
}

// One sentence is hashed at a time (synchronously): the token runs and the bucket buffer are reused.
const sentenceTokens = new TokenRun();
const otherTokens = new TokenRun();
const SPACE = 32;
let buckets = new Int32Array(1024);
let bucketCount = 0;
const prefixHash = new Map<string, number>();
/** fnv1a of a feature prefix ("w:", "b:", …), computed once. */
const prefix = (p: string): number => {
  let h = prefixHash.get(p);
  if (h === undefined) prefixHash.set(p, (h = fnv1a(p)));
  return h;
};
function addBucket(h: number, mask: number): void {
  if (bucketCount === buckets.length) {
    const grown = new Int32Array(buckets.length * 2);
    grown.set(buckets);
    buckets = grown;
  }
  buckets[bucketCount++] = h & mask;
}
/** Every token of `run` under one prefix ("p:", "n:", …). */
function addTokens(run: TokenRun, p: string, mask: number): void {
  const h0 = prefix(p);
  for (let k = 0; k < run.count; k++) addBucket(run.hash(h0, k), mask);
}

/** Turns a sentence in context into the model's input: the buckets of featureStrings(ctx, options), hashed part by part. */
export function sentenceFeatures(ctx: SentenceContext, hashBits: number, options: FeatureOptions = {}): SentenceFeatures {
  const mask = (1 << hashBits) - 1;
  bucketCount = 0;
  const words = sentenceTokens.read(ctx.sentence, MAX_TOKENS);
  const w = prefix("w:");
  const b = prefix("b:");
  for (let i = 0; i < words.count; i++) {
    addBucket(words.hash(w, i), mask);
    if (i > 0) addBucket(words.hash(Math.imul(words.hash(b, i - 1) ^ SPACE, FNV_PRIME), i), mask);
  }
  if (words.count > 0) {
    addBucket(words.hash(prefix("first:"), 0), mask);
    const first2 = words.hash(prefix("first2:"), 0);
    addBucket(words.count > 1 ? words.hash(Math.imul(first2 ^ SPACE, FNV_PRIME), 1) : first2, mask);
  }
  if (ctx.heading) {
    const h = otherTokens.read(ctx.heading, 12);
    const hp = prefix("h:");
    const hb = prefix("hb:");
    for (let i = 0; i < h.count; i++) {
      addBucket(h.hash(hp, i), mask);
      if (i > 0) addBucket(h.hash(Math.imul(h.hash(hb, i - 1) ^ SPACE, FNV_PRIME), i), mask);
    }
  } else addBucket(prefix("h:none"), mask);
  // featureStrings puts each distinct word once; a bucket set needs no such care
  if (ctx.previous) addTokens(otherTokens.read(ctx.previous, 60), "p:", mask);
  if (ctx.next) addTokens(otherTokens.read(ctx.next, 40), "n:", mask);
  if (ctx.section) addTokens(otherTokens.read(ctx.section, 16), "s:", mask);
  if (ctx.clauseOpening) addTokens(otherTokens.read(ctx.clauseOpening, 60), "c:", mask);
  addBucket(prefix(`pos:${Math.min(9, Math.floor(ctx.position * 10))}`), mask);
  if (ctx.position < 0.02) addBucket(prefix("pos:head"), mask);
  for (const [category, score] of ctx.ruleScores) addBucket(prefix(`r:${category}:${score >= 0.8 ? 3 : score >= 0.5 ? 2 : score > 0.12 ? 1 : 0}`), mask);
  addBucket(prefix(`len:${Math.min(9, Math.floor(Math.log2(1 + words.count)))}`), mask);
  if (options.typed) {
    for (const f of sentenceTypedFeatures(ctx.sentence)) addBucket(fnv1a(f), mask);
    if (ctx.previous) for (const f of typedCues(ctx.previous, "tp:")) addBucket(fnv1a(f), mask);
    if (ctx.next) for (const f of typedCues(ctx.next, "tn:")) addBucket(fnv1a(f), mask);
    if (ctx.previous && /:\s*$/.test(ctx.previous)) addBucket(prefix("t:after-leadin"), mask);
  }
  const sorted = buckets.subarray(0, bucketCount).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique++;
  const indices = new Int32Array(unique);
  for (let i = 0, k = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) indices[k++] = sorted[i]!;
  const rules = new Float32Array(CUAD_CATEGORIES.length);
  for (let i = 0; i < CUAD_CATEGORIES.length; i++) rules[i] = ctx.ruleScores.get(CUAD_CATEGORIES[i]!) ?? 0;
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(indices.length) : 0, rules };
}
