// A lexical search whose words clearly name one document takes one store query inside it
// (namedDocumentSearch) instead of a query over every passage and a second inside the documents
// found; it falls back to the two queries whenever the one cannot answer alone. Real LanceDB.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { NamingIndex } from "../src/answer/naming-index";
import { LanceIndex } from "../src/store/lance-index";
import { GatedTexts } from "./support/gated-texts";
import { tempDir } from "./support/temp-dir";

const filler = (topic: string): string =>
  Array.from({ length: 10 }, (_, i) => `ARTICLE ${i + 1} GENERAL\n${i + 1}.1 The parties shall cooperate in good faith on ${topic} item ${i} and keep records of the work performed.`).join("\n\n");

const SUPPLY = `SUPPLY AGREEMENT

This Supply Agreement is made between Orion Widgets Inc. ("Supplier"), and Helix Foods Ltd. ("Buyer").

${filler("supply")}

ARTICLE 11 GOVERNING LAW
11.1 This Agreement is governed by the laws of England and Wales.

IN WITNESS WHEREOF the parties have signed.
Orion Widgets Inc. By: ____
Helix Foods Ltd. By: ____`;

const LEASE = `LEASE AGREEMENT

This Lease is made between Zephyr Estates LLC ("Landlord"), and Quill Retail Corp. ("Tenant").

${filler("premises")}

ARTICLE 11 GOVERNING LAW
11.1 This Lease is governed by the laws of the State of Delaware.`;

const QUERY = "Consider the Supply Agreement between Orion Widgets Inc. and Helix Foods Ltd.; which law governs this contract?";

describe("namedDocumentSearch (real LanceDB)", () => {
  const root = tempDir("rag-named-");
  const corpus = path.join(root, "contracts");
  let rag: RagEngine;
  let twoPass: RagEngine;
  let storeQueries: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    fs.mkdirSync(corpus, { recursive: true });
    fs.writeFileSync(path.join(corpus, "orion-supply.txt"), SUPPLY);
    fs.writeFileSync(path.join(corpus, "zephyr-lease.txt"), LEASE);
    rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    await rag.ingest([corpus], { matter: "m" });
    twoPass = await RagEngine.open({ dir: path.join(root, "index"), root, namedDocumentSearch: false, engineCache: { memoryMb: 0, diskMb: 0 } });
    // Counts the store's BM25 queries; each call goes through to LanceDB.
    storeQueries = jest.spyOn(LanceIndex.prototype, "lexical");
  });

  it("takes the two passes, with their ranking, until the resolver is built, and builds it in the background", async () => {
    storeQueries.mockClear();
    const first = await rag.search(QUERY, { k: 3 });
    expect(storeQueries).toHaveBeenCalledTimes(2);
    expect(first.map((h) => h.chunkId)).toEqual((await twoPass.search(QUERY, { k: 3 })).map((h) => h.chunkId));
    // resolveDocuments waits for the same build (the background one the search started).
    await rag.resolveDocuments(["Orion"]);
  });
  afterAll(async () => {
    storeQueries.mockRestore();
    await twoPass.dispose();
    await rag.dispose();
  });

  const idOf = (file: string): string => rag.documents().find((d) => d.source.endsWith(file))!.id;

  it("ranks the named document's clause on the topic first, in one store query", async () => {
    storeQueries.mockClear();
    const hits = await rag.search(QUERY, { k: 3 });
    expect(storeQueries).toHaveBeenCalledTimes(1);
    expect(hits[0]?.text).toContain("laws of England and Wales");
    expect(hits.every((h) => h.documentId === idOf("orion-supply.txt"))).toBe(true);
    // The two queries rank the same clause first.
    storeQueries.mockClear();
    const [top] = await twoPass.search(QUERY, { k: 3 });
    expect(storeQueries).toHaveBeenCalledTimes(2);
    expect(top?.chunkId).toBe(hits[0]?.chunkId);
  });

  it("runs the two queries when the filter leaves the named document out", async () => {
    storeQueries.mockClear();
    const hits = await rag.search(QUERY, { k: 3, filter: { documentIds: [idOf("zephyr-lease.txt")] } });
    expect(storeQueries.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.documentId === idOf("zephyr-lease.txt"))).toBe(true);
  });

  it("falls back to the two queries when the named document holds fewer than k passages on the topic", async () => {
    storeQueries.mockClear();
    const hits = await rag.search(QUERY, { k: 40 });
    expect(storeQueries.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(hits.some((h) => h.documentId === idOf("zephyr-lease.txt"))).toBe(true);
    expect(hits[0]?.documentId).toBe(idOf("orion-supply.txt"));
  });

  it("searches every passage once when the words name no document", async () => {
    storeQueries.mockClear();
    const hits = await rag.search("governing law", { k: 4 });
    expect(storeQueries).toHaveBeenCalledTimes(1);
    expect(new Set(hits.map((h) => h.documentId)).size).toBe(2);
  });

  it("sees a document committed after the first search (the resolver follows the index version)", async () => {
    const more = path.join(root, "more");
    fs.mkdirSync(more);
    fs.writeFileSync(path.join(more, "vesper-licence.txt"), SUPPLY.replaceAll("Orion Widgets Inc.", "Vesper Optics GmbH").replaceAll("England and Wales", "Germany"));
    await rag.ingest([more], { matter: "m" });
    const vesper = QUERY.replaceAll("Orion Widgets Inc.", "Vesper Optics GmbH");
    storeQueries.mockClear();
    await rag.search(vesper, { k: 4 }); // the resolver of the new set of documents is not built yet
    expect(storeQueries).toHaveBeenCalledTimes(2);
    await rag.resolveDocuments(["Vesper"]);
    storeQueries.mockClear();
    const [top] = await rag.search(vesper, { k: 3 });
    expect(storeQueries).toHaveBeenCalledTimes(1);
    expect(top?.documentId).toBe(idOf("vesper-licence.txt"));
    expect(top?.text).toContain("laws of Germany");
  });
});

describe("the resolver's background build", () => {
  const root = tempDir("rag-named-dispose-");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("runs one build at a time: searches after new commits while a build runs start no other", async () => {
    const corpus = path.join(root, "one-at-a-time");
    fs.mkdirSync(corpus, { recursive: true });
    fs.writeFileSync(path.join(corpus, "zephyr-lease.txt"), LEASE);
    const rag = await RagEngine.open({ dir: path.join(root, "one-at-a-time-index"), root });
    await rag.ingest([corpus], { matter: "m" });
    const gated = new GatedTexts();
    try {
      await rag.search("Zephyr Estates governing law", { k: 3 }); // starts the build, held after its first text
      for (let i = 0; i < 3; i++) {
        fs.writeFileSync(path.join(corpus, `lease-${i}.txt`), LEASE.replaceAll("Zephyr", `Nadir${i}`));
        await rag.ingest([path.join(corpus, `lease-${i}.txt`)], { matter: "m" });
        await rag.search(`Nadir${i} Estates governing law`, { k: 3 });
      }
      expect(gated.texts).toHaveBeenCalledTimes(1);
      gated.release();
      // A caller that needs the newest set waits for the running build, then builds it.
      expect(await rag.resolveDocuments(["Nadir2"])).toEqual([idOfIn(rag, "lease-2.txt")]);
      expect(gated.texts).toHaveBeenCalledTimes(2);
    } finally {
      gated.texts.mockRestore();
      await rag.dispose();
    }
  });

  it("dispose drops the resolver and its vocabulary (words of every plaintext)", async () => {
    const corpus = path.join(root, "dispose");
    fs.mkdirSync(corpus, { recursive: true });
    fs.writeFileSync(path.join(corpus, "zephyr-lease.txt"), LEASE);
    const rag = await RagEngine.open({ dir: path.join(root, "dispose-index"), root });
    const update = jest.spyOn(NamingIndex.prototype, "update");
    try {
      await rag.ingest([corpus], { matter: "m" });
      expect(await rag.resolveDocuments(["Zephyr"])).toHaveLength(1);
      const naming = update.mock.contexts[0] as NamingIndex;
      expect(naming.heldWords).toBeGreaterThan(10);
      await rag.dispose();
      expect({ size: naming.size, words: naming.heldWords }).toEqual({ size: 0, words: 0 });
    } finally {
      update.mockRestore();
      await rag.dispose();
    }
  });

  it("after a commit reads only the new versions' texts, and resolves as an engine built afresh", async () => {
    const corpus = path.join(root, "incremental");
    fs.mkdirSync(corpus, { recursive: true });
    const lease = (i: number, law = "Delaware"): string => LEASE.replaceAll("Zephyr", `Zephyr${i}`).replaceAll("Delaware", law);
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(corpus, `lease-${i}.txt`), lease(i));
    const dir = path.join(root, "incremental-index");
    const rag = await RagEngine.open({ dir, root });
    const gated = new GatedTexts();
    gated.release();
    try {
      await rag.ingest([corpus], { matter: "m" });
      await rag.resolveDocuments(["Zephyr1"]);
      expect(gated.read).toBe(6);
      // Two new documents, one changed (a new version), one deleted.
      for (const i of [6, 7]) fs.writeFileSync(path.join(corpus, `lease-${i}.txt`), lease(i));
      fs.writeFileSync(path.join(corpus, "lease-2.txt"), lease(2, "Ontario Quillfeather"));
      await rag.ingest([corpus], { matter: "m" });
      await rag.delete(idOfIn(rag, "lease-3.txt")!);
      gated.read = 0;
      const references = ["Zephyr7", "Zephyr3", "Quillfeather", "Delaware", "Zephyr2 lease", "Estates"];
      const incremental = await Promise.all(references.map((r) => rag.resolveDocuments([r]).catch((e: Error) => e.name)));
      expect(gated.read).toBe(3);
      const fresh = await RagEngine.open({ dir, root });
      const full = await Promise.all(references.map((r) => fresh.resolveDocuments([r]).catch((e: Error) => e.name)));
      expect(gated.read).toBe(3 + 7);
      await fresh.dispose();
      expect(incremental).toEqual(full);
      expect(incremental[0]).toEqual([idOfIn(rag, "lease-7.txt")]);
      expect(incremental[1]).toBe("DocumentReferenceError");
      expect(incremental[2]).toEqual([idOfIn(rag, "lease-2.txt")]);
    } finally {
      gated.texts.mockRestore();
      await rag.dispose();
    }
  });

  it("fails a build stopped by dispose, so no resolver of the texts read so far is kept or returned", async () => {
    const corpus = path.join(root, "stopped");
    fs.mkdirSync(corpus, { recursive: true });
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(corpus, `lease-${i}.txt`), LEASE.replaceAll("Zephyr", `Zephyr${i}`));
    const rag = await RagEngine.open({ dir: path.join(root, "stopped-index"), root });
    await rag.ingest([corpus], { matter: "m" });
    const gated = new GatedTexts();
    try {
      const resolving = rag.resolveDocuments(["Zephyr3"]);
      resolving.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closing = rag.dispose();
      gated.release();
      await closing;
      await expect(resolving).rejects.toMatchObject({ name: "DisposedError" });
      expect(gated.read).toBeLessThanOrEqual(2);
    } finally {
      gated.texts.mockRestore();
    }
  });

  it("fails resolveDocuments when the engine is disposed while it waits, even if the build it waited for ends", async () => {
    const corpus = path.join(root, "disposed-wait");
    fs.mkdirSync(corpus, { recursive: true });
    fs.writeFileSync(path.join(corpus, "zephyr-lease.txt"), LEASE);
    const rag = await RagEngine.open({ dir: path.join(root, "disposed-wait-index"), root });
    await rag.ingest([corpus], { matter: "m" });
    const gated = new GatedTexts();
    try {
      const resolving = rag.resolveDocuments(["Zephyr"]);
      resolving.catch(() => undefined);
      while (gated.firstId === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      // The only text is read: released, the build ends without another read that would see the dispose.
      const closing = rag.dispose();
      gated.release();
      await closing;
      await expect(resolving).rejects.toMatchObject({ name: "DisposedError" });
    } finally {
      gated.texts.mockRestore();
    }
  });

  it("stops when the engine is disposed (a one-shot search does not read every text on its way out)", async () => {
    const corpus = path.join(root, "contracts");
    fs.mkdirSync(corpus, { recursive: true });
    // More documents than one store read of texts holds (64).
    for (let i = 0; i < 80; i++) fs.writeFileSync(path.join(corpus, `lease-${i}.txt`), LEASE.replaceAll("Zephyr", `Zephyr${i}`));
    const dir = path.join(root, "index");
    const writer = await RagEngine.open({ dir, root });
    await writer.ingest([corpus], { matter: "m" });
    await writer.dispose();
    const gated = new GatedTexts();
    try {
      const rag = await RagEngine.open({ dir, root });
      await rag.search("Zephyr7 Estates governing law", { k: 3 }); // starts the build
      const closing = rag.dispose();
      gated.release();
      await closing;
      expect(gated.texts).toHaveBeenCalledTimes(1);
      expect(gated.read).toBeGreaterThan(0);
      expect(gated.read).toBeLessThanOrEqual(2);
      // An engine that is not disposed reads them all.
      gated.read = 0;
      const kept = await RagEngine.open({ dir, root });
      await kept.resolveDocuments(["Zephyr7"]);
      expect(gated.read).toBe(80);
      await kept.dispose();
    } finally {
      gated.texts.mockRestore();
    }
  });
});

function idOfIn(rag: RagEngine, file: string): string | undefined {
  return rag.documents().find((d) => d.source.endsWith(file))?.id;
}

describe("the second pass of a search that names no document", () => {
  const root = tempDir("rag-generic-names-");
  const corpus = path.join(root, "contracts");
  let rag: RagEngine;
  let storeQueries: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    fs.mkdirSync(corpus, { recursive: true });
    // Every file name holds "agreement", as a data room's often do.
    fs.writeFileSync(path.join(corpus, "orion-supply-agreement.txt"), SUPPLY);
    fs.writeFileSync(path.join(corpus, "zephyr-lease-agreement.txt"), LEASE);
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, namedDocumentSearch: false, engineCache: { memoryMb: 0, diskMb: 0 } });
    await rag.ingest([corpus], { matter: "m" });
    storeQueries = jest.spyOn(LanceIndex.prototype, "lexical");
  });
  afterAll(async () => {
    storeQueries.mockRestore();
    await rag.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("is skipped when the only words naming the documents found are ones every contract uses", async () => {
    storeQueries.mockClear();
    const hits = await rag.search("which law governs this agreement", { k: 4 });
    expect(storeQueries).toHaveBeenCalledTimes(1);
    expect(hits.length).toBe(4);
    expect(hits.slice(0, 2).map((h) => h.text).join(" ")).toMatch(/governed by the laws/);
  });

  it("still runs when a word that can name a document names them", async () => {
    storeQueries.mockClear();
    await rag.search("which law governs the supply agreement", { k: 4 });
    expect(storeQueries).toHaveBeenCalledTimes(2);
    expect(storeQueries.mock.calls[1]![0]).toBe("law governs");
  });
});
