// Attack (issue 15): a batch holding a DOCX bomb — 873 KB that expands to 300 MB of paragraphs — crashed
// `bear ingest` (heap out of memory after 100 s, exit 134, the whole batch lost). Now the bomb fails alone
// with RAG_FILE_TOO_LARGE and the rest of the batch, including legacy-encoded text, is ingested.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the same generated bombs rag's own hostile-file tests use
import { docxBomb } from "../../../packages/rag/test/support/hostile-files";
import { bear, initWorkspace, json, removeTempDirs, tempDir } from "./harness";

interface IngestReport {
  added: number;
  failed?: number;
  files: { file: string; status: string; error?: { code: string; message: string } }[];
}

describe("bear ingest of a batch with a zip bomb", () => {
  afterAll(removeTempDirs);

  it("fails the bomb alone (RAG_FILE_TOO_LARGE) and ingests the rest of the batch, UTF-16 and Latin-1 text included", () => {
    const ws = initWorkspace("hostile-files");
    const files = tempDir("hostile-files-docs");
    const docs = path.join(files, "docs");
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, "a-bomb.docx"), docxBomb(300));
    fs.writeFileSync(path.join(docs, "b-liar.docx"), docxBomb(300, { declaredSize: 1_000_000 }));
    fs.writeFileSync(path.join(docs, "c-lease.txt"), "COMMERCIAL LEASE\n\nThe Tenant shall pay rent monthly in advance.\n");
    fs.writeFileSync(path.join(docs, "d-utf16.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Clause 4. Le preneur paiera le loyer à Zürich.\n", "utf16le")]));
    fs.writeFileSync(path.join(docs, "e-latin1.txt"), Buffer.from("Clause 5. Le garçon paiera 1 200 € au café.\n", "latin1"));

    const started = Date.now();
    const run = bear(["--data-dir", ws, "ingest", "docs", "--matter", "acme", "--json"], { cwd: files });
    expect(run.status).toBe(3); // "some files failed": a clean exit, not a crash (before: 134, the batch lost)
    const report = json<IngestReport>(run);
    const byName = Object.fromEntries(report.files.map((f) => [path.basename(f.file), f]));
    expect(byName["a-bomb.docx"]).toMatchObject({ status: "failed", error: { code: "RAG_FILE_TOO_LARGE" } });
    expect(byName["b-liar.docx"]).toMatchObject({ status: "failed", error: { code: "RAG_FILE_TOO_LARGE" } });
    for (const name of ["c-lease.txt", "d-utf16.txt", "e-latin1.txt"]) expect([name, byName[name]?.status]).toEqual([name, "added"]);
    expect(Date.now() - started).toBeLessThan(60_000);
    const search = json<{ results: { text: string }[] }>(bear(["--data-dir", ws, "search", "Zürich loyer", "--json"]));
    expect(JSON.stringify(search)).toContain("Zürich");
  }, 120_000);
});
