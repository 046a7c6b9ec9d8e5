import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { CacheKind } from "./cache";
import { DiskCacheStore } from "./disk-cache-store";

const hash = (n: number): string => n.toString(16).padStart(64, "0");
const key = (n: number, kind: CacheKind = "search") => ({ kind, hash: hash(n) });
const value = (n: number, size = 100): Uint8Array => new Uint8Array(size).fill(n % 256);

describe("DiskCacheStore", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-disk-cache-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps values across reopening, and forgets expired ones", async () => {
    const store = new DiskCacheStore({ dir, maxBytes: 1 << 20 });
    await store.setMany([
      { key: key(1), value: value(1), expiresAt: Date.now() + 60_000 },
      { key: key(2), value: value(2), expiresAt: Date.now() - 1 },
    ]);
    await store.dispose();
    const again = new DiskCacheStore({ dir, maxBytes: 1 << 20 });
    const [one, two, three] = await again.getMany([key(1), key(2), key(3)]);
    expect(Buffer.from(one!)).toEqual(Buffer.from(value(1)));
    expect(two).toBeUndefined();
    expect(three).toBeUndefined();
    expect((fs.statSync(path.join(dir, "search")).mode & 0o777).toString(8)).toBe("700");
    await again.dispose();
  });

  it("deletes the oldest segments past its byte cap and counts the evicted entries", async () => {
    const store = new DiskCacheStore({ dir, maxBytes: 20_000, segmentBytes: 2_000 });
    for (let i = 0; i < 100; i++) await store.setMany([{ key: key(i), value: value(i, 500), expiresAt: Date.now() + 60_000 }]);
    const stats = await store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(20_000);
    expect(stats.evictions).toBeGreaterThan(0);
    expect(stats.entries).toBe(100 - stats.evictions!);
    const found = await store.getMany([key(0), key(99)]);
    expect(found[0]).toBeUndefined();
    expect(Buffer.from(found[1]!)).toEqual(Buffer.from(value(99, 500)));
    const onDisk = fs.readdirSync(path.join(dir, "search")).filter((f) => f.endsWith(".seg")).reduce((n, f) => n + fs.statSync(path.join(dir, "search", f)).size, 0);
    expect(onDisk).toBe(stats.bytes);
    await store.dispose();
  });

  it("ignores a record torn by a crash", async () => {
    const store = new DiskCacheStore({ dir, maxBytes: 1 << 20 });
    await store.setMany([{ key: key(1), value: value(1), expiresAt: Date.now() + 60_000 }]);
    await store.dispose();
    const seg = fs.readdirSync(path.join(dir, "search")).find((f) => f.endsWith(".seg"))!;
    fs.truncateSync(path.join(dir, "search", seg), 50);
    const again = new DiskCacheStore({ dir, maxBytes: 1 << 20 });
    expect(await again.getMany([key(1)])).toEqual([undefined]);
    await again.dispose();
  });

  it("sees another process's writes and clears (one store each, one folder)", async () => {
    const a = new DiskCacheStore({ dir, maxBytes: 1 << 20, refreshIntervalMs: 0 });
    const b = new DiskCacheStore({ dir, maxBytes: 1 << 20, refreshIntervalMs: 0 });
    await b.getMany([key(1)]);
    await a.setMany([{ key: key(1), value: value(1), expiresAt: Date.now() + 60_000 }]);
    expect(Buffer.from((await b.getMany([key(1)]))[0]!)).toEqual(Buffer.from(value(1)));
    const epoch = await a.epoch();
    await b.clear();
    expect(await a.epoch()).not.toBe(epoch);
    expect(await a.getMany([key(1)])).toEqual([undefined]);
    // a writes again after the clear: into a new segment, readable by both.
    await a.setMany([{ key: key(2), value: value(2), expiresAt: Date.now() + 60_000 }]);
    expect((await b.getMany([key(2)]))[0]).toBeDefined();
    await a.dispose();
    await b.dispose();
  });

  it("clears one kind and keeps the others", async () => {
    const store = new DiskCacheStore({ dir, maxBytes: 1 << 20 });
    await store.setMany([
      { key: key(1, "search"), value: value(1), expiresAt: Date.now() + 60_000 },
      { key: key(1, "embedding"), value: value(2), expiresAt: Date.now() + 60_000 },
    ]);
    await store.clear("search");
    const [search, embedding] = await store.getMany([key(1, "search"), key(1, "embedding")]);
    expect(search).toBeUndefined();
    expect(Buffer.from(embedding!)).toEqual(Buffer.from(value(2)));
    await store.dispose();
  });
});
