// Quality floors of the rule model on the public CUAD dev split (the numbers of bench/cuad.ts, rounded
// down): a lexicon change that loses more than noise fails here before it reaches the README.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { RuleClauseClassifier } from "../src/classification/rule-clause-classifier";
import { extractKeyTerms } from "../src/extraction/extract-key-terms";
import { CUAD_CATEGORIES, DOCUMENT_LEVEL_CATEGORIES, cuadCategory, type CuadCategory } from "../src/classification/cuad-categories";
import { ContractDocument } from "../src/text/contract-document";
import { cuadDir, type CuadRow } from "./fixtures";

/** A clauses.jsonl row; a quote found several times lists every start. */
interface GoldRow extends Omit<CuadRow, "spans"> {
  spans: { start: number; end: number; all_occurrence_starts?: number[] }[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Span-overlap F1 per clause category over every public contract, as the bench scores it (threshold 0.5). */
function f1PerCategory(): Map<CuadCategory, { gold: number; f1: number; tp: number; predicted: number; found: number }> {
  const rows = fs
    .readFileSync(path.join(cuadDir, "clauses.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as GoldRow);
  const rules = new RuleClauseClassifier();
  const totals = new Map<CuadCategory, { gold: number; tp: number; predicted: number; found: number }>();
  for (const file of new Set(rows.map((r) => r.file))) {
    const scores = rules.scoreDocument(new ContractDocument(fs.readFileSync(path.join(cuadDir, "full_contract_txt", file), "utf8")));
    for (const row of rows.filter((r) => r.file === file)) {
      const category = cuadCategory(row.category);
      if (category === undefined || DOCUMENT_LEVEL_CATEGORIES.includes(category)) continue;
      const gold = row.spans.map((s) => (s.all_occurrence_starts ?? [s.start]).map((start) => ({ start, end: start + (s.end - s.start) })));
      const predicted = scores.filter((s) => s.category === category && s.score >= 0.5);
      const t = totals.get(category) ?? { gold: 0, tp: 0, predicted: 0, found: 0 };
      t.gold += gold.length;
      t.predicted += predicted.length;
      t.tp += predicted.filter((p) => gold.some((alts) => alts.some((g) => overlaps(g, p.span)))).length;
      t.found += gold.filter((alts) => predicted.some((p) => alts.some((g) => overlaps(g, p.span)))).length;
      totals.set(category, t);
    }
  }
  const out = new Map<CuadCategory, { gold: number; f1: number; tp: number; predicted: number; found: number }>();
  for (const [category, t] of totals) {
    const p = t.predicted ? t.tp / t.predicted : 0;
    const r = t.gold ? t.found / t.gold : 0;
    out.set(category, { ...t, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 });
  }
  return out;
}

describe("rule model quality on the public CUAD split", () => {
  const perCategory = f1PerCategory();

  it("keeps macro and micro F1 at or above their floors", () => {
    const withGold = CUAD_CATEGORIES.flatMap((c) => perCategory.get(c) ?? []).filter((c) => c.gold > 0);
    const macro = withGold.reduce((sum, c) => sum + c.f1, 0) / withGold.length;
    const sum = (k: "tp" | "predicted" | "found" | "gold") => withGold.reduce((s, c) => s + c[k], 0);
    const p = sum("tp") / sum("predicted");
    const r = sum("found") / sum("gold");
    expect(macro).toBeGreaterThanOrEqual(0.56);
    expect((2 * p * r) / (p + r)).toBeGreaterThanOrEqual(0.61);
  });

  it.each([
    ["Post-Termination Services", 0.43],
    ["Competitive Restriction Exception", 0.29],
    ["Minimum Commitment", 0.49],
    ["Volume Restriction", 0.32],
    ["Revenue/Profit Sharing", 0.57],
    ["Change of Control", 0.38],
    ["IP Ownership Assignment", 0.43],
    ["Cap on Liability", 0.7],
  ] as const)("keeps %s F1 at or above %d", (category, floor) => {
    expect(perCategory.get(category)?.f1 ?? 0).toBeGreaterThanOrEqual(floor);
  });
});

/** Key-term accuracy against CUAD's answer column, scored as bench/cuad.ts scores it. */
function keyTermAccuracy(): Map<string, number> {
  const rows = fs
    .readFileSync(path.join(cuadDir, "clauses.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as GoldRow);
  const norm = (s: string) => s.toLowerCase().replace(/&/g, "and").replace(/[^a-z0-9]+/g, " ").replace(/\b(?:the|inc|corp|corporation|ltd|limited|llc|co|company|plc|l p|lp)\b/g, " ").replace(/\s+/g, " ").trim();
  const usDate = (a: string) => {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(a.trim());
    if (!m) return undefined;
    const y = m[3]!.length === 2 ? (Number(m[3]) < 50 ? 2000 : 1900) + Number(m[3]) : Number(m[3]);
    return `${y}-${m[1]!.padStart(2, "0")}-${m[2]!.padStart(2, "0")}`;
  };
  const amount = (a: string) => {
    const m = /(\d+)\s*(day|month|year|week)/i.exec(a);
    return m ? `${m[1]} ${m[2]!.toLowerCase()}` : undefined;
  };
  const tally = new Map<string, { ok: number; n: number }>();
  const count = (field: string, ok: boolean) => {
    const t = tally.get(field) ?? { ok: 0, n: 0 };
    t.n++;
    if (ok) t.ok++;
    tally.set(field, t);
  };
  for (const file of new Set(rows.map((r) => r.file))) {
    const kt = extractKeyTerms(fs.readFileSync(path.join(cuadDir, "full_contract_txt", file), "utf8"));
    const answer = (category: string) => rows.find((r) => r.file === file && r.category === category)?.answer ?? "";
    for (const raw of answer("Parties").split(";")) {
      const name = norm(raw.replace(/\(.*$/s, ""));
      if (name) count("parties", kt.parties.some((p) => norm(p.name).length > 0 && (norm(p.name).includes(name) || name.includes(norm(p.name)))));
    }
    for (const [field, category, got] of [
      ["agreement date", "Agreement Date", kt.keyDates.agreement?.iso],
      ["effective date", "Effective Date", kt.keyDates.effective?.iso],
      ["expiration date", "Expiration Date", kt.keyDates.expiration?.iso ?? kt.keyDates.expiration?.note],
    ] as const) {
      const a = answer(category).trim();
      if (/^perpetual$/i.test(a)) count(field, got === "perpetual");
      else if (usDate(a)) count(field, got === usDate(a));
    }
    const law = answer("Governing Law");
    if (law.trim()) {
      const g = norm(law.split(";")[0]!);
      const got = kt.governingLaw[0]?.law;
      count("governing law", got !== undefined && (norm(got).includes(g) || g.includes(norm(got))));
    }
    const renewal = amount(answer("Renewal Term"));
    const period = kt.renewal?.period?.duration;
    if (renewal) count("renewal term", period !== undefined && `${period.value} ${period.unit}` === renewal);
    const notice = amount(answer("Notice Period To Terminate Renewal"));
    const window = kt.renewal?.noticeToTerminate?.duration;
    if (notice) count("notice to terminate renewal", window !== undefined && `${window.value} ${window.unit.replace("business_", "")}` === notice);
  }
  return new Map([...tally].map(([field, t]) => [field, t.ok / t.n]));
}

describe("key-term extraction quality on the public CUAD split", () => {
  const accuracy = keyTermAccuracy();

  // Floors just below the bench figures (README): expiration 76.7, renewal 100, notice 90, parties 85.6,
  // agreement date 91.9, effective date 86.2, governing law 86.1.
  it.each([
    ["expiration date", 0.76],
    ["renewal term", 0.95],
    ["notice to terminate renewal", 0.85],
    ["parties", 0.85],
    ["agreement date", 0.91],
    ["effective date", 0.85],
    ["governing law", 0.85],
  ] as const)("keeps %s accuracy at or above %d", (field, floor) => {
    expect(accuracy.get(field) ?? 0).toBeGreaterThanOrEqual(floor);
  });
});
