// One matter-id rule (@bear/core's assertMatterId) at rag's boundary: new documents only under a valid id;
// documents an older release indexed under other ids stay listed, searchable and deletable.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { LanceIndex } from "../src/store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../src/store/records";
import { tempDir } from "./support/temp-dir";

const TEXT = "The escrow holder shall release the deposit within ten business days of closing.";
const LEGACY_MATTER = "Acme v Roe: 2019/04";

/** A document as a release before the one rule indexed it, under a matter id the rule refuses. */
async function writeLegacyDocument(dir: string): Promise<void> {
  const index = await LanceIndex.open({ dir });
  try {
    const record: DocumentRecord = { id: "legacy0000000000000000000", version: "v", matter: LEGACY_MATTER, source: "/old/escrow.txt", title: "Escrow letter", type: "text", pageCount: 1, contentHash: "legacy", bytes: TEXT.length, chars: TEXT.length, chunkCount: 1, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false };
    const chunk: ChunkRecord = { id: `${record.id}:v:0`, documentId: record.id, version: "v", matter: LEGACY_MATTER, docType: "text", text: TEXT, start: 0, end: TEXT.length, page: 1, sectionPath: [], ordinal: 0 };
    await index.writeChunks([chunk], ["escrow.txt\nEscrow letter\n"]);
    await index.commitDocuments([{ record, text: TEXT, pageStarts: [0], replaces: false }]);
  } finally {
    await index.dispose();
  }
}

describe("matter ids at rag's boundary (real LanceDB)", () => {
  const root = tempDir("rag-matter-ids-");
  const dir = path.join(root, "index");
  const file = path.join(root, "deposit.txt");
  let rag: RagEngine;

  beforeAll(async () => {
    fs.writeFileSync(file, "The deposit is held in escrow until the closing date.");
    await writeLegacyDocument(dir);
    rag = await RagEngine.open({ dir, root });
  });
  afterAll(async () => rag.dispose());

  it("refuses to ingest under an id the one rule refuses (ids an older release accepted), with a suggested id", async () => {
    for (const [matter, suggestion] of [["Acme v Roe", "Acme-v-Roe"], ["client:42", "client-42"], ["acme/2026", "acme-2026"], ["Société-Générale", "Societe-Generale"]] as const) {
      await expect(rag.ingest([file], { matter })).rejects.toMatchObject({ code: "MATTER_ID_INVALID", hint: `Use an id such as '${suggestion}'.` });
    }
    await expect(rag.prepareDocument({ file, bytes: new Uint8Array(1), documentId: "d", contentHash: "x", matter: "Acme v Roe", replaces: false })).rejects.toMatchObject({ code: "MATTER_ID_INVALID" });
    expect(rag.documents().map((d) => d.matter)).toEqual([LEGACY_MATTER]);
    const report = await rag.ingest([file], { matter: "acme-v-roe" });
    expect(report.files.map((f) => f.status)).toEqual(["added"]);
  });

  it("refuses a new matter equal to an indexed one but for letter case (one folder on macOS and Windows), naming both", async () => {
    // "acme-v-roe" is indexed by the test above
    for (const matter of ["Acme-V-Roe", "ACME-V-ROE"]) {
      await expect(rag.ingest([file], { matter })).rejects.toMatchObject({
        code: "MATTER_ID_INVALID",
        message: `matter "${matter}" differs only in letter case from the existing matter "acme-v-roe"; their folders would be one on macOS and Windows`,
        hint: "Use 'acme-v-roe' for that matter, or an id that differs from it by more than case.",
      });
    }
    expect(new Set(rag.documents().map((d) => d.matter))).toEqual(new Set([LEGACY_MATTER, "acme-v-roe"]));
    // the same matter, and a matter that differs by more than case, are fine
    expect((await rag.ingest([file], { matter: "acme-v-roe" })).files.map((f) => f.status)).toEqual(["unchanged"]);
    expect((await rag.ingest([file], { matter: "Acme-v-Roe-2" })).files.map((f) => f.status)).toEqual(["added"]);
  });

  it("keeps a document indexed under another id listed, searchable by its matter and deletable", async () => {
    const legacy = rag.documents({ matter: LEGACY_MATTER });
    expect(legacy.map((d) => d.title)).toEqual(["Escrow letter"]);
    const hits = await rag.search("escrow deposit release", { filter: { matters: [LEGACY_MATTER] } });
    expect(hits.map((h) => h.documentId)).toEqual([legacy[0]!.id]);
    await rag.delete(legacy[0]!.id, { actor: "admin" });
    expect(rag.documents({ matter: LEGACY_MATTER })).toEqual([]);
  });
});
