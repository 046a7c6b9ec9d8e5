import { afterEach, describe, expect, it } from "@jest/globals";
import { checkRedis, ClusterError, parseRedisUrl, redisServerWarnings, type RedisServerSettings } from "../src/index";
import { recordingLogger } from "./fixtures/recording-logger";
import { startTestRedis, type TestRedis, type TestRedisOptions } from "./fixtures/redis-server";

const started: TestRedis[] = [];
afterEach(async () => {
  for (const r of started.splice(0)) await r.kill();
});

async function redis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const r = await startTestRedis(options);
  started.push(r);
  return r;
}

const SAFE: RedisServerSettings = { appendOnly: true, appendFsync: "everysec", bind: ["127.0.0.1", "::1"], protectedMode: true, acceptsUnauthenticated: false };

describe("Redis server settings (real redis-server)", () => {
  it("the deployment's settings (password, AOF, loopback): all read, nothing to warn about", async () => {
    const r = await redis();
    const { logger, warnings } = recordingLogger();
    const checked = await checkRedis(parseRedisUrl(r.url), 5_000, logger);
    expect(checked.server).toEqual({ appendOnly: true, appendFsync: "always", bind: ["127.0.0.1"], protectedMode: true, acceptsUnauthenticated: false });
    expect(checked.warnings).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it("AOF off: connects, warns once with the setting and the display URL, never the password", async () => {
    const r = await redis({ appendOnly: false });
    const { logger, warnings } = recordingLogger();
    const checked = await checkRedis(parseRedisUrl(r.url), 5_000, logger);
    expect(checked.server.appendOnly).toBe(false);
    expect(checked.warnings.map((w) => w.setting)).toEqual(["appendonly"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toEqual({ redis: `redis://127.0.0.1:${r.port}/0`, setting: "appendonly" });
    expect(JSON.stringify(warnings)).not.toContain(r.password);
  });

  it("a server with no password at all is refused (the URL's password is let through by Redis 7), typed and without the password", async () => {
    const r = await redis({ auth: "none" });
    const error = await checkRedis(parseRedisUrl(r.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error).toMatchObject({ code: "REDIS_SERVER_INSECURE", retryable: false, hint: expect.stringMatching(/requirepass/) });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(r.password);
  });

  it("an ACL user with a password beside a default user left `on nopass` is refused too", async () => {
    const r = await redis({ auth: "acl-user" });
    await expect(checkRedis(parseRedisUrl(r.url))).rejects.toMatchObject({ code: "REDIS_SERVER_INSECURE" });
  });

  it("CONFIG renamed away: the settings it would give are 'unknown', AOF read from INFO, and the check passes", async () => {
    const r = await redis({ args: ["--rename-command", "CONFIG", ""] });
    const checked = await checkRedis(parseRedisUrl(r.url));
    expect(checked.server).toEqual({ appendOnly: true, appendFsync: "unknown", bind: "unknown", protectedMode: "unknown", acceptsUnauthenticated: false });
    expect(checked.warnings).toEqual([]);
  });

  it("bound to every interface: warns about bind (and the server still runs with its password)", async () => {
    const r = await redis({ args: ["--bind", "0.0.0.0"], fsync: "no" });
    const checked = await checkRedis(parseRedisUrl(r.url));
    expect(checked.server.bind).toEqual(["0.0.0.0"]);
    expect(checked.warnings.map((w) => w.setting)).toEqual(["appendfsync", "bind"]);
  });
});

describe("redisServerWarnings (the policy)", () => {
  it("warns about bind only for every-interface or public addresses", () => {
    const bindWarns = (bind: readonly string[]): boolean => redisServerWarnings({ ...SAFE, bind }).some((w) => w.setting === "bind");
    expect(bindWarns(["127.0.0.1", "::1"])).toBe(false);
    expect(bindWarns(["10.0.0.5", "192.168.1.2", "fd00::2"])).toBe(false);
    expect(bindWarns(["*"])).toBe(true);
    expect(bindWarns(["::"])).toBe(true);
    expect(bindWarns(["127.0.0.1", "8.8.8.8"])).toBe(true);
    expect(redisServerWarnings({ ...SAFE, appendOnly: "unknown", appendFsync: "unknown", bind: "unknown", protectedMode: "unknown" })).toEqual([]);
  });
});
