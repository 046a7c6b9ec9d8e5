// rev10 #14: the keys an open workspace derives from its hash key (document ids, audit content ids, the
// cache's key names and its Redis sealing) and the workspace keys themselves are zeroed when it is disposed,
// as the security module zeroes its copies and the cluster its payload key. Real workspace, real Redis.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { defaultBearConfig } from "@bear/core";
import { deriveKey } from "@bear/security";
import { openWorkspace, WorkspaceFolder } from "@bear/workspace";
import { quietConfig, tempDirs } from "./support/workspace-fixture";
import { startRedis } from "./support/redis-server";

const tempDir = tempDirs("bear-key-zeroing-");
const PURPOSES = ["audit/content-id", "rag/document-id", "cache/key", "cache/namespace", "cache/redis-seal"];
const NOTE = "MEMORANDUM\n\n1. Fees. The Client shall pay the Quorvath retainer of ten thousand dollars on signing.\n";

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe("a disposed workspace's keys", () => {
  it("are all zero: its three keys and every key derived from them, in the workspace, rag's document ids and the cache (secret, Redis sealer)", async () => {
    const dir = path.join(tempDir(), "ws");
    const folder = WorkspaceFolder.at(dir);
    await folder.create({});
    const stored = JSON.parse(fs.readFileSync(folder.paths.plainKeysFile, "utf8")) as Record<"auditKey" | "vaultKey" | "hashKey", string>;
    const masters = Object.entries(stored).map(([name, b64]) => [name, Buffer.from(b64, "base64")] as const);
    const hashKey = masters.find(([name]) => name === "hashKey")![1];
    const expected = new Map<string, Buffer>([...masters, ...PURPOSES.map((p) => [p, deriveKey(hashKey, p)] as const)]);
    // every Buffer made while the workspace is open that holds one of these keys (its own, rag's and the cache's copies)
    const holders = new Map<string, Buffer[]>();
    const from = Buffer.from;
    const spy = jest.spyOn(Buffer, "from").mockImplementation(function (this: typeof Buffer, ...args: unknown[]) {
      const made = (from as (...a: unknown[]) => Buffer).apply(this, args);
      if (made.length === 32) for (const [name, key] of expected) if (made.equals(key)) holders.set(name, [...(holders.get(name) ?? []), made]);
      return made;
    } as never);
    try {
      const workspace = await openWorkspace({ config: quietConfig(dir, { cache: { ...defaultBearConfig(dir).cache, redisUrl: redis.url } }), llm: false });
      try {
        await workspace.upload({ matter: "acme", fileName: "memo.txt", body: Readable.from([NOTE]), actor: "alice" });
        await workspace.search("Quorvath retainer", { k: 2 }, "alice");
        await workspace.review(NOTE, { actor: "alice", resource: "memo" });
        expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", sealed: true });
        expect(workspace.contentId("a text")).toMatch(/^[0-9a-f]{24}$/);
      } finally {
        await workspace.dispose();
      }
    } finally {
      spy.mockRestore();
    }
    // each key was held (rag's document ids and the cache's secret each also keep a copy of their own)
    expect([...holders.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(holders.get("rag/document-id")!.length).toBeGreaterThanOrEqual(2);
    expect(holders.get("cache/key")!.length).toBeGreaterThanOrEqual(2);
    const left = [...holders].flatMap(([name, buffers]) => buffers.filter((b) => !b.equals(Buffer.alloc(32))).map(() => name));
    expect(left).toEqual([]);
  }, 180_000);
});
