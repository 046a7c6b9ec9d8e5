// Batched commits on real LanceDB: what is visible when, search between index upkeeps, cancellation.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import type { IngestEvent } from "../src/ingest/ingest-types";
import { RagEngine } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";
import { LexicalAnalyser, SLICE_UNITS } from "../src/store/lexical-analyser";
import type { ChunkRecord, DocumentRecord } from "../src/store/records";
import { writeNumberedContracts } from "./support/numbered-contracts";
import { tempDir } from "./support/temp-dir";

function document(id: string, chunkCount: number): DocumentRecord {
  return {
    id, version: "v", matter: "m", source: `/${id}.txt`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: 1, chars: 1,
    chunkCount, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false,
  };
}

async function commit(index: LanceIndex, id: string, texts: readonly string[]): Promise<void> {
  const chunks: ChunkRecord[] = texts.map((text, i) => ({ id: `${id}:v:${i}`, documentId: id, version: "v", matter: "m", docType: "text", text, start: 0, end: text.length, page: 1, sectionPath: [], ordinal: i }));
  await index.writeChunks(chunks);
  await index.commitDocuments([{ record: document(id, texts.length), text: texts.join(" "), pageStarts: [0], replaces: false }]);
}

async function unindexedRows(dir: string): Promise<number> {
  const lancedb = await import("@lancedb/lancedb");
  const db = await lancedb.connect(path.join(dir, "lance"));
  try {
    const chunks = await db.openTable("chunks");
    const index = (await chunks.listIndices()).find((i) => i.columns.includes("searchText"))!;
    return (await chunks.indexStats(index.name))!.numUnindexedRows;
  } finally {
    db.close();
  }
}

describe("search between index upkeeps (real LanceDB)", () => {
  for (const sealed of [false, true]) {
    it(`finds rows written after the last full-text index upkeep, ranked with the indexed ones (${sealed ? "encrypted" : "plain"} index)`, async () => {
      const dir = tempDir("rag-unindexed-");
      const cipher = sealed ? new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) : undefined;
      const index = await LanceIndex.open({ dir, ...(cipher ? { cipher } : {}) });
      try {
        await commit(index, "a", ["The tenant shall pay the rent monthly.", "The landlord repairs the roof."]);
        expect(await unindexedRows(dir)).toBe(2); // no upkeep yet: the index exists, empty
        expect((await index.lexical("RENT payments", 10, {})).map((h) => h.chunk.id)).toEqual(["a:v:0"]);
        await index.optimize();
        expect(await unindexedRows(dir)).toBe(0);
        await commit(index, "b", ["The supplier shall indemnify the customer.", "A rent review happens every five years."]);
        expect(await unindexedRows(dir)).toBe(2);
        expect((await index.lexical("rent", 10, {})).map((h) => h.chunk.id).sort()).toEqual(["a:v:0", "b:v:1"]);
        expect((await index.lexical("indemnify", 10, {})).map((h) => h.chunk.id)).toEqual(["b:v:0"]);
        expect(await index.lexical("indemnify", 10, { matters: ["other"] })).toEqual([]);
      } finally {
        await index.dispose();
      }
    });
  }
});

describe("search hits (one read, text opened on demand)", () => {
  it("carry their text and section path from the search itself, and a sealed index opens only the ones read", async () => {
    const dir = tempDir("rag-hits-");
    const inner = new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32)));
    let opened = 0;
    const cipher = { keyId: inner.keyId, seal: (t: string) => inner.seal(t), open: (t: string) => (opened++, inner.open(t)), blindTerm: (t: string) => inner.blindTerm(t) };
    const index = await LanceIndex.open({ dir, cipher });
    try {
      await commit(index, "a", ["The tenant shall pay the rent monthly.", "Rent is due on the first day.", "The landlord repairs the roof."]);
      opened = 0;
      const hits = await index.lexical("rent", 10, {});
      expect(hits.map((h) => h.chunk.id).sort()).toEqual(["a:v:0", "a:v:1"]);
      expect(opened).toBe(0); // ranking reads ids, offsets and scores only
      const best = hits.find((h) => h.chunk.id === "a:v:0")!;
      expect([best.chunk.text, best.chunk.sectionPath]).toEqual(["The tenant shall pay the rent monthly.", []]);
      expect(opened).toBe(2); // that hit's text and section path, once each
      expect(best.chunk.text).toBe("The tenant shall pay the rent monthly.");
      expect(opened).toBe(2);
    } finally {
      await index.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("batched ingest (real LanceDB)", () => {
  it("a file is reported finished only once its batch is committed, and is searchable from then on", async () => {
    const root = tempDir("rag-batches-");
    writeNumberedContracts(root, 9);
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    try {
      const visibleAtFinish: boolean[] = [];
      const searches: Promise<{ expected: string; top: string | undefined }>[] = [];
      const subscription = rag.onDidIngestProgress.subscribe((e: IngestEvent) => {
        if (e.type !== "file-finished") return;
        visibleAtFinish.push(rag.documents().some((d) => d.id === e.outcome.documentId));
        // Searched while later batches are still being written, before any index upkeep.
        const n = Number(path.basename(e.outcome.file).slice(9, 11));
        searches.push(rag.search(`widget${n}`, { k: 3 }).then((hits) => ({ expected: `AGREEMENT ${n}`, top: hits[0]?.title })));
      });
      const report = await rag.ingest(["docs"], { matter: "m", batch: { maxDocuments: 3 } });
      subscription.unsubscribe();
      expect(report.added).toBe(9);
      expect(visibleAtFinish).toEqual(Array.from({ length: 9 }, () => true));
      const found = await Promise.all(searches);
      expect(found).toHaveLength(9);
      for (const { expected, top } of found) expect(top).toBe(expected);
    } finally {
      await rag.dispose();
    }
  });

  it("analyses a large document's search terms a slice at a time, the event loop turning between slices", async () => {
    const root = tempDir("rag-slices-");
    fs.mkdirSync(path.join(root, "docs"));
    // About 400 KB of clauses, each a few hundred characters (as the server's scrubbed upload test sends).
    const clause = (i: number): string => `${i}. The Lessee shall keep the premises numbered ${i} insured against fire and flood, and shall notify the Lessor in writing within ${i % 30} days of any claim made under clause ${i}.`;
    fs.writeFileSync(path.join(root, "docs", "large.txt"), Array.from({ length: 2_400 }, (_, i) => clause(i)).join("\n"));
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    // The units of text (heads and tails) each synchronous pack analysed.
    const packed: number[] = [];
    const original = LexicalAnalyser.prototype.pack;
    const pack = jest.spyOn(LexicalAnalyser.prototype, "pack").mockImplementation(function (this: LexicalAnalyser, heads, tails) {
      packed.push(heads.reduce((n, h, i) => n + h.length + tails[i]!.length, 0));
      return original.call(this, heads, tails);
    });
    try {
      const report = await rag.ingest(["docs"], { matter: "m" });
      expect(report.added).toBe(1);
      const units = packed.reduce((a, b) => a + b, 0);
      expect(units).toBeGreaterThan(400_000);
      // Without slices, one pack of the whole document (400k units: tens of ms on a cold main thread).
      expect(packed.length).toBeGreaterThanOrEqual(Math.ceil(units / SLICE_UNITS));
      expect(Math.max(...packed)).toBeLessThanOrEqual(SLICE_UNITS);
      expect((await rag.search("insured against fire, clause 1234", { k: 1 }))[0]?.text).toContain("numbered 1234 insured");
    } finally {
      pack.mockRestore();
      await rag.dispose();
    }
  });

  it("encodes each document's rows as it comes: one that cannot be encoded fails alone, the rest of its batch is committed whole", async () => {
    const root = tempDir("rag-batches-encode-");
    writeNumberedContracts(root, 5);
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    // The batch's encoder refuses contract 3's rows (as it would a document over Arrow's 2 GiB).
    const chunkBatch = LanceIndex.prototype.chunkBatch;
    const added: number[] = [];
    const spy = jest.spyOn(LanceIndex.prototype, "chunkBatch").mockImplementation(function (this: LanceIndex, ...args) {
      const batch = chunkBatch.apply(this, args);
      return {
        get rows() {
          return batch.rows;
        },
        add: (chunks, headers) => {
          if (chunks[0]?.text.includes("AGREEMENT 3")) throw new Error("cannot encode contract 3");
          batch.add(chunks, headers);
          added.push(chunks.length);
        },
        seal: () => batch.seal(),
      };
    });
    try {
      const report = await rag.ingest(["docs"], { matter: "m", batch: { maxDocuments: 5 } }).finally(() => spy.mockRestore());
      expect(report).toMatchObject({ added: 4, failed: 1 });
      expect(report.files.find((f) => f.status === "failed")).toMatchObject({ file: expect.stringContaining("contract-03"), error: { message: expect.stringContaining("cannot encode contract 3") } });
      expect(added).toHaveLength(4); // each document encoded on its own add
      expect(rag.documents().map((d) => d.title).sort()).toEqual(["AGREEMENT 0", "AGREEMENT 1", "AGREEMENT 2", "AGREEMENT 4"]);
      expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
      const rerun = await rag.ingest(["docs"], { matter: "m" });
      expect(rerun).toMatchObject({ unchanged: 4, added: 1, failed: 0 });
    } finally {
      await rag.dispose();
    }
  });

  it("each batch refills the column buffers of a batch written before it: the rows stored are those one batch of every file stores", async () => {
    const root = tempDir("rag-batches-reuse-");
    writeNumberedContracts(root, 9);
    // Files of different lengths: a batch is longer, then shorter, than the one whose buffers it refills.
    for (const [n, extra] of [[1, 60], [4, 2], [6, 30]] as const) {
      const file = path.join(root, "docs", `contract-0${n}.txt`);
      fs.appendFileSync(file, Array.from({ length: extra }, (_, j) => `${n}.${40 + j} An éxtra clause ${j} of contract ${n}, “quoted”.`).join("\n"));
    }
    const rowsOf = async (maxDocuments: number): Promise<string[]> => {
      const dir = path.join(root, `index-${maxDocuments}`);
      const rag = await RagEngine.open({ dir, root });
      try {
        expect(await rag.ingest(["docs"], { matter: "m", batch: { maxDocuments } })).toMatchObject({ added: 9, failed: 0 });
      } finally {
        await rag.dispose();
      }
      const lancedb = await import("@lancedb/lancedb");
      const db = await lancedb.connect(path.join(dir, "lance"));
      try {
        return (await (await db.openTable("chunks")).query().toArray()).map((r: Record<string, unknown>) => JSON.stringify(r)).sort();
      } finally {
        db.close();
      }
    };
    const reused = await rowsOf(2);
    expect(reused.length).toBeGreaterThan(100);
    expect(reused).toEqual(await rowsOf(100));
  });

  it("cancelling keeps the committed batches whole, writes nothing of the batch being filled, and a rerun finishes the job", async () => {
    const root = tempDir("rag-batches-cancel-");
    const dir = path.join(root, "index");
    writeNumberedContracts(root, 12);
    let rag = await RagEngine.open({ dir, root });
    const abort = new AbortController();
    const subscription = rag.onDidIngestProgress.subscribe((e) => e.type === "file-finished" && e.done === 3 && abort.abort());
    await expect(rag.ingest(["docs"], { matter: "m", signal: abort.signal, batch: { maxDocuments: 3 } })).rejects.toMatchObject({ name: "AbortError" });
    subscription.unsubscribe();
    const partial = rag.documents();
    expect(partial.length % 3).toBe(0);
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.length).toBeLessThan(12);
    expect(await rag.countChunks()).toBe(partial.reduce((s, d) => s + d.chunkCount, 0));
    await rag.dispose();
    rag = await RagEngine.open({ dir, root });
    try {
      const report = await rag.ingest(["docs"], { matter: "m" });
      expect(report).toMatchObject({ unchanged: partial.length, added: 12 - partial.length, failed: 0 });
      expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
    } finally {
      await rag.dispose();
    }
  });
});
