// Uses only what a developer imports: "@bear/rag" (and core for the container).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { createContainer, disposeContainer, Retriever } from "@bear/core";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the one test that uses the package as a consumer would
import { RagEngine, RagEngineToken, ragModule, type SearchHit } from "@bear/rag";
import { tempDir } from "./support/temp-dir";

describe("@bear/rag public API", () => {
  it("runs the README example verbatim: open, ingest, search, answer", async () => {
    const work = tempDir("rag-readme-");
    fs.mkdirSync(path.join(work, "contracts"));
    fs.writeFileSync(
      path.join(work, "contracts", "msa.txt"),
      "ARTICLE 9 TERMINATION\n9.2 Termination for Convenience. The Customer may terminate this Agreement for convenience on thirty (30) days' written notice.\n",
    );
    const cwd = process.cwd();
    process.chdir(work);
    try {
      const rag = await RagEngine.open({ dir: "./index" }); // embedded default, no model needed
      await rag.ingest(["./contracts"], { matter: "acme-2026" }); // progress events, idempotent
      const hits: SearchHit[] = await rag.search("termination for convenience notice period", { k: 8 });
      const answer = await rag.answer("How much notice is needed to terminate?"); // cited
      expect(hits[0]?.text).toContain("thirty (30) days' written notice");
      expect(answer.text).toContain("[1]");
      expect(answer.citations[0]).toMatchObject({ matter: "acme-2026", page: 1 });
      await rag.dispose();
    } finally {
      process.chdir(cwd);
    }
  });

  it("ragModule binds the engine and core's Retriever in a container", async () => {
    const work = tempDir("rag-module-");
    fs.writeFileSync(path.join(work, "nda.md"), "# NDA\n\nThe Recipient shall keep the Confidential Information secret for five years.\n");
    const container = createContainer(ragModule({ dir: path.join(work, "index"), root: work }));
    const rag = await container.getAsync<RagEngine>(RagEngineToken);
    await rag.ingest([path.join(work, "nda.md")], { matter: "m1" });
    const retriever = await container.getAsync<Retriever>(Retriever);
    const passages = await retriever.retrieve("confidential information secret", { k: 2 });
    expect(passages[0]).toMatchObject({ matter: "m1", start: 0, page: 1 });
    await disposeContainer(container);
    await expect(rag.search("secret")).rejects.toMatchObject({ code: "DISPOSED" });
  });
});
