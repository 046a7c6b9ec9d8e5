// Parties and key dates against CUAD's answers on the held-out part of cuad_train, rules vs the shipped
// key-term model, with extraction latency and throughput of both in the same run.
//   nice -n 10 npx tsx bench/key-terms.ts [--part=held-out|dev|train|all]
// The held-out part (fold 0 of sha256('legal-key-terms|file') % 5) was never trained or tuned on.
import { ContractDocument, extractKeyTerms, shippedKeyTermModel, type KeyTerms } from "../src/index";
import { loadCuad } from "../train/cuad-data";
import { DATE_FIELDS, emptyTally, keyTermPart, score, type KeyTermTally } from "../train/key-term-gold";

const part = process.argv.find((a) => a.startsWith("--part="))?.slice(7) ?? "held-out";
if (!["held-out", "dev", "train", "all"].includes(part)) throw new Error(`--part must be held-out, dev, train or all, not ${part}`);
const model = shippedKeyTermModel();
if (!model) throw new Error("model/key-term-model.bin is missing: run npm run train:key-terms -w @bear/legal");
const contracts = loadCuad().filter((c) => part === "all" || keyTermPart(c.file) === part);

const answer = (kt: KeyTerms) => ({
  parties: kt.parties.map((p) => p.name),
  roles: kt.parties.flatMap((p) => (p.role ? [p.role] : [])),
  dates: { agreement: kt.keyDates.agreement?.iso, effective: kt.keyDates.effective?.iso, expiration: kt.keyDates.expiration?.iso ?? kt.keyDates.expiration?.note } as Record<string, string>,
  renewsAutomatically: kt.renewal?.automatic === true,
});
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

function run(name: string, opts: Parameters<typeof extractKeyTerms>[1]) {
  const tally = emptyTally();
  const ms: number[] = [];
  let chars = 0;
  const t0 = performance.now();
  for (const c of contracts) {
    const doc = new ContractDocument(c.text); // segmentation is shared by every stage of a review; timed apart
    const s = performance.now();
    const kt = extractKeyTerms(doc, opts);
    ms.push(performance.now() - s);
    chars += c.text.length;
    score(tally, c, answer(kt));
  }
  const wall = (performance.now() - t0) / 1000;
  return { name, tally, ms, chars, wall, rss: process.memoryUsage().rss / 1e6 };
}

// Warm up both paths (weights read, regexes compiled), then measure rules and model alternately.
for (const c of contracts.slice(0, 3)) {
  extractKeyTerms(c.text, { model: false });
  extractKeyTerms(c.text, { model });
}
const rules = run("rules", { model: false });
const learned = run("model", { model });

const pct = (a: number, b: number) => (b === 0 ? "  n/a" : ((100 * a) / b).toFixed(1).padStart(5));
const row = (name: string, t: KeyTermTally) =>
  `| ${name.padEnd(5)} | ${pct(t.partiesFound, t.partiesGold)} (${t.partiesFound}/${t.partiesGold}) | ${pct(t.partiesFoundWithRoles, t.partiesGold)} | ${pct(t.contractsAllParties, t.contractsWithParties)} | ${pct(t.extractedRight, t.extracted)} | ${DATE_FIELDS.map(([f]) => `${pct(t.dates[f].ok, t.dates[f].n)} (${t.dates[f].ok}/${t.dates[f].n})`).join(" | ")} | ${DATE_FIELDS.map(([f]) => t.dates[f].blankAnswered).join(" / ")} |`;
console.log(`Key terms on cuad_train, ${part} part: ${contracts.length} contracts (CUAD answers; party = same name, whole words covering half, or one misspelling: train/key-term-gold.ts; dates = same ISO day or "perpetual")`);
console.log("| extractor | parties (names) | parties (name or defined name) | all parties of a contract | party precision | agreement date | effective date | expiration date | date given where CUAD has none (agr/eff/exp) |");
console.log("|---|---|---|---|---|---|---|---|---|");
console.log(row("rules", rules.tally));
console.log(row("model", learned.tally));
console.log("");
for (const r of [rules, learned]) {
  console.log(
    `${r.name.padEnd(5)}: ${(contracts.length / r.ms.reduce((a, b) => a + b, 0) * 1000).toFixed(1)} contracts/s, ${(r.chars / 1e6 / (r.ms.reduce((a, b) => a + b, 0) / 1000)).toFixed(2)} MB/s; latency p50 ${quantile(r.ms, 0.5).toFixed(1)} ms, p95 ${quantile(r.ms, 0.95).toFixed(1)} ms, p99 ${quantile(r.ms, 0.99).toFixed(1)} ms; rss ${r.rss.toFixed(0)} MB; wall ${r.wall.toFixed(1)} s`,
  );
}
console.log(`node ${process.version}, load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`);
