// A GGUF embedding model (node-llama-cpp, through @bear/model-manager's core Embedder) behind RagEngine.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ModelManager } from "@bear/model-manager";
import { RagEngine } from "../src/rag-engine";
import { shared } from "./fixtures";
import { tempDir } from "./support/temp-dir";

describe("RagEngine with a GGUF embedder", () => {
  let root: string;
  let manager: ModelManager;
  let rag: RagEngine;

  beforeAll(async () => {
    root = tempDir("rag-gguf-");
    fs.writeFileSync(path.join(root, "lease.txt"), "LEASE\n\n1. Rent. The tenant must pay rent on the first day of each month.");
    fs.writeFileSync(path.join(root, "order.txt"), "ORDER\n\n1. The court dismissed the appeal for lack of jurisdiction.");
    fs.writeFileSync(path.join(root, "note.txt"), "NOTE\n\n1. The cat sat on the mat.");
    manager = await ModelManager.open({ modelDirs: [path.join(shared(), "models/model2vec-vq128-bge-base")], threads: 1 });
    rag = await RagEngine.open({ dir: path.join(root, "index"), root, embedder: manager.embedder("model2vec-vq128-bge-base") });
    await rag.ingest(["."], { matter: "m" });
  }, 60_000);

  afterAll(async () => {
    await rag.dispose();
    await manager.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("stores 128-d vectors from the GGUF model and ranks the paraphrased passage first in vector mode", async () => {
    expect((await rag.stats()).embedder).toEqual({ id: expect.stringContaining("model2vec-vq128-bge-base"), dimensions: 128 });
    const [hit] = await rag.search("Rent is due from the lessee at the start of every month.", { mode: "vector", k: 1 });
    expect(path.basename(hit!.source)).toBe("lease.txt");
    const [lexical] = await rag.search("appeal jurisdiction", { mode: "hybrid", k: 1 });
    expect(path.basename(lexical!.source)).toBe("order.txt");
  });
});
