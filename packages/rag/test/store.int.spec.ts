import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnnxEmbedder } from "../src/embedding/onnx-embedder";
import { LanceIndex, type SearchView } from "../src/store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../src/store/records";
import { shared } from "./fixtures";
import { tempDir } from "./support/temp-dir";

describe("LanceIndex (real LanceDB)", () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.load({ modelDir: path.join(shared(), "models/model2vec-vq128-bge-base/onnx") });
  });
  afterAll(async () => embedder.dispose());

  it("refuses an index in a newer on-disk format with a typed error, and opens it again once the format is known", async () => {
    // Review rev-a #10: releases before the check read any manifest, so a layout they do not know was misread, not refused.
    const dir = tempDir("rag-store-format-");
    const manifest = path.join(dir, "rag-index.json");
    await (await LanceIndex.open({ dir })).dispose();
    const written = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, unknown>;
    expect(written.format).toBe(1);
    for (const format of [2, 0, "1", 1.5]) {
      fs.writeFileSync(manifest, JSON.stringify({ ...written, format }));
      await expect(LanceIndex.open({ dir })).rejects.toMatchObject({ code: "RAG_INDEX_FORMAT_UNKNOWN" });
    }
    fs.writeFileSync(manifest, JSON.stringify(written));
    await (await LanceIndex.open({ dir })).dispose();
  });

  it("keeps an id in its manifest: the same on every open, new for a folder made again, added once to a manifest written before ids", async () => {
    const dir = tempDir("rag-store-id-");
    const manifest = path.join(dir, "rag-index.json");
    const idOf = async (): Promise<string> => {
      const index = await LanceIndex.open({ dir });
      await index.dispose();
      return index.instanceId;
    };
    const first = await idOf();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await idOf()).toBe(first);
    fs.rmSync(dir, { recursive: true, force: true });
    const remade = await idOf();
    expect(remade).not.toBe(first);
    const { id: _id, ...older } = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(manifest, JSON.stringify(older));
    const added = await idOf();
    expect(added).not.toBe(remade);
    expect(JSON.parse(fs.readFileSync(manifest, "utf8"))).toMatchObject({ ...older, id: added });
    expect(await idOf()).toBe(added);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("reads a search's chunks as of its view: rows committed after the view are not read through it, a newer view reads them", async () => {
    const dir = tempDir("rag-store-view-");
    const index = await LanceIndex.open({ dir });
    const commit = async (id: string, text: string): Promise<void> => {
      await index.writeChunks([{ id: `${id}:v:0`, documentId: id, version: "v", matter: "m", docType: "text", text, start: 0, end: text.length, page: 1, sectionPath: [], ordinal: 0 }]);
      const doc: DocumentRecord = {
        id, version: "v", matter: "m", source: `/${id}`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: text.length, chars: text.length,
        chunkCount: 1, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false,
      };
      await index.commitDocument(doc, text, [0], false);
    };
    const ids = async (view?: Awaited<ReturnType<LanceIndex["searchView"]>>): Promise<string[]> => (await index.lexical("rent payment", 10, {}, view)).map((h) => h.chunk.documentId).sort();
    try {
      await commit("a", "The tenant shall make each rent payment on the first day of the month.");
      const before = await index.searchView();
      await commit("b", "A late rent payment bears interest at two percent.");
      expect(await ids(before)).toEqual(["a"]);
      expect(await ids()).toEqual(["a", "b"]);
      const after = await index.searchView();
      expect(after.version).not.toBe(before.version);
      expect(await ids(after)).toEqual(["a", "b"]);
      // the older view stays readable while a search holds it
      expect(await ids(before)).toEqual(["a"]);
    } finally {
      await index.dispose();
    }
  });

  describe("search views of older chunk versions", () => {
    const commitTo = (index: LanceIndex) => async (id: string, text: string): Promise<void> => {
      await index.writeChunks([{ id: `${id}:v:0`, documentId: id, version: "v", matter: "m", docType: "text", text, start: 0, end: text.length, page: 1, sectionPath: [], ordinal: 0 }]);
      const doc: DocumentRecord = {
        id, version: "v", matter: "m", source: `/${id}`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: text.length, chars: text.length,
        chunkCount: 1, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false,
      };
      await index.commitDocument(doc, text, [0], false);
    };

    it("are closed once a newer version replaced them and no search holds them (not left to the garbage collector)", async () => {
      const index = await LanceIndex.open({ dir: tempDir("rag-store-view-close-") });
      const commit = commitTo(index);
      try {
        await commit("a", "The tenant shall make each rent payment on the first day of the month.");
        const held = await index.searchView();
        const idle = await index.searchView();
        expect(idle.chunks).toBe(held.chunks); // one handle per version
        idle.release();
        await commit("b", "A late rent payment bears interest at two percent.");
        const newer = await index.searchView();
        expect(newer.chunks).not.toBe(held.chunks);
        // a search still reading the older version keeps it open and reads it
        expect(held.chunks.isOpen()).toBe(true);
        expect((await index.lexical("rent payment", 10, {}, held)).map((h) => h.chunk.documentId)).toEqual(["a"]);
        held.release();
        held.release(); // giving a view back twice counts once
        expect(held.chunks.isOpen()).toBe(false);
        newer.release();
        expect(newer.chunks.isOpen()).toBe(true); // the newest stays checked out for the next search
        expect((await index.searchView()).chunks).toBe(newer.chunks);
      } finally {
        await index.dispose();
      }
    });

    it("leave only the newest version open after searches that overlap commits end", async () => {
      const index = await LanceIndex.open({ dir: tempDir("rag-store-view-overlap-") });
      const commit = commitTo(index);
      const views: SearchView[] = [];
      // A search as the engine runs one: take a view, read through it (twice, with a pause), give it back.
      const search = async (pause: number): Promise<void> => {
        const view = await index.searchView();
        views.push(view);
        try {
          await index.lexical("rent payment", 5, {}, view);
          await new Promise((resolve) => setTimeout(resolve, pause));
          await index.lexical("late payment", 5, {}, view);
        } finally {
          view.release();
        }
      };
      try {
        await commit("d0", "The tenant shall make each rent payment on the first day of the month.");
        const running: Promise<void>[] = [];
        for (let i = 1; i <= 6; i++) {
          running.push(search((i * 7) % 13), search((i * 5) % 11));
          await commit(`d${i}`, `Rent payment ${i} is late after ten days and bears interest.`);
        }
        await Promise.all(running);
        const latest = await index.searchView();
        latest.release();
        const open = [...new Set(views.map((v) => v.chunks))].filter((t) => t.isOpen());
        expect(new Set(views.map((v) => v.chunks)).size).toBeGreaterThan(3);
        // A search that asks for a version older than the one pinned reads the index's own latest table (open for the
        // index's life): every table still open must be at the newest version, whichever handle it is.
        const newest = await latest.chunks.version();
        const stale: number[] = [];
        for (const table of open) if (table !== latest.chunks && (await table.version()) !== newest) stale.push(await table.version());
        expect(stale).toEqual([]);
      } finally {
        await index.dispose();
      }
    });

    it("read the latest version when theirs was removed meanwhile (another process's optimize pruned it)", async () => {
      const dir = tempDir("rag-store-view-pruned-");
      const index = await LanceIndex.open({ dir });
      const commit = commitTo(index);
      const lancedb = await import("@lancedb/lancedb");
      const other = await lancedb.connect(path.join(dir, "lance"));
      try {
        await commit("a", "The tenant shall make each rent payment on the first day of the month.");
        const view = await index.searchView();
        await commit("b", "A late rent payment bears interest at two percent.");
        // Another process compacts the table and removes every version but the latest (as optimize() does
        // with versions older than a minute): the view's data files are gone.
        const chunks = await other.openTable("chunks");
        await chunks.optimize({ cleanupOlderThan: new Date(Date.now() + 60_000) });
        expect((await chunks.listVersions()).map((v) => v.version)).not.toContain(await view.chunks.version());
        const hits = await index.lexical("rent payment", 10, {}, view);
        expect(hits.map((h) => h.chunk.documentId).sort()).toEqual(["a", "b"]);
        view.release();
        // the next view is of the latest version and reads it
        const next = await index.searchView();
        expect((await index.lexical("rent payment", 10, {}, next)).map((h) => h.chunk.documentId).sort()).toEqual(["a", "b"]);
        next.release();
      } finally {
        other.close();
        await index.dispose();
      }
    });
  });

  it("keeps each chunk's row id when an upkeep compacts indexed rows, so LanceDB does not rewrite the indices (stable row ids)", async () => {
    // With row addresses, compacting indexed fragments remaps every index, loading each full-text partition whole
    // (the memory peak of a 1 GB ingest's last upkeep). A row's id is then its address, which compaction changes.
    const dir = tempDir("rag-store-stable-ids-");
    const index = await LanceIndex.open({ dir });
    const lancedb = await import("@lancedb/lancedb");
    const other = await lancedb.connect(path.join(dir, "lance"));
    try {
      const words = ["tenant", "supplier", "licensee", "buyer", "lender"];
      for (let i = 0; i < 30; i++) {
        const id = `doc${i}`;
        const text = `Clause ${i}: the ${words[i % words.length]} shall give notice ${i} of termination.`;
        // One small fragment per document, as ingests of a few files at a time leave them.
        await index.writeChunks([{ id: `${id}:v:0`, documentId: id, version: "v", matter: "m", docType: "text", text, start: 0, end: text.length, page: 1, sectionPath: [], ordinal: 0 }]);
        await index.commitDocument({ id, version: "v", matter: "m", source: `/${id}`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: text.length, chars: text.length, chunkCount: 1, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false }, text, [0], false);
      }
      const chunks = await other.openTable("chunks");
      const rowIds = async (): Promise<Record<string, bigint>> => {
        await chunks.checkoutLatest();
        return Object.fromEntries((await chunks.query().select(["documentId"]).withRowId().toArray()).map((r: { documentId: string; _rowid: bigint }) => [r.documentId, r._rowid]));
      };
      const fragments = async (): Promise<number> => {
        await chunks.checkoutLatest();
        return (await chunks.stats()).fragmentStats.numFragments;
      };
      const before = await rowIds();
      expect(await fragments()).toBe(30);
      // The first upkeep builds the indices over the 30 fragments, then compacts them (24 or more small fragments).
      await index.optimize();
      expect(await fragments()).toBe(1);
      expect(await index.indexedColumns()).toEqual(expect.arrayContaining(["searchText", "documentId", "matter", "docType"]));
      expect(await rowIds()).toEqual(before);
      // The compacted rows are still indexed: no query falls back to scanning them.
      for (const i of await chunks.listIndices()) expect(await chunks.indexStats(i.name)).toMatchObject({ numIndexedRows: 30, numUnindexedRows: 0 });
      // Search reads the compacted rows through the indices built before the compaction.
      const hits = await index.lexical("licensee termination notice", 5, { documentIds: ["doc7"] });
      expect(hits.map((h) => h.chunk.documentId)).toEqual(["doc7"]);
    } finally {
      other.close();
      await index.dispose();
    }
  });

  it("builds the full-text index and, past the threshold, an ANN vector index that still finds the nearest chunk", async () => {
    const dir = tempDir("rag-store-");
    const index = await LanceIndex.open({ dir, embedder, vectorIndexThreshold: 256 });
    try {
      const texts = Array.from({ length: 600 }, (_, i) => `Clause ${i}: the ${["tenant", "supplier", "licensee", "buyer"][i % 4]} shall pay ${i} dollars on day ${i % 28}.`);
      texts[123] = "The court dismissed the appeal for lack of jurisdiction.";
      const vectors = await embedder.embed(texts);
      const chunks: ChunkRecord[] = texts.map((text, i) => ({
        id: `d:v:${i}`, documentId: "d", version: "v", matter: "m", docType: "text", text, start: i * 100, end: i * 100 + text.length, page: 1, sectionPath: [], ordinal: i, vector: vectors[i]!,
      }));
      await index.writeChunks(chunks);
      const doc: DocumentRecord = {
        id: "d", version: "v", matter: "m", source: "/x", title: "t", type: "text", pageCount: 1, contentHash: "h", bytes: 1, chars: 1,
        chunkCount: 600, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false,
      };
      await index.commitDocument(doc, "", [0], false);
      await index.optimize();
      expect(await index.indexedColumns()).toEqual(expect.arrayContaining(["searchText", "vector"]));
      const [query] = await embedder.embed(["The court dismissed the appeal for lack of jurisdiction."]);
      const hits = await index.vector(query!, 5, { matters: ["m"] });
      expect(hits.map((h) => h.chunk.ordinal)).toContain(123);
      expect((await index.lexical("jurisdiction appeal", 3, {}))[0]?.chunk.ordinal).toBe(123);
      expect(await index.lexical("jurisdiction appeal", 3, { matters: ["other"] })).toEqual([]);
    } finally {
      await index.dispose();
    }
  });
});
