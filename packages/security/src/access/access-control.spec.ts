import type { AuditEvent } from "@bear/core";
import { AccessControl } from "./access-control";
import { RateLimiter } from "./rate-limiter";

describe("AccessControl", () => {
  const events: AuditEvent[] = [];
  const ac = new AccessControl({ audit: { record: async (e) => void events.push(e) } });
  beforeAll(async () => {
    await ac.addUser("ann", "a long passphrase 1", ["attorney"], ["m-100"]);
    await ac.addUser("pat", "a long passphrase 2", ["paralegal"], ["m-100", "m-200"]);
    await ac.addUser("root", "a long passphrase 3", ["admin"]);
  });

  it("authenticates with the password and refuses a wrong one, auditing both", async () => {
    expect((await ac.authenticate("ann", "a long passphrase 1")).roles).toEqual(["attorney"]);
    await expect(ac.authenticate("ann", "wrong password!!")).rejects.toThrow(/authentication failed/);
    await expect(ac.authenticate("nobody", "whatever password")).rejects.toThrow(/authentication failed/);
    expect(events.filter((e) => e.action === "login").map((e) => e.outcome)).toEqual(["success", "denied", "denied"]);
  });

  it("refuses scrypt parameters weaker than N = 2^14", () => {
    expect(() => new AccessControl({ passwordScrypt: { N: 1024, r: 8, p: 1 } })).toThrow(/scrypt parameters/);
  });

  it("issues API keys once and keeps only their hash", async () => {
    const { apiKey } = await ac.addApiKey("ingest-bot", ["paralegal"], ["m-100"]);
    expect((await ac.authenticate("ingest-bot", apiKey)).kind).toBe("api-key");
    expect(JSON.stringify(ac.get("ingest-bot"))).not.toContain(apiKey);
  });

  it("grants by role and denies actions the role lacks", async () => {
    expect((await ac.authorize("ann", "pii.restore", { matter: "m-100" })).allowed).toBe(true);
    const d = await ac.authorize("pat", "pii.restore", { matter: "m-100" });
    expect(d).toEqual({ allowed: false, reason: expect.stringMatching(/grants 'pii.restore'/) });
  });

  it("keeps principals behind ethical walls of matters they are not assigned to", async () => {
    expect((await ac.authorize("ann", "document.read", { matter: "m-200", document: "doc-9" })).allowed).toBe(false);
    expect((await ac.authorize("pat", "document.read", { matter: "m-200" })).allowed).toBe(true);
    expect((await ac.authorize("root", "document.read", { matter: "m-200" })).allowed).toBe(true);
    ac.assignMatter("ann", "m-200");
    expect((await ac.authorize("ann", "document.read", { matter: "m-200" })).allowed).toBe(true);
    ac.revokeMatter("ann", "m-200");
    await expect(ac.demand("ann", "document.read", { matter: "m-200" })).rejects.toThrow(/ethical wall/);
  });

  it("audits every denial without secrets", async () => {
    const before = events.filter((e) => e.action === "permission.denied").length;
    await ac.authorize("ann", "key.rotate");
    await ac.authorize("ghost", "search");
    const denials = events.filter((e) => e.action === "permission.denied");
    expect(denials.length).toBe(before + 2);
    expect(denials.at(-1)).toMatchObject({ outcome: "denied", actor: "ghost", details: { requested: "search" } });
    expect(JSON.stringify(events)).not.toContain("passphrase");
  });
});

describe("RateLimiter", () => {
  it("allows a burst up to capacity, then refills over time, per principal", () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 3, refillPerSecond: 1, now: () => now });
    expect([rl.tryTake("a"), rl.tryTake("a"), rl.tryTake("a"), rl.tryTake("a")]).toEqual([true, true, true, false]);
    expect(rl.tryTake("b")).toBe(true);
    expect(() => rl.consume("a")).toThrow(/retry in 1000 ms/);
    now = 1000;
    expect(rl.tryTake("a")).toBe(true);
  });
});
