// Trains the key-term model (parties; agreement, effective and expiry dates) on CUAD's answers.
//   npm run train:key-terms -w @bear/legal            (tune part: CV figures; then the final fit, written to model/)
//   ... -- --report-held-out                          (also scores the held-out part, once, at the end)
//   ... -- --all-folds                                (5-fold contract-level CV over all of cuad_train; writes nothing)
//   ... -- --dates-only --miss-kinds                  (the tune folds' expiry misses counted by kind; never fold 0)
// Split (train/key-term-gold.ts): fold 0 of a hash of the file name is held out — never trained, tuned or
// looked at while the features were written; folds 1–4 are the tune part. Thresholds and calibration come
// from out-of-fold scores of the tune part (4-fold CV inside it); the shipped model is fitted on the whole tune part.
import fs from "node:fs";
import path from "node:path";
import { byValue, INITIAL_TERM_SHARE, startsFromRanked, chooseEntityParties, chooseKeyDates, chooseParties, type ScoredDate, type ScoredParty } from "../src/extraction/key-term-model/apply-key-term-model";
import type { KeyDates } from "../src/extraction/key-term-types";
import type { IsoDate } from "../src/parsing/parse-date";
import { hashFeatures } from "../src/extraction/key-term-model/candidate-features";
import { entityFeatures, groupPartyEntities } from "../src/extraction/key-term-model/party-entities";
import { DATE_FIELDS, type DateField } from "../src/extraction/key-term-model/date-candidates";
import { KeyTermModel, KEY_TERM_HEADS, softmaxWithNone, type KeyTermHead, type KeyTermHeadWeights } from "../src/extraction/key-term-model/key-term-model";
import { isTermSentence } from "../src/extraction/resolve-expiration";
import { withSigningParties } from "../src/extraction/signature-blocks";
import { SHIPPED_KEY_TERM_MODEL_FILE } from "../src/extraction/key-term-model/shipped-key-term-model";
import { contractFold, loadCuad } from "./cuad-data";
import { buildCandidates, isGoldParty, setExpiryCandidates, type ContractCandidates } from "./key-term-dataset";
import { emptyTally, goldAliases, goldPartyNames, KEY_TERM_SPLIT_SALT, score, type KeyTermTally } from "./key-term-gold";
import { adagradStep, fitPlatt, seededRandom, shuffleInPlace } from "./logistic-trainer";
import { fitListwise, type ListGroup } from "./listwise-trainer";
import { seedOption, seedsOption } from "./training-options";

const HASH_BITS = 18;
// The first seed of every fit (--seed=N: the same run from other seeds, to see how far a figure moves by the seed alone).
const SEED = seedOption(process.argv, 16);
const EPOCHS = 8;
const LR = 0.2;
const L2 = 1e-5;
// The entity threshold finds the most names while at least this share of the names it gives are right.
const ENTITY_MIN_PRECISION = 0.8;
// The expiry head also learns from contracts where CUAD's lawyers found no expiry (every candidate wrong there).
const EXPIRY_NEGATIVES = !process.argv.includes("--no-expiry-negatives");
// The expiry head is listwise: a softmax over a contract's expiry candidates and a "no expiry" choice, trained to put
// its mass on CUAD's answer (pointwise logistic heads rank each candidate alone; --pointwise-expiry for comparison).
const LISTWISE_EXPIRY = !process.argv.includes("--pointwise-expiry");
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
// The listwise expiry head's fit (experiments: --expiry-epochs=, --expiry-l2=).
const EXPIRY_FIT = { epochs: arg("expiry-epochs", EPOCHS), l2: arg("expiry-l2", L2) };
// The entity head sees a few thousand examples: 4 epochs (8 overfit: 82.4 vs 83.2% of names in the tune part's CV;
// experiments: --entity-epochs=, --entity-l2=).
const ENTITY_FIT = { epochs: arg("entity-epochs", 4), l2: arg("entity-l2", L2) };
// Every head is the mean of this many fits from consecutive seeds (`seedAveraged`; --seeds=1: one fit, as before).
const SEEDS = seedsOption(process.argv, 5);
// --expiry-drop=s:,ds: experiments: expiry candidate features left out by prefix.
const EXPIRY_DROP = (process.argv.find((a) => a.startsWith("--expiry-drop="))?.slice(14) ?? "").split(",").filter(Boolean);
const ORACLE_STARTS = process.argv.includes("--oracle-starts");
const RUNNERS_UP = !process.argv.includes("--no-runners-up");
const reportHeldOut = process.argv.includes("--report-held-out");
const SECOND_FACTOR = Number(process.argv.find((a) => a.startsWith("--second-factor="))?.slice(16) ?? "0.25");
const detail = process.argv.includes("--detail") || process.argv.includes("--detail-tune");
// --dates-only: the date heads alone (no party head, entity stage or final fit; writes nothing), for date experiments in a
// fraction of the time; the date figures are the same as a full run's (the date heads do not read the parties).
const DATES_ONLY = process.argv.includes("--dates-only");
// CUAD's own dates as the expiry's starts is a bound on the tune folds, never a model or a reported figure.
if (ORACLE_STARTS && (!DATES_ONLY || reportHeldOut)) {
  process.stderr.write("--oracle-starts is a diagnostic: use it with --dates-only (which writes no model), never with --report-held-out\n");
  process.exit(2);
}

/** The candidates a date head scores: stage one for the agreement and effective dates, stage two for the expiry. */
const datesFor = (c: ContractCandidates, field: DateField) => (field === "expiration" ? c.expiry : c.dates);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Example {
  readonly indices: Int32Array;
  readonly label: number;
}

function examples(set: readonly ContractCandidates[], head: KeyTermHead): Example[] {
  if (head === "party") return set.flatMap((c) => c.parties.map((p) => ({ indices: p.indices, label: p.label })));
  const field = head as DateField;
  return set.filter((c) => c.gold[field] !== undefined || (field === "expiration" && EXPIRY_NEGATIVES && c.none[field])).flatMap((c) => datesFor(c, field).filter((d) => field === "expiration" || d.value.kind !== "perpetual").map((d) => ({ indices: d.indices, label: d.labels[field] })));
}

/**
 * The mean of the weights fitted from SEEDS seeds (seed, seed + 1, …): each fit sees the examples in another order, and
 * a linear head's mean weights score the mean of the fits' logits, so the ensemble costs nothing at run time and
 * averages away the order's noise (one seed moved the tune part's expiry by up to ±4 points on unrelated changes).
 */
function seedAveraged(seed: number, fitOne: (seed: number) => Float32Array): Float32Array {
  const w = fitOne(seed);
  if (SEEDS === 1) return w;
  for (let k = 1; k < SEEDS; k++) {
    const next = fitOne(seed + k);
    for (let i = 0; i < w.length; i++) w[i]! += next[i]!;
  }
  for (let i = 0; i < w.length; i++) w[i]! /= SEEDS;
  return w;
}

/** Logistic regression with AdaGrad (sparse binary features), deterministic for the seed; averaged over `SEEDS` seeds. */
function fit(data: readonly Example[], seed: number, options: { epochs?: number; l2?: number } = {}): Float32Array {
  return seedAveraged(seed, (s) => fitOnce(data, s, options));
}
function fitOnce(data: readonly Example[], seed: number, { epochs = EPOCHS, l2 = L2 } = {}): Float32Array {
  const w = new Float32Array(1 << HASH_BITS);
  const g2 = new Float32Array(1 << HASH_BITS).fill(1e-6);
  const order = data.map((_, i) => i);
  const random = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const k of order) {
      const ex = data[k]!;
      let z = 0;
      for (const f of ex.indices) z += w[f]!;
      const g = sigmoid(z) - ex.label;
      if (Math.abs(g) < 1e-3) continue;
      for (const f of ex.indices) adagradStep(w, g2, f, g, l2, LR);
    }
  }
  return w;
}

/** The expiry lists of the contracts with CUAD's answer among the candidates, or no expiry at all. */
function expiryGroups(set: readonly ContractCandidates[]): ListGroup[] {
  const out: ListGroup[] = [];
  for (const c of set) {
    const items = [...c.expiry.map((d) => d.indices), c.expiryNone];
    const target = new Float64Array(items.length);
    if (c.gold.expiration !== undefined) {
      const right = c.expiry.flatMap((d, i) => (d.labels.expiration === 1 ? [i] : []));
      if (right.length === 0) continue;
      for (const i of right) target[i] = 1 / right.length;
    } else if (c.none.expiration) target[items.length - 1] = 1;
    else continue;
    out.push({ items, target });
  }
  return out;
}

/** The listwise expiry head (`fitListwise`), averaged over `SEEDS` seeds. */
function fitList(groups: readonly ListGroup[], seed: number, options: { epochs: number; l2: number }): Float32Array {
  return seedAveraged(seed, (s) => fitListwise(groups, s, { hashBits: HASH_BITS, learningRate: LR, ...options }));
}

const raw = (w: Float32Array, indices: Int32Array) => {
  let z = 0;
  for (const f of indices) z += w[f]!;
  return z;
};

type Weights = Record<KeyTermHead, Float32Array>;
// --expiry-pointwise-mix=a: the listwise expiry head plus a times a pointwise logistic head over the same candidates
// (one weight vector either way: the sum of two linear heads' weights scores the sum of their logits).
const POINTWISE_MIX = arg("expiry-pointwise-mix", 0);
function fitExpiry(set: readonly ContractCandidates[]): Float32Array {
  const w = fitList(expiryGroups(set), SEED, EXPIRY_FIT);
  if (POINTWISE_MIX === 0) return w;
  const p = fit(examples(set, "expiration"), SEED);
  for (let i = 0; i < w.length; i++) w[i]! += POINTWISE_MIX * p[i]!;
  return w;
}
const fitHead = (set: readonly ContractCandidates[], h: KeyTermHead) => (h === "party" && DATES_ONLY ? new Float32Array(1 << HASH_BITS) : h === "expiration" && LISTWISE_EXPIRY ? fitExpiry(set) : fit(examples(set, h), SEED));
const fitAll = (set: readonly ContractCandidates[]): Weights => Object.fromEntries(KEY_TERM_HEADS.map((h) => [h, fitHead(set, h)])) as Weights;

/** Raw scores of one contract's candidates under the given weights (calibration applied later). */
interface ContractScores {
  readonly c: ContractCandidates;
  /** The entity head that scores this contract's party entities (fitted without its fold), once the entity stage ran. */
  entity?: Float32Array;
  readonly parties: { readonly candidate: ScoredParty["candidate"]; readonly z: number }[];
  readonly dates: Record<DateField, { readonly candidate: ScoredDate["candidate"]; readonly z: number }[]>;
  /** The listwise expiry head's score of "no expiry". */
  readonly noneZ: number;
}
function scoreContract(c: ContractCandidates, w: Weights): ContractScores {
  return {
    c,
    parties: c.parties.map((p) => ({ candidate: p.value, z: raw(w.party, p.indices) })),
    dates: Object.fromEntries(DATE_FIELDS.map((f) => [f, datesFor(c, f).filter((d) => f === "expiration" || d.value.kind !== "perpetual").map((d) => ({ candidate: d.value, z: raw(w[f], d.indices) }))])) as ContractScores["dates"],
    noneZ: raw(w.expiration, c.expiryNone),
  };
}

type HeadCalibration = { a: number; b: number; threshold: number };
type Calibration = Record<KeyTermHead, HeadCalibration> & { entity?: HeadCalibration };

/** The party mentions of a contract as the mention head rates them (calibrated), best first, with their features. */
function scoredMentions(s: ContractScores, cal: Calibration): ScoredParty[] {
  return s.parties
    .map((x, i) => ({ candidate: x.candidate, score: sigmoid(cal.party.a * x.z + cal.party.b), features: s.c.parties[i]!.features! }))
    .sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start);
}

// Parties named only above a signature of their own join the chosen ones (as `extractKeyTerms` does); --no-signing-parties: not.
const SIGNING_PARTIES = !process.argv.includes("--no-signing-parties");
function evaluate(scores: readonly ContractScores[], cal: Calibration, misses?: string[], initialTermShare = INITIAL_TERM_SHARE, signingParties = SIGNING_PARTIES, missKinds?: Map<string, number>): KeyTermTally {
  const t = emptyTally();
  for (const s of scores) {
    const p = (head: KeyTermHead, z: number) => sigmoid(cal[head].a * z + cal[head].b);
    const mentions = DATES_ONLY ? [] : scoredMentions(s, cal);
    const entity = s.entity;
    const chosen = DATES_ONLY
      ? []
      : cal.entity && entity
        ? chooseEntityParties(s.c.doc.text, mentions, (f) => sigmoid(cal.entity!.a * raw(entity, hashFeatures(f, HASH_BITS)) + cal.entity!.b), cal.entity.threshold, s.c.ruleParties, SECOND_FACTOR)
        : chooseParties(s.c.doc.text, mentions, cal.party.threshold, s.c.ruleParties);
    const parties = signingParties && !DATES_ONLY ? withSigningParties(s.c.doc, chosen) : chosen;
    const list = LISTWISE_EXPIRY ? softmaxWithNone(s.dates.expiration.map((x) => x.z), s.noneZ + cal.expiration.b) : undefined;
    const prob = (f: DateField, z: number, i: number) => (f === "expiration" && list ? list.scores[i]! : p(f, z));
    const scoredDates = Object.fromEntries(DATE_FIELDS.map((f) => [f, f === "expiration" && list ? byValue(s.dates[f].map((x) => x.candidate), list.scores) : s.dates[f].map((x, i) => ({ candidate: x.candidate, score: prob(f, x.z, i) })).sort((a, b) => b.score - a.score || a.candidate.start - b.candidate.start)])) as Record<DateField, ScoredDate[]>;
    const thresholds = Object.fromEntries(DATE_FIELDS.map((f) => [f, cal[f].threshold])) as Record<DateField, number>;
    const kd = chooseKeyDates(s.c.doc, scoredDates, thresholds, s.c.ruleDates, list?.none, s.c.renewal?.automatic === true, initialTermShare);
    const m = score(t, s.c.contract, { parties: parties.map((x) => x.name), roles: parties.flatMap((x) => (x.role ? [x.role] : [])), dates: { agreement: kd.agreement?.iso, effective: kd.effective?.iso, expiration: kd.expiration?.iso ?? kd.expiration?.note } as never, renewsAutomatically: s.c.renewal?.automatic === true });
    if (missKinds && contractFold(s.c.contract.file, 5, KEY_TERM_SPLIT_SALT) !== 0) {
      const kind = expiryMissKind(s, kd.expiration, scoredDates.expiration, m.some((x) => x.startsWith("expiration")));
      if (kind) missKinds.set(kind, (missKinds.get(kind) ?? 0) + 1);
    }
    const rn = s.c.renewal;
    const renewalNote = rn ? ` [renewal ${rn.automatic ? "auto" : "option"}${rn.period ? ` ${rn.period.duration.value} ${rn.period.duration.unit}` : ""}]` : " [no renewal]";
    if (misses) misses.push(...m.map((x) => `${s.c.contract.file.slice(0, 40)}: ${x}${x.startsWith("expiration") ? `${renewalNote} ${(kd.expiration?.span.quote ?? "").slice(0, 160).replace(/\s+/g, " ")}` : ""}`));
  }
  return t;
}

/**
 * What kind of expiry miss a contract's answer is (undefined when right or not scored), for `--miss-kinds`: an expiry
 * where CUAD's lawyers found none, none where they found one, "perpetual" against a date and the reverse, or another
 * date, by what gave it (the rules' reading below the threshold, a date written in the text, one counted from a start).
 */
function expiryMissKind(s: ContractScores, got: KeyDates["expiration"], ranked: readonly ScoredDate[], missed: boolean): string | undefined {
  const gold = s.c.gold.expiration;
  if (gold === undefined) return s.c.none.expiration && got ? `given where CUAD has none (${got.note === "perpetual" ? "perpetual" : "a date"}${got === s.c.ruleDates.expiration ? " the rules also give" : ""})` : undefined;
  if (!missed) return undefined;
  const valueOf = (c: ScoredDate["candidate"]) => (c.kind === "perpetual" ? "perpetual" : c.iso);
  const present = ranked.some((r) => valueOf(r.candidate) === gold) ? "answer among the candidates" : "answer not a candidate";
  if (got === undefined) return `none given, CUAD has ${gold === "perpetual" ? "perpetual" : "a date"} (${present})`;
  if (got.note === "perpetual") return `perpetual given, CUAD has a date (${present})`;
  if (gold === "perpetual") return `a date given, CUAD has perpetual (${present})`;
  const top = ranked.find((r) => valueOf(r.candidate) === got.iso)?.candidate;
  return `another date: ${top === undefined ? "the rules' reading" : top.kind === "mention" ? "a date written in the text" : "a date computed from a start"} (${present})`;
}

function rulesTally(set: readonly ContractCandidates[]): KeyTermTally {
  const t = emptyTally();
  for (const c of set) {
    const parties = SIGNING_PARTIES ? withSigningParties(c.doc, c.ruleParties) : c.ruleParties;
    score(t, c.contract, { parties: parties.map((p) => p.name), roles: parties.flatMap((p) => (p.role ? [p.role] : [])), dates: { agreement: c.ruleDates.agreement?.iso, effective: c.ruleDates.effective?.iso, expiration: c.ruleDates.expiration?.iso ?? c.ruleDates.expiration?.note } as never, renewsAutomatically: c.renewal?.automatic === true });
  }
  return t;
}

const pct = (a: number, b: number) => (b === 0 ? "  n/a" : (100 * a / b).toFixed(1).padStart(5));
function table(title: string, rows: [string, KeyTermTally][]): string {
  const lines = [title, `| extractor | parties (names) | parties (name or defined name) | all parties of a contract | party precision | agreement date | effective date | expiration date | dates given where CUAD has none (agr/eff/exp) | expiry right by the evergreen rule |`, "|---|---|---|---|---|---|---|---|---|---|"];
  for (const [name, t] of rows) {
    lines.push(`| ${name} | ${pct(t.partiesFound, t.partiesGold)} (${t.partiesFound}/${t.partiesGold}) | ${pct(t.partiesFoundWithRoles, t.partiesGold)} | ${pct(t.contractsAllParties, t.contractsWithParties)} | ${pct(t.extractedRight, t.extracted)} | ${DATE_FIELDS.map((f) => `${pct(t.dates[f].ok, t.dates[f].n)} (${t.dates[f].ok}/${t.dates[f].n})`).join(" | ")} | ${DATE_FIELDS.map((f) => t.dates[f].blankAnswered).join(" / ")} | ${t.evergreen} |`);
  }
  return lines.join("\n");
}

/** Platt per head on the out-of-fold raw scores, then the threshold that scores best out of fold. */
function calibrate(oof: readonly ContractScores[]): Calibration {
  const cal = {} as Calibration;
  for (const head of KEY_TERM_HEADS) {
    const zs: number[] = [];
    const ys: number[] = [];
    for (const s of oof) {
      if (head === "party") s.parties.forEach((x, i) => (zs.push(x.z), ys.push(s.c.parties[i]!.label)));
      else if (s.c.gold[head] !== undefined || (head === "expiration" && EXPIRY_NEGATIVES && s.c.none[head])) {
        const ds = datesFor(s.c, head).filter((d) => head === "expiration" || d.value.kind !== "perpetual");
        s.dates[head].forEach((x, i) => (zs.push(x.z), ys.push(ds[i]!.labels[head])));
      }
    }
    // A listwise head's scores are already probabilities (its softmax); the others are calibrated by Platt.
    const { a, b } = head === "expiration" && LISTWISE_EXPIRY ? { a: 1, b: 0 } : fitPlatt(zs, ys);
    cal[head] = { a, b, threshold: 0.5 };
  }
  // Thresholds: parties by the F1 of name recall and precision; dates by accuracy (the rules' value stands below it).
  for (const head of KEY_TERM_HEADS.filter((h) => !(DATES_ONLY && h === "party"))) {
    let best = { t: 0.5, v: -1 };
    for (const t of [...(head === "expiration" ? [0] : []), 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
      const tally = evaluate(oof, { ...cal, [head]: { ...cal[head], threshold: t } });
      const v =
        head === "party"
          ? (() => {
              const r = tally.partiesFound / tally.partiesGold;
              const p = tally.extractedRight / tally.extracted;
              return (2 * p * r) / (p + r);
            })()
          : // An expiry where CUAD's lawyers saw none costs as much as a wrong one; an agreement or effective date
            // there is the date the contract was made, which is what it takes effect on unless it says otherwise.
            (tally.dates[head].ok - (head === "expiration" ? tally.dates[head].blankAnswered : 0)) / tally.dates[head].n;
      // The listwise expiry's ties go to the higher threshold: the rules' reading stands unless the model is that sure.
      if (v > best.v + 1e-9 || (head === "expiration" && LISTWISE_EXPIRY && v > best.v - 1e-9)) best = { t, v };
      if (process.argv.includes("--sweep")) log(`  ${head} threshold ${t}: objective ${(100 * v).toFixed(1)}${head === "party" ? ` (recall ${(100 * tally.partiesFound / tally.partiesGold).toFixed(1)}, precision ${(100 * tally.extractedRight / tally.extracted).toFixed(1)}, all ${(100 * tally.contractsAllParties / tally.contractsWithParties).toFixed(1)})` : ""}`);
    }
    cal[head] = { ...cal[head], threshold: best.t };
  }
  if (LISTWISE_EXPIRY) {
    // The listwise head's offset on "no expiry" (stored as its b): a value given where the lawyers found none
    // costs as much as a wrong one, so the offset that scores best by that objective, ties to no offset.
    let best = { b: 0, v: -1, ok: 0, blank: 0 };
    for (const b of [0, -0.5, -1, -2, -3, -50, 0.5, 1]) {
      const tally = evaluate(oof, { ...cal, expiration: { ...cal.expiration, b } });
      const d = tally.dates.expiration;
      const v = (d.ok - d.blankAnswered) / d.n;
      log(`  expiry no-expiry offset ${b}: right ${d.ok}/${d.n}, given where CUAD has none ${d.blankAnswered}, objective ${(100 * v).toFixed(1)}`);
      if (v > best.v + 1e-9) best = { b, v, ok: d.ok, blank: d.blankAnswered };
    }
    cal.expiration = { ...cal.expiration, b: best.b };
  }
  return cal;
}

const t0 = performance.now();
const contracts = loadCuad();
const built = contracts.map((c) => buildCandidates(c, HASH_BITS));
// --all-folds: a 5-fold contract-level CV over all of cuad_train (held-out part included) for the figures; writes nothing.
const allFolds = process.argv.includes("--all-folds");
const FOLDS = allFolds ? [0, 1, 2, 3, 4] : [1, 2, 3, 4];
const tune = built.filter((c) => allFolds || contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) !== 0);
const heldOut = built.filter((c) => !allFolds && contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) === 0);
log(`candidates built for ${built.length} contracts in ${((performance.now() - t0) / 1000).toFixed(1)} s (tune ${tune.length}, held out ${heldOut.length})`);

// Stage one: the effective and agreement dates the expiry counts from — out of fold for the tune part, from a
// fit on the whole tune part for the held-out part (as at run time) — then the expiry candidates built on them.
const stageOne = (set: readonly ContractCandidates[]) => ({ agreement: fitHead(set, "agreement"), effective: fitHead(set, "effective") });
function setStarts(c: ContractCandidates, w: ReturnType<typeof stageOne>): void {
  // --oracle-starts (a bound, never a figure to report as the model's): CUAD's own effective and agreement dates first.
  const oracle = (field: "agreement" | "effective", isos: IsoDate[]) => (ORACLE_STARTS && c.gold[field] !== undefined && c.gold[field] !== "perpetual" ? [c.gold[field] as IsoDate, ...isos.filter((x) => x !== c.gold[field])] : isos);
  const ranked = (field: "agreement" | "effective") => oracle(field, [...new Set(c.dates.filter((d) => d.value.iso !== undefined).map((d) => ({ iso: d.value.iso!, z: raw(w[field], d.indices) })).sort((a, b) => b.z - a.z).map((d) => d.iso))]);
  const starts = startsFromRanked(ranked("effective"), ranked("agreement"), c.ruleDates);
  setExpiryCandidates(c, RUNNERS_UP ? starts : { ...starts, runnersUp: [] }, HASH_BITS, (f) => !EXPIRY_DROP.some((p) => f.startsWith(p)));
}
for (const k of FOLDS) {
  const w = stageOne(tune.filter((c) => contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) !== k));
  for (const c of tune.filter((c) => contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) === k)) setStarts(c, w);
}
{
  const w = stageOne(tune);
  for (const c of heldOut) setStarts(c, w);
}
if (process.argv.includes("--candidate-recall")) {
  // The expiry candidates' recall on the tune part (starts chosen out of fold): how often CUAD's answer is among them
  // at all — what no ranking can make up for. Only the tune part's contracts are listed (--list-missing).
  const valueOf = (d: ContractCandidates["expiry"][number]) => (d.value.kind === "perpetual" ? "perpetual" : d.value.iso);
  const withGold = tune.filter((c) => c.gold.expiration !== undefined);
  const present = withGold.filter((c) => c.expiry.some((d) => valueOf(d) === c.gold.expiration));
  const mean = tune.reduce((n, c) => n + c.expiry.length, 0) / tune.length;
  log(`expiry candidates (${allFolds ? "all folds" : "tune part"}): CUAD's answer among them in ${present.length}/${withGold.length} contracts; ${mean.toFixed(1)} candidates per contract`);
  if (process.argv.includes("--list-missing") && !allFolds) for (const c of withGold.filter((c) => !present.includes(c))) log(`  missing ${c.contract.file.slice(0, 40)} gold ${c.gold.expiration}: ${[...new Set(c.expiry.map(valueOf))].join(" ")}`);
  process.exit(0);
}

// 4-fold CV inside the tune part (fold 1..4 of the same hash): out-of-fold scores for calibration and the tune figures.
const oof: ContractScores[] = [];
for (const k of FOLDS) {
  const w = fitAll(tune.filter((c) => contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) !== k));
  for (const c of tune.filter((c) => contractFold(c.contract.file, 5, KEY_TERM_SPLIT_SALT) === k)) oof.push(scoreContract(c, w));
}
const cal: Calibration = calibrate(oof);

// Stage two of the parties: an entity head over the out-of-fold mention scores (CV over the same folds),
// then its calibration and threshold on its own out-of-fold scores (the most names found at a precision of at least 80%).
const foldOf = (s: ContractScores) => contractFold(s.c.contract.file, 5, KEY_TERM_SPLIT_SALT);
const entityCache = new Map<ContractScores, Example[]>();
/** Each entity of a contract with its features and whether one of its mentions is a gold party (contracts CUAD lists no party for give none). */
function entityExamples(s: ContractScores): Example[] {
  let out = entityCache.get(s);
  if (out === undefined) {
    const text = s.c.doc.text;
    const gold = goldPartyNames(s.c.contract).flatMap(goldAliases);
    const entities = gold.length === 0 ? [] : groupPartyEntities(text, scoredMentions(s, cal));
    const features = entityFeatures(entities);
    out = entities.map((e, i) => ({ indices: hashFeatures(features[i]!, HASH_BITS), label: e.mentions.some((m) => isGoldParty(text.slice(m.candidate.start, m.candidate.end), gold)) ? 1 : 0 }));
    entityCache.set(s, out);
  }
  return out;
}
if (!DATES_ONLY) {
  const zs: number[] = [];
  const ys: number[] = [];
  for (const k of FOLDS) {
    const w = fit(oof.filter((s) => foldOf(s) !== k).flatMap(entityExamples), SEED, ENTITY_FIT);
    for (const s of oof.filter((s) => foldOf(s) === k)) {
      s.entity = w;
      for (const ex of entityExamples(s)) {
        zs.push(raw(w, ex.indices));
        ys.push(ex.label);
      }
    }
  }
  const { a, b } = fitPlatt(zs, ys);
  let best = { t: 0.5, v: -1 };
  for (const t of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]) {
    const tally = evaluate(oof, { ...cal, entity: { a, b, threshold: t } });
    const r = tally.partiesFound / tally.partiesGold;
    const p = tally.extractedRight / tally.extracted;
    const v = p >= ENTITY_MIN_PRECISION ? r : p - 1;
    if (process.argv.includes("--sweep")) log(`  entity threshold ${t}: (recall ${(100 * r).toFixed(1)}, precision ${(100 * p).toFixed(1)})`);
    if (v > best.v + 1e-9) best = { t, v };
  }
  cal.entity = { a, b, threshold: best.t };
}
if (process.argv.includes("--diagnose")) {
  // Per date field, over the out-of-fold scores: is the gold value among the candidates, ranked first, and above the threshold?
  for (const f of DATE_FIELDS) {
    const d = { n: 0, present: 0, top: 0, taken: 0, perpetualN: 0, perpetualPresent: 0, perpetualTop: 0 };
    for (const s of oof) {
      const g = s.c.gold[f];
      if (g === undefined) continue;
      d.n++;
      const ranked = s.dates[f].map((x) => ({ v: x.candidate.kind === "perpetual" ? "perpetual" : x.candidate.iso, p: sigmoid(cal[f].a * x.z + cal[f].b) })).sort((a, b) => b.p - a.p);
      if (g === "perpetual") d.perpetualN++;
      if (ranked.some((r) => r.v === g)) {
        d.present++;
        if (g === "perpetual") d.perpetualPresent++;
      } else if (f === "expiration" && process.argv.includes("--list-missing")) {
        const term = s.c.doc.sentences.find((x) => isTermSentence(x.quote));
        log(`  missing ${s.c.contract.file.slice(0, 30)} gold ${g} (effective ${s.c.gold.effective ?? "-"}, agreement ${s.c.gold.agreement ?? "-"}) top ${ranked[0]?.v} | ${(term?.quote ?? "").replace(/\s+/g, " ").slice(0, 220)}`);
      }
      if (ranked[0]?.v === g) {
        d.top++;
        if (g === "perpetual") d.perpetualTop++;
      } else if (process.argv.includes(`--list-misranked${f === "expiration" ? "" : `=${f}`}`) && foldOf(s) !== 0 && ranked.some((r) => r.v === g)) {
        const at = ranked.findIndex((r) => r.v === g);
        const top = s.dates[f].map((x) => ({ x, p: sigmoid(cal[f].a * x.z + cal[f].b) })).sort((a, b) => b.p - a.p)[0]!;
        const topNote = top.x.candidate.keyDate?.note ?? top.x.candidate.kind;
        log(`  misranked ${s.c.contract.file.slice(0, 30)} gold ${g} at rank ${at} (p ${ranked[at]!.p.toFixed(2)}) top ${ranked[0]!.v} (p ${ranked[0]!.p.toFixed(2)}, ${topNote}) | ${s.c.doc.text.slice(top.x.candidate.start, Math.min(top.x.candidate.end, top.x.candidate.start + 200)).replace(/\s+/g, " ")}`);
        if (f !== "expiration") {
          const ctx = (c: { start: number; end: number }) => s.c.doc.text.slice(Math.max(0, c.start - 80), c.end + 40).replace(/\s+/g, " ");
          log(`      top at: ${ctx(top.x.candidate)}`);
          const gc = s.dates[f].find((x) => x.candidate.iso === g);
          if (gc) log(`      gold at: ${ctx(gc.candidate)}`);
        }
      }
      if (ranked[0]?.v === g && ranked[0].p >= cal[f].threshold) d.taken++;
    }
    log(`${f}: gold ${d.n}, among candidates ${d.present}, ranked first ${d.top}, taken ${d.taken}; perpetual gold ${d.perpetualN}, among candidates ${d.perpetualPresent}, first ${d.perpetualTop}`);
  }
}
if (process.argv.includes("--sweep-initial-term")) {
  // The share of "perpetual"'s score a dated candidate needs to be an automatically renewing agreement's expiry (above 1: never).
  for (const share of [0, 0.05, 0.1, 0.25, 0.5, 1, 1.01]) {
    const d = evaluate(oof, cal, undefined, share).dates.expiration;
    log(`  initial-term share ${share}: expiry right ${d.ok}/${d.n}, given where CUAD has none ${d.blankAnswered}`);
  }
}
if (process.argv.includes("--miss-kinds")) {
  // The expiry misses of the tune folds (1-4; never the held-out fold 0) by kind, counted on the out-of-fold answers.
  const kinds = new Map<string, number>();
  evaluate(oof, cal, undefined, INITIAL_TERM_SHARE, SIGNING_PARTIES, kinds);
  log("expiry misses by kind (tune folds, out of fold):");
  for (const [kind, n] of [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) log(`  ${String(n).padStart(3)}  ${kind}`);
}
const misses: string[] = [];
log(table(`${allFolds ? "All of cuad_train" : "Tune part"} (${tune.length} contracts), ${FOLDS.length}-fold contract-level CV (out-of-fold), thresholds ${KEY_TERM_HEADS.map((h) => `${h} ${cal[h].threshold}`).join(", ")}, party entity ${cal.entity?.threshold}`, [
  ["rules", rulesTally(tune)],
  ...(DATES_ONLY ? [] : [["model, parties per mention", evaluate(oof, { ...cal, entity: undefined })] as [string, KeyTermTally]]),
  [DATES_ONLY ? "model (--dates-only: parties not scored)" : "model", evaluate(oof, cal, detail ? misses : undefined)],
  ...(SIGNING_PARTIES && !DATES_ONLY ? [["model, without parties named only in signature headings", evaluate(oof, cal, undefined, INITIAL_TERM_SHARE, false)] as [string, KeyTermTally]] : []),
]));
// --detail lists the misses of the dev fold (fold 1), --detail-tune those of the whole tune part (folds 1-4); never the held-out fold.
if (detail || process.argv.includes("--detail-tune")) log(misses.filter((m) => { const f = contractFold(contracts.find((c) => m.startsWith(c.file.slice(0, 40)))!.file, 5, KEY_TERM_SPLIT_SALT); return process.argv.includes("--detail-tune") ? f !== 0 : f === 1; }).join("\n"));

if (DATES_ONLY) process.exit(0);
const final = fitAll(tune);
// The shipped entity head learns from every out-of-fold entity of the tune part (the usual stacking compromise:
// at run time it reads mention scores of the final fit, a little more confident than out-of-fold ones).
const finalEntity = fit(oof.flatMap(entityExamples), SEED, ENTITY_FIT);
if (reportHeldOut) {
  log(table(`\nHeld-out part (${heldOut.length} contracts, never tuned on), model fitted on the tune part`, [
    ["rules", rulesTally(heldOut)],
    ["model, parties per mention", evaluate(heldOut.map((c) => scoreContract(c, final)), { ...cal, entity: undefined })],
    ["model", evaluate(heldOut.map((c) => ({ ...scoreContract(c, final), entity: finalEntity })), cal)],
  ]));
}
const model = KeyTermModel.fromWeights(HASH_BITS, { ...(Object.fromEntries(KEY_TERM_HEADS.map((h) => [h, { weights: final[h], ...cal[h] }])) as Record<KeyTermHead, KeyTermHeadWeights>), entity: { weights: finalEntity, ...cal.entity! } }, {
  trainedOn: `cuad_train tune part (${tune.length} contracts: folds 1-4 of sha256('${KEY_TERM_SPLIT_SALT}|file') % 5)`,
  seed: SEED,
  seeds: SEEDS,
  epochs: EPOCHS,
  learningRate: LR,
  l2: L2,
}, LISTWISE_EXPIRY ? ["expiration"] : []);
if (!process.argv.includes("--no-write") && !allFolds) {
  const out = path.resolve(import.meta.dirname, "../model", SHIPPED_KEY_TERM_MODEL_FILE);
  fs.writeFileSync(out, model.toBytes());
  log(`wrote ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

