import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DiskCacheStore, TieredCache } from "@bear/core";
import { RagEngine } from "../src/rag-engine";
import { tempDir } from "./support/temp-dir";

const MSA = "MASTER SERVICES AGREEMENT\n\n12.3 Termination for Convenience. Either party may terminate this Agreement on ninety (90) days' prior written notice.\n";
const LEASE = "LEASE AGREEMENT\n\n7. Rent. The tenant shall pay rent monthly in advance.\n";
const NDA = "NON-DISCLOSURE AGREEMENT\n\n9. Termination. This agreement may be terminated by either party on thirty (30) days' written notice.\n";

describe("RagEngine search cache (real LanceDB)", () => {
  const root = tempDir("rag-search-cache-");
  const docs = path.join(root, "docs");
  const secret = randomBytes(32);
  const newCache = () => new TieredCache({ secret, maxMemoryBytes: 1 << 20, store: new DiskCacheStore({ dir: path.join(root, "cache"), maxBytes: 1 << 22 }) });
  const cache = newCache();
  let rag: RagEngine;

  beforeAll(async () => {
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, "msa.txt"), MSA);
    fs.writeFileSync(path.join(docs, "lease.txt"), LEASE);
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, cache });
    await rag.ingest([docs], { matter: "m1" });
    // The document resolver of named-document search (built in the background by a first search
    // otherwise): which document a query names is part of a search's key.
    await rag.resolveDocuments(["lease"]);
  });
  afterAll(async () => {
    await rag.dispose();
    await cache.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const searchStats = async () => (await cache.stats()).kinds.search;

  it("a repeat made once the resolver is built still hits when the query names no document", async () => {
    // A commit makes the resolver stale: the first search after it runs before the new build is ready.
    fs.writeFileSync(path.join(docs, "sow.txt"), "STATEMENT OF WORK\n\n1. The supplier delivers the reports monthly.\n");
    await rag.ingest([path.join(docs, "sow.txt")], { matter: "m1" });
    const first = await rag.search("rent escalation", { k: 3 });
    await rag.resolveDocuments(["statement of work"]);
    const before = await searchStats();
    expect(await rag.search("rent escalation", { k: 3 })).toEqual(first);
    expect((await searchStats()).l1Hits).toBe(before.l1Hits + 1);
  });

  it("answers a repeated search from the cache, with the same hits", async () => {
    const first = await rag.search("termination notice", { k: 5 });
    const before = await searchStats();
    const second = await rag.search("termination notice", { k: 5 });
    expect(second).toEqual(first);
    expect((await searchStats()).l1Hits).toBe(before.l1Hits + 1);
    // Other options are another key.
    await rag.search("termination notice", { k: 4 });
    expect((await searchStats()).misses).toBe(before.misses + 1);
  });

  it("a commit invalidates cached results: the new document is found at once", async () => {
    const before = await rag.search("termination notice", { k: 5 });
    expect(before.map((h) => path.basename(h.source))).not.toContain("nda.txt");
    fs.writeFileSync(path.join(docs, "nda.txt"), NDA);
    await rag.ingest([path.join(docs, "nda.txt")], { matter: "m1" });
    const after = await rag.search("termination notice", { k: 5 });
    expect(after.map((h) => path.basename(h.source))).toContain("nda.txt");
  });

  it("a delete invalidates cached results", async () => {
    const hits = await rag.search("rent monthly", { k: 5 });
    const lease = hits.find((h) => path.basename(h.source) === "lease.txt")!;
    expect(lease).toBeDefined();
    await rag.delete(lease.documentId);
    expect((await rag.search("rent monthly", { k: 5 })).some((h) => h.documentId === lease.documentId)).toBe(false);
  });

  it("another process's commit to the same index invalidates this one's cached results", async () => {
    await rag.search("confidential information", { k: 5 });
    const otherCache = newCache();
    const other = await RagEngine.open({ dir: path.join(root, "index"), root, cache: otherCache });
    try {
      fs.writeFileSync(path.join(docs, "conf.txt"), "CONFIDENTIALITY UNDERTAKING\n\n1. The recipient keeps all confidential information secret.\n");
      await other.ingest([path.join(docs, "conf.txt")], { matter: "m1" });
    } finally {
      await other.dispose();
      await otherCache.dispose();
    }
    expect((await rag.search("confidential information", { k: 5 })).map((h) => path.basename(h.source))).toContain("conf.txt");
  });

  it("an index folder removed and made again (its table versions start over) never answers from the old one's cached results", async () => {
    const dir = path.join(root, "rebuilt");
    const shared = newCache();
    const ingestOne = async (file: string, text: string): Promise<RagEngine> => {
      fs.rmSync(dir, { recursive: true, force: true });
      const folder = path.join(root, `rebuilt-${file}`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, file), text);
      const engine = await RagEngine.open({ dir, root, cache: shared });
      await engine.ingest([folder], { matter: "m1" });
      return engine;
    };
    try {
      const first = await ingestOne("lease.txt", LEASE);
      expect((await first.search("rent monthly notice", { k: 5, mode: "lexical" })).map((h) => path.basename(h.source))).toEqual(["lease.txt"]);
      await first.dispose();
      // The same steps on a new folder: the same LanceDB versions, another document.
      const second = await ingestOne("nda.txt", NDA);
      try {
        expect((await second.search("rent monthly notice", { k: 5, mode: "lexical" })).map((h) => path.basename(h.source))).toEqual(["nda.txt"]);
      } finally {
        await second.dispose();
      }
    } finally {
      await shared.dispose();
    }
  });

  it("keys results by the permitted matters: one matter's cached hits never answer another's search", async () => {
    const all = await rag.search("termination notice", { k: 5 });
    expect(all.length).toBeGreaterThan(0);
    expect(await rag.search("termination notice", { k: 5, allowedMatters: ["m2"] })).toEqual([]);
  });
});
