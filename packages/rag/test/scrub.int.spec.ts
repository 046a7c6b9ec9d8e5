import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import type { PiiSpan, ScrubbedText, Scrubber } from "@bear/core";
import { RagEngine } from "../src/rag-engine";
import { makePdf } from "./fixtures";

/** A small but real Scrubber (core contract): e-mail addresses become <EMAIL>, with the way back. */
class EmailScrubber implements Scrubber {
  calls = 0;
  async scrub(text: string): Promise<ScrubbedText> {
    this.calls++;
    const pieces: { scrubbedStart: number; originalStart: number; originalEnd: number; scrubbedEnd: number }[] = [];
    const replacements: PiiSpan[] = [];
    let out = "";
    let at = 0;
    for (const m of text.matchAll(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g)) {
      out += text.slice(at, m.index);
      const start = out.length;
      out += "<EMAIL>";
      replacements.push({ type: "EMAIL", start, end: out.length });
      pieces.push({ scrubbedStart: start, scrubbedEnd: out.length, originalStart: m.index, originalEnd: m.index + m[0].length });
      at = m.index + m[0].length;
    }
    out += text.slice(at);
    const toOriginal = (offset: number): number => {
      let delta = 0;
      for (const p of pieces) {
        if (offset >= p.scrubbedEnd) delta += p.originalEnd - p.originalStart - (p.scrubbedEnd - p.scrubbedStart);
        else if (offset > p.scrubbedStart) return p.originalEnd;
      }
      return offset + delta;
    };
    return { text: out, replacements, toOriginalSpan: (start, end) => ({ start: toOriginal(start), end: toOriginal(end) }) };
  }
}

describe("ingest with a Scrubber", () => {
  it("indexes scrubbed text only, keeps offsets and pages consistent with it", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rag-scrub-"));
    fs.writeFileSync(
      path.join(root, "scan.pdf"),
      await makePdf(["NOTICES\nNotices go to counsel at john.smith@lawfirm.example today.", "SECTION 2 PAYMENT\nInvoices are sent to billing.dept@acme.example monthly."]),
    );
    const scrubber = new EmailScrubber();
    const rag = await RagEngine.open({ dir: path.join(root, "index"), root, scrubber });
    try {
      await rag.ingest(["scan.pdf"], { matter: "m" });
      expect(scrubber.calls).toBe(1);
      const [doc] = rag.documents();
      expect(doc?.scrubbed).toBe(true);
      const text = await rag.documentText(doc!.id);
      expect(text).not.toMatch(/@/);
      expect(await rag.search("john.smith lawfirm", { k: 5 })).toEqual([]);
      const [hit] = await rag.search("invoices billing monthly", { k: 1 });
      expect(hit?.page).toBe(2);
      expect(hit?.text).toContain("<EMAIL>");
      expect(text.slice(hit!.start, hit!.end)).toBe(hit!.text);
    } finally {
      await rag.dispose();
    }
  });
});
