import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { modelActionFromRequest, workflowStartRequest } from "../src/index";

describe("REST request shapes: ours and the seed's", () => {
  it("a seed workflow body is the definition itself; ours wraps it", () => {
    const steps = [{ id: "a", type: "data_processing", parameters: { operation: "count", input: [1] } }];
    expect(workflowStartRequest({ name: "w", description: "d", steps, matter: "acme" })).toEqual({ workflow: { name: "w", description: "d", steps }, inputs: {}, matter: "acme", seedShape: true });
    expect(workflowStartRequest({ workflow: "name: w", inputs: { x: 1 } })).toEqual({ workflow: "name: w", inputs: { x: 1 }, matter: "default", seedShape: false });
    expect(() => workflowStartRequest({ name: "w" })).toThrow(/neither 'workflow'/);
  });

  it("the seed's model_id is the model to load, or the source of a download when it is a URL", () => {
    expect(modelActionFromRequest({ model_id: "m1", action: "load", config: { context_size: 512 } })).toEqual({ action: "load", id: "m1", contextSize: 512 });
    expect(modelActionFromRequest({ model_id: "hf:org/repo/file.gguf", action: "download", config: { sha256: "AB".repeat(32) } })).toEqual({ action: "download", source: "hf:org/repo/file.gguf", sha256: "ab".repeat(32) });
    expect(modelActionFromRequest({ model_id: "plain-id", action: "download" })).toEqual({ action: "download" });
    expect(() => modelActionFromRequest({ id: "a", model_id: "b", action: "unload" })).toThrow(/different models/);
  });

  it("ours and the seed's field names give the same action", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), fc.integer({ min: 128, max: 131072 }), fc.constantFrom("load" as const, "unload" as const), (id, contextSize, action) => {
        expect(modelActionFromRequest({ action, id, contextSize })).toEqual(modelActionFromRequest({ action, model_id: id, config: { context_size: contextSize } }));
      }),
    );
  });
});
