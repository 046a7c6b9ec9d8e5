import type { Clause } from "../../text/segment-clauses";
import { fnv1a, tokenize } from "./sentence-features";

/**
 * The clause reader: one logistic output per category over a whole clause — its heading, its opening
 * sentence and the words of all its sentences — so a lawyer's span that runs over several sentences
 * (a minimum purchase stated, then what follows a shortfall) is read as one text. Each sentence then gets
 * its clause's score as second-stage features (context-features.ts). Training and run time both build
 * the clause's input here, so they cannot drift apart.
 */
export interface ClauseReaderWeights {
  /** Hash buckets: 2^bits rows. */
  readonly bits: number;
  /** [bucket * C + c]; int8 in a model file, read times `scale[c]`. */
  readonly hashed: Float32Array | Int8Array;
  /** Per category, the factor of an int8 table (absent: 1). */
  readonly scale?: Float32Array;
  /** [c]. */
  readonly bias: Float32Array;
  /** [r * C + c]: weight of the clause's best rule score for CUAD category r. */
  readonly rules: Float32Array;
}

const MAX_CLAUSE_TOKENS = 600;

/** The feature strings of one clause (before hashing); exported for tests. */
export function clauseFeatureStrings(heading: string | undefined, sentences: readonly string[]): string[] {
  const out = new Set<string>();
  if (heading) {
    const h = tokenize(heading, 12);
    for (let i = 0; i < h.length; i++) {
      out.add(`h:${h[i]}`);
      if (i > 0) out.add(`hb:${h[i - 1]} ${h[i]}`);
    }
  } else out.add("h:none");
  // The opening line is often the clause's title ("Minimum Purchase Commitments.") when no heading was split off.
  const opening = tokenize(sentences[0] ?? "", 16);
  for (const w of opening) out.add(`o:${w}`);
  let budget = MAX_CLAUSE_TOKENS;
  for (const s of sentences) {
    if (budget <= 0) break;
    const words = tokenize(s, Math.min(160, budget));
    budget -= words.length;
    for (let i = 0; i < words.length; i++) {
      out.add(`w:${words[i]}`);
      if (i > 0) out.add(`b:${words[i - 1]} ${words[i]}`);
    }
  }
  const n = sentences.length;
  out.add(`n:${n === 1 ? 1 : n === 2 ? 2 : n <= 4 ? 3 : n <= 8 ? 4 : 5}`);
  return [...out];
}

/** Hash buckets of a clause's features, sorted and unique, and the L2-normalised value each carries. */
export function clauseFeatures(heading: string | undefined, sentences: readonly string[], bits: number): { indices: Int32Array; value: number } {
  const mask = (1 << bits) - 1;
  const set = new Set<number>();
  for (const f of clauseFeatureStrings(heading, sentences)) set.add(fnv1a(`clause|${f}`) & mask);
  const indices = Int32Array.from(set).sort();
  return { indices, value: indices.length > 0 ? 1 / Math.sqrt(indices.length) : 0 };
}

/**
 * The clause reader's logits of every sentence's clause, [sentence * C + c] in document order (the
 * sentences of `clauses`, as sentenceContexts lists them). `ruleBest(clauseIndex)` gives the clause's best
 * rule score per CUAD category (R of them, as `weights.rules` has rows).
 */
export function clauseReaderLogits(clauses: readonly Clause[], weights: ClauseReaderWeights, ruleBest: (clauseIndex: number) => ArrayLike<number>): Float32Array {
  const C = weights.bias.length;
  const R = weights.rules.length / C;
  const sentences = clauses.reduce((s, c) => s + c.sentences.length, 0);
  const out = new Float32Array(sentences * C);
  const z = new Float32Array(C);
  const sum = new Float32Array(C);
  let at = 0;
  for (const clause of clauses) {
    if (clause.sentences.length === 0) continue;
    const f = clauseFeatures(clause.heading, clause.sentences.map((s) => s.quote), weights.bits);
    sum.fill(0);
    for (const k of f.indices) {
      const base = k * C;
      for (let c = 0; c < C; c++) sum[c]! += weights.hashed[base + c]!;
    }
    for (let c = 0; c < C; c++) z[c] = weights.bias[c]! + sum[c]! * f.value * (weights.scale?.[c] ?? 1);
    const rules = ruleBest(clause.index);
    for (let r = 0; r < R; r++) {
      const x = rules[r]!;
      if (x === 0) continue;
      for (let c = 0; c < C; c++) z[c]! += weights.rules[r * C + c]! * x;
    }
    for (let i = 0; i < clause.sentences.length; i++) out.set(z, (at + i) * C);
    at += clause.sentences.length;
  }
  return out;
}
