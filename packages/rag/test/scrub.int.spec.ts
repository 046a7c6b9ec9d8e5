import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { PiiScrubber } from "@bear/security";
import { RagEngine } from "../src/rag-engine";
import { makePdf } from "./fixtures";
import { tempDir } from "./support/temp-dir";

/** Counts calls to the real @bear/security scrubber (core Scrubber), so the test sees it is used once per document. */
class CountingScrubber extends PiiScrubber {
  calls = 0;
  override async scrub(...args: Parameters<PiiScrubber["scrub"]>): ReturnType<PiiScrubber["scrub"]> {
    this.calls++;
    return super.scrub(...args);
  }
}

describe("ingest with a Scrubber", () => {
  it("indexes scrubbed text only, keeps offsets and pages consistent with it", async () => {
    const root = tempDir("rag-scrub-");
    fs.writeFileSync(
      path.join(root, "scan.pdf"),
      await makePdf(["NOTICES\nNotices go to counsel at john.smith@lawfirm.example today.", "SECTION 2 PAYMENT\nInvoices are sent to billing.dept@acme.example monthly."]),
    );
    const scrubber = new CountingScrubber();
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
      expect(hit?.text).toMatch(/<EMAIL_\d+>/);
      expect(text.slice(hit!.start, hit!.end)).toBe(hit!.text);
    } finally {
      await rag.dispose();
    }
  });
});
