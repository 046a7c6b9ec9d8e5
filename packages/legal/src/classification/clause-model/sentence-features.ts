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

/** Turns a sentence in context into the model's input. */
export function sentenceFeatures(ctx: SentenceContext, hashBits: number, options: FeatureOptions = {}): SentenceFeatures {
  const mask = (1 << hashBits) - 1;
  const set = new Set<number>();
  for (const f of featureStrings(ctx, options)) set.add(fnv1a(f) & mask);
  const indices = Int32Array.from(set).sort();
  const rules = new Float32Array(CUAD_CATEGORIES.length);
  CUAD_CATEGORIES.forEach((c, i) => (rules[i] = ctx.ruleScores.get(c) ?? 0));
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(indices.length) : 0, rules };
}
