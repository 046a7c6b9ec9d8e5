import { queryTerms, stem } from "../retrieval/highlight";
import type { SearchHit } from "../retrieval/search-types";
import { answerRankerWeights } from "./answer-ranker-weights";
import { fileNameText, nameWords } from "./document-resolver";
import { candidateSentences, DENSE, featurize, HASH_SIZE, hashedScore, isHeadingOrBlank, questionProfile, scoreOf, type Candidate, type RankerWeights } from "./sentence-features";

/** Passages whose sentences the ranker weighs (the answer still lists only `k` of them plus the cited ones). */
export const CANDIDATE_PASSAGES = 24;

/** A candidate sentence with the ranker's score (higher answers the question better). */
export interface RankedSentence extends Candidate {
  readonly score: number;
}

function decode(base64: string, size: number): Float32Array {
  if (!base64) return new Float32Array(size);
  const bytes = Buffer.from(base64, "base64");
  const out = new Float32Array(size);
  out.set(new Float32Array(bytes.buffer, bytes.byteOffset, Math.min(size, bytes.byteLength / 4)));
  return out;
}

let shipped: RankerWeights | undefined;


/** The weights shipped with the package (trained by scripts/train-answer-ranker.ts). */
export function shippedWeights(): RankerWeights {
  shipped ??= {
    version: 1,
    dense: decode(answerRankerWeights.dense, DENSE),
    hashed: decode(answerRankerWeights.hashed, HASH_SIZE),
    notFoundBelow: answerRankerWeights.notFoundBelow,
    resolver: answerRankerWeights.resolver,
  };
  return shipped;
}

/** Stems of the question's words that only name these documents (title, parties, file name). */
export function namingStems(question: string, documents: readonly { readonly title: string; readonly parties: readonly string[]; readonly source: string }[]): Set<string> {
  const names = new Set(documents.flatMap((d) => nameWords(`${d.title} ${d.parties.join(" ")} ${fileNameText(d.source)}`)));
  return new Set(queryTerms(question).filter((t) => names.has(t.replace(/['’]s$/, ""))).map(stem));
}

/**
 * Ranks the sentences of retrieved passages by how well they answer the question, with a small
 * learned model (see sentence-features.ts); heading-only and blank form lines are never ranked.
 */
export class SentenceRanker {
  constructor(readonly weights: RankerWeights = shippedWeights()) {}

  rank(question: string, passages: readonly SearchHit[], naming: ReadonlySet<string> = new Set()): RankedSentence[] {
    const candidates = candidateSentences(passages).filter((c) => !isHeadingOrBlank(c.text));
    if (candidates.length === 0) return [];
    const { dense, hashed, question: questionFeatures } = featurize(questionProfile(question, naming), candidates);
    const prior = hashedScore(this.weights.hashed, questionFeatures);
    return candidates
      .map((c, i) => ({ ...c, score: scoreOf(this.weights, dense[i]!, hashed[i]!, prior) }))
      .sort((a, b) => b.score - a.score || a.rank - b.rank || a.start - b.start);
  }

  /** True when nothing can be offered as an answer: no candidate, or the best scores below the calibrated threshold. */
  isNotFound(ranked: readonly RankedSentence[]): boolean {
    const best = ranked[0];
    return !best || best.score < this.weights.notFoundBelow;
  }
}
