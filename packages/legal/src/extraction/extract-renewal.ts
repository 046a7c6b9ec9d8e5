import type { ContractDocument } from "../text/contract-document";
import { spanOf, type Span } from "../text/span";
import type { PeriodTerm, RenewalTerm } from "./key-term-types";
import { recurringPeriods } from "./recurring-periods";

const RENEWAL = new RegExp(
  [
    "automatic(?:ally)?\\s+(?:be\\s+)?(?:renew|extend)",
    "(?:renew|extend)\\w*\\s+automatically",
    "(?:renew|extend)\\w*\\s+(?:\\w+\\s+){0,2}(?:for|on)\\s+(?:up\\s+to\\s+)?(?:an?\\s+)?(?:additional|successive|further|subsequent|like|consecutive)",
    "(?:option|right|elect)\\s+to\\s+(?:\\w+\\s+)?(?:renew|extend)",
    "(?:from\\s+)?year[\\s-]+to[\\s-]+year|month[\\s-]+to[\\s-]+month",
    "\\b(?:is|are|be)\\s+renewable",
  ].join("|"),
  "i",
);
// "shall be renewed" counts only when it is the agreement or its term that renews (not an insurance policy).
const SHALL_RENEW = /\bshall\s+(?:be\s+)?(?:renew|extend)\w*/i;
const OWN_TERM = /\bagreement\b|\bterm\b|\bcontract\b|\blicen[cs]e\b/i;
// "successive one-year periods" counts only next to a word that continues the agreement
// ("each successive period of three months during the Term" is a calendar, not a renewal).
const SUCCESSIVE = /successive\s+(?:[\w()]+[\s-]+){0,4}(?:renewal\s+)?(?:terms?|periods?)/i;
const CONTINUES = /renew|extend|extension|continu|thereafter/i;
// Evergreen: "after the Initial Term, this Agreement shall continue … until terminated by either party".
const EVERGREEN = /(?:thereafter|after\s+(?:the\s+)?(?:expiration\s+of\s+the\s+)?(?:initial\s+)?term)[^.;]{0,80}\b(?:continue|remain)[^.;]{0,80}\buntil\s+(?:terminated|either|one|a\s+party)|\b(?:continue|remain)[^.;]{0,40}\bthereafter[^.;]{0,40}\buntil\s+(?:terminated|either|one|a\s+party)/i;
const AUTOMATIC = /automatic|unless\s+(?:either|a|one|the)\s+(?:\w+\s+)?party|year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|unless\s+(?:sooner\s+)?terminated|unless\s+(?:written\s+)?notice|until\s+(?:terminated|either)/i;
// A sentence that only points at the renewal clause ("RENEWAL TERM shall have the meaning ascribed … [AUTOMATIC RENEWAL]").
const POINTER = /\bshall\s+have\s+the\s+meaning|\bhas\s+the\s+meaning|\bas\s+defined\s+in\s+section/i;
// "renew for successive periods of equal length": the renewal period is the initial term.
const SAME_LENGTH = /\b(?:like|same|equal|identical|similar)\s+(?:\w+\s+){0,2}(?:terms?|periods?|duration|length)/i;
const NOTICE_CONTEXT = /renew|non-?renew|extend|extension|expir|then[\s-]+current|end\s+of\s+the\s+(?:initial\s+)?term/i;

interface Candidate {
  readonly score: number;
  readonly result: RenewalTerm;
}

interface Cue {
  readonly at: number;
  /** "continue … until terminated": renews indefinitely, with no period of its own. */
  readonly evergreen: boolean;
}

function cueOf(quote: string): Cue | undefined {
  const m = RENEWAL.exec(quote) ?? (OWN_TERM.test(quote) ? SHALL_RENEW.exec(quote) : null) ?? (CONTINUES.test(quote) ? SUCCESSIVE.exec(quote) : null);
  if (m) return { at: m.index, evergreen: false };
  const e = EVERGREEN.exec(quote);
  return e ? { at: e.index, evergreen: true } : undefined;
}

/** The renewal period: the first one after the renewal words, else (for "like periods") the term itself. */
function renewalPeriod(doc: ContractDocument, sentence: Span, cue: Cue, periods: readonly PeriodTerm[]): PeriodTerm | undefined {
  const candidates = [...periods, ...recurringPeriods(doc, sentence)]
    .filter((p) => p.kind !== "notice" && p.kind !== "cure" && p.kind !== "payment" && p.duration.unit !== "business_day")
    .sort((a, b) => a.span.start - b.span.start);
  const after = candidates.find((p) => p.span.start >= sentence.start + cue.at);
  if (after || cue.evergreen) return after;
  if (SAME_LENGTH.test(sentence.quote)) return candidates.at(-1);
  return candidates[0];
}

function candidate(doc: ContractDocument, i: number, periods: readonly PeriodTerm[]): Candidate | undefined {
  const sentence = doc.sentences[i];
  if (sentence === undefined || POINTER.test(sentence.quote)) return undefined;
  const cue = cueOf(sentence.quote);
  if (cue === undefined) return undefined;
  const next = doc.sentences[i + 1];
  const inSentence = periods.filter((p) => p.span.start >= sentence.start && p.span.end <= sentence.end);
  const period = renewalPeriod(doc, sentence, cue, inSentence);
  const inNext = next && NOTICE_CONTEXT.test(next.quote) ? periods.filter((p) => p.span.start >= next.start && p.span.end <= next.end && p.kind === "notice") : [];
  const notice = inSentence.find((p) => p.kind === "notice") ?? inNext[0];
  const end = notice && next && notice.span.start >= next.start ? next.end : sentence.end;
  const automatic = AUTOMATIC.test(sentence.quote);
  return {
    // An automatic renewal that names its period and notice window is the renewal clause; a bare
    // "option to extend" or a passing mention ranks below it.
    score: (automatic ? 2 : 1) + (period ? 2 : 0) + (notice ? 1 : 0),
    result: {
      automatic,
      ...(period ? { period } : {}),
      ...(notice ? { noticeToTerminate: notice } : {}),
      span: spanOf(doc.text, sentence.start, end),
    },
  };
}

/** The renewal clause: automatic or optional, the renewal period and the notice window to stop it. */
export function extractRenewal(doc: ContractDocument, periods: readonly PeriodTerm[]): RenewalTerm | undefined {
  let best: Candidate | undefined;
  for (let i = 0; i < doc.sentences.length; i++) {
    const c = candidate(doc, i, periods);
    if (c && (best === undefined || c.score > best.score)) best = c;
  }
  return best?.result;
}
