// With a scrubber (scrubOnIngest), the title a format declares and the file name are not a way around the scrub
// (rev12 #9): the title is scrubbed with the document's numbering, the file name's words are searched only where
// the scrubbed text keeps them. Invented names.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PiiScrubber } from "@bear/security";
import { RagEngine } from "../src/rag-engine";
import { tempDir } from "./support/temp-dir";

describe("scrubbed titles and file names (real scrubber, real LanceDB)", () => {
  const root = tempDir("rag-scrub-titles-");
  let rag: RagEngine;
  beforeAll(async () => {
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, scrubber: new PiiScrubber() });
  });
  afterAll(async () => rag?.dispose());

  it("scrubs an HTML title with the body's numbering; the name finds nothing", async () => {
    fs.writeFileSync(
      path.join(root, "report.html"),
      "<html><head><title>Medical report of Margaret Vollendorf</title></head><body><p>The patient Margaret Vollendorf was seen on 3 March 2026 for a follow-up about the claim.</p></body></html>",
    );
    const report = await rag.ingest(["report.html"], { matter: "m" });
    expect(report.files[0]!.status).toBe("added");
    const doc = rag.documents().find((d) => d.source.endsWith("report.html"))!;
    const text = (await rag.documentText(doc.id))!;
    const placeholder = /<PERSON_\d+>/.exec(text)?.[0];
    expect(placeholder).toBeDefined();
    expect(text).not.toMatch(/Vollendorf/);
    expect(doc.title).toBe(`Medical report of ${placeholder!}`);
    expect(await rag.search("vollendorf", { mode: "lexical" })).toEqual([]);
  }, 60_000);

  it("keeps a scrubbed name in the file name out of search, title and naming; the file's other words stay searchable", async () => {
    fs.writeFileSync(
      path.join(root, "vollendorf-margaret-settlement.eml"),
      [
        "From: Counsel <counsel@firm.example>",
        "To: Client <client@home.example>",
        "Subject: Settlement offer for Margaret Vollendorf",
        "Date: Mon, 2 Mar 2026 10:00:00 +0000",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Dear Margaret Vollendorf, the settlement offer stands until Friday at noon.",
        "",
      ].join("\r\n"),
    );
    const report = await rag.ingest(["vollendorf-margaret-settlement.eml"], { matter: "m" });
    expect(report.files[0]!.status).toBe("added");
    const doc = rag.documents().find((d) => d.source.endsWith(".eml"))!;
    expect(doc.scrubbed).toBe(true);
    expect(doc.title).not.toMatch(/vollendorf|margaret/i);
    expect(await rag.search("vollendorf", { mode: "lexical" })).toEqual([]);
    expect(await rag.search("vollendorf settlement offer", { mode: "lexical", k: 3 })).toEqual(expect.arrayContaining([expect.objectContaining({ documentId: doc.id })]));
    for (const hit of await rag.search("vollendorf settlement offer", { mode: "lexical", k: 3 })) expect(hit.text).not.toMatch(/vollendorf/i);
    // the document resolver does not name it by the file name's scrubbed words
    expect(await rag.resolveDocuments(["settlement"]).catch(() => [])).toContain(doc.id);
    await expect(rag.resolveDocuments(["vollendorf"])).rejects.toMatchObject({ code: "RAG_DOCUMENT_NOT_FOUND" });
  }, 60_000);
});
