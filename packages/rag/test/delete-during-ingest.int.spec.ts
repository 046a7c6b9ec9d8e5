import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { DataKeyring, KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { RagEngine, type RagEngineOptions } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";
import { writeNumberedContracts } from "./support/numbered-contracts";
import { tempDir } from "./support/temp-dir";

type Keys = (root: string) => Pick<RagEngineOptions, "cipher" | "keyring">;
const plain: Keys = () => ({});
const sealed: Keys = (root) => {
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  return { cipher: new KeyedContentCipher(kek), keyring: new DataKeyring({ dir: path.join(root, "data-keys"), kek }) };
};

/**
 * Ingests two contracts, changes contract 1, and re-ingests it while `race` deletes it from the same
 * engine once its batch is sealed (its chunks encoded, under the document's key when sealed): `race`
 * gets the delete and the batch's write, and runs them in the order it tests.
 */
async function withRacingDelete(keys: Keys, race: (del: () => Promise<void>, write: () => Promise<void>) => Promise<void>, check: (rag: RagEngine, id: string, report: Awaited<ReturnType<RagEngine["ingest"]>>) => Promise<void>): Promise<void> {
  const root = tempDir("delete-race-");
  writeNumberedContracts(root, 2);
  const rag = await RagEngine.open({ dir: path.join(root, "index"), root, ...keys(root) });
  try {
    await rag.ingest(["docs"], { matter: "m" });
    const { id } = rag.documents().find((d) => d.title === "AGREEMENT 1")!;
    fs.appendFileSync(path.join(root, "docs", "contract-01.txt"), "\n41 An amended clause.\n");
    const original = LanceIndex.prototype.commitBatch;
    const spy = jest.spyOn(LanceIndex.prototype, "commitBatch").mockImplementation(async function (this: LanceIndex, ...args: Parameters<LanceIndex["commitBatch"]>) {
      let written: ReturnType<LanceIndex["commitBatch"]> = Promise.resolve([]);
      await race(
        () => rag.delete(id),
        () => (written = original.apply(this, args)).then(() => undefined),
      );
      return written;
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
  it.each([
    ["plain", plain],
    ["sealed under per-document keys", sealed],
  ] as const)("%s: a document deleted after its batch was sealed is not committed (RAG_DOCUMENT_DELETED), and a rerun adds it whole", async (_, keys) => {
    await withRacingDelete(
      keys,
      async (del, write) => {
        await del();
        await write();
      },
      async (rag, id, report) => {
        expect(report.files.find((f) => f.file.endsWith("contract-01.txt"))).toMatchObject({ status: "failed", error: { code: "RAG_DOCUMENT_DELETED" } });
        expect(rag.documents().map((d) => d.id)).not.toContain(id);
        await expectWhole(rag);
        const rerun = await rag.ingest(["docs"], { matter: "m" });
        expect({ added: rerun.added, unchanged: rerun.unchanged }).toEqual({ added: 1, unchanged: 1 });
        await expectWhole(rag);
        // its chunks open (sealed: under the document's new key) and are found
        const hits = await rag.search("widget1 amended clause", { k: 3, mode: "lexical" });
        expect(hits.some((h) => h.documentId === id)).toBe(true);
      },
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
