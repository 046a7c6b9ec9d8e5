// Training and held-out examples for the name model, from the public data in ../shared/data (never read at run time).
// Every set is cut by the same fixed hash split as the benches (bench/legal-eval.ts splitOf): the model learns from
// the "tune" part only, and its figures are quoted on the "report" part.
import fs from "node:fs";
import path from "node:path";
import { AddressRecognizer } from "../src/pii/recognizers/address-recognizer";
import { isGivenOrFamilyName } from "../src/pii/recognizers/lexicons";
import { isFirstName, isKnownPlaceName } from "../src/pii/recognizers/lexicon-tags";
import { tokenTable, type TokenTable } from "../src/pii/model/name-tokens";
import { definedTerms, headings, namesAParty, splitOf } from "../bench/legal-eval";
import { loadJsonl, type GoldRecord } from "../bench/pii-eval";

/** 0 = O, 1 = PERSON, 2 = ORGANIZATION, 3 = LOCATION, IGNORE = no update (unlabelled or not our type). */
export const IGNORE = 255;

export interface Example {
  readonly source: string;
  readonly text: string;
  readonly table: TokenTable;
  readonly gold: Uint8Array;
  /** Tokens the model learns from (and is scored on). */
  readonly learn: Uint8Array;
}

interface LabelledSpan {
  readonly start: number;
  readonly end: number;
  readonly label: number;
}

function example(source: string, text: string, spans: readonly LabelledSpan[], learnAll: boolean, learnOnly?: (start: number, end: number) => boolean): Example {
  const table = tokenTable(text);
  const n = table.count;
  const gold = new Uint8Array(n);
  const learn = new Uint8Array(n);
  // later spans win: callers list the weakest first
  for (let i = 0; i < n; i++) {
    const [start, end] = [table.starts[i] ?? 0, table.ends[i] ?? 0];
    for (const s of spans) if (s.start < end && start < s.end) gold[i] = s.label;
    if (!table.candidate[i] || gold[i] === IGNORE) continue;
    if (learnAll || learnOnly?.(start, end)) learn[i] = 1;
  }
  return { source, text, table, gold, learn };
}

const PRESIDIO: Readonly<Record<string, number>> = { PERSON: 1, ORGANIZATION: 2, GPE: 3, STREET_ADDRESS: IGNORE, ZIP_CODE: IGNORE };
const SEC: Readonly<Record<string, number>> = { PER: 1, ORG: 2, LOC: 3, MISC: IGNORE };

export function presidioExamples(dataDir: string, part: "tune" | "report"): Example[] {
  const records = loadJsonl(path.join(dataDir, "pii_presidio_synth/pii.jsonl")) as (GoldRecord & { template_id: number })[];
  return records
    .filter((r) => splitOf(`presidio-template-${r.template_id}`) === part)
    .map((r) => example(`presidio:${r.template_id}#${r.id}`, r.text, r.entities.map((e) => ({ start: e.start, end: e.end, label: PRESIDIO[e.label] ?? 0 })), true));
}

/** The SEC records (sentences) with their agreement ("FIN5#doc0"…). */
export const secRecords = (dataDir: string): (GoldRecord & { doc: string })[] =>
  loadJsonl(path.join(dataDir, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[];

/**
 * SEC agreements: role words ("Borrower", "Bank") are O, as for redaction they are no personal data. `which` is a part
 * of the fixed split, or the agreements to take (the training set is FIN5, the dataset's own train file: all five
 * agreements are learned from, and cross-validation leaves one out at a time).
 */
export function secExamples(dataDir: string, which: "tune" | "report" | ((doc: string) => boolean)): Example[] {
  const take = typeof which === "function" ? which : (doc: string): boolean => splitOf(doc) === which;
  return secRecords(dataDir)
    .filter((r) => take(r.doc))
    .map((r) => example(`sec:${r.id}`, r.text, r.entities.map((e) => ({ start: e.start, end: e.end, label: e.role_term ? 0 : (SEC[e.label] ?? 0) })), true));
}

const LEGAL_FORM = /\b(?:inc|llc|ltd|corp|corporation|company|limited|plc|gmbh|l\.?p|n\.?a|bank|trust|partners|group|holdings|co|s\.?a|ag|bv|pte)\b\.?/i;
/** A CUAD party that is a person: two to four words, each a known given or family name, no legal form. */
function partyLabel(name: string): number {
  const words = name.match(/\p{L}[\p{L}'’]*/gu) ?? [];
  if (LEGAL_FORM.test(name) || words.length < 2 || words.length > 4) return 2;
  const cap = (w: string): string => (w[0] ?? "").toUpperCase() + w.slice(1).toLowerCase();
  return words.every((w) => w.length === 1 || isGivenOrFamilyName(cap(w)) || isFirstName(w)) ? 1 : 2;
}

interface CuadPartyRecord {
  readonly file: string;
  readonly spans: readonly { start: number; end: number; text: string; all_occurrence_starts?: number[] }[];
}

/**
 * CUAD contracts: the names CUAD's lawyers marked as parties (at their mentions), the headings and quoted defined
 * terms (which are no names), and the preamble, whose other words are taken as no name, except inside an address
 * (which the address recognizer reports): those are left unlabelled.
 */
export interface CuadOptions {
  /** Characters at the start of a contract read as its preamble (default 2500). */
  readonly preamble?: number;
  /** Mentions of one party name learned from per contract (default 12). */
  readonly mentions?: number;
}

/** `skip`: contracts never learned from (the ones `bench/legal-text.ts` reports on). */
export function cuadExamples(dataDir: string, part: "tune" | "report", limit = Infinity, options: CuadOptions = {}, skip: ReadonlySet<string> = new Set()): Example[] {
  const PREAMBLE = options.preamble ?? 2500;
  const MENTIONS = options.mentions ?? 12;
  const dir = path.join(dataDir, "cuad_train");
  const parties = new Map<string, CuadPartyRecord["spans"]>();
  for (const line of fs.readFileSync(path.join(dir, "clauses.jsonl"), "utf8").split("\n")) {
    if (!line.includes('"category": "Parties"')) continue;
    const r = JSON.parse(line) as CuadPartyRecord;
    parties.set(r.file, r.spans);
  }
  const addresses = new AddressRecognizer();
  const files = fs
    .readdirSync(path.join(dir, "full_contract_txt"))
    .filter((f) => splitOf(f) === part && !skip.has(f))
    .sort()
    .slice(0, limit);
  const out: Example[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, "full_contract_txt", file), "utf8");
    const spans: LabelledSpan[] = [];
    // learned from: the preamble (first PREAMBLE characters, where the parties are named and described), and
    // elsewhere only the tokens of headings, defined terms and party mentions themselves (other words on a body
    // line are unlabelled: names of people and places there are not marked by CUAD)
    const labelled: LabelledSpan[] = [];
    for (const h of [...headings(text), ...definedTerms(text)]) labelled.push({ start: h.start, end: h.end, label: 0 });
    for (const a of addresses.recognize(text)) if (a.type === "ADDRESS") spans.push({ start: a.start, end: a.end, label: IGNORE });
    for (const p of parties.get(file) ?? []) {
      if (!namesAParty(p.text) || p.text.length > 80) continue;
      const label = partyLabel(p.text);
      for (const at of (p.all_occurrence_starts ?? [p.start]).slice(0, MENTIONS)) {
        if (text.slice(at, at + p.text.length) !== p.text) continue;
        labelled.push({ start: at, end: at + p.text.length, label });
      }
    }
    // places in a preamble are mostly jurisdictions ("a Delaware corporation"), which CUAD does not mark: unlabelled
    for (const m of text.slice(0, PREAMBLE).matchAll(/\p{Lu}[\p{L}]+(?:\s+\p{Lu}[\p{L}]+)?/gu))
      if (isKnownPlaceName(m[0])) spans.push({ start: m.index, end: m.index + m[0].length, label: IGNORE });
    spans.push(...labelled);
    const inLabelled = (s: number, e: number): boolean => s < PREAMBLE || labelled.some((l) => l.start < e && s < l.end);
    out.push(example(`cuad:${file}`, text, spans, false, inLabelled));
  }
  return out;
}
