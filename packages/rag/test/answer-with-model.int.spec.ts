// With a model loaded, answers keep the rules of the model-free default: the same scope (the
// document a question names), the same ranking (the model reads the passage holding the best
// sentence first), the same "not found" (the model is not even asked), citations checked against
// the sources. The model is a real GGUF through node-llama-cpp (stories260K, @bear/model-manager):
// it writes stories, not legal answers, so this tests the mechanics, not the prose.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ModelManager } from "@bear/model-manager";
import { RagEngine } from "../src/index";
import { shared } from "./fixtures";
import { tempDir } from "./support/temp-dir";

const SUPPLY = [
  "SUPPLY AGREEMENT",
  "This Supply Agreement is made between Quillon Pumps Ltd. and Varstead Fluids Inc.",
  "1. Delivery. The Supplier shall deliver the Products to the Buyer's warehouse within ten (10) days of each purchase order.",
  "2. Price. The Buyer shall pay the prices in Schedule A within thirty (30) days of invoice.",
  "3. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the State of Delaware.",
].join("\n\n");
const LEASE = [
  "EQUIPMENT LEASE",
  "This Equipment Lease is made between Hollin Leasing Corp. and Marrow Bakeries LLC.",
  "1. Rent. The Lessee shall pay rent of $2,000 on the first day of each month.",
  "2. Governing Law. This Lease shall be governed by the laws of the State of New York.",
].join("\n\n");
/** A blank form: nothing in it can be cited (heading and fill-in lines only). */
const FORM = ["SCHEDULE B", "Renewal Term:", "Effective Date: ____________", "Signature: ____________"].join("\n");

describe("answers with a GGUF model keep the scope, ranking and 'not found' rule", () => {
  let root: string;
  let manager: ModelManager;
  let rag: RagEngine;
  let supplyId: string;
  let formId: string;

  beforeAll(async () => {
    root = tempDir("rag-answer-model-");
    fs.writeFileSync(path.join(root, "quillon-supply.txt"), SUPPLY);
    fs.writeFileSync(path.join(root, "hollin-lease.txt"), LEASE);
    fs.writeFileSync(path.join(root, "schedule-b.txt"), FORM);
    manager = await ModelManager.open({ modelDirs: [path.join(shared(), "models/stories260K")], threads: 1, maxConcurrentRequests: 1 });
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, llm: manager.llm("stories260K") });
    await rag.ingest(["."], { matter: "m" });
    supplyId = rag.documents().find((d) => d.source.endsWith("quillon-supply.txt"))!.id;
    formId = rag.documents().find((d) => d.source.endsWith("schedule-b.txt"))!.id;
  }, 60_000);

  afterAll(async () => {
    await rag?.dispose();
    await manager?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("says 'not found' without asking the model when nothing retrieved answers", async () => {
    const question = "What is the renewal term?";
    const scope = { filter: { documentIds: [formId] } };
    const extractive = await rag.answer(question, { ...scope, llm: null });
    expect(extractive.notFound).toBe(true);
    const answer = await rag.answer(question, scope);
    expect(answer).toMatchObject({ notFound: true, citations: [], scope: [formId] });
    expect(answer.passages.every((p) => p.documentId === formId)).toBe(true);
    // The model was never loaded: "not found" was decided before any generation.
    expect(manager.loaded()).toEqual([]);
  }, 60_000);

  it("gives the model only the named document, best-ranked passage first, and keeps only verified citations", async () => {
    const question = "What is the governing law of the Quillon supply agreement?";
    const extractive = await rag.answer(question, { llm: null });
    expect(extractive.notFound).toBe(false);
    expect(extractive.citations[0]!.quote).toMatch(/laws of the State of Delaware/);

    const answer = await rag.answer(question, { maxAnswerTokens: 24 });
    expect(answer.mode).toBe("llm");
    expect(manager.loaded().map((m) => m.modelId)).toContain("stories260K");
    expect(answer.notFound).toBe(false);
    expect(answer.scope).toEqual([supplyId]);
    expect(answer.passages.length).toBeGreaterThan(0);
    expect(answer.passages.every((p) => p.documentId === supplyId)).toBe(true);
    // The same ranker orders what the model reads: the passage holding the extractive answer comes first.
    expect(answer.passages[0]!.chunkId).toBe(extractive.citations[0]!.chunkId);
    const text = await rag.documentText(supplyId);
    for (const c of answer.citations) {
      expect(c.documentId).toBe(supplyId);
      expect(text.slice(c.start, c.end)).toBe(c.quote);
    }
  }, 60_000);
});
