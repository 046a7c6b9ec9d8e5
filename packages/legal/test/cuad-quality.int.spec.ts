// Quality floors of the rule model on the public CUAD dev split (the numbers of bench/cuad.ts, rounded
// down): a lexicon change that loses more than noise fails here before it reaches the README.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { RuleClauseClassifier } from "../src/classification/rule-clause-classifier";
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
