import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { InProcessExecutor } from "../execution/executor";
import { StepHandlerDuplicateError, StepHandlerMissingError, StepParametersError } from "../errors";
import type { StepHandler } from "./step-handler";
import { StepHandlerRegistry } from "./step-handler-registry";

const upper: StepHandler<{ text: string }, string> = {
  type: "myplugin.upper",
  parameters: z.object({ text: z.string() }),
  execute: async (ctx) => ctx.parameters.text.toUpperCase(),
};
const task = (parameters: Record<string, never> | { text: unknown }) => ({ runId: "r", stepId: "s", type: "myplugin.upper", parameters: parameters as never, attempt: 1 });
const opts = { signal: new AbortController().signal, onProgress: () => undefined };

describe("StepHandlerRegistry and InProcessExecutor", () => {
  it("runs a registered handler with typed, validated parameters", async () => {
    const executor = new InProcessExecutor(new StepHandlerRegistry().register(upper));
    await expect(executor.execute(task({ text: "clause" }), opts)).resolves.toBe("CLAUSE");
  });

  it("refuses a duplicate type, a badly named type and an unknown type", () => {
    const registry = new StepHandlerRegistry().register(upper);
    expect(() => registry.register(upper)).toThrow(StepHandlerDuplicateError);
    expect(() => registry.register({ ...upper, type: "Bad Type" })).toThrow(/not a valid name/);
    expect(() => registry.get("nope")).toThrow(new StepHandlerMissingError("nope", ["myplugin.upper"]));
    expect(registry.unregister("myplugin.upper")).toBe(true);
    expect(registry.has("myplugin.upper")).toBe(false);
  });

  it("reports parameter errors with the parameter path", async () => {
    const executor = new InProcessExecutor(new StepHandlerRegistry().register(upper));
    await expect(executor.execute(task({ text: 3 }), opts)).rejects.toThrow(StepParametersError);
    await expect(executor.execute(task({ text: 3 }), opts)).rejects.toThrow(/parameters\.text: Invalid input: expected string, received number/);
  });
});
