import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, json, jsonError, removeTempDirs, tempDir } from "./harness";
import { startRedis } from "./redis-harness";

// How the CLI checks the cluster's Redis server: once per command (the workspace's check at open), failing
// fast when it is unreachable; and `bear doctor` takes the cluster's URL as serve does (--redis or BEAR_REDIS_URL).

const COUNT = `name: count
steps:
  - id: count
    type: data_processing
    parameters: { operation: count, input: ["a", "b", "c"] }
`;

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  removeTempDirs();
});

/** A command to the test's Redis (redis-cli), its reply as text. */
function redisCli(...args: string[]): string {
  const run = spawnSync("redis-cli", ["-p", String(redis.port), "-a", redis.password, "--no-auth-warning", ...args], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`redis-cli ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/** CONFIG GET calls since the last CONFIG RESETSTAT: checkRedis reads the four settings it judges with one CONFIG GET each. */
function configCalls(): number {
  return Number(/cmdstat_config\|get:calls=(\d+)/.exec(redisCli("INFO", "commandstats"))?.[1] ?? 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

describe("the cluster's Redis server, as the CLI checks it", () => {
  it("`bear workflow run --redis` checks the server once (four CONFIG GETs), not in the CLI and again when the workspace opens", () => {
    const ws = initWorkspace("redis-once");
    const file = path.join(tempDir("redis-once-wf"), "count.yaml");
    fs.writeFileSync(file, COUNT);
    redisCli("CONFIG", "RESETSTAT");
    const run = bear(["--data-dir", ws, "--json", "workflow", "run", file, "--redis", redis.url]);
    expect(run.status).toBe(0);
    expect(json<{ status: string }>(run).status).toBe("completed");
    expect(configCalls()).toBe(4);
  }, 120_000);

  it("an unreachable Redis still fails `bear workflow run --redis` and `bear worker` at once (REDIS_UNREACHABLE), before any work", async () => {
    const ws = initWorkspace("redis-down");
    const file = path.join(tempDir("redis-down-wf"), "count.yaml");
    fs.writeFileSync(file, COUNT);
    const url = `redis://:pw@127.0.0.1:${await freePort()}`;
    for (const args of [["workflow", "run", file, "--redis", url], ["worker", "--redis", url]]) {
      const started = Date.now();
      const run = bear(["--data-dir", ws, "--json", ...args]);
      expect(run.status).not.toBe(0);
      expect(jsonError(run)).toMatchObject({ code: "REDIS_UNREACHABLE", message: expect.stringMatching(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable \(ECONNREFUSED\)/) });
      expect(run.stderr).not.toContain(":pw@");
      // the password was on the command line, readable by every local user: the user is told so
      expect(run.stderr).toContain("visible to every user of this machine (ps) while this command runs; set BEAR_REDIS_URL instead");
      expect(Date.now() - started).toBeLessThan(30_000);
    }
    // nothing ran: no run was recorded
    const runs = bear(["--data-dir", ws, "--json", "workflow", "list"]);
    expect(JSON.stringify(json(runs))).not.toContain("count");
  }, 120_000);

  it("`bear doctor --redis URL` checks the cluster's server as serve would use it (no BEAR_REDIS_URL needed), the password never shown", () => {
    const ws = initWorkspace("redis-doctor");
    const run = bear(["--data-dir", ws, "--json", "doctor", "--redis", redis.url], { env: { BEAR_REDIS_URL: "" } });
    const checks = json<{ checks: { area: string; level: string; summary: string }[] }>(run).checks.filter((c) => c.area === "redis");
    expect(checks).toEqual([{ area: "redis", level: "ok", summary: expect.stringMatching(new RegExp(`^redis://127\\.0\\.0\\.1:${redis.port}/0: Redis 7`)), details: expect.anything() }]);
    expect(run.stdout + run.stderr).not.toContain(redis.password);
    // without it (and without BEAR_REDIS_URL) there is no cluster server to check
    const none = json<{ checks: { area: string }[] }>(bear(["--data-dir", ws, "--json", "doctor"], { env: { BEAR_REDIS_URL: "" } }));
    expect(none.checks.filter((c) => c.area === "redis")).toEqual([]);
  }, 120_000);
});
