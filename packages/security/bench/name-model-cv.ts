// The name model judged by the whole scanner on contracts it never learned from, inside the tune part only:
//   nice -n 10 npx tsx bench/name-model-cv.ts [folds=4] [--show] [--seed=N] [--fold=N]
// The tune part's CUAD contracts and Presidio templates are cut into `folds` folds by a hash of their source; for each
// fold a model is trained (shipped settings, seed 18) on the other folds plus the SEC tune agreement, and the fold's
// contracts are scanned with it: CUAD parties found, headings and quoted defined terms touched, Presidio F2. The report
// part is never read. Counts are deterministic, so two builds compare run against run. `--show` lists the held-out
// parties missed (tune part only), by kind as bench/party-misses.ts counts them, and the headings and defined terms hit.
// `--seed=N` trains with another seed (the seed spread is the noise floor a change must clear: seeds 18/19 give
// parties 721/722); `--fold=N` runs one fold only, for a quick look (quote all folds).
import { createHash } from "node:crypto";
import { PiiScanner } from "../src/pii/pii-scanner";
import { isDictionaryWord } from "../src/pii/recognizers/lexicons";
import { cuadTrainingExamples, SHIPPED_SETTINGS, trainNameModel } from "../train/name-model-trainer";
import { presidioExamples, secExamples, type Example } from "../train/name-data";
import { evaluateLegalText, loadCuad, splitOf } from "./legal-eval";
import { evaluate, loadJsonl, PRESIDIO_LABELS, sharedDataDir, type Counts, type GoldRecord } from "./pii-eval";
import path from "node:path";

const folds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 4);
const show = process.argv.includes("--show");
const seed = Number(/^--seed=(\d+)$/.exec(process.argv.find((a) => a.startsWith("--seed=")) ?? "")?.[1] ?? SHIPPED_SETTINGS.seed);
const settings = { ...SHIPPED_SETTINGS, seed };
/** `--fold=N` runs one fold only (a quick look while developing; quote all folds). */
const onlyFold = process.argv.find((a) => a.startsWith("--fold="))?.slice("--fold=".length);
const data = sharedDataDir(import.meta.dirname);
/** The fold of a contract or template: a hash of its key, independent of the tune/report split's hash. */
const foldOf = (key: string): number => (createHash("sha256").update(`bear-name-cv|${key}`).digest().readUInt32BE(0) >>> 0) % folds;
const keyOf = (e: Example): string => (e.source.startsWith("presidio:") ? e.source.replace(/#.*$/, "") : e.source.replace(/^cuad:/, ""));

const presidio = presidioExamples(data, "tune");
const sec = secExamples(data, "tune");
const cuad = cuadTrainingExamples(data, SHIPPED_SETTINGS);
const contracts = loadCuad(data, "tune", Infinity);
const presidioRecords = (loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")) as (GoldRecord & { template_id: number })[]).filter(
  (r) => splitOf(`presidio-template-${r.template_id}`) === "tune",
);

const total = { parties: 0, found: 0, headings: 0, headingHits: 0, terms: 0, termHits: 0, splits: 0 };
const presidioCounts: Counts = { tp: 0, fp: 0, fn: 0 };
const missed = new Map<string, string[]>();
const t0 = performance.now();
for (let fold = 0; fold < folds; fold++) {
  if (onlyFold !== undefined && Number(onlyFold) !== fold) continue;
  const held = (e: Example): boolean => foldOf(keyOf(e)) === fold;
  const model = trainNameModel({ small: [...presidio.filter((e) => !held(e)), ...sec], cuad: cuad.filter((e) => !held(e)) }, settings);
  const scanner = new PiiScanner({ nameModel: model });
  const mine = contracts.filter((c) => foldOf(c.file) === fold);
  const r = evaluateLegalText(mine, (t) => scanner.scan(t));
  const p = evaluate(
    presidioRecords.filter((x) => foldOf(`presidio:${x.template_id}`) === fold),
    (t) => scanner.scan(t),
    PRESIDIO_LABELS,
  ).overall;
  presidioCounts.tp += p.tp;
  presidioCounts.fp += p.fp;
  presidioCounts.fn += p.fn;
  total.parties += r.parties;
  total.found += r.partiesFound;
  total.headings += r.headings;
  total.headingHits += r.headingHits.length;
  total.terms += r.terms;
  total.termHits += r.termHits.length;
  total.splits += r.typeSplits;
  if (show) for (const h of [...r.headingHits.map((x) => `heading ${x.text}`), ...r.termHits.map((x) => `term ${x.text}`)]) console.log(`  fold ${fold} hit ${h}`);
  for (const m of r.missedParties) {
    const words = m.text.match(/\p{L}[\p{L}'’]*/gu) ?? [];
    const lower = words.filter((w) => /^\p{Ll}/u.test(w)).length;
    const kind =
      words.length >= 7 && lower >= 3 ? "description" : words.every((w) => w.length === 1 || isDictionaryWord(w.replace(/['’]s?$/u, ""))) ? "English words only" : "name";
    missed.set(kind, [...(missed.get(kind) ?? []), m.text.replace(/\s+/gu, " ")]);
  }
  console.log(
    `fold ${fold}: ${mine.length} contracts, parties ${r.partiesFound}/${r.parties}, headings ${r.headingHits.length}/${r.headings}, terms ${r.termHits.length}/${r.terms}, presidio F2 ${p.f2.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}
const f2 = (c: Counts): number => {
  const precision = c.tp / Math.max(1, c.tp + c.fp);
  const recall = c.tp / Math.max(1, c.tp + c.fn);
  return (5 * precision * recall) / Math.max(1e-9, 4 * precision + recall);
};
console.log(
  `CV ${folds} folds (tune part, held-out contracts; seed ${seed}): parties ${total.found}/${total.parties} (${((100 * total.found) / total.parties).toFixed(1)}%), headings ${total.headingHits}/${total.headings}, terms ${total.termHits}/${total.terms}, names typed both ways ${total.splits}, presidio F2 ${f2(presidioCounts).toFixed(3)}`,
);
for (const [kind, xs] of missed) {
  console.log(`  missed, ${kind}: ${xs.length}`);
  if (show) for (const x of xs) console.log(`      ${x.slice(0, 100)}`);
}
