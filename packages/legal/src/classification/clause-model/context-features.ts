import { DOCUMENT_TYPES, type DocumentType } from "../../document-type/detect-document-type";

/**
 * What the second stage reads of one contract: the first stage's raw scores of every sentence, in
 * document order, and where each sentence sits. Training and run time both build the second stage's
 * input here, so they cannot drift apart.
 */
export interface ScoredDocument {
  /** Number of categories C. */
  readonly categories: number;
  /** First-stage logits, [sentence * C + category]. */
  readonly logits: Float32Array;
  /** Rule scores, [sentence * C + category]. */
  readonly rules: Float32Array;
  /** Clause index of each sentence (non-decreasing). */
  readonly clauseOf: Int32Array;
  /** Start offset of each sentence. */
  readonly starts: Int32Array;
  readonly textLength: number;
  readonly type: DocumentType;
  /**
   * The clause reader's logit of each sentence's clause, [sentence * C + category] (clause-reader.ts), in
   * files that have one; the second stage then also reads CLAUSE_READER_FEATURES features of it.
   */
  readonly clauseLogits?: Float32Array;
}

/**
 * The second stage reads only the (sentence, category) pairs the first stage does not rule out: its
 * logit passes STACK_CANDIDATE_LOGIT (a sixth of the pairs, 88% of the gold spans) or a rule cue
 * fires (the rules find some rare clauses the first stage never learnt); the rest keep the first
 * stage's probability.
 */
export const STACK_CANDIDATE_LOGIT = -6;
export const STACK_CANDIDATE_RULE = 0.3;

export function isStackCandidate(logit: number, rule: number, candidateLogit = STACK_CANDIDATE_LOGIT): boolean {
  return logit > candidateLogit || rule >= STACK_CANDIDATE_RULE;
}

const LOW = -15;
const HINGES = [-6, -4, -2, 0, 2];
const clamp = (z: number) => (z < LOW ? LOW : z > -LOW ? -LOW : z);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * What the lab (train/stack-lab.ts) may vary when it tries other second stages; the shipped model
 * uses the defaults, and a model file records only the resulting width.
 */
export interface ContextFeatureShape {
  /** Where the sentence's own score gets a hinge feature (default -6, -4, -2, 0, 2). */
  readonly hinges?: readonly number[];
  /** First-stage logit above which a pair is a candidate (default STACK_CANDIDATE_LOGIT). */
  readonly candidateLogit?: number;
  /** Also the clause reader's features (the document carries `clauseLogits`). */
  readonly clauseReader?: boolean;
}

/** What the second stage reads of the clause reader: the clause's logit, a hinge of it, its margin over the clause's best other category, the best clause of the contract, the clauses around it. */
export const CLAUSE_READER_FEATURES = 5;

/** Number of context features of one (sentence, category) pair; `contextFeatures` fills rows of this width. */
export function contextFeatureCount(categories: number, shape: ContextFeatureShape = {}): number {
  return 30 + (shape.hinges ?? HINGES).length + DOCUMENT_TYPES.length + categories + (shape.clauseReader ? CLAUSE_READER_FEATURES : 0);
}

/**
 * The context features of every candidate sentence (isStackCandidate) for category `c`, [sentence * F + f]: its own score (and
 * hinges of it, so a linear model reads it non-linearly), how it compares with the sentence's best
 * other category, its neighbours, its clause (and the clause's opening line, usually its heading), its
 * rank among the contract's sentences for the category, where it sits, the rule score, the kind of
 * agreement, and how strongly the contract shows each category anywhere (a licence grant somewhere
 * makes a licence restriction likelier here).
 * `into` (at least sentences × F long) is zeroed and filled instead of a new array: a caller reading the
 * categories one after another needs one buffer for a contract, not one per category.
 */
export function contextFeatures(doc: ScoredDocument, c: number, docMax?: Float32Array, shape: ContextFeatureShape = {}, into?: Float32Array): Float32Array {
  const C = doc.categories;
  const n = doc.clauseOf.length;
  const clauseZ = doc.clauseLogits;
  const F = contextFeatureCount(C, { ...shape, clauseReader: clauseZ !== undefined });
  const hinges = shape.hinges ?? HINGES;
  const candidateLogit = shape.candidateLogit ?? STACK_CANDIDATE_LOGIT;
  if (into !== undefined && into.length < n * F) throw new RangeError(`contextFeatures: the buffer holds ${into.length} values, the contract needs ${n * F}`);
  const out = into === undefined ? new Float32Array(n * F) : into.subarray(0, n * F).fill(0);
  if (n === 0) return out;
  const z = new Float32Array(n);
  for (let i = 0; i < n; i++) z[i] = clamp(doc.logits[i * C + c]!);
  const maxes = docMax ?? documentMaxima(doc);
  // Rank of each sentence's score in the contract, and how many sentences are plausible at all.
  const order: number[] = [];
  for (let i = 0; i < n; i++) order.push(i);
  order.sort((a, b) => z[b]! - z[a]! || a - b);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[order[r]!] = r;
  const top = z[order[0]!]!;
  const second = n > 1 ? z[order[1]!]! : LOW;
  let plausible = 0;
  for (let i = 0; i < n; i++) if (z[i]! > -2) plausible++;
  // Per clause (by its index): best and second score, best rule score, first sentence and size. Arrays, not an
  // object per clause: this runs once per category of every contract.
  let clauses = 0;
  for (let i = 0; i < n; i++) clauses = Math.max(clauses, doc.clauseOf[i]! + 1);
  const clauseBest = new Float64Array(clauses).fill(LOW);
  const clauseSecond = new Float64Array(clauses).fill(LOW);
  const clauseRule = new Float64Array(clauses);
  const clauseStart = new Int32Array(clauses).fill(-1);
  const clauseSize = new Int32Array(clauses);
  for (let i = 0; i < n; i++) {
    const k = doc.clauseOf[i]!;
    if (clauseStart[k] === -1) clauseStart[k] = i;
    if (z[i]! > clauseBest[k]!) {
      clauseSecond[k] = clauseBest[k]!;
      clauseBest[k] = z[i]!;
    } else if (z[i]! > clauseSecond[k]!) clauseSecond[k] = z[i]!;
    clauseRule[k] = Math.max(clauseRule[k]!, doc.rules[i * C + c]!);
    clauseSize[k]!++;
  }
  // The clause reader: each clause's logit for c, its margin over the clause's best other category, and its neighbours'.
  const clauseFirst = new Int32Array(n);
  const clauseLast = new Int32Array(n);
  let clauseTop = LOW;
  if (clauseZ) {
    for (let i = 0; i < n; i++) {
      clauseFirst[i] = i > 0 && doc.clauseOf[i - 1] === doc.clauseOf[i] ? clauseFirst[i - 1]! : i;
      clauseTop = Math.max(clauseTop, clamp(clauseZ[i * C + c]!));
    }
    for (let i = n - 1; i >= 0; i--) clauseLast[i] = i + 1 < n && doc.clauseOf[i + 1] === doc.clauseOf[i] ? clauseLast[i + 1]! : i;
  }
  const typeIndex = DOCUMENT_TYPES.indexOf(doc.type);
  const length = Math.max(1, doc.textLength);
  for (let i = 0; i < n; i++) {
    // Pairs the second stage does not read are left at zero (most of them: this is the hot loop).
    if (!isStackCandidate(doc.logits[i * C + c]!, doc.rules[i * C + c]!, candidateLogit)) continue;
    const row = out.subarray(i * F, (i + 1) * F);
    const zi = z[i]!;
    let other = LOW;
    for (let k = 0; k < C; k++) if (k !== c) other = Math.max(other, doc.logits[i * C + k]!);
    other = clamp(other);
    const prev = i > 0 ? z[i - 1]! : LOW;
    const next = i + 1 < n ? z[i + 1]! : LOW;
    const k = doc.clauseOf[i]!;
    const clauseOther = clauseBest[k] === zi ? clauseSecond[k]! : clauseBest[k]!;
    const position = doc.starts[i]! / length;
    let f = 0;
    row[f++] = zi;
    for (const t of hinges) row[f++] = Math.max(0, zi - t);
    row[f++] = zi - other;
    row[f++] = other;
    row[f++] = prev;
    row[f++] = next;
    row[f++] = Math.max(prev, next);
    row[f++] = clauseOther;
    row[f++] = Math.log1p(clauseSize[k]!);
    row[f++] = z[clauseStart[k]!]!;
    row[f++] = top;
    row[f++] = zi - top;
    row[f++] = top - second;
    row[f++] = Math.log1p(rank[i]!);
    row[f++] = rank[i] === 0 ? 1 : 0;
    row[f++] = Math.log1p(plausible);
    row[f++] = Math.log1p(n);
    row[f++] = position;
    const decile = Math.min(9, Math.floor(position * 10));
    for (let d = 0; d < 10; d++) row[f++] = d === decile ? 1 : 0;
    const rule = doc.rules[i * C + c]!;
    row[f++] = rule;
    row[f++] = rule >= 0.5 ? 1 : 0;
    row[f++] = clauseRule[k]!;
    for (let t = 0; t < DOCUMENT_TYPES.length; t++) row[f++] = t === typeIndex ? 1 : 0;
    for (let k = 0; k < C; k++) row[f++] = sigmoid(maxes[k]!);
    if (clauseZ) {
      const zc = clamp(clauseZ[i * C + c]!);
      let clauseOtherBest = LOW;
      for (let k = 0; k < C; k++) if (k !== c) clauseOtherBest = Math.max(clauseOtherBest, clauseZ[i * C + k]!);
      const before = clauseFirst[i]! > 0 ? clamp(clauseZ[(clauseFirst[i]! - 1) * C + c]!) : LOW;
      const after = clauseLast[i]! + 1 < n ? clamp(clauseZ[(clauseLast[i]! + 1) * C + c]!) : LOW;
      row[f++] = zc;
      row[f++] = Math.max(0, zc);
      row[f++] = zc - clamp(clauseOtherBest);
      row[f++] = clauseTop - zc;
      row[f++] = Math.max(before, after);
    }
  }
  return out;
}

/** The best first-stage score of each category anywhere in the contract. */
export function documentMaxima(doc: ScoredDocument): Float32Array {
  const C = doc.categories;
  const n = doc.clauseOf.length;
  const out = new Float32Array(C).fill(LOW);
  for (let i = 0; i < n; i++) for (let k = 0; k < C; k++) out[k] = Math.max(out[k]!, clamp(doc.logits[i * C + k]!));
  return out;
}
