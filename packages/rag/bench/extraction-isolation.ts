// Extraction in-process (extractDocument) beside extraction in a PDF reader process
// (extractDocumentIsolated, what ingest uses), on generated DOCX, PDF and text files; then how fast
// the hostile files are refused. Run: npx tsx --tsconfig ../../tsconfig.base.json bench/extraction-isolation.ts
import { extractDocument } from "../src/extraction/extract-document";
import { extractDocumentIsolated } from "../src/extraction/isolated-extraction";
import { transcodeToUtf8 } from "../src/extraction/text-decoding";
import { makeDocx, makePdf } from "../test/fixtures";
import { pdfChildUrl } from "../test/support/pdf-child-build";
import { docxBomb, pdfFlateBomb } from "../test/support/hostile-files";

const ROUNDS = 60;
const clause = (i: number): string => `${i}.1 The Supplier shall deliver the Services within thirty (30) days of written notice, subject to Section ${i}.2(b).`;
const paragraphs = Array.from({ length: 400 }, (_x, i) => clause(i));
const files: Array<[string, Uint8Array]> = [
  ["contract.docx", makeDocx(paragraphs)],
  ["contract.pdf", await makePdf(Array.from({ length: 8 }, (_x, p) => paragraphs.slice(p * 50, p * 50 + 50).join("\n")))],
  ["contract.txt", new TextEncoder().encode(paragraphs.join("\n"))],
];
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

async function run(label: string, extract: (file: string, bytes: Uint8Array) => Promise<unknown>): Promise<void> {
  for (const [name, bytes] of files) await extract(name, bytes); // warm up (module loads, worker start)
  const times: number[] = [];
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, bytes] of files) {
      const t = performance.now();
      await extract(name, bytes);
      times.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const f = (n: number) => n.toFixed(2).padStart(7);
  console.log(`${label.padEnd(12)} p50 ${f(pct(times, 50))} ms  p95 ${f(pct(times, 95))} ms  p99 ${f(pct(times, 99))} ms  ${(times.length / seconds).toFixed(1)} files/s  host RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

const childUrl = await pdfChildUrl();
console.log(`node ${process.version}, ${ROUNDS} rounds of ${files.map(([n, b]) => `${n} (${(b.length / 1024).toFixed(0)} KB)`).join(", ")}`);
await run("in-process", (file, bytes) => extractDocument(file, bytes));
await run("reader", (file, bytes) => extractDocumentIsolated(file, bytes, { childUrl }));

const latin = Buffer.from(paragraphs.join("\n").replaceAll("Supplier", "Fournisseur é"), "latin1");
let t = performance.now();
for (let i = 0; i < 200; i++) transcodeToUtf8(latin);
console.log(`transcode Windows-1252 ${(latin.length / 1024).toFixed(0)} KB: ${((performance.now() - t) / 200).toFixed(3)} ms per file`);
for (const [name, bytes] of [["docx bomb 300 MB", docxBomb(300)], ["docx bomb, lying", docxBomb(300, { declaredSize: 1_000_000 })], ["pdf flate bomb 500 MB", pdfFlateBomb(500)]] as const) {
  t = performance.now();
  const outcome = await extractDocumentIsolated(name, bytes, { childUrl }).then(
    () => "extracted",
    (e: { code?: string }) => e.code,
  );
  console.log(`${name.padEnd(22)} (${(bytes.length / 1024).toFixed(0)} KB): ${outcome} in ${(performance.now() - t).toFixed(0)} ms, host RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}
process.exit(0);
