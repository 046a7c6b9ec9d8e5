// The two chunk layouts on real LanceDB: new indexes store a plain chunk's text once (the end of its
// search text), indexes written before keep their column-per-field rows and still read and write.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { KeyEncryptionKey, KeyedContentCipher } from "@bear/security";
import { chunkFields } from "../src/store/chunk-layout";
import { LanceIndex } from "../src/store/lance-index";
import type { ChunkRecord, DocumentRecord } from "../src/store/records";
import { tempDir } from "./support/temp-dir";

const TEXT = "1.1 Definitions, terms and commas. 2.4 The tenant shall pay the rent monthly, in advance.";

function record(id: string): DocumentRecord {
  return { id, version: "v", matter: "m", source: `/${id}.txt`, title: id, type: "text", pageCount: 1, contentHash: id, bytes: 1, chars: TEXT.length, chunkCount: 2, dates: [], parties: [], ingestedAt: new Date().toISOString(), scrubbed: false };
}

/** Two chunks of TEXT with section paths holding commas and quotes, and search texts with a header. */
async function writeDocument(index: LanceIndex, id: string): Promise<ChunkRecord[]> {
  const cut = TEXT.indexOf("2.4");
  const chunks: ChunkRecord[] = [
    { id: `${id}:v:0`, documentId: id, version: "v", matter: "m", docType: "text", text: TEXT.slice(0, cut), start: 0, end: cut, page: 1, sectionPath: ["Article 1, \"Definitions\""], ordinal: 0 },
    { id: `${id}:v:1`, documentId: id, version: "v", matter: "m", docType: "text", text: TEXT.slice(cut), start: cut, end: TEXT.length, page: 2, sectionPath: ["Article 2", "2.4 Rent, payment"], ordinal: 1 },
  ];
  await index.writeChunks(chunks, chunks.map((c) => `${id}.txt\nLease of ${id}\n${c.sectionPath.join(" > ")}\n`));
  await index.commitDocuments([{ record: record(id), text: TEXT, pageStarts: [0, cut], replaces: false }]);
  return chunks;
}

async function columnsOf(dir: string): Promise<string[]> {
  const lancedb = await import("@lancedb/lancedb");
  const db = await lancedb.connect(path.join(dir, "lance"));
  try {
    return (await (await db.openTable("chunks")).schema()).fields.map((f) => f.name);
  } finally {
    db.close();
  }
}

describe("chunk layouts (real LanceDB)", () => {
  for (const sealed of [false, true]) {
    it(`a new ${sealed ? "encrypted" : "plain"} index packs a chunk's place into one column and reads every field back exactly`, async () => {
      const dir = tempDir("rag-layout-");
      const cipher = sealed ? new KeyedContentCipher(KeyEncryptionKey.fromBytes(randomBytes(32))) : undefined;
      const index = await LanceIndex.open({ dir, ...(cipher ? { cipher } : {}) });
      try {
        const written = await writeDocument(index, "lease");
        // Plain: the text lives once, at the end of the search text; sealed: in its own sealed column.
        expect(await columnsOf(dir)).toEqual(["documentId", "version", "matter", "docType", "searchText", ...(sealed ? ["text"] : []), "place"]);
        const hits = await index.lexical("rent payment", 5, {});
        expect(hits.map((h) => h.chunk.id)).toContain("lease:v:1");
        for (const h of hits) expect(JSON.parse(JSON.stringify(h.chunk))).toEqual(written.find((c) => c.id === h.chunk.id));
      } finally {
        await index.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("an index written before (a column per field) keeps its layout: old and new rows are read and searched", async () => {
    const dir = tempDir("rag-layout-old-");
    const lancedb = await import("@lancedb/lancedb");
    const arrow = await import("apache-arrow");
    const db = await lancedb.connect(path.join(dir, "lance"));
    await db.createEmptyTable("chunks", new arrow.Schema(chunkFields(arrow, "columns", false, undefined)));
    db.close();
    const index = await LanceIndex.open({ dir });
    try {
      const written = await writeDocument(index, "old");
      expect(await columnsOf(dir)).toContain("sectionPath");
      const [best] = await index.lexical("rent payment", 1, {});
      expect(JSON.parse(JSON.stringify(best!.chunk))).toEqual(written[1]);
    } finally {
      await index.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
