// Candidates of every contract with their labels, built once (the slow part) and shared by the CV and the final fit.
import { ContractDocument, extractKeyTerms, type KeyDates, type Party, type RenewalTerm } from "../src/index";
import { hashFeatures } from "../src/extraction/key-term-model/candidate-features";
import type { Candidate } from "../src/extraction/key-term-model/candidate-features";
import { DATE_FIELDS, dateCandidates, noExpiryFeatures, type DateCandidate, type DateField, type ModelStarts } from "../src/extraction/key-term-model/date-candidates";
import { partyCandidates, type PartyCandidate } from "../src/extraction/key-term-model/party-candidates";
import type { DateTerm } from "../src/index";
import type { CuadContract } from "./cuad-data";
import { DATE_FIELDS as GOLD_FIELDS, goldAliases, goldDate, goldPartyNames, normaliseName } from "./key-term-gold";

export interface Labelled<V> {
  readonly value: V;
  readonly indices: Int32Array;
  readonly label: 0 | 1;
  /** The feature strings (kept for party candidates: the entity stage reads their flags). */
  readonly features?: readonly string[];
}

export interface ContractCandidates {
  readonly contract: CuadContract;
  readonly doc: ContractDocument;
  readonly ruleParties: readonly Party[];
  readonly ruleDates: KeyDates;
  /** The renewal clause the rules read (the model does not change it). */
  readonly renewal?: RenewalTerm;
  readonly stated: readonly DateTerm[];
  readonly parties: readonly Labelled<PartyCandidate>[];
  readonly dates: readonly (Labelled<DateCandidate> & { readonly labels: Readonly<Record<DateField, 0 | 1>> })[];
  /** Candidates of the expiry head: the date candidates again, counting also from the stage-one effective and agreement dates (set by the trainer once it has them). */
  expiry: readonly (Labelled<DateCandidate> & { readonly labels: Readonly<Record<DateField, 0 | 1>> })[];
  /** The hashed features of the "no expiry" choice of a listwise expiry head (set with `expiry`). */
  expiryNone: Int32Array;
  /** Gold per date field (ISO or "perpetual"), undefined when CUAD gives none. */
  readonly gold: Readonly<Partial<Record<DateField, string>>>;
  /** Per date field, whether CUAD's lawyers found no such date at all (blank answer, nothing highlighted). */
  readonly none: Readonly<Record<DateField, boolean>>;
}

/** A training label for a party candidate: the same name as a gold one, or one inside the other covering most of it. */
export function isGoldParty(candidate: string, gold: readonly string[]): boolean {
  const n = normaliseName(candidate);
  if (n.length === 0) return false;
  return gold.some((g) => n === g || ((n.includes(g) || g.includes(n)) && Math.min(n.length, g.length) / Math.max(n.length, g.length) >= 0.6));
}

export function buildCandidates(contract: CuadContract, hashBits: number): ContractCandidates {
  const doc = new ContractDocument(contract.text);
  const rules = extractKeyTerms(doc, { model: false });
  const goldParties = goldPartyNames(contract).flatMap(goldAliases);
  const parties = partyCandidates(doc, rules.parties).map((c) => ({
    value: c.value,
    indices: hashFeatures(c.features, hashBits),
    features: c.features,
    label: (isGoldParty(contract.text.slice(c.value.start, c.value.end), goldParties) ? 1 : 0) as 0 | 1,
  }));
  const gold: Partial<Record<DateField, string>> = {};
  for (const [field, cat] of GOLD_FIELDS) {
    const g = goldDate(contract.answers.get(cat));
    if (g !== undefined) gold[field] = g;
  }
  const stated = rules.dates.filter((d) => d.derivedFrom === undefined);
  const dates = labelDates(dateCandidates(doc, rules.keyDates, stated), gold, hashBits);
  const none = Object.fromEntries(GOLD_FIELDS.map(([field, cat]) => [field, (contract.answers.get(cat) ?? "").trim() === "" && (contract.gold.get(cat) ?? []).length === 0])) as Record<DateField, boolean>;
  return { none, contract, doc, ruleParties: rules.parties, ruleDates: rules.keyDates, ...(rules.renewal ? { renewal: rules.renewal } : {}), stated, parties, dates, expiry: dates, expiryNone: new Int32Array(0), gold };
}

function labelDates(candidates: readonly Candidate<DateCandidate>[], gold: Partial<Record<DateField, string>>, hashBits: number): ContractCandidates["dates"] {
  return candidates.map((c) => {
    const value = c.value.kind === "perpetual" ? "perpetual" : c.value.iso;
    const labels = Object.fromEntries(DATE_FIELDS.map((f) => [f, gold[f] !== undefined && gold[f] === value ? 1 : 0])) as Record<DateField, 0 | 1>;
    return { value: c.value, indices: hashFeatures(c.features, hashBits), label: 0 as const, labels };
  });
}

/** Stage two: the expiry candidates once the effective and agreement dates are chosen. */
export function setExpiryCandidates(c: ContractCandidates, starts: ModelStarts, hashBits: number, keepFeature: (f: string) => boolean = () => true): void {
  const withRenewal: ModelStarts = { ...starts, ...(c.renewal ? { renewal: c.renewal } : {}) };
  c.expiry = labelDates(dateCandidates(c.doc, c.ruleDates, c.stated, withRenewal).map((d) => ({ ...d, features: d.features.filter(keepFeature) })), c.gold, hashBits);
  c.expiryNone = hashFeatures(noExpiryFeatures(c.doc, c.ruleDates, withRenewal), hashBits);
}
