import { redactTool } from "./redact-tool";
import { POLICIES_WITHOUT_VAULT } from "../scrub/scrub-policy";

describe("the agents' redact tool offers no reversible policy (rev12 #11)", () => {
  const calls: (string | undefined)[] = [];
  const tool = redactTool(async (text, options) => {
    calls.push(options.policy);
    return { text, replacements: [] };
  });
  const context = { signal: new AbortController().signal, runId: "r1" };

  it("names only the policies that need no vault in its schema, and refuses 'reversible' before redacting", async () => {
    expect((tool.inputSchema as { properties: { policy: { enum: string[] } } }).properties.policy.enum).toEqual([...POLICIES_WITHOUT_VAULT]);
    await expect(tool.execute({ text: "Call Ann Smith.", policy: "reversible" }, context)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(calls).toEqual([]);
    await tool.execute({ text: "Call Ann Smith.", policy: "mask-numbers" }, context);
    expect(calls).toEqual(["mask-numbers"]);
  });

  it("offers what its front door allows when told", async () => {
    const cli = redactTool(async (text) => ({ text, replacements: [] }), { policies: ["default", "reversible"] });
    await expect(cli.execute({ text: "x", policy: "reversible" }, context)).resolves.toMatchObject({ text: "x" });
  });
});
