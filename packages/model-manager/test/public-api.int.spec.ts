import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Embedder, EventBus, Llm, type BearEvent, coreModule, createContainer, defaultBearConfig, disposeContainer } from "@bear/core";
import { afterAll, describe, expect, it } from "@jest/globals";
// The one test that sees the package as a user does, through its package name.
import { ModelManager, ModelManagerToken, modelManagerModule } from "@bear/model-manager";

const models = path.resolve(import.meta.dirname, "../../../../shared/models");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-api-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("@bear/model-manager public API", () => {
  it("ModelManager.open discovers models and generates in a few lines", async () => {
    const manager = await ModelManager.open({ modelDirs: [path.join(models, "stories260K")], registryFile: path.join(dataDir, "models.json") });
    try {
      expect(manager.list().map((m) => m.id)).toEqual(["stories260K"]);
      const llm = manager.llm("stories260K");
      const result = await llm.generate({ prompt: "Once upon a time", maxTokens: 16 });
      expect(result.text).toContain("little girl");
      expect(() => manager.llm("no-such-model")).toThrow(/no model with id 'no-such-model'/);
      expect(manager.loaded()[0]?.threads).toBe(1);
    } finally {
      await manager.dispose();
    }
    await expect(manager.generate("stories260K", { prompt: "x" })).rejects.toThrow(/disposed/);
  });

  it("binds core's Llm and Embedder through modelManagerModule and publishes to the EventBus", async () => {
    const container = createContainer(
      coreModule({ config: defaultBearConfig(dataDir) }),
      modelManagerModule({ modelDirs: [models], defaultLlm: "stories260K", defaultEmbedder: "model2vec-vq128-bge-base" }),
    );
    const seen: BearEvent[] = [];
    container.get<EventBus>(EventBus).on("model-manager:*").subscribe((e) => seen.push(e));
    const llm = container.get<Llm>(Llm);
    const embedder = container.get<Embedder>(Embedder);
    const manager = container.get<ModelManager>(ModelManagerToken);
    expect(container.get<Llm>(Llm)).toBe(llm);
    expect(llm.id).toBe("stories260K");
    const result = await llm.generate({ prompt: "Once upon a time", maxTokens: 12 });
    expect(result.finishReason).toBe("length");
    expect(llm.contextSize).toBe(manager.loaded().find((m) => m.modelId === "stories260K")?.contextSize);
    expect(embedder.dimensions).toBe(128);
    const [v] = await embedder.embed(["rent is due monthly"]);
    expect(v).toHaveLength(128);
    expect(seen.map((e) => e.type)).toEqual(expect.arrayContaining(["model-manager:model.loaded", "model-manager:generation.completed", "model-manager:embedding.completed"]));
    await disposeContainer(container);
    expect(manager.loaded()).toEqual([]);
    await expect(llm.generate({ prompt: "x" })).rejects.toThrow(/ModelManager has been disposed/);
  });

  it("with a registry file from an earlier scan, the module's handles know their models before any scan", async () => {
    const registryFile = path.join(dataDir, "state", "models.json");
    const scanned = await ModelManager.open({ modelDirs: [models], registryFile });
    await scanned.dispose();
    const container = createContainer(
      coreModule({ config: defaultBearConfig(dataDir) }),
      modelManagerModule({ modelDirs: [models], registryFile, defaultEmbedder: "model2vec-vq128-bge-base" }),
    );
    try {
      // Read synchronously from the registry: no scan, no model load.
      expect(container.get<Embedder>(Embedder).dimensions).toBe(128);
      expect(container.get<ModelManager>(ModelManagerToken).list().map((m) => m.id)).toContain("stories260K");
    } finally {
      await disposeContainer(container);
    }
  });
});
