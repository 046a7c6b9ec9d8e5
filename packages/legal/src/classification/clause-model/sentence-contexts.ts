import type { Clause } from "../../text/segment-clauses";
import type { ContractDocument } from "../../text/contract-document";
import type { Span } from "../../text/span";
import type { RuleClauseClassifier } from "../rule-clause-classifier";
import { isTitleLine, titleText } from "../title-line";
import type { SentenceContext } from "./sentence-features";

/** One sentence of a contract with what surrounds it: the unit both first-stage readers score. */
export interface SentenceInContext {
  readonly clauseIndex: number;
  readonly span: Span;
  readonly context: SentenceContext;
}

/** What the readers are given of a sentence's surroundings (a model file records which it was trained with). */
export interface ContextOptions {
  /** Also the title of the section the sentence's clause sits under (`sectionTitles`). */
  readonly sections?: boolean;
  /** Also the typed cues of the sentence and its neighbours (`typed-cues.ts`; read by `sentenceFeatures`). */
  readonly typed?: boolean;
}

/**
 * Every sentence of a contract in its context: its clause heading, the sentences before and after it
 * in the clause, the clause's opening, the section it sits under (with `sections`), where it sits,
 * and the rule scores. Training and run time both read sentences through here, so they cannot drift apart.
 */
export function sentenceContexts(doc: ContractDocument, rules: RuleClauseClassifier, options: ContextOptions = {}): SentenceInContext[] {
  const out: SentenceInContext[] = [];
  const length = Math.max(1, doc.text.length);
  const sections = options.sections ? sectionTitles(doc.clauses) : undefined;
  for (const clause of doc.clauses) {
    const section = sections?.[clause.index];
    clause.sentences.forEach((span, i) => {
      const previous = i > 0 ? clause.sentences[i - 1]!.quote : undefined;
      const next = clause.sentences[i + 1]?.quote;
      const clauseOpening = i > 1 ? clause.sentences[0]!.quote : undefined;
      const context: SentenceContext = {
        sentence: span.quote,
        ...(clause.heading === undefined ? {} : { heading: clause.heading }),
        ...(previous === undefined ? {} : { previous }),
        ...(next === undefined ? {} : { next }),
        ...(clauseOpening === undefined ? {} : { clauseOpening }),
        ...(section === undefined ? {} : { section }),
        position: span.start / length,
        ruleScores: rules.scoreSentence(span.quote, clause.heading),
      };
      out.push({ clauseIndex: clause.index, span, context });
    });
  }
  return out;
}

// A heading that is only an item letter or a roman numeral ("A.", "XI.") names nothing.
const ITEM_MARK = /^(?:[A-Za-z]|[IVXL]+)$/;
const MAX_TITLE_CHARS = 100;
const MAX_TITLE_WORDS = 12;

/** A line that is only a title: "2. DISTRIBUTORSHIP", "3.1. NETWORK", "Termination for Convenience". */
function titleOf(line: string): string | undefined {
  if (line.length > MAX_TITLE_CHARS || line.includes("\n")) return undefined;
  const text = titleText(line);
  if (!/[A-Za-z]{2}/.test(text) || text.split(/\s+/).length > MAX_TITLE_WORDS) return undefined;
  return !/[a-z]/.test(text) || isTitleLine(line) ? text : undefined;
}

/**
 * Per clause, the titles of the sections it sits under (not its own), nearest first: for a dotted
 * number ("2.2.1") its nearest titled parent ("2.2 Pricing.") and its top-level section
 * ("2. DISTRIBUTORSHIP"); for an unnumbered or lettered paragraph, the titles of the last numbered
 * clause or title line before it ("A. …" under "I. APPOINTMENT AND FRANCHISE FEE"). Clause categories
 * follow headings, and a sub-clause rarely repeats its section's title.
 */
export function sectionTitles(clauses: readonly Clause[]): (string | undefined)[] {
  const byNumber = new Map<string, string>();
  let last: string[] = [];
  return clauses.map((clause) => {
    const first = clause.sentences[0]?.quote ?? "";
    // The segmenter already reads a page number ("4⏎⏎ Oncology Care …") as no clause number.
    const number = clause.number;
    const line = clause.sentences.length === 1 ? titleOf(first) : undefined;
    let titles: string[];
    if (number === undefined) {
      titles = last;
      // An unnumbered title line opens a section of its own.
      if (line !== undefined) last = [line];
    } else {
      const own = clause.heading !== undefined && !ITEM_MARK.test(clause.heading) ? clause.heading : line;
      const parts = number.split(".");
      titles = [];
      for (let k = parts.length - 1; k > 0 && titles.length === 0; k--) {
        const t = byNumber.get(parts.slice(0, k).join("."));
        if (t !== undefined) titles.push(t);
      }
      const root = parts.length > 1 ? byNumber.get(parts[0]!) : undefined;
      if (root !== undefined && !titles.includes(root)) titles.push(root);
      if (own !== undefined) byNumber.set(number, own);
      last = own === undefined ? titles : [own, ...titles].slice(0, 2);
    }
    return titles.length > 0 ? titles.join(" | ") : undefined;
  });
}
