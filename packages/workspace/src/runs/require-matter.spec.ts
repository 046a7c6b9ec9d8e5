import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { RunMatterMissingError } from "../errors";
import { requireMatter } from "./require-matter";

describe("requireMatter", () => {
  it("refuses a run with no matter or the empty matter, naming what asked and the run ('direct' outside a run)", () => {
    for (const matter of [undefined, ""]) {
      const context = matter === undefined ? { runId: "run-7" } : { runId: "run-7", matter };
      expect(() => requireMatter(context, "tool 'search'")).toThrow(RunMatterMissingError);
      expect(() => requireMatter(context, "tool 'search'")).toThrow("tool 'search' of run 'run-7' uses documents, but the run has no matter");
    }
    expect(() => requireMatter({ matter: "" }, "step 'extract'")).toThrow("step 'extract' of run 'direct'");
  });

  it("names who started the run when the context says (in the message and the details)", () => {
    const refusal = (() => {
      try {
        requireMatter({ runId: "run-8", actor: "paula" }, "step 'extract'");
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(RunMatterMissingError);
    expect(refusal).toMatchObject({ message: "step 'extract' of run 'run-8' (started by 'paula') uses documents, but the run has no matter", details: { runId: "run-8", actor: "paula" } });
  });

  it("gives back any other matter as it is", () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.option(fc.string(), { nil: undefined }), (matter, runId) => requireMatter({ matter, runId }, "step 's'") === matter));
  });
});
