// How long the lexical analyser remembers words (real LanceDB): the words of privileged documents
// and of users' queries stay in memory no longer than the ingest or the query that analysed them.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { LegalChunker } from "../src/chunking/legal-chunker";
import { IngestPipeline } from "../src/ingest/ingest-pipeline";
import { LanceIndex, type ChunkRowsPool } from "../src/store/lance-index";
import { tempDir } from "./support/temp-dir";

/** Invented clauses, each with words of its own. */
const CLAUSES = [
  "The Lessee shall keep the orchard irrigated and the granary dry throughout the Term.",
  "Quarterly royalties accrue on every tapestry sold under the Trademark by the Licensee.",
  "The Vendor warrants that the turbines delivered are free of latent defects for ninety days.",
];

async function openIngest(files: number): Promise<{ index: LanceIndex; pipeline: IngestPipeline; root: string; pools: ChunkRowsPool[] }> {
  const root = tempDir("rag-analyser-memory-");
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(root, `clause-${i}.txt`), `${CLAUSES[i % CLAUSES.length]!} Schedule ${i}.\n`);
  const index = await LanceIndex.open({ dir: path.join(root, ".index") });
  // The ingest's column pools, as the pipeline takes them from the real index.
  const pools: ChunkRowsPool[] = [];
  const take = index.chunkRowsPool.bind(index);
  jest.spyOn(index, "chunkRowsPool").mockImplementation(() => {
    const pool = take();
    pools.push(pool);
    return pool;
  });
  const pipeline = new IngestPipeline({ index, chunker: new LegalChunker(), root, maxFileBytes: 1 << 20, concurrency: 2 });
  return { index, pipeline, root, pools };
}

describe("the lexical analyser's memory", () => {
  it("an ingest forgets its documents' words when it ends, and they are still found", async () => {
    const { index, pipeline, pools } = await openIngest(6);
    try {
      let seenMidIngest = 0;
      pipeline.onDidIngestProgress.subscribe((e) => {
        if (e.type === "file-finished") seenMidIngest = Math.max(seenMidIngest, pools[0]?.analyser.remembered ?? 0);
      });
      const report = await pipeline.run(["."], { batch: { maxDocuments: 2 } });
      expect(report.added).toBe(6);
      expect(pools).toHaveLength(1);
      expect(seenMidIngest).toBeGreaterThan(10); // it remembered words while the ingest ran
      expect(pools[0]!.analyser.remembered).toBe(0);
      expect(index.rememberedWords).toBe(0);
      expect((await index.lexical("irrigated orchards", 10, {})).length).toBe(2);
    } finally {
      await index.dispose();
    }
  });

  it("a cancelled ingest forgets its words too", async () => {
    const { index, pipeline, pools } = await openIngest(9);
    try {
      const abort = new AbortController();
      pipeline.onDidIngestProgress.subscribe((e) => {
        if (e.type === "file-finished") abort.abort();
      });
      await expect(pipeline.run(["."], { batch: { maxDocuments: 1 }, concurrency: 1, signal: abort.signal })).rejects.toThrow();
      expect(pools).toHaveLength(1);
      expect(pools[0]!.analyser.remembered).toBe(0);
    } finally {
      await index.dispose();
    }
  });

  it("a query's words are analysed without being remembered, and rank as before", async () => {
    const { index, pipeline } = await openIngest(3);
    try {
      await pipeline.run(["."]);
      const hits = await index.lexical("ROYALTIES on tapestries", 10, {});
      expect(hits.map((h) => h.chunk.text)).toEqual([expect.stringContaining("tapestry")]);
      expect(index.rememberedWords).toBe(0);
      // Analysed from scratch each time, a query gives the same terms and hits.
      expect((await index.lexical("ROYALTIES on tapestries", 10, {})).map((h) => [h.chunk.id, h.score])).toEqual(hits.map((h) => [h.chunk.id, h.score]));
      expect(index.rememberedWords).toBe(0);
    } finally {
      await index.dispose();
    }
  });
});
