import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ModelFileError } from "../errors";
import { inspectGguf } from "./gguf-inspector";

const shared = path.resolve(import.meta.dirname, "../../../../../shared/models");
const stories = path.join(shared, "stories260K/stories260K.gguf");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mm-gguf-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("inspectGguf", () => {
  it("reads architecture, size, quantization and context length of a real GGUF without loading it", async () => {
    const info = await inspectGguf(stories);
    expect(info).toMatchObject({ format: "gguf", kind: "causal", architecture: "llama", contextLength: 2048, embeddingLength: 64, layerCount: 5, vocabularySize: 512 });
    expect(info.parameterCount).toBeGreaterThan(250_000);
    expect(info.parameterCount).toBeLessThan(320_000);
    expect(info.expectedBytes).toBe(fs.statSync(stories).size);
    expect(info.chatTemplate).toBeUndefined();
  });

  it("recognises a BERT GGUF as an embedding model", async () => {
    const info = await inspectGguf(path.join(shared, "model2vec-vq128-bge-base/model2vec-vq128-bge-base.gguf"));
    expect(info).toMatchObject({ kind: "embedding", architecture: "bert", embeddingLength: 128, quantization: "MOSTLY_F16" });
  });

  it("reports a truncated copy cut anywhere as an unusable file naming it, never a crash", async () => {
    const bytes = fs.readFileSync(stories);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (cut) => {
        const file = path.join(tmp, "cut.gguf");
        fs.writeFileSync(file, bytes.subarray(0, cut));
        const error = await inspectGguf(file).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ModelFileError);
        expect((error as ModelFileError).message).toContain("cut.gguf");
      }),
      { numRuns: 40 },
    );
  });

  it("reports random bytes named .gguf as not a GGUF file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 4096 }), async (data) => {
        const file = path.join(tmp, "random.gguf");
        fs.writeFileSync(file, data);
        await expect(inspectGguf(file)).rejects.toBeInstanceOf(ModelFileError);
      }),
      { numRuns: 40 },
    );
  });

  it("says 'truncated' with the byte counts when the weights are cut off", async () => {
    const file = path.join(tmp, "half.gguf");
    fs.writeFileSync(file, fs.readFileSync(stories).subarray(0, 600_000));
    await expect(inspectGguf(file)).rejects.toThrow(/half\.gguf' is unusable: it is truncated \(read 586 KB of 1\.1 MB/);
  });
});
