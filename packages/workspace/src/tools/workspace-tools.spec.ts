import { describe, expect, it } from "@jest/globals";
import { RunMatterMissingError } from "../errors";
import { matterOf } from "../agents/document-source";
import type { WorkspaceActs } from "./workspace-tools";
import { workspaceTools } from "./workspace-tools";

// The refusals come before the workspace is reached: an acts object that fails if it is.
const unreachable = { get: () => { throw new Error("the workspace was reached"); } } as unknown as WorkspaceActs;

describe("a run with no matter (none, or empty) reads and searches nothing", () => {
  it("the search tool refuses the call (it would search every matter)", async () => {
    const search = workspaceTools(unreachable).find((t) => t.name === "search")!;
    for (const matter of [undefined, ""]) {
      await expect(search.execute({ query: "rent" }, { runId: "r", signal: new AbortController().signal, ...(matter === undefined ? {} : { matter }) })).rejects.toBeInstanceOf(RunMatterMissingError);
    }
  });

  it("matterOf refuses a step of such a run", () => {
    expect(() => matterOf({ runId: "r", stepId: "s", matter: "" })).toThrow(RunMatterMissingError);
    expect(() => matterOf({ runId: "r", stepId: "s" })).toThrow(RunMatterMissingError);
    expect(matterOf({ runId: "r", stepId: "s", matter: "acme" })).toBe("acme");
  });
});
