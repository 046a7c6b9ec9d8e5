// How much the whole scanner's figures move with the name model's training order, and whether the mean of several
// seeds is steadier (tune part only; the report part is never read here):
//   nice -n 10 npx tsx bench/name-model-seeds.ts [--singles 18,19,20,21] [--means 18-22,23-27]
// Each model learns from the tune part minus a held-out quarter (train-name-model.ts HOLDOUT=1's second hash) and
// without any SEC agreement; it is scored through the whole scanner on that quarter (Presidio templates, CUAD
// contracts) and on the SEC tune agreement (which it never saw). A line per model, then the spread (max - min) of
// each figure over the single seeds and over the means.
import { createHash } from "node:crypto";
import path from "node:path";
import type { NameModel } from "../src/pii/model/name-model";
import { PiiScanner } from "../src/pii/pii-scanner";
import { presidioExamples, type Example } from "../train/name-data";
import { cuadTrainingExamples, SHIPPED_SETTINGS, trainNameModel } from "../train/name-model-trainer";
import { evaluateLegalText, loadCuad, splitOf } from "./legal-eval";
import { evaluate, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir, type GoldRecord } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
/** "18-22" → [18..22]; "18,19" → [18, 19]. */
const seedList = (s: string): number[] => {
  const range = /^(\d+)-(\d+)$/.exec(s);
  return range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : s.split("+").map(Number);
};
const singles = arg("--singles", "18,19,20,21").split(",").filter(Boolean).map(Number);
const means = arg("--means", "18-22,23-27").split(",").filter(Boolean).map(seedList);

const heldOut = (key: string): boolean => (createHash("sha256").update(`bear-name-holdout|${key}`).digest()[0] ?? 0) < 64;
const keep = (e: Example): boolean => !heldOut(e.source.replace(/#.*$/, ""));
const small = presidioExamples(data, "tune").filter(keep);
const cuad = cuadTrainingExamples(data, SHIPPED_SETTINGS).filter(keep);
const presidio = (loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")) as (GoldRecord & { template_id: number })[]).filter(
  (r) => splitOf(`presidio-template-${r.template_id}`) === "tune" && heldOut(`presidio:${r.template_id}`),
);
const sec = (loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")) as (GoldRecord & { doc: string })[]).filter((r) => splitOf(r.doc) === "tune");
const contracts = loadCuad(data, "tune", Infinity).filter((c) => heldOut(`cuad:${c.file}`));
console.log(`held out: ${presidio.length} Presidio records, ${contracts.length} CUAD contracts; SEC tune agreement ${sec.length} sentences (no SEC learned)`);

type Row = Record<string, number>;
function measure(model: NameModel): Row {
  const s = new PiiScanner({ nameModel: model });
  const p = evaluate(presidio, (t) => s.scan(t), PRESIDIO_LABELS);
  const q = evaluate(sec, (t) => s.scan(t), SEC_LABELS).overall;
  const c = evaluateLegalText(contracts, (t) => s.scan(t));
  return {
    "pres F2": p.overall.f2,
    PER: p.tokens["PERSON"]?.f2 ?? 0,
    ORG: p.tokens["ORGANIZATION"]?.f2 ?? 0,
    LOC: p.tokens["LOCATION"]?.f2 ?? 0,
    "SEC P": q.precision,
    "SEC R": q.recall,
    parties: c.partiesFound / Math.max(1, c.parties),
    heads: c.headingHits.length,
    terms: c.termHits.length,
  };
}
const cols = ["pres F2", "PER", "ORG", "LOC", "SEC P", "SEC R", "parties", "heads", "terms"];
const fmt = (r: Row): string => cols.map((k) => `${k} ${Number.isInteger(r[k]) ? String(r[k]).padStart(3) : (r[k] ?? 0).toFixed(3)}`).join("  ");
const spread = (rows: readonly Row[]): string =>
  cols.map((k) => `${k} ${(Math.max(...rows.map((r) => r[k] ?? 0)) - Math.min(...rows.map((r) => r[k] ?? 0))).toFixed(3)}`).join("  ");

const cpu0 = process.cpuUsage();
const rows: { name: string; single: boolean; row: Row }[] = [];
for (const seeds of [...singles.map((s) => [s]), ...means]) {
  const model = trainNameModel({ small, cuad }, { ...SHIPPED_SETTINGS, seeds });
  const row = measure(model);
  const name = seeds.length === 1 ? `seed ${seeds[0]}` : `mean of ${seeds[0]}-${seeds.at(-1)}`;
  rows.push({ name, single: seeds.length === 1, row });
  console.log(`${name.padEnd(16)} ${fmt(row)}`);
}
for (const single of [true, false]) {
  const xs = rows.filter((r) => r.single === single).map((r) => r.row);
  if (xs.length > 1) console.log(`spread ${single ? "singles" : "means  "}   ${spread(xs)}`);
}
const cpu = process.cpuUsage(cpu0);
console.log(`CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s`);
