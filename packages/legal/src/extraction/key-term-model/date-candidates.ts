import { datesIn, type IsoDate } from "../../parsing/parse-date";
import type { ContractDocument } from "../../text/contract-document";
import type { KeyDate, KeyDates, DateTerm, RenewalTerm } from "../key-term-types";
import { isSavingsSentence, isTermSentence } from "../resolve-expiration";
import { band, sentenceBag, windowFeatures, type Candidate } from "./candidate-features";
import { termLengthCandidates, termLengths } from "./term-length-candidates";


export type DateField = "agreement" | "effective" | "expiration";
export const DATE_FIELDS: readonly DateField[] = ["agreement", "effective", "expiration"];

/** A value a key date may take: a date written in the text, one the rules computed, or "perpetual". */
export interface DateCandidate {
  readonly kind: "mention" | "computed" | "perpetual";
  readonly iso?: IsoDate;
  readonly start: number;
  readonly end: number;
  /** For a computed candidate: the key date the rules built. */
  readonly keyDate?: KeyDate;
}

/** What the expiry (stage two) is scored with: the agreement and effective dates the model chose, from which its candidates count, and the renewal clause the rules read. */
export interface ModelStarts {
  readonly effective?: IsoDate;
  readonly agreement?: IsoDate;
  /** The runner-up effective and agreement dates (the expiry counts from them too, marked as such). */
  readonly runnersUp?: readonly IsoDate[];
  readonly renewal?: RenewalTerm;
}


const PERPETUAL = /\b(?:in\s+perpetuity|perpetual(?:ly)?|indefinitely|indefinite\s+(?:term|period|duration)|until\s+(?:terminated|termination)|unless\s+(?:and\s+until\s+)?terminated)\b/i;
const WITNESS = /IN\s+WITNESS\s+WHEREOF/i;
const RECITALS = /\bWHEREAS\b|\bRECITALS\b|\bBACKGROUND\b/;

/** Every date of the text, the dates the rules computed, and "perpetual", with the features the date heads score. */
export function dateCandidates(doc: ContractDocument, ruleDates: KeyDates, stated: readonly DateTerm[], starts?: ModelStarts): Candidate<DateCandidate>[] {
  const text = doc.text;
  const mentions = datesIn(text);
  const witness = text.search(WITNESS);
  const recitals = RECITALS.exec(text.slice(0, doc.preambleEnd))?.index ?? doc.preambleEnd;
  const isoCount = new Map<string, number>();
  for (const d of mentions) isoCount.set(d.iso, (isoCount.get(d.iso) ?? 0) + 1);
  const sorted = [...isoCount.keys()].sort();
  const ruleFeatures = (iso: IsoDate | undefined, span?: { start: number; end: number }) => {
    const f: string[] = [];
    for (const field of DATE_FIELDS) {
      const r = ruleDates[field];
      if (r?.iso !== undefined && r.iso === iso) f.push(`same:${field}`, `same:${field}:${r.derivation}`);
      if (span && r && r.span.start <= span.start && span.end <= r.span.end) f.push(`inside:${field}`);
    }
    return f;
  };
  const out: Candidate<DateCandidate>[] = mentions.map((d, index) => {
    const sentence = doc.sentenceAt(d.start);
    const f = ["bias", "mention", ...windowFeatures(text, d.start, d.end, 8, 6), ...(sentence ? sentenceBag(sentence.quote) : [])];
    const role = stated.find((s) => s.span.start === d.start)?.role;
    f.push(`role:${role ?? "none"}`, ...ruleFeatures(d.iso, d));
    f.push(band("dpos", index), band("pos", d.start / 500), band("iso-count", isoCount.get(d.iso)!));
    if (d.start < doc.preambleEnd) f.push("preamble");
    if (d.start < recitals) f.push("before-recitals");
    if (witness >= 0 && d.start > witness) f.push("after-witness");
    if (sorted.length > 1 && d.iso === sorted[0]) f.push("earliest");
    if (sorted.length > 1 && d.iso === sorted.at(-1)) f.push("latest");
    if (sentence && isTermSentence(sentence.quote)) f.push("term-sentence");
    if (sentence && sentence.start < 400) f.push("opening-sentence");
    return { value: { kind: "mention", iso: d.iso, start: d.start, end: d.end }, features: f };
  });
  for (const field of DATE_FIELDS) {
    const r = ruleDates[field];
    if (r?.iso === undefined || r.derivation === "stated") continue;
    const f = ["bias", "computed", `computed:${field}`, `computed:${field}:${r.derivation}`, ...sentenceBag(r.span.quote), ...ruleFeatures(r.iso)];
    if (isTermSentence(r.span.quote)) f.push("term-sentence");
    out.push({ value: { kind: "computed", iso: r.iso, start: r.span.start, end: r.span.end, keyDate: r }, features: f });
  }
  // A start plus every year or month length of a sentence about the term ("shall continue for ten (10)
  // Contract Years", "ending two (2) years thereafter", "the fifth anniversary"): the rules compute from one
  // sentence, these from any. The starts are the model's own effective and agreement dates when given
  // (the expiry is scored after them), then the rules' and the first date of the text.
  // Only for the expiry (stage two, `starts` given): a start plus a length is never when the agreement was made or took effect.
  if (starts !== undefined) out.push(...termLengthCandidates(doc, mentions, ruleDates, starts, (iso) => ruleFeatures(iso)));
  // "perpetual" is a candidate only when some sentence says so (or the rules read it so), or at the first term sentence.
  const termSentences = doc.sentences.filter((s) => isTermSentence(s.quote));
  const perpetualSentence = termSentences.find((s) => PERPETUAL.test(s.quote)) ?? doc.sentences.find((s) => PERPETUAL.test(s.quote));
  const rulePerpetual = ruleDates.expiration?.note === "perpetual" ? ruleDates.expiration.span : undefined;
  // Without such words "perpetual" stands at the first term sentence, never at a severability sentence that says the
  // agreement "shall otherwise remain in full force and effect" (it would be cited as the expiry).
  const at = perpetualSentence ?? rulePerpetual ?? termSentences.find((s) => !isSavingsSentence(s.quote));
  if (at && at.end > at.start) {
    const f = ["bias", "perpetual"];
    if (rulePerpetual) f.push("perpetual:rule");
    if (ruleDates.expiration === undefined) f.push("perpetual:no-rule-expiry");
    else if (ruleDates.expiration.iso === undefined) f.push("perpetual:rule-expiry-without-date");
    if (perpetualSentence) f.push("perpetual:word", ...(isTermSentence(perpetualSentence.quote) ? ["perpetual:in-term-sentence"] : []), ...sentenceBag(perpetualSentence.quote).map((s) => `p${s}`));
    f.push(band("term-sentences", termSentences.length));
    out.push({ value: { kind: "perpetual", start: at.start, end: at.end }, features: f });
  }
  if (starts !== undefined) {
    // Stage two: what the renewal clause says, joined with the kind of candidate (an automatic renewal makes
    // "perpetual" and the end of the initial term both plausible; an option to renew, the end of the term).
    const renewal = starts.renewal === undefined ? "none" : starts.renewal.automatic ? "auto" : "option";
    return out.map((c) => ({ ...c, features: [...c.features, `renew:${renewal}&${c.value.kind}`] }));
  }
  return out;
}

/**
 * The features of the "no expiry" choice of a listwise expiry head (the contract states no date or
 * term the lawyers would call its expiry): what the contract says about its term as a whole.
 */
export function noExpiryFeatures(doc: ContractDocument, ruleDates: KeyDates, starts: ModelStarts): string[] {
  const termSentences = doc.sentences.filter((s) => isTermSentence(s.quote));
  const lengths = termSentences.reduce((n, s) => n + termLengths(s.quote).length, 0);
  const r = ruleDates.expiration;
  const f = ["none", band("none:term-sentences", termSentences.length), band("none:term-lengths", lengths), `none:rule:${r === undefined ? "none" : r.note === "perpetual" ? "perpetual" : r.derivation}`];
  f.push(`none:renew:${starts.renewal === undefined ? "none" : starts.renewal.automatic ? "auto" : "option"}`);
  if (doc.sentences.some((s) => PERPETUAL.test(s.quote))) f.push("none:perpetual-word");
  if (starts.effective === undefined && starts.agreement === undefined) f.push("none:no-start");
  if (termSentences[0]) f.push(...sentenceBag(termSentences[0].quote).map((t) => `n${t}`));
  return f;
}
