import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { DataKeyring, KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { IngestPipeline } from "../src/ingest/ingest-pipeline";
import { RagEngine, type RagEngineOptions } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";
import { startUntil, type RunningChild } from "./support/child-process";
import { writeNumberedContracts } from "./support/numbered-contracts";
import { tempDir } from "./support/temp-dir";

type Keys = (root: string) => Pick<RagEngineOptions, "cipher" | "keyring">;
const plain: Keys = () => ({});
const sealed: Keys = (root) => {
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  return { cipher: new KeyedContentCipher(kek), keyring: new DataKeyring({ dir: path.join(root, "data-keys"), kek }) };
};

/** Where the delete races the ingest: at the batch's commit (its chunks encoded, under the document's key when sealed), or while the changed file is prepared (after the ingest looked its document up). */
type RaceStep = "commit" | "prepare";

/**
 * Ingests two contracts, changes contract 1, and re-ingests it while `race` deletes it from the same
 * engine at `step`: `race` gets the delete and the step's work (the batch's write, or preparing the
 * file), and runs them in the order it tests.
 */
async function withRacingDelete(keys: Keys, race: (del: () => Promise<void>, work: () => Promise<void>) => Promise<void>, check: (rag: RagEngine, id: string, report: Awaited<ReturnType<RagEngine["ingest"]>>) => Promise<void>, step: RaceStep = "commit"): Promise<void> {
  const root = tempDir("delete-race-");
  writeNumberedContracts(root, 2);
  const rag = await RagEngine.open({ dir: path.join(root, "index"), root, ...keys(root) });
  try {
    await rag.ingest(["docs"], { matter: "m" });
    const { id } = rag.documents().find((d) => d.title === "AGREEMENT 1")!;
    fs.appendFileSync(path.join(root, "docs", "contract-01.txt"), "\n41 An amended clause.\n");
    // The step's method, run by `race` (only contract 1 changed: it is the one file prepared).
    const target = (step === "commit" ? LanceIndex.prototype : IngestPipeline.prototype) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const method = step === "commit" ? "commitBatch" : "prepare";
    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
    const spy = jest.spyOn(target, method).mockImplementation(async function (this: unknown, ...args: unknown[]) {
      let result: Promise<unknown> = Promise.resolve([]);
      await race(
        () => rag.delete(id),
        () => (result = original.apply(this, args)).then(() => undefined),
      );
      return result;
    });
    const report = await rag.ingest(["docs"], { matter: "m" }).finally(() => spy.mockRestore());
    await check(rag, id, report);
  } finally {
    await rag.dispose();
  }
}

/** Every stored chunk belongs to a visible document, and each visible document has all of its chunks. */
async function expectWhole(rag: RagEngine): Promise<void> {
  await rag.refresh();
  expect(await rag.countChunks()).toBe(rag.documents().reduce((s, d) => s + d.chunkCount, 0));
}

describe("a delete racing an ingest in the same engine", () => {
  // "prepare": deleted while its changed file is prepared, before its batch is sealed (it used to be added back, "updated").
  it.each([
    ["plain", plain, "commit"],
    ["sealed under per-document keys", sealed, "commit"],
    ["plain", plain, "prepare"],
    ["sealed under per-document keys", sealed, "prepare"],
  ] as const)("%s: a document deleted at its file's %s step (after the ingest looked it up) is not committed (RAG_DOCUMENT_DELETED), and a rerun adds it whole", async (_, keys, step) => {
    await withRacingDelete(
      keys,
      async (del, work) => {
        await del();
        await work();
      },
      async (rag, id, report) => {
        expect(report.files.find((f) => f.file.endsWith("contract-01.txt"))).toMatchObject({ status: "failed", error: { code: "RAG_DOCUMENT_DELETED" } });
        expect(report.updated).toBe(0);
        expect(rag.documents().map((d) => d.id)).not.toContain(id);
        await expectWhole(rag);
        const rerun = await rag.ingest(["docs"], { matter: "m" });
        expect({ added: rerun.added, unchanged: rerun.unchanged }).toEqual({ added: 1, unchanged: 1 });
        await expectWhole(rag);
        // its chunks open (sealed: under the document's new key) and are found
        const hits = await rag.search("widget1 amended clause", { k: 3, mode: "lexical" });
        expect(hits.some((h) => h.documentId === id)).toBe(true);
      },
      step,
    );
  }, 120_000);

  it("a delete issued while the batch's write is queued lands before or after its chunk write and commit, never between them", async () => {
    await withRacingDelete(
      plain,
      async (del, write) => {
        const deleted = del(); // queued first or second: both outcomes must leave whole documents
        await write();
        await deleted;
      },
      async (rag, id) => {
        await expectWhole(rag);
        const rerun = await rag.ingest(["docs"], { matter: "m" });
        expect(rerun.failed).toBe(0);
        expect(rag.documents().some((d) => d.id === id)).toBe(true);
        await expectWhole(rag);
      },
    );
  }, 120_000);
});

describe("a delete from another process (`bear` beside a server) racing an ingest", () => {
  it("waits for the ingest's writer lock, taken before any file is looked up, and lands after its commit: the document is gone, the index whole, a rerun adds it", async () => {
    const root = tempDir("delete-race-process-");
    writeNumberedContracts(root, 2);
    const dir = path.join(root, "index");
    const rag = await RagEngine.open({ dir, root });
    let deleter: RunningChild | undefined;
    try {
      await rag.ingest(["docs"], { matter: "m" });
      const { id } = rag.documents().find((d) => d.title === "AGREEMENT 1")!;
      fs.appendFileSync(path.join(root, "docs", "contract-01.txt"), "\n41 An amended clause.\n");
      const original = IngestPipeline.prototype.prepare;
      const spy = jest.spyOn(IngestPipeline.prototype, "prepare").mockImplementation(async function (this: IngestPipeline, ...args: Parameters<IngestPipeline["prepare"]>) {
        // While the changed file is prepared, the other process deletes its document: it may finish
        // (if the ingest let it) within 3 s, or it waits for the writer lock this ingest holds.
        deleter = await startUntil(["delete", dir, root, id], /holder \S+\n/);
        await Promise.race([deleter.exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        return original.apply(this, args);
      });
      const report = await rag.ingest(["docs"], { matter: "m" }).finally(() => spy.mockRestore());
      expect(deleter).toBeDefined();
      expect(deleter!.output()).toBe(`holder ${process.pid}\n`); // it found the index held by this ingest, and had not deleted yet
      expect(report.files.find((f) => f.file.endsWith("contract-01.txt"))).toMatchObject({ status: "updated" }); // committed before the delete
      await deleter!.exited;
      expect(deleter!.output()).toMatch(/deleted\n$/);
      await expectWhole(rag);
      expect(rag.documents().map((d) => d.id)).not.toContain(id);
      const rerun = await rag.ingest(["docs"], { matter: "m" });
      expect({ added: rerun.added, unchanged: rerun.unchanged }).toEqual({ added: 1, unchanged: 1 });
      await expectWhole(rag);
    } finally {
      deleter?.proc.kill("SIGKILL");
      await rag.dispose();
    }
  }, 120_000);
});

describe("this engine's own writes", () => {
  it.each([
    ["plain", plain],
    ["sealed under per-document keys", sealed],
  ] as const)("%s: after a delete (and after an ingest) the engine's view is current: the next search reads no document row again (refresh() finds nothing to reload)", async (_, keys) => {
    const root = tempDir("delete-view-");
    writeNumberedContracts(root, 3);
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root, ...keys(root) });
    try {
      await rag.ingest(["docs"], { matter: "m" });
      expect(await rag.refresh()).toBe(false);
      const { id } = rag.documents().find((d) => d.title === "AGREEMENT 1")!;
      await rag.delete(id);
      expect(await rag.refresh()).toBe(false);
      expect(rag.documents().map((d) => d.id)).not.toContain(id);
      expect((await rag.search("widget2 notice", { k: 3, mode: "lexical" })).every((h) => h.documentId !== id)).toBe(true);
      expect(await rag.refresh()).toBe(false);
    } finally {
      await rag.dispose();
    }
  }, 120_000);
});
