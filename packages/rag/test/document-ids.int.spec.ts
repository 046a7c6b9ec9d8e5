// Document ids cannot be derived without the workspace secret; indexes written before keep working.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/index";
import { tempDir } from "./support/temp-dir";

const work = tempDir("rag-ids-");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const key = Buffer.alloc(32, 7);
const unkeyed = (matter: string, file: string): string => createHash("sha256").update(`${matter}\0${file}`).digest("hex").slice(0, 24);

function contract(name: string, text: string): string {
  const file = path.join(work, "files", name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe("document ids", () => {
  it("with a workspace secret an id is not SHA-256(matter, path) and differs per secret", async () => {
    const file = contract("nda.txt", "The Recipient shall keep the Confidential Information secret for five years.\n");
    const ids: string[] = [];
    for (const documentIdKey of [key, Buffer.alloc(32, 8)]) {
      const rag = await RagEngine.open({ dir: path.join(work, `keyed-${ids.length}`), root: work, documentIdKey });
      const report = await rag.ingest([file], { matter: "acme" });
      ids.push(report.files[0]?.documentId ?? "");
      await rag.dispose();
    }
    expect(ids[0]).toMatch(/^[0-9a-f]{24}$/);
    expect(ids[0]).not.toBe(unkeyed("acme", file));
    expect(ids[1]).not.toBe(ids[0]);
  });

  it("refuses a short key", async () => {
    await expect(RagEngine.open({ dir: path.join(work, "short"), documentIdKey: Buffer.alloc(16) })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("an index written without a key keeps its documents' ids when opened with one (stable fallback); new documents get keyed ids", async () => {
    const dir = path.join(work, "legacy");
    const old = contract("lease.txt", "Section 4. Rent. The Tenant shall pay monthly rent on the first day of each month.\n");
    const before = await RagEngine.open({ dir, root: work });
    const first = await before.ingest([old], { matter: "acme" });
    expect(first.files[0]?.documentId).toBe(unkeyed("acme", old));
    await before.dispose();

    const rag = await RagEngine.open({ dir, root: work, documentIdKey: key });
    const again = await rag.ingest([old], { matter: "acme" });
    expect(again.files[0]).toMatchObject({ status: "unchanged", documentId: unkeyed("acme", old) });
    fs.appendFileSync(old, "Section 9. Termination on ninety (90) days' notice.\n");
    const updated = await rag.ingest([old], { matter: "acme" });
    expect(updated.files[0]).toMatchObject({ status: "updated", documentId: unkeyed("acme", old) });
    const added = await rag.ingest([contract("msa.txt", "9.2 Termination for Convenience on thirty (30) days' written notice.\n")], { matter: "acme" });
    expect(added.files[0]?.documentId).not.toBe(unkeyed("acme", path.join(work, "files", "msa.txt")));
    expect(rag.documents().map((d) => d.id).sort()).toEqual([unkeyed("acme", old), added.files[0]?.documentId].sort());
    expect((await rag.search("ninety days notice termination", { k: 1 }))[0]?.documentId).toBe(unkeyed("acme", old));
    await rag.dispose();
  });
});
