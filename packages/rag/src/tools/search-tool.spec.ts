import { describe, expect, it } from "@jest/globals";
import type { SearchOptions } from "../retrieval/search-types";
import { searchTool } from "./search-tool";

describe("searchTool", () => {
  it("narrows a call of a matter to that matter, an empty matter included (it is no 'every matter')", async () => {
    const seen: SearchOptions[] = [];
    const tool = searchTool(async (_query, options) => (seen.push(options), []));
    for (const matter of ["acme", ""]) await tool.execute({ query: "rent" }, { runId: "r", matter, signal: new AbortController().signal });
    expect(seen.map((o) => o.allowedMatters)).toEqual([["acme"], [""]]);
  });
});
