import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { isLoopbackHost, isLoopbackIp } from "./address-policy";

describe("isLoopbackHost", () => {
  it.each([
    "127.0.0.1",
    "127.0.0.53",
    "127.255.255.254",
    "127.1.2.3",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "0000:0000:0000:0000:0000:0000:0000:0001",
    "::0:1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "0:0:0:0:0:ffff:127.0.0.1",
    "[::ffff:127.0.0.1]",
    "localhost",
    "LOCALHOST",
    "localhost.",
    "api.localhost",
    "deep.sub.localhost.",
  ])("allows loopback %s", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "8.8.8.8",
    "203.0.113.7",
    "128.0.0.1",
    "126.255.255.255",
    "0.0.0.0",
    "::",
    "::2",
    "::ffff:10.0.0.1",
    "::ffff:0a00:1",
    "::ffff:8.8.8.8",
    "::127.0.0.1", // deprecated IPv4-compatible form: not the loopback address
    "fe80::1",
    "fe80::1%eth0",
    "::1%lo",
    "2001:db8::1",
    "example.com",
    "localhost.example.com",
    "mylocalhost",
    "localhost.evil.com",
    "127.1", // inet_aton shorthand: refused rather than guessed
    "0x7f.0.0.1",
    "2130706433",
    "ip6-localhost",
    "",
    " ",
  ])("refuses %s", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it("treats every 127.0.0.0/8 address as loopback and every other IPv4 address as remote", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        expect(isLoopbackIp(`${a}.${b}.${c}.${d}`)).toBe(a === 127);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees on IPv4-mapped IPv6 addresses with their IPv4 form, in both spellings", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const dotted = `::ffff:${a}.${b}.${c}.${d}`;
        const hex = `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        expect(isLoopbackIp(dotted)).toBe(a === 127);
        expect(isLoopbackIp(hex)).toBe(a === 127);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses every IPv6 address other than ::1 and mapped 127/8", () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const text = groups.map((g) => g.toString(16)).join(":");
        const isOne = groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1;
        const isMapped127 = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff && (groups[6] ?? 0) >> 8 === 127;
        expect(isLoopbackIp(text)).toBe(isOne || isMapped127);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof isLoopbackHost(s)).toBe("boolean");
      }),
    );
  });
});
