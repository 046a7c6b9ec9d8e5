// The NDA checklist on ContractNLI's public split (../shared/data/contractnli):
// one checklist requirement per hypothesis (NDA_CHECKLIST_YAML, the built-in "nda" checklist), statuses mapped to NLI labels
// (met → Entailment, contradicted → Contradiction, unclear/missing → NotMentioned).
//   npx tsx bench/contractnli.ts [--fold=dev|check] [--rules] [--detail --cat=nda-N]
// With the shipped checklist model (model/nda-checklist-model.bin, trained on the dev fold by `npm run train:nli`) unless
// --rules (the cues alone). The model's figures that count are the check fold's: it never saw those NDAs.
// --fold keeps part of the NDAs (a fixed hash of the file name, about 60/40): requirements are tuned on
// "dev"; "check" is only scored, to see whether a change carries over to NDAs nobody read.
// Speed: every NDA of the fold checked against the whole checklist (a fresh ContractDocument each time, so
// segmentation counts), cues alone and with the model side by side in the same run (--no-speed skips it).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ContractDocument, NDA_CHECKLIST_YAML, checkCompliance, checkRequirement, loadChecklist, shippedChecklistModel, type RequirementStatus } from "../src/index";

const dataDir = path.resolve(import.meta.dirname, "../../../../shared/data/contractnli");
const detail = process.argv.includes("--detail");
const options = process.argv.includes("--rules") ? { model: false as const } : {};
const foldArg = process.argv.find((a) => a.startsWith("--fold="))?.slice(7);
if (foldArg !== undefined && foldArg !== "dev" && foldArg !== "check") throw new Error(`--fold must be dev or check, not ${foldArg}`);
const fold = (file: string) => (parseInt(crypto.createHash("sha256").update(`legal-contractnli-fold|${file}`).digest("hex").slice(0, 8), 16) % 10 < 6 ? "dev" : "check");

interface Pair {
  doc_id: number;
  file: string;
  category: string;
  label: "Entailment" | "Contradiction" | "NotMentioned";
  spans: { start: number; end: number }[];
}
const t0 = performance.now();
const pairs = fs
  .readFileSync(path.join(dataDir, "nli.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Pair)
  .filter((p) => foldArg === undefined || fold(p.file) === foldArg);
const inFold = new Set(pairs.map((p) => p.doc_id));
const docs = new Map<number, string>(
  (JSON.parse(fs.readFileSync(path.join(dataDir, "contractnli_subset.json"), "utf8")) as { documents: { id: number; text: string }[] }).documents.filter((d) => inFold.has(d.id)).map((d) => [d.id, d.text]),
);
const checklist = loadChecklist(NDA_CHECKLIST_YAML, "NDA checklist");
const requirements = new Map(checklist.requirements.map((r) => [r.id, r]));
const LABEL: Record<RequirementStatus, Pair["label"]> = { met: "Entailment", contradicted: "Contradiction", unclear: "NotMentioned", missing: "NotMentioned" };
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

const parsed = new Map<number, ContractDocument>();
const per = new Map<string, { ok: number; n: number; goldSpans: number; foundSpans: number }>();
const confusion = new Map<string, number>();
let ok = 0;
let goldSpans = 0;
let foundSpans = 0;
let cited = 0;
let citedCorrect = 0;
for (const p of pairs) {
  const req = requirements.get(p.category);
  if (!req) throw new Error(`no requirement for ${p.category}`);
  let doc = parsed.get(p.doc_id);
  if (!doc) {
    doc = new ContractDocument(docs.get(p.doc_id)!);
    parsed.set(p.doc_id, doc);
  }
  const result = checkRequirement(doc, req, options);
  const predicted = LABEL[result.status];
  const stats = per.get(p.category) ?? { ok: 0, n: 0, goldSpans: 0, foundSpans: 0 };
  stats.n++;
  if (predicted === p.label) {
    stats.ok++;
    ok++;
  }
  confusion.set(`${p.label}→${predicted}`, (confusion.get(`${p.label}→${predicted}`) ?? 0) + 1);
  if (p.label !== "NotMentioned") {
    for (const g of p.spans) {
      goldSpans++;
      stats.goldSpans++;
      if (result.citations.some((c) => overlaps(c, g))) {
        foundSpans++;
        stats.foundSpans++;
      }
    }
    for (const c of result.citations) {
      cited++;
      if (p.spans.some((g) => overlaps(c, g))) citedCorrect++;
    }
  }
  per.set(p.category, stats);
}
const pct = (a: number, b: number) => (b === 0 ? "  n/a" : `${((100 * a) / b).toFixed(1).padStart(5)}`);
const lines: string[] = [];
lines.push(`ContractNLI public split${foldArg ? ` (${foldArg} fold)` : ""}: ${docs.size} NDAs, ${pairs.length} hypothesis-document pairs, ${options.model === false ? "checklist cues alone (no model)" : `checklist model (${shippedChecklistModel() ? "shipped, trained on the dev fold" : "absent: cues alone"})`}`);
lines.push("| hypothesis | accuracy | evidence-span recall |");
lines.push("|------------|----------|----------------------|");
for (const [cat, s] of [...per].sort((a, b) => Number(a[0].slice(4)) - Number(b[0].slice(4)))) lines.push(`| ${cat.padEnd(10)} | ${pct(s.ok, s.n).padStart(7)}% | ${pct(s.foundSpans, s.goldSpans).padStart(19)}% |`);
const notMentioned = pairs.filter((p) => p.label === "NotMentioned").length;
lines.push(`| ${"all".padEnd(10)} | ${pct(ok, pairs.length).padStart(7)}% | ${pct(foundSpans, goldSpans).padStart(19)}% |`);
lines.push(`reference: always "NotMentioned" ${pct(notMentioned, pairs.length)}%; citation precision (cited sentences overlapping gold evidence, labelled pairs) ${pct(citedCorrect, cited)}%`);
lines.push(`confusion (gold→predicted): ${[...confusion].sort().map(([k, v]) => `${k} ${v}`).join(", ")}`);
lines.push(`wall ${((performance.now() - t0) / 1000).toFixed(1)} s, node ${process.version}`);
if (!process.argv.includes("--no-speed")) lines.push(...speed());
console.log(lines.join("\n"));
if (detail) {
  for (const p of pairs.filter((x) => process.argv.includes(`--cat=${x.category}`))) {
    const r = checkRequirement(parsed.get(p.doc_id)!, requirements.get(p.category)!, options);
    if (LABEL[r.status] !== p.label) console.log(`${p.doc_id} gold ${p.label} got ${r.status} :: ${r.citations.map((c) => c.quote.slice(0, 120)).join(" || ")} :: gold ${p.spans.map((s) => docs.get(p.doc_id)!.slice(s.start, s.start + 120)).join(" || ")}`);
  }
}

/** Latency per NDA (whole checklist), throughput and memory: cues alone and the model, in the same run. */
function speed(): string[] {
  const texts = [...docs.values()];
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const q = (sorted: number[], f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
  const out = ["speed (whole NDA checklist per document, fresh segmentation each time; 3 rounds after a warm-up round):"];
  for (const [name, opts] of [["cues alone", { model: false as const }], ["checklist model", {}]] as const) {
    for (const t of texts) checkCompliance(t, checklist, opts);
    const ms: number[] = [];
    const start = performance.now();
    for (let round = 0; round < 3; round++)
      for (const t of texts) {
        const t0 = performance.now();
        checkCompliance(t, checklist, opts);
        ms.push(performance.now() - t0);
      }
    const wall = (performance.now() - start) / 1000;
    ms.sort((a, b) => a - b);
    const mem = process.memoryUsage();
    out.push(
      `  ${name.padEnd(16)} ${(ms.length / wall).toFixed(1).padStart(6)} NDAs/s ${((3 * chars) / 1e6 / wall).toFixed(2)} MB/s  p50 ${q(ms, 0.5).toFixed(1)} ms  p95 ${q(ms, 0.95).toFixed(1)} ms  p99 ${q(ms, 0.99).toFixed(1)} ms  rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  }
  return out;
}
