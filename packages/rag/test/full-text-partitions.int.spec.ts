import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { FULL_TEXT_PARTITION_ENV, FULL_TEXT_PARTITION_MIB } from "../src/store/full-text-memory";
import { LanceIndex } from "../src/store/lance-index";
import { tempDir } from "./support/temp-dir";

const run = promisify(execFile);
const child = path.resolve(import.meta.dirname, "full-text-partitions-child.ts");

interface ChildResult {
  readonly bound: string;
  readonly partitions: number;
  readonly hits: [string, number][][];
}

/** Ingests the child's invented chunks in a process of its own, with LanceDB's full-text partition bound set to `bound` MiB. */
async function ingestWithBound(bound: string): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", child, tempDir("rag-fts-partitions-")], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, [FULL_TEXT_PARTITION_ENV]: bound },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ChildResult;
}

/** A ranking with the chunks of equal score as a set (LanceDB orders exact ties by where it found them); the last group may be cut by k. */
function scoreGroups(hits: readonly [string, number][]): { scores: number[]; groups: string[][] } {
  const groups = new Map<string, string[]>();
  for (const [id, score] of hits) {
    const key = score.toFixed(4);
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  const whole = [...groups.values()].slice(0, -1).map((ids) => ids.sort());
  return { scores: hits.map(([, s]) => Number(s.toFixed(4))), groups: whole };
}

describe("full-text partitions (real LanceDB, one process per bound)", () => {
  it("bounds LanceDB's full-text builder for the process that opens an index, unless the operator set a bound", async () => {
    const before = process.env[FULL_TEXT_PARTITION_ENV];
    delete process.env[FULL_TEXT_PARTITION_ENV];
    try {
      await (await LanceIndex.open({ dir: tempDir("rag-fts-bound-") })).dispose();
      expect(process.env[FULL_TEXT_PARTITION_ENV]).toBe(String(FULL_TEXT_PARTITION_MIB));
      process.env[FULL_TEXT_PARTITION_ENV] = "512";
      await (await LanceIndex.open({ dir: tempDir("rag-fts-bound-") })).dispose();
      expect(process.env[FULL_TEXT_PARTITION_ENV]).toBe("512");
    } finally {
      if (before === undefined) delete process.env[FULL_TEXT_PARTITION_ENV];
      else process.env[FULL_TEXT_PARTITION_ENV] = before;
    }
  });

  it("ranks chunks with the same BM25 scores when the bound splits the index into many partitions, built and folded by upkeep", async () => {
    // 1 MiB splits 16k chunks into several partitions; 2,048 MiB (LanceDB's default) keeps one per build.
    const [split, whole] = await Promise.all([ingestWithBound("1"), ingestWithBound("2048")]);
    expect(split.bound).toBe("1");
    expect(whole.bound).toBe("2048");
    expect(split.partitions).toBeGreaterThan(whole.partitions + 2);
    expect(split.hits).toHaveLength(whole.hits.length);
    split.hits.forEach((hits, q) => {
      expect(hits.length).toBeGreaterThan(0);
      expect(scoreGroups(hits)).toEqual(scoreGroups(whole.hits[q]!));
    });
  }, 240_000);
});
