// Encryption at rest with the real @bear/security cipher over a real LanceDB index.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DataKeyring, KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { RagEngine } from "../src/rag-engine";
import { GatedTexts } from "./support/gated-texts";
import { tempDir } from "./support/temp-dir";

const CONTRACT = `MASTER SERVICES AGREEMENT

This Agreement is made by and between Zephyrine Holdings LLC ("Client") and Quillbrook Analytics Inc. ("Supplier").

Section 7 INDEMNIFICATION
7.1 The Supplier shall indemnify Zephyrine Holdings against all third-party claims.

Section 12 TERMINATION
12.3 Termination for Convenience. Either party may terminate this Agreement for convenience upon ninety (90) days written notice.
`;
const SECRET_WORDS = ["Zephyrine", "Quillbrook", "indemnify", "convenience", "ninety"];

function rawBytesOf(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

describe("an encrypted index (ContentCipher from @bear/security)", () => {
  let root: string;
  const key = randomBytes(32);
  const cipherFor = (bytes: Buffer) => new KeyedContentCipher(KeyEncryptionKey.fromBytes(bytes));

  beforeAll(() => {
    root = tempDir("rag-sealed-");
    fs.writeFileSync(path.join(root, "msa.txt"), CONTRACT);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("stores no document words on disk, while a plain index does (the control)", async () => {
    const plainDir = path.join(root, "plain");
    const plain = await RagEngine.open({ dir: plainDir, root });
    await plain.ingest(["msa.txt"], { matter: "m" });
    await plain.dispose();
    const plainBytes = rawBytesOf(plainDir);
    expect(SECRET_WORDS.filter((w) => plainBytes.includes(w))).toEqual(SECRET_WORDS);

    const sealedDir = path.join(root, "sealed");
    const rag = await RagEngine.open({ dir: sealedDir, root, cipher: cipherFor(key) });
    const report = await rag.ingest(["msa.txt"], { matter: "m" });
    expect(report.files.map((f) => f.status)).toEqual(["added"]);
    await rag.dispose();
    const sealedBytes = rawBytesOf(sealedDir);
    expect(SECRET_WORDS.filter((w) => sealedBytes.includes(w) || sealedBytes.includes(w.toLowerCase()))).toEqual([]);
    expect(sealedBytes.includes("msa.txt")).toBe(false);
  });

  it("searches, cites exact offsets and answers as a plain index does, with the key", async () => {
    const rag = await RagEngine.open({ dir: path.join(root, "sealed"), root, cipher: cipherFor(key) });
    try {
      const [doc] = rag.documents();
      expect(doc).toMatchObject({ title: expect.any(String), source: path.join(root, "msa.txt"), parties: expect.arrayContaining([expect.stringContaining("Zephyrine")]) });
      const text = await rag.documentText(doc!.id);
      expect(text).toContain("Termination for Convenience");
      const [hit] = await rag.search("termination for convenience notice period", { k: 1 });
      expect(hit?.text).toContain("ninety (90) days written notice");
      expect(text.slice(hit!.start, hit!.end)).toBe(hit!.text);
      expect(hit?.sectionPath.join(" / ")).toMatch(/TERMINATION/);
      expect(await rag.search("photosynthesis chlorophyll", { k: 3 })).toEqual([]);
      const answer = await rag.answer("How much notice is needed to terminate for convenience?");
      expect(answer.citations.some((c) => text.slice(c.start, c.end).includes("ninety"))).toBe(true);
    } finally {
      await rag.dispose();
    }
  });

  it("refuses to open with another key, or with none, and says which key it needs", async () => {
    const dir = path.join(root, "sealed");
    await expect(RagEngine.open({ dir, root, cipher: cipherFor(randomBytes(32)) })).rejects.toMatchObject({ code: "RAG_INDEX_KEY_MISMATCH" });
    await expect(RagEngine.open({ dir, root })).rejects.toMatchObject({
      code: "RAG_INDEX_KEY_MISMATCH",
      message: expect.stringContaining("opened with no encryption"),
    });
    await expect(RagEngine.open({ dir: path.join(root, "plain"), root, cipher: cipherFor(key) })).rejects.toMatchObject({ code: "RAG_INDEX_KEY_MISMATCH" });
  });

  it("re-ingesting an unchanged file under the same key adds nothing", async () => {
    const rag = await RagEngine.open({ dir: path.join(root, "sealed"), root, cipher: cipherFor(key) });
    try {
      const before = await rag.countChunks();
      const report = await rag.ingest(["msa.txt"], { matter: "m" });
      expect(report.files.map((f) => f.status)).toEqual(["unchanged"]);
      expect(await rag.countChunks()).toBe(before);
    } finally {
      await rag.dispose();
    }
  });
});

describe("an index with a data key per document (DataKeyring from @bear/security)", () => {
  const root = tempDir("rag-keyring-");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("builds the document resolver past documents deleted (their keys shredded) while it reads", async () => {
    const corpus = path.join(root, "contracts");
    fs.mkdirSync(corpus, { recursive: true });
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(corpus, `msa-${i}.txt`), CONTRACT.replaceAll("Zephyrine", `Zephyrine${i}`));
    const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
    const keyring = new DataKeyring({ dir: path.join(root, "data-keys"), kek });
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root, cipher: new KeyedContentCipher(kek), keyring });
    const gated = new GatedTexts();
    try {
      await rag.ingest([corpus], { matter: "m" });
      // Every document names its supplier: once the others are gone, the build names only the one left.
      const resolving = rag.resolveDocuments(["Quillbrook Analytics"]);
      resolving.catch(() => undefined);
      while (gated.firstId === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      // Every document but the one read is deleted: the rows already fetched now hold text sealed under shredded keys.
      for (const d of rag.documents()) if (d.id !== gated.firstId) await rag.delete(d.id);
      gated.release();
      expect(await resolving).toEqual([gated.firstId]);
    } finally {
      gated.texts.mockRestore();
      await rag.dispose();
    }
  });
});
