import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import os from "node:os";
import { createPinoLogger, defaultBearConfig, enforceOffline, type BearConfig } from "@bear/core";
import { filesHolding, quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { isPrivateAddress } from "@bear/cluster";
import { diagnoseWorkspace, openWorkspace, WorkspaceFolder } from "@bear/workspace";
import { startRedis } from "./support/redis-server";

const tempDir = tempDirs("bear-ws-cache-");

const CHEAP_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const PASSPHRASE = "correct horse battery";
const config = (dir: string, cache: Partial<BearConfig["cache"]> = {}): BearConfig => quietConfig(dir, { cache: { ...defaultBearConfig(dir).cache, ...cache } });
const LEASE =
  "COMMERCIAL LEASE\n\nThis Lease is made between Quillfeather Holdings LLC (Landlord) and Brindlemoor Ltd (Tenant).\n\n4. Rent. The Tenant shall pay the Zanzibarian rent of five thousand dollars on the first day of each month.\n\n12. Termination. Either party may terminate this Lease on ninety (90) days' written notice.\n\n14. Governing Law. This Lease is governed by the laws of the State of New York.\n";

const reviewAudits = (dir: string) =>
  fs
    .readFileSync(path.join(dir, "audit", "audit.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { action: string; details?: Record<string, unknown> })
    .filter((r) => r.action === "review");

describe("the workspace cache", () => {
  it("in an encrypted workspace: L2 on disk is sealed (no document text, no query text in any cache file) and still serves a reopened workspace", async () => {
    const dir = path.join(tempDir(), "ws");
    await WorkspaceFolder.at(dir).create({ passphrase: PASSPHRASE, scrypt: CHEAP_SCRYPT });
    const open = () => openWorkspace({ config: config(dir), passphrase: PASSPHRASE });
    let first: unknown;
    await withWorkspace(open(), async (workspace) => {
      await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      first = await workspace.search("Zanzibarian rent", { k: 3 }, "alice");
      await workspace.review(LEASE, { actor: "alice", resource: "lease" });
      expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "disk", sealed: true });
    });
    const cacheFiles = filesHolding(path.join(dir, "cache"), "");
    expect(cacheFiles.some((f) => f.startsWith("l2/search/") && f.endsWith(".seg"))).toBe(true);
    expect(cacheFiles.some((f) => f.startsWith("l2/review/") && f.endsWith(".seg"))).toBe(true);
    for (const word of ["Zanzibarian", "Quillfeather", "Brindlemoor", "rent"]) expect(filesHolding(dir, word)).toEqual([]);
    await withWorkspace(open(), async (workspace) => {
      expect(await workspace.search("Zanzibarian rent", { k: 3 }, "alice")).toEqual(first);
      await workspace.review(LEASE, { actor: "alice", resource: "lease" });
      const stats = await workspace.cacheStats();
      expect(stats.kinds.search.l2Hits).toBe(1);
      expect(stats.kinds.review.l2Hits).toBe(1);
    });
    expect(reviewAudits(dir).map((r) => r.details?.["cached"])).toEqual([false, true]);
  });

  it("caches reviews by text and playbook, and `clearCache` empties every level and is audited", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: config(dir), create: true }), async (workspace) => {
      const a = await workspace.review(LEASE, { actor: "cli", resource: "lease" });
      const b = await workspace.review(LEASE, { actor: "cli", resource: "lease" });
      expect(b).toEqual(a);
      await workspace.review(`${LEASE}\n15. Notices. Notices are given in writing.\n`, { actor: "cli", resource: "lease-v2" });
      expect((await workspace.cacheStats()).kinds.review).toMatchObject({ l1Hits: 1, misses: 2 });
      // the same counts in /metrics (Prometheus text)
      const metrics = await workspace.metricsText();
      expect(metrics).toContain('bear_cache_hits_total{kind="review",level="l1"} 1\n');
      expect(metrics).toContain('bear_cache_hits_total{kind="review",level="l2"} 0\n');
      expect(metrics).toContain('bear_cache_misses_total{kind="review"} 2\n');
      expect(metrics).toContain('bear_cache_sets_total{kind="review"} 2\n');
      expect(metrics).toMatch(/^bear_cache_evictions_total\{kind="embedding"\} \d+$/m);
      expect(metrics).toMatch(/^bear_cache_l1_entries [1-9]\d*$/m);
      expect(metrics).toContain('bear_cache_l2_up{backend="disk"} 1\n');
      await workspace.clearCache("cli");
      expect((await workspace.cacheStats()).l1.entries).toBe(0);
      expect((await workspace.cacheStats()).l2?.entries).toBe(0);
      await workspace.review(LEASE, { actor: "cli", resource: "lease" });
      expect((await workspace.cacheStats()).kinds.review.misses).toBe(3);
    });
    const cleared = fs.readFileSync(path.join(dir, "audit", "audit.jsonl"), "utf8").split("\n").filter((l) => l.includes('"cache.clear"'));
    expect(cleared).toHaveLength(1);
    expect(reviewAudits(dir).map((r) => r.details?.["cached"])).toEqual([false, true, false, false]);
  });

  it("`cache.enabled: false` caches nothing", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: config(dir, { enabled: false }), create: true }), async (workspace) => {
      await workspace.review(LEASE, { actor: "cli", resource: "lease" });
      await workspace.review(LEASE, { actor: "cli", resource: "lease" });
      const stats = await workspace.cacheStats();
      expect(stats.kinds.review).toMatchObject({ l1Hits: 0, misses: 2 });
      expect(stats.l2).toBeNull();
    });
  });

  describe("with Redis as L2 (a real redis-server on a random loopback port)", () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => redis.stop());

    it("two workspaces on one Redis share results; an encrypted workspace's values in Redis are sealed", async () => {
      const dir = path.join(tempDir(), "ws");
      await WorkspaceFolder.at(dir).create({ passphrase: PASSPHRASE, scrypt: CHEAP_SCRYPT });
      const open = () => openWorkspace({ config: config(dir, { redisUrl: redis.url }), passphrase: PASSPHRASE });
      await withWorkspace(open(), async (workspace) => {
        await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
        await workspace.search("Zanzibarian rent", { k: 3 }, "alice");
        await workspace.review(LEASE, { actor: "alice", resource: "lease" });
        expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", sealed: true, location: expect.not.stringContaining("test-password") });
      });
      expect(fs.existsSync(path.join(dir, "cache", "l2", "search"))).toBe(false);
      await withWorkspace(open(), async (workspace) => {
        await workspace.search("Zanzibarian rent", { k: 3 }, "alice");
        await workspace.review(LEASE, { actor: "alice", resource: "lease" });
        const stats = await workspace.cacheStats();
        expect(stats.kinds.search.l2Hits).toBe(1);
        expect(stats.kinds.review.l2Hits).toBe(1);
        expect(stats.l2?.entries).toBeGreaterThanOrEqual(2);
      });
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys("bear:cache:*");
        expect(keys.length).toBeGreaterThanOrEqual(2);
        for (const key of keys) {
          expect(key).not.toMatch(/Zanzibarian|rent/);
          if (key.endsWith(":epoch") || key.endsWith(":counters")) continue;
          const value = (await client.getBuffer(key))!;
          for (const word of ["Zanzibarian", "Quillfeather", "Brindlemoor"]) expect(value.includes(word)).toBe(false);
          expect(await client.pttl(key)).toBeGreaterThan(0);
        }
      } finally {
        client.disconnect();
      }
    });

    it("an unencrypted workspace seals its values in Redis too; a Redis that refuses writes is logged without the value", async () => {
      const dir = path.join(tempDir(), "ws");
      await withWorkspace(openWorkspace({ config: config(dir, { redisUrl: redis.url }), create: true }), async (workspace) => {
        await workspace.review(LEASE, { actor: "alice", resource: "lease" });
        expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", sealed: true });
      });
      const client = new Redis(redis.url);
      try {
        const keys = (await client.keys("bear:cache:*")).filter((k) => !k.endsWith(":epoch") && !k.endsWith(":counters"));
        expect(keys.length).toBeGreaterThanOrEqual(1);
        for (const key of keys) for (const word of ["Zanzibarian", "Quillfeather", "Brindlemoor"]) expect((await client.getBuffer(key))!.includes(word)).toBe(false);
      } finally {
        client.disconnect();
      }
      // A full Redis (maxmemory 1 byte, no eviction) refuses every write; the warning must not carry the value.
      const full = await startRedis();
      const admin = new Redis(full.url);
      const lines: string[] = [];
      const destination = { write: (line: string) => lines.push(line) > 0 };
      try {
        await admin.config("SET", "maxmemory-policy", "noeviction");
        await admin.config("SET", "maxmemory", "1");
        const unencrypted = path.join(tempDir(), "ws");
        await withWorkspace(openWorkspace({ config: config(unencrypted, { redisUrl: full.url }), create: true, logger: createPinoLogger({ level: "warn", destination }) }), async (workspace) => {
          await workspace.review(LEASE, { actor: "alice", resource: "lease" });
        });
      } finally {
        admin.disconnect();
        await full.stop();
      }
      const refusals = lines.filter((l) => l.includes("cannot be written"));
      expect(refusals.length).toBeGreaterThanOrEqual(1);
      expect(refusals[0]).toContain("OOM");
      // ioredis's error carried the SET's value as a Buffer: pino would write it as its bytes' numbers.
      const logged = lines.join("\n");
      expect(logged).not.toMatch(/"command"|"args"/); // not even the sealed value
      for (const word of ["Zanzibarian", "Quillfeather", "Brindlemoor"]) {
        expect(logged).not.toContain(word);
        expect(logged).not.toContain(Buffer.from(word).toJSON().data.join(","));
      }
    });

    it("the cache's client is made from the checked endpoint: the URL's database is the one used, and query options (which ioredis would honour) are refused", async () => {
      const dir = path.join(tempDir(), "ws");
      await withWorkspace(openWorkspace({ config: config(dir, { redisUrl: `${redis.url}/5` }), create: true }), async (workspace) => {
        await workspace.review(LEASE, { actor: "cli", resource: "lease" });
        expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", entries: 1, location: expect.stringMatching(/\/5$/) });
      });
      const client = new Redis(`${redis.url}/5`);
      try {
        expect((await client.keys("bear:cache:*")).length).toBeGreaterThanOrEqual(1);
      } finally {
        client.disconnect();
      }
      // `?db=3` would have sent the raw URL's client to database 3 while the check saw database 0; `?path=` to a Unix socket
      // (refused when the workspace opens: its Redis servers are checked then)
      for (const url of [`${redis.url}?db=3`, `${redis.url}?path=/tmp/redis.sock`]) {
        await expect(openWorkspace({ config: config(path.join(tempDir(), "ws"), { redisUrl: url }), create: true })).rejects.toMatchObject({ code: "REDIS_URL_INVALID", message: expect.stringMatching(/^cache\.redisUrl /) });
      }
    });

    it("a cache URL that is neither loopback nor private, or has no password, is refused as the cluster's is", async () => {
      for (const [url, code] of [
        ["redis://:pw@203.0.113.9:6379", "REDIS_URL_INSECURE"],
        ["redis://10.1.2.3:6379", "REDIS_URL_INSECURE"],
        ["redis://127.0.0.1:6379", "REDIS_URL_INSECURE"],
        ["redis://:pw@cache.example.com:6379", "REDIS_URL_INSECURE"],
      ] as const) {
        const dir = path.join(tempDir(), "ws");
        await expect(openWorkspace({ config: config(dir, { redisUrl: url }), create: true })).rejects.toMatchObject({ code, message: expect.stringMatching(/^cache\.redisUrl /) });
      }
    });

    // The machine's first private (RFC 1918 / unique-local) address, if it has one: a cluster's Redis on another machine is reached at such an address.
    const privateAddress = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && isPrivateAddress(a.address))?.address;
    (privateAddress ? it : it.skip)(`with the offline guard on, a cache Redis on a private address (${privateAddress ?? "none here"}) serves as L2`, async () => {
      const remote = await startRedis("test-password", privateAddress!);
      const allowOffline = enforceOffline();
      try {
        const dir = path.join(tempDir(), "ws");
        const open = () => openWorkspace({ config: config(dir, { redisUrl: remote.url }), create: true });
        await withWorkspace(open(), async (workspace) => {
          await workspace.review(LEASE, { actor: "cli", resource: "lease" });
          expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", entries: 1 });
        });
        await withWorkspace(open(), async (workspace) => {
          await workspace.review(LEASE, { actor: "cli", resource: "lease" });
          expect((await workspace.cacheStats()).kinds.review.l2Hits).toBe(1);
        });
      } finally {
        allowOffline();
        await remote.stop();
      }
    });

    it("a cache Redis that answers clients giving no password stops the workspace from opening (REDIS_SERVER_INSECURE)", async () => {
      const open = await startRedis("");
      try {
        const dir = path.join(tempDir(), "ws");
        await expect(openWorkspace({ config: config(dir, { redisUrl: open.url }), create: true })).rejects.toMatchObject({ code: "REDIS_SERVER_INSECURE" });
      } finally {
        await open.stop();
      }
    });

    it("bear doctor shows each Redis's settings: no password is a failure, AOF off a warning with its fix", async () => {
      const plain = await startRedis(); // a password, appendonly no
      const open = await startRedis("");
      try {
        const dir = path.join(tempDir(), "ws");
        const checks = await diagnoseWorkspace({ config: config(dir, { redisUrl: plain.url }), redisUrl: open.url, canUnseal: false, withWorkspace: () => Promise.reject(new Error("not opened here")) });
        expect(checks.filter((c) => c.area === "redis")).toEqual([
          expect.objectContaining({ level: "fail", summary: expect.stringMatching(/answers clients that give no password/), fix: expect.stringMatching(/requirepass/) }),
          expect.objectContaining({ level: "warn", summary: expect.stringMatching(/appendonly no, appendfsync \S+, bind 127\.0\.0\.1, clients without a password refused$/), fix: expect.stringMatching(/appendonly yes/) }),
        ]);
        expect(JSON.stringify(checks)).not.toContain("test-password");
      } finally {
        await plain.stop();
        await open.stop();
      }
    });

    it("with Redis unreachable, work goes on uncached and quickly, and the statistics say why", async () => {
      const dir = path.join(tempDir(), "ws");
      const dead = await startRedis();
      const url = dead.url;
      await dead.stop();
      await withWorkspace(openWorkspace({ config: config(dir, { redisUrl: url }), create: true }), async (workspace) => {
        const started = Date.now();
        await workspace.review(LEASE, { actor: "cli", resource: "lease" });
        await workspace.review(LEASE, { actor: "cli", resource: "lease" });
        expect(Date.now() - started).toBeLessThan(10_000);
        const stats = await workspace.cacheStats();
        // L1 still works; L2 reports the error instead of failing.
        expect(stats.kinds.review.l1Hits).toBe(1);
        expect(stats.l2).toMatchObject({ backend: "redis", error: expect.any(String) });
      });
    });
  });
});
