import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { redisOptions } from "./redis-connection";
import type { ClusterError } from "../errors";
import { isPrivateAddress, parseRedisUrl, redact } from "./redis-url";

describe("parseRedisUrl", () => {
  it("accepts loopback and a private address, each with a password", () => {
    expect(parseRedisUrl("redis://:pw@127.0.0.1:6380")).toMatchObject({ host: "127.0.0.1", port: 6380, password: "pw", loopback: true, db: 0 });
    expect(parseRedisUrl("redis://:s3cret@localhost/2")).toMatchObject({ password: "s3cret", db: 2, loopback: true });
    expect(parseRedisUrl("rediss://bear:pw@192.168.1.20:6379")).toMatchObject({ username: "bear", password: "pw", tls: true, loopback: false });
    expect(parseRedisUrl("redis://:pw@[::1]:6380")).toMatchObject({ host: "[::1]", port: 6380, password: "pw", loopback: true });
    expect(parseRedisUrl("redis://:50%25off@127.0.0.1")).toMatchObject({ password: "50%off" });
    // clients are made from the endpoint: an IPv6 host is given to the socket without its brackets
    expect(redisOptions(parseRedisUrl("redis://:pw@[fd00::2]:6380/3"))).toMatchObject({ host: "fd00::2", port: 6380, db: 3, password: "pw" });
  });

  it("says a password is always required, naming the setting, on loopback and IPv6 loopback alike", () => {
    for (const url of ["redis://127.0.0.1:6379", "redis://[::1]:6379"]) {
      expect(() => parseRedisUrl(url)).toThrow(expect.objectContaining({ code: "REDIS_URL_INSECURE", message: `the cluster's Redis URL (--redis, BEAR_REDIS_URL or cluster.redisUrl) '${url}' has no password: a password is required, on loopback too (any local process could otherwise read and write what BEAR keeps in Redis)` }));
    }
    expect(() => parseRedisUrl("redis://127.0.0.1:6379", "cache.redisUrl")).toThrow(/^cache\.redisUrl 'redis:\/\/127\.0\.0\.1:6379' has no password/);
    expect(() => parseRedisUrl("redis://172.20.0.3:6379")).toThrow(/has no password: a password is required$/);
  });

  it("refuses a malformed %-escape in the password as REDIS_URL_INVALID, hinting %25, without showing it", () => {
    let caught: unknown;
    try {
      parseRedisUrl("redis://:50%off@127.0.0.1");
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "REDIS_URL_INVALID", message: expect.stringMatching(/malformed %-escape/), hint: expect.stringContaining("%25") });
    expect((caught as Error).message).not.toContain("50%off");
  });

  it("refuses query options (ioredis would honour ?db= or ?path= the check ignores) and Unix sockets, plainly", () => {
    expect(() => parseRedisUrl("redis://:pw@127.0.0.1:6379?db=3")).toThrow(expect.objectContaining({ code: "REDIS_URL_INVALID", message: expect.stringContaining("query options") }));
    for (const url of ["redis://:pw@127.0.0.1?path=/tmp/redis.sock", "unix:///tmp/redis.sock", "/tmp/redis.sock", "redis:///tmp/redis.sock"]) {
      expect(() => parseRedisUrl(url)).toThrow(expect.objectContaining({ code: "REDIS_URL_INVALID", hint: expect.stringMatching(/^Unix sockets are not supported/) }));
    }
  });

  it("refuses public hosts, host names, remote hosts without a password and other schemes, naming the value", () => {
    expect(() => parseRedisUrl("redis://:pw@203.0.113.9:6379")).toThrow(/host '203.0.113.9', which is neither loopback nor a private address/);
    expect(() => parseRedisUrl("redis://:pw@redis.example.com:6379")).toThrow(/neither loopback nor a private address/);
    expect(() => parseRedisUrl("redis://172.20.0.3:6379")).toThrow(/no password/);
    // loopback without a password too: any local process could read the jobs and add its own
    for (const url of ["redis://127.0.0.1:6379", "redis://localhost"]) expect(() => parseRedisUrl(url)).toThrow(expect.objectContaining({ code: "REDIS_URL_INSECURE" }));
    expect(() => parseRedisUrl("http://127.0.0.1:6379")).toThrow(/scheme 'http:'/);
    expect(() => parseRedisUrl("not a url")).toThrow(/is not a Redis URL/);
    expect(() => parseRedisUrl("redis://:pw@127.0.0.1:6379/99")).toThrow(/database '99'/);
  });

  it("classifies private address ranges", () => {
    for (const a of ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1", "fd00::1", "fe80::1"]) expect(isPrivateAddress(a)).toBe(true);
    for (const a of ["172.32.0.1", "8.8.8.8", "11.0.0.1", "2001:db8::1", "example.org"]) expect(isPrivateAddress(a)).toBe(false);
  });

  it("never shows the password in messages or the display form", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{6,30}$/), fc.integer({ min: 1, max: 65535 }), (password, port) => {
        const url = `redis://:${password}@127.0.0.1:${port}`;
        expect(redact(url)).not.toContain(password);
        expect(parseRedisUrl(url).display).not.toContain(password);
        try {
          parseRedisUrl(`redis://:${password}@198.51.100.7:${port}`);
        } catch (error) {
          expect((error as Error).message).not.toContain(password);
        }
        // a password written as a user-only credential, and scheme-mangled forms: refused, never shown
        for (const form of [`redis://${password}@127.0.0.1:${port}`, `redis://${password}@10.0.0.5:${port}`, `redis:/:${password}@127.0.0.1:${port}`, `redis:${password}@127.0.0.1:${port}`, `${password}@127.0.0.1:${port}`]) {
          expect(redact(form)).not.toContain(password);
          const error = (() => {
            try {
              parseRedisUrl(form);
            } catch (e) {
              return e as ClusterError;
            }
            throw new Error(`accepted ${form}`);
          })();
          expect(`${error.message} ${error.hint ?? ""} ${JSON.stringify(error)}`).not.toContain(password);
        }
      }),
    );
  });
});
