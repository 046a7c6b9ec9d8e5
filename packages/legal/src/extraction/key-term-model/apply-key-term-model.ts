import type { ContractDocument } from "../../text/contract-document";
import { spanOf } from "../../text/span";
import type { IsoDate } from "../../parsing/parse-date";
import type { DateTerm, KeyDate, KeyDates, Party, RenewalTerm } from "../key-term-types";
import { DATE_FIELDS, dateCandidates, noExpiryFeatures, type DateCandidate, type DateField, type ModelStarts } from "./date-candidates";
import { comparableName } from "./candidate-features";
import type { KeyTermModel } from "./key-term-model";
import { partyCandidates, type PartyCandidate } from "./party-candidates";
import { entityFeatures, groupPartyEntities } from "./party-entities";
import { trimPartyName } from "./party-name";

const MAX_PARTIES = 80;
// A contract has two sides: the second-best entity needs only this share of the threshold.
const SECOND_PARTY_FACTOR = 0.25;
// An automatically renewing agreement's expiry is the end of its first term when a dated candidate scores at
// least this share of "perpetual" (chosen on the tune part's CV: train-key-term-model.ts --sweep-initial-term).
export const INITIAL_TERM_SHARE = 0.1;
const QUOTED_ROLE = /\(\s*(?:the\s+|each\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?["“]\s*([A-Za-z][^"“”\n]{0,40}?)\s*["”]/;
const NOT_ROLE = /^(?:agreement|this agreement|effective date|parties|party|term|territory)$/i;

const sameEntity = (a: string, b: string) => a === b || (a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a)));

export interface ScoredParty {
  readonly candidate: PartyCandidate;
  readonly score: number;
  /** The features the mention head scored (the entity stage reads their flags). */
  readonly features?: readonly string[];
}

/** Party candidates scored by the model, best first. */
export function scorePartyCandidates(doc: ContractDocument, model: KeyTermModel, ruleParties: readonly Party[]): ScoredParty[] {
  return partyCandidates(doc, ruleParties)
    .map((c) => ({ candidate: c.value, score: model.score("party", c.features), features: c.features }))
    .sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start);
}

/** The parties the model takes (one per entity, cited where the name first appears, with the role defined after it); the rules' parties when it takes none. */
export function modelParties(doc: ContractDocument, model: KeyTermModel, ruleParties: readonly Party[]): Party[] {
  const scored = scorePartyCandidates(doc, model, ruleParties);
  const entityThreshold = model.entityThreshold();
  if (entityThreshold === undefined) return chooseParties(doc.text, scored, model.threshold("party"), ruleParties);
  return chooseEntityParties(doc.text, scored, (features) => model.scoreEntity(features)!, entityThreshold, ruleParties);
}

/** The choice itself, on candidates already scored (best first). */
export function chooseParties(text: string, scored: readonly ScoredParty[], threshold: number, ruleParties: readonly Party[]): Party[] {
  const taken: { key: string; candidate: PartyCandidate }[] = [];
  for (const s of scored) {
    // Best first: once a score is below what the next party needs, no later one reaches it either.
    if (taken.length >= MAX_PARTIES || s.score < (taken.length < 2 ? threshold * SECOND_PARTY_FACTOR : threshold)) break;
    const key = comparableName(text.slice(s.candidate.start, s.candidate.end));
    if (key.length === 0 || taken.some((t) => sameEntity(t.key, key))) continue;
    taken.push({ key, candidate: s.candidate });
  }
  return partiesOf(text, scored, taken, ruleParties);
}

/**
 * The second stage: mentions grouped into entities (names equal or inside one another), each entity
 * scored by the entity head over what its mentions say (`entityFeatures`), and every entity that
 * reaches the threshold taken (the best two need a quarter of it: a contract has two sides).
 */
export function chooseEntityParties(text: string, scored: readonly ScoredParty[], scoreEntity: (features: readonly string[]) => number, threshold: number, ruleParties: readonly Party[], secondPartyFactor = SECOND_PARTY_FACTOR): Party[] {
  const entities = groupPartyEntities(text, scored);
  const features = entityFeatures(entities);
  const ranked = entities.map((e, i) => ({ e, p: scoreEntity(features[i]!) })).sort((a, b) => b.p - a.p || a.e.mentions[0]!.candidate.start - b.e.mentions[0]!.candidate.start);
  const taken: { key: string; candidate: PartyCandidate }[] = [];
  for (const r of ranked) {
    if (taken.length >= MAX_PARTIES || r.p < (taken.length < 2 ? threshold * secondPartyFactor : threshold)) break;
    taken.push({ key: r.e.key, candidate: r.e.mentions[0]!.candidate });
  }
  return partiesOf(text, scored, taken, ruleParties);
}

/** The taken names as parties (the rules' parties when none is taken), in text order, one per defined role. */
function partiesOf(text: string, scored: readonly ScoredParty[], taken: readonly { key: string; candidate: PartyCandidate }[], ruleParties: readonly Party[]): Party[] {
  if (taken.length === 0) return [...ruleParties];
  const out: Party[] = [];
  // Each candidate's comparable name, read once for all the taken names (a list of parties may take dozens).
  const keyed = scored.map((s) => ({ candidate: s.candidate, key: comparableName(text.slice(s.candidate.start, s.candidate.end)) }));
  for (const t of taken) {
    const party = tidyName(text, describeParty(text, keyed, t.key, t.candidate, ruleParties));
    // Two names whose role is the same defined term are one party ("ConforMIS, Inc. … Conformis Inc. ("Conformis")").
    if (party.roleSpan && out.some((p) => p.roleSpan?.start === party.roleSpan!.start)) continue;
    out.push(party);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The party with its name cut to the name itself (no address, date or list number around it: `trimPartyName`). */
function tidyName(text: string, party: Party): Party {
  if (party.name !== party.span.quote.replace(/\s+/g, " ")) return party;
  const span = trimPartyName(text, party.span);
  return span === party.span ? party : { ...party, name: span.quote.replace(/\s+/g, " "), span };
}

/** A taken name as a Party: the rules' reading of the same name when they have one (they parse the preamble), else its first mention and the role defined after it. */
function describeParty(text: string, keyed: readonly { candidate: PartyCandidate; key: string }[], key: string, best: PartyCandidate, ruleParties: readonly Party[]): Party {
  // The same name, else a name of the same entity (the rules read "Evil <b>Corp</b> & Co." whole where the candidates stop at "Evil").
  const ruleKeys = ruleParties.map((p) => comparableName(p.name));
  const rule = ruleParties[ruleKeys.indexOf(key)] ?? ruleParties[ruleKeys.findIndex((k) => sameEntity(k, key))];
  if (rule) return rule;
  const first = keyed.filter((k) => k.key === key).map((k) => k.candidate).sort((a, b) => a.start - b.start)[0] ?? best;
  const span = spanOf(text, first.start, first.end);
  const role = QUOTED_ROLE.exec(text.slice(first.end, first.end + 200));
  const roleText = role?.[1]?.trim();
  const roleAt = role && roleText ? first.end + role.index + role[0].indexOf(roleText) : -1;
  return {
    name: span.quote.replace(/\s+/g, " "),
    span,
    ...(roleText && !NOT_ROLE.test(roleText) && roleAt >= 0 ? { role: roleText, roleSpan: spanOf(text, roleAt, roleAt + roleText.length) } : {}),
  };
}

export interface ScoredDate {
  readonly candidate: DateCandidate;
  readonly score: number;
}

/** Date candidates scored for one field, best first ("perpetual" only for the expiry); `none`: a listwise head's probability of no such date. */
export function scoreDateCandidates(doc: ContractDocument, model: KeyTermModel, ruleDates: KeyDates, stated: readonly DateTerm[], starts?: ModelStarts, fields: readonly DateField[] = DATE_FIELDS): Partial<Record<DateField, ScoredDate[]>> & { none?: number } {
  const candidates = dateCandidates(doc, ruleDates, stated, starts);
  const out: Partial<Record<DateField, ScoredDate[]>> & { none?: number } = {};
  for (const field of fields) {
    const own = candidates.filter((c) => field === "expiration" || c.value.kind !== "perpetual");
    const listwise = field === "expiration" && starts !== undefined && model.isListwise(field);
    const { scores, none } = listwise ? model.scoreList(field, own.map((c) => c.features), noExpiryFeatures(doc, ruleDates, starts)) : { scores: own.map((c) => model.score(field, c.features)), none: undefined };
    if (none !== undefined) out.none = none;
    out[field] = listwise ? byValue(own.map((c) => c.value), scores) : own.map((c, i) => ({ candidate: c.value, score: scores[i]! })).sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start);
  }
  return out;
}

/**
 * A listwise head's candidates scored by their value: several candidates often give the same date (written,
 * and computed from a start and a length), and the softmax splits its mass among them; each scores the
 * sum of its value's, best value first, and within a value the candidate the head liked best first.
 */
export function byValue(candidates: readonly DateCandidate[], scores: readonly number[]): ScoredDate[] {
  const valueOf = (c: DateCandidate) => (c.kind === "perpetual" ? "perpetual" : c.iso!);
  const total = new Map<string, number>();
  candidates.forEach((c, i) => total.set(valueOf(c), (total.get(valueOf(c)) ?? 0) + scores[i]!));
  return candidates
    .map((c, i) => ({ candidate: c, score: total.get(valueOf(c))!, own: scores[i]! }))
    .sort((a, b) => b.score - a.score || b.own - a.own || a.candidate.start - b.candidate.start)
    .map(({ candidate, score }) => ({ candidate, score }));
}

/** The dates the expiry counts from: the best effective and agreement candidates (the rules' reading when there is none), and each field's runner-up. */
export function startsOf(scored: Readonly<Partial<Record<DateField, readonly ScoredDate[]>>>, ruleDates: KeyDates): ModelStarts {
  const ranked = (field: "effective" | "agreement") => [...new Set((scored[field] ?? []).flatMap((s) => (s.candidate.iso === undefined ? [] : [s.candidate.iso])))];
  return startsFromRanked(ranked("effective"), ranked("agreement"), ruleDates);
}

/** The starts from each field's distinct dates, best first (shared with the trainer, which ranks by raw scores). */
export function startsFromRanked(effectiveRanked: readonly IsoDate[], agreementRanked: readonly IsoDate[], ruleDates: KeyDates): ModelStarts {
  const effective = effectiveRanked[0] ?? ruleDates.effective?.iso;
  const agreement = agreementRanked[0] ?? ruleDates.agreement?.iso;
  const runnersUp = [...new Set([effectiveRanked[1], agreementRanked[1]].filter((x): x is IsoDate => x !== undefined && x !== effective && x !== agreement))];
  return { ...(effective ? { effective } : {}), ...(agreement ? { agreement } : {}), ...(runnersUp.length > 0 ? { runnersUp } : {}) };
}

function keyDateOf(doc: ContractDocument, c: DateCandidate): KeyDate {
  if (c.kind === "computed" && c.keyDate) return c.keyDate;
  const span = spanOf(doc.text, c.start, c.end);
  if (c.kind === "perpetual") return { derivation: "stated", note: "perpetual", span };
  return { iso: c.iso!, derivation: "stated", span };
}

/**
 * The agreement, effective and expiry dates the model takes, in two stages: the agreement and effective
 * dates first, then the expiry over candidates that also count from them ("five years from the Effective
 * Date"). A field keeps the rules' value when no candidate reaches its threshold.
 */
export function modelKeyDates(doc: ContractDocument, model: KeyTermModel, ruleDates: KeyDates, stated: readonly DateTerm[], renewal?: RenewalTerm): KeyDates {
  const thresholds = Object.fromEntries(DATE_FIELDS.map((f) => [f, model.threshold(f)])) as Record<DateField, number>;
  const first = scoreDateCandidates(doc, model, ruleDates, stated, undefined, ["agreement", "effective"]);
  const second = scoreDateCandidates(doc, model, ruleDates, stated, { ...startsOf(first, ruleDates), ...(renewal ? { renewal } : {}) }, ["expiration"]);
  return chooseKeyDates(doc, { agreement: first.agreement!, effective: first.effective!, expiration: second.expiration! }, thresholds, ruleDates, second.none, renewal?.automatic === true);
}

/**
 * The choice itself, on candidates already scored (best first per field). `noExpiry`: a listwise expiry
 * head's probability that the contract states no expiry; when it beats every candidate, none is given.
 * `renewsAutomatically`: the renewal clause renews the agreement by itself; then the expiry is the end of
 * its initial term (what CUAD asks for), not "perpetual", whenever a dated candidate scores at least
 * `initialTermShare` of the "perpetual" one (`INITIAL_TERM_SHARE`).
 */
export function chooseKeyDates(doc: ContractDocument, scored: Readonly<Record<DateField, readonly ScoredDate[]>>, thresholds: Readonly<Record<DateField, number>>, ruleDates: KeyDates, noExpiry?: number, renewsAutomatically = false, initialTermShare = INITIAL_TERM_SHARE): KeyDates {
  const out: { -readonly [K in keyof KeyDates]: KeyDates[K] } = { ...ruleDates };
  for (const field of DATE_FIELDS) {
    let best = scored[field][0];
    if (field === "expiration" && noExpiry !== undefined && noExpiry >= (best?.score ?? 0)) {
      delete out.expiration;
      continue;
    }
    if (!best || best.score < thresholds[field]) continue;
    if (field === "expiration" && renewsAutomatically && best.candidate.kind === "perpetual") {
      const dated = scored[field].find((c) => c.candidate.kind !== "perpetual");
      if (dated && dated.score >= initialTermShare * best.score) best = dated;
    }
    // The same value as the rules: keep their reading, which says how it was derived ("later of", "Agreement date + 1 year").
    const rule = ruleDates[field];
    const same = rule !== undefined && (best.candidate.kind === "perpetual" ? rule.note === "perpetual" : rule.iso === best.candidate.iso);
    if (!same) out[field] = keyDateOf(doc, best.candidate);
  }
  return out;
}
