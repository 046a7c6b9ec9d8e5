import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { RagEngine } from "../src/rag-engine";
import { GatedTexts } from "./support/gated-texts";
import { tempDir } from "./support/temp-dir";

const text = (n: string): string => `${n.toUpperCase()} AGREEMENT\n\nThis agreement is made between ${n} Holdings Ltd and Borrower Corp. The parties agree to terms of payment and delivery.\n`;

describe("a document resolver build waiting behind another", () => {
  it("does not name a document deleted while it waited", async () => {
    const root = tempDir("stale-listing-");
    for (const [dir, n] of [["m", "zephyr"], ["m", "quillon"], ["n", "marbleway"], ["o", "ostrander"]] as const) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, `${n}-agreement.txt`), text(n));
    }
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root });
    try {
      for (const matter of ["m", "n"]) await rag.ingest([path.join(root, matter)], { matter });
      const zephyr = rag.documents().find((d) => d.source.includes("zephyr"))!;
      expect(await rag.resolveDocuments(["Zephyr"], { matters: ["m"] })).toEqual([zephyr.id]); // profiles zephyr and quillon
      await rag.resolveDocuments(["Marbleway"], { matters: ["n"] }); // the kept resolver is now matter n's
      await rag.ingest([path.join(root, "o")], { matter: "o" });
      const gated = new GatedTexts();
      try {
        const all = rag.resolveDocuments(["Ostrander"]); // every matter: reads ostrander's text, and is held there
        all.catch(() => undefined);
        while (gated.firstId === undefined) await new Promise((r) => setTimeout(r, 10));
        const scoped = rag.resolveDocuments(["Zephyr"], { matters: ["m"] }); // another set, all profiled: waits for the held build
        scoped.catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
        await rag.delete(zephyr.id);
        gated.release();
        await all;
        const result = await scoped.then((ids) => ids, (e: Error & { code?: string }) => e.code);
        expect(result === "RAG_DOCUMENT_NOT_FOUND" || (Array.isArray(result) && !result.includes(zephyr.id))).toBe(true);
        expect(gated.read).toBe(1); // only ostrander's text was read: the scoped build joined zephyr's and quillon's profiles
      } finally {
        gated.texts.mockRestore();
      }
    } finally {
      await rag.dispose();
    }
  }, 120_000);
});
