import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { silentLogger, type Logger } from "@bear/core";
import { guardRedisServers, serverKey } from "../src/cluster/redis-server-guard";
import { startRedis } from "./support/redis-server";

/** A logger that keeps the `redis` field of each warning (the server's display address). */
function warningsLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (fields: unknown) => void warnings.push(String((fields as { redis?: string }).redis)), child: () => logger };
  return { logger, warnings };
}

describe("guardRedisServers: one check per Redis server", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis(); // a password, appendonly no: every check logs a warning
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("checks a server named by several URLs once: 127.0.0.1, localhost and [::1], other databases and users alike", async () => {
    const alone = warningsLogger();
    await guardRedisServers([{ url: `redis://:test-password@127.0.0.1:${redis.port}` }], alone.logger);
    expect(alone.warnings.length).toBeGreaterThan(0);
    const many = warningsLogger();
    await guardRedisServers(
      [
        { url: `redis://:test-password@127.0.0.1:${redis.port}` },
        { url: `redis://:test-password@localhost:${redis.port}/3`, setting: "cache.redisUrl" },
        { url: `redis://default:test-password@LOCALHOST:${redis.port}/1` },
        { url: `redis://:test-password@[::1]:${redis.port}/2` },
      ],
      many.logger,
    );
    expect(many.warnings).toEqual(alone.warnings);
  });

  it("keeps a server required when any URL naming it is (the unreachable one is refused, not left to the clients)", async () => {
    const gone = await startRedis();
    await gone.stop();
    const urls = [{ url: `redis://:test-password@127.0.0.1:${gone.port}` }, { url: `redis://:test-password@localhost:${gone.port}/4`, required: true }];
    await expect(guardRedisServers(urls, silentLogger)).rejects.toMatchObject({ code: "REDIS_UNREACHABLE" });
    await expect(guardRedisServers(urls.slice(0, 1), silentLogger)).resolves.toBeUndefined();
  });

  it("keys a server on host and port: the default loopback names are one, other addresses and ports stay apart", () => {
    expect(new Set(["localhost", "127.0.0.1", "[::1]", "LocalHost.", "::1"].map((host) => serverKey({ host, port: 6379 })))).toEqual(new Set(["loopback:6379"]));
    expect(serverKey({ host: "127.0.0.2", port: 6379 })).not.toBe(serverKey({ host: "127.0.0.1", port: 6379 }));
    expect(serverKey({ host: "localhost", port: 6380 })).not.toBe(serverKey({ host: "localhost", port: 6379 }));
    expect(serverKey({ host: "10.0.0.5", port: 6379 })).toBe(serverKey({ host: "10.0.0.5", port: 6379 }));
    expect(serverKey({ host: "10.0.0.5", port: 6379 })).not.toBe(serverKey({ host: "10.0.0.6", port: 6379 }));
  });
});
