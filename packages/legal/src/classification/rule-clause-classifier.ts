import type { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";
import type { CategoryLexicon, ClauseLexicon, LexiconCue } from "./clause-lexicon";
import { DEFAULT_CLAUSE_LEXICON, WEAK_SCORE_CAP } from "./clause-lexicon";
import type { ClassifiedClause } from "./clause-classification";
import { labelClauses } from "./label-clauses";
import type { CuadCategory } from "./cuad-categories";
import { isTitleLine } from "./title-line";

interface CompiledCue {
  readonly re: RegExp;
  readonly weight: number;
  readonly requires: readonly RegExp[];
  /** Always present (undefined when the cue has none), so every cue has one shape in the hot loop. */
  readonly unless: RegExp | undefined;
}
interface CompiledCategory {
  readonly category: CuadCategory;
  readonly cues: readonly CompiledCue[];
  readonly headings: readonly CompiledCue[];
  readonly against: readonly CompiledCue[];
  readonly weak: readonly RegExp[];
}

/** A sentence's score for one category. */
export interface SentenceScore {
  readonly category: CuadCategory;
  readonly clauseIndex: number;
  readonly span: Span;
  readonly score: number;
}

// In cue patterns `[^.]` means "within the sentence": it also steps over full stops followed by a
// letter or digit ("Section 7.2", "e.g"), which the segmenter never treats as sentence ends.
const inSentence = (pattern: string) => new RegExp(pattern.replaceAll("[^.]", String.raw`(?:[^.]|\.(?=\w))`), "i");

function compile(category: CuadCategory, lexicon: CategoryLexicon): CompiledCategory {
  const cue = (x: LexiconCue): CompiledCue => ({
    re: inSentence(x.pattern),
    weight: Math.min(1, Math.max(0, x.weight)),
    requires: (x.requires ?? []).map(inSentence),
    unless: x.unless === undefined ? undefined : inSentence(x.unless),
  });
  return {
    category,
    cues: lexicon.cues.map(cue),
    headings: (lexicon.headings ?? []).map(cue),
    against: (lexicon.against ?? []).map(cue),
    weak: (lexicon.weak ?? []).map((w) => new RegExp(w, "i")),
  };
}

/**
 * A cue counts when its pattern and every required pattern match, and its `unless` pattern does not.
 * Loops, not every() with a callback: this runs for every cue of every category on every sentence.
 */
function matches(cue: CompiledCue, text: string): boolean {
  if (!cue.re.test(text)) return false;
  for (const r of cue.requires) if (!r.test(text)) return false;
  return cue.unless === undefined || !cue.unless.test(text);
}

/** How many of the topic words occur in `text`. */
function weakHits(weak: readonly RegExp[], text: string): number {
  let hits = 0;
  for (const w of weak) if (w.test(text)) hits++;
  return hits;
}

/**
 * The no-model clause classifier: weighted regular-expression cues per CUAD category, combined as a
 * noisy-OR per sentence (plus a heading cue), damped by counter-cues. Scores are in [0, 1].
 */
export class RuleClauseClassifier {
  private readonly categories: readonly CompiledCategory[];

  constructor(lexicon: ClauseLexicon = DEFAULT_CLAUSE_LEXICON) {
    this.categories = Object.entries(lexicon).map(([category, entry]) => compile(category as CuadCategory, entry!));
  }

  /** Scores one sentence for every category with a non-zero score. */
  scoreSentence(sentence: string, heading?: string): Map<CuadCategory, number> {
    const out = this.scoreText(sentence, heading);
    // A line that only names the clause ("9.5 Audit Rights.") is not the clause: rank it, never label it.
    if (isTitleLine(sentence, heading)) for (const [cat, score] of out) out.set(cat, Math.min(score, WEAK_SCORE_CAP));
    return out;
  }

  private scoreText(sentence: string, heading?: string): Map<CuadCategory, number> {
    const out = new Map<CuadCategory, number>();
    const text = sentence.length > 2000 ? sentence.slice(0, 2000) : sentence;
    for (const cat of this.categories) {
      let miss = 1;
      for (const cue of cat.cues) if (matches(cue, text)) miss *= 1 - cue.weight;
      if (miss === 1) {
        // No cue: topic words only rank the sentence, always below any sensible threshold.
        const hits = weakHits(cat.weak, text);
        if (hits > 0) out.set(cat.category, Math.min(WEAK_SCORE_CAP, Math.round(hits * 0.04 * 1000) / 1000));
        continue;
      }
      if (heading !== undefined) for (const cue of cat.headings) if (matches(cue, heading)) miss *= 1 - cue.weight;
      let score = 1 - miss;
      for (const cue of cat.against) if (matches(cue, text)) score *= 1 - cue.weight;
      if (score > 0) out.set(cat.category, Math.round(score * 1000) / 1000);
    }
    return out;
  }

  /** Every (sentence, category) score in the document, for ranking and benchmarks. */
  scoreDocument(doc: ContractDocument): SentenceScore[] {
    const out: SentenceScore[] = [];
    for (const clause of doc.clauses) {
      for (const span of clause.sentences) {
        for (const [category, score] of this.scoreSentence(span.quote, clause.heading)) out.push({ category, clauseIndex: clause.index, span, score });
      }
    }
    return out;
  }

  /** Labels each clause with the categories whose best sentence reaches `threshold`. */
  classify(doc: ContractDocument, threshold = 0.5): ClassifiedClause[] {
    return labelClauses(doc, this.scoreDocument(doc), threshold, "rules");
  }
}
