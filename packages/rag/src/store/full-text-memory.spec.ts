import { describe, expect, it } from "@jest/globals";
import { boundFullTextBuildMemory, FULL_TEXT_PARTITION_ENV, FULL_TEXT_PARTITION_MIB } from "./full-text-memory";

describe("boundFullTextBuildMemory", () => {
  it("bounds LanceDB's full-text partitions when the environment does not", () => {
    const env: NodeJS.ProcessEnv = {};
    boundFullTextBuildMemory(env);
    expect(env[FULL_TEXT_PARTITION_ENV]).toBe(String(FULL_TEXT_PARTITION_MIB));
    const empty: NodeJS.ProcessEnv = { [FULL_TEXT_PARTITION_ENV]: "" };
    boundFullTextBuildMemory(empty);
    expect(empty[FULL_TEXT_PARTITION_ENV]).toBe(String(FULL_TEXT_PARTITION_MIB));
  });

  it("keeps an operator's own bound", () => {
    const env: NodeJS.ProcessEnv = { [FULL_TEXT_PARTITION_ENV]: "512" };
    boundFullTextBuildMemory(env);
    expect(env[FULL_TEXT_PARTITION_ENV]).toBe("512");
  });

  it("stays under the size LanceDB's builder reaches at a million chunks of plain text (~68 MiB), so a 1 GB ingest's index is split", () => {
    expect(FULL_TEXT_PARTITION_MIB).toBeLessThan(68);
  });
});
