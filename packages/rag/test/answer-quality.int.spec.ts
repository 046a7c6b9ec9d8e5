// Quality floors on the REPORT half of the public split (bench/lbr-split.ts): nothing was tuned
// on these documents. The full figures come from `npx tsx bench/legalbench-rag.ts --group=answers`
// and `npx tsx bench/titles.ts`; these floors sit a little below them, to catch regressions.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { splitOf } from "../bench/lbr-split";
import { unanswerableQuestions } from "../bench/lbr-unanswerable";
import { detectMetadata } from "../src/chunking/document-metadata";
import { RagEngine } from "../src/index";
import { shared } from "./fixtures";
import { tempDir } from "./support/temp-dir";

const data = fs.realpathSync(path.join(shared(), "data"));
const lbr = path.join(data, "legalbench_rag");

interface Query {
  source: "cuad" | "contractnli";
  query: string;
  answers: { file: string; start: number; end: number }[];
}

describe("answer quality on the report half of the LegalBench-RAG-style public split", () => {
  let dir: string;
  let rag: RagEngine;
  const reported = fs
    .readFileSync(path.join(lbr, "queries.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Query)
    .filter((q) => splitOf(q.answers[0]!.file) === "report");

  beforeAll(async () => {
    dir = tempDir("answer-quality-");
    rag = await RagEngine.open({ dir, root: lbr });
    await rag.ingest(["corpus"], { matter: "lbr" });
  }, 120_000);

  afterAll(async () => {
    await rag?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("cites the named document first, on the gold span, without a model", async () => {
    const fileOf = new Map(rag.documents().map((d) => [d.id, path.relative(path.join(lbr, "corpus"), d.source)]));
    let inDoc = 0;
    let first = 0;
    let any = 0;
    let ndaInDoc = 0;
    const ndas = reported.filter((q) => q.source === "contractnli").length;
    for (const q of reported) {
      const answer = await rag.answer(q.query, { llm: null });
      const cites = answer.citations.map((c) => ({ file: fileOf.get(c.documentId), start: c.start, end: c.end }));
      const onGold = (c: (typeof cites)[number]): boolean => q.answers.some((g) => g.file === c.file && Math.min(g.end, c.end) > Math.max(g.start, c.start));
      const named = cites[0] && q.answers.some((g) => g.file === cites[0]!.file);
      if (named) inDoc++;
      if (named && q.source === "contractnli") ndaInDoc++;
      if (cites[0] && onGold(cites[0])) first++;
      if (cites.some(onGold)) any++;
    }
    const n = reported.length;
    expect(n).toBeGreaterThan(250);
    expect(inDoc / n).toBeGreaterThanOrEqual(FLOORS.inDoc);
    expect(ndaInDoc / ndas).toBeGreaterThanOrEqual(FLOORS.ndaInDoc);
    expect(first / n).toBeGreaterThanOrEqual(FLOORS.first);
    expect(any / n).toBeGreaterThanOrEqual(FLOORS.any);
  }, 120_000);

  it("says 'not found' for questions whose named document has no such clause, and rarely for answerable ones", async () => {
    const unanswerable = unanswerableQuestions(data).filter((q) => splitOf(q.file) === "report");
    let caught = 0;
    for (const q of unanswerable) if ((await rag.answer(q.query, { llm: null })).notFound) caught++;
    let wrong = 0;
    for (const q of reported) if ((await rag.answer(q.query, { llm: null })).notFound) wrong++;
    expect(unanswerable.length).toBeGreaterThan(300);
    expect(caught / unanswerable.length).toBeGreaterThanOrEqual(FLOORS.notFoundCaught);
    expect(wrong / reported.length).toBeLessThanOrEqual(FLOORS.wrongNotFound);
  }, 120_000);

  it("keeps an answer inside the document a question names, and resolves --doc names", async () => {
    const flotek = rag.documents().find((d) => d.source.includes("FLOTEK"))!;
    const answer = await rag.answer("What is the governing law of the Flotek supply agreement?", { llm: null });
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((c) => c.documentId === flotek.id)).toBe(true);
    expect(await rag.resolveDocuments(["Flotek supply agreement"])).toEqual([flotek.id]);
    expect(await rag.resolveDocuments([flotek.id])).toEqual([flotek.id]);
    await expect(rag.resolveDocuments(["zyxwvut qqq"])).rejects.toMatchObject({ code: "RAG_DOCUMENT_NOT_FOUND" });
  }, 60_000);
});

describe("document titles against CUAD's Document Name answers (report half of cuad_train)", () => {
  it(`names at least ${90 - 2}% of the contracts as CUAD's lawyers did`, () => {
    const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    let n = 0;
    let ok = 0;
    for (const line of fs.readFileSync(path.join(data, "cuad_train/clauses.jsonl"), "utf8").split("\n")) {
      if (!line.includes('"category": "Document Name"')) continue;
      const r = JSON.parse(line) as { file: string; answer: string };
      if (splitOf(`cuad/${r.file}`) !== "report") continue;
      const title = norm(detectMetadata(fs.readFileSync(path.join(data, "cuad_train/full_contract_txt", r.file), "utf8"), undefined, r.file).title);
      n++;
      const golds = r.answer.split(/\n+/).map(norm).filter(Boolean);
      if (golds.some((g) => title === g || title.includes(g) || (g.includes(title) && title.length / g.length >= 0.6))) ok++;
    }
    expect(n).toBeGreaterThan(150);
    expect(ok / n).toBeGreaterThanOrEqual(0.88);
  });
});

/** A little below the measured report-half figures (see the package README). */
const FLOORS = { inDoc: 0.96, ndaInDoc: 0.97, first: 0.58, any: 0.74, notFoundCaught: 0.18, wrongNotFound: 0.03 };
