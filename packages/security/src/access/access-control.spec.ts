import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

describe("AccessControl with a principals file", () => {
  const fast = { passwordScrypt: { N: 2 ** 14, r: 8, p: 1 }, apiKeyScrypt: { N: 2 ** 14, r: 8, p: 1 } };
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-principals-"));
    file = path.join(dir, "state", "principals.json");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps users, keys, roles and matters across a restart, with hashes only, in a 0600 file", async () => {
    const first = new AccessControl({ ...fast, file });
    const { apiKey } = await first.addApiKey("admin", ["admin"]);
    await first.addUser("ann", "a long passphrase 1", ["attorney"], ["m-100"]);
    first.assignMatter("ann", "m-200");
    first.revokeMatter("ann", "m-100");
    const written = fs.readFileSync(file, "utf8");
    expect(written).not.toContain(apiKey);
    expect(written).not.toContain("a long passphrase 1");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = new AccessControl({ ...fast, file });
    expect(second.list().map((p) => [p.id, p.kind, p.roles, p.matters])).toEqual([
      ["admin", "api-key", ["admin"], []],
      ["ann", "user", ["attorney"], ["m-200"]],
    ]);
    expect((await second.authenticate("admin", apiKey)).roles).toEqual(["admin"]);
    expect((await second.authenticate("ann", "a long passphrase 1")).id).toBe("ann");
  });

  it("rotating an API key or removing a principal takes effect at once and survives a restart", async () => {
    const ac = new AccessControl({ ...fast, file });
    const { apiKey: old } = await ac.addApiKey("bot", ["viewer"]);
    const fresh = await ac.rotateApiKey("bot");
    await expect(ac.authenticate("bot", old)).rejects.toThrow(/authentication failed/);
    expect((await new AccessControl({ ...fast, file }).authenticate("bot", fresh)).id).toBe("bot");
    await ac.remove("bot");
    await expect(new AccessControl({ ...fast, file }).authenticate("bot", fresh)).rejects.toThrow(/authentication failed/);
    await expect(ac.remove("bot")).rejects.toMatchObject({ code: "PRINCIPAL_UNKNOWN" });
  });

  it("sees a key another process created, rotated or revoked at its next call, and audits who changed it", async () => {
    const records: AuditEvent[] = [];
    const server = new AccessControl({ ...fast, file, audit: { record: async (e) => void records.push(e) } });
    await server.addApiKey("admin", ["admin"], [], { actor: "cli" });
    const cli = new AccessControl({ ...fast, file, audit: { record: async (e) => void records.push(e) } }); // another process
    const { apiKey } = await cli.addApiKey("alice", ["attorney"], ["a", "b"], { actor: "admin" });
    expect(server.get("alice").matters).toEqual(["a", "b"]);
    const version = server.secretVersion("alice");
    expect((await server.authorize("alice", "search", { matter: "b" })).allowed).toBe(true);
    expect((await server.authorize("alice", "search", { matter: "c" })).allowed).toBe(false);
    const rotated = await cli.rotateApiKey("alice", { actor: "admin" });
    expect(server.secretVersion("alice")).not.toBe(version);
    await expect(server.authenticate("alice", apiKey)).rejects.toThrow(/authentication failed/);
    expect((await server.authenticate("alice", rotated)).id).toBe("alice");
    await cli.remove("alice", { actor: "admin" });
    expect(server.has("alice")).toBe(false);
    expect(server.secretVersion("alice")).toBeUndefined();
    await expect(server.authenticate("alice", rotated)).rejects.toThrow(/authentication failed/);
    // the server's own next write keeps what the other process wrote (it re-reads before writing)
    await cli.addApiKey("bob", ["viewer"], ["a"]);
    await server.addApiKey("carol", ["viewer"], ["a"]);
    expect(new AccessControl({ ...fast, file }).list().map((p) => p.id)).toEqual(["admin", "bob", "carol"]);
    expect(records.filter((r) => r.action.startsWith("principal.") || r.action === "key.rotate").map((r) => [r.action, r.actor, r.resource])).toEqual([
      ["principal.create", "cli", "admin"],
      ["principal.create", "admin", "alice"],
      ["key.rotate", "admin", "alice"],
      ["principal.remove", "admin", "alice"],
      ["principal.create", "system", "bob"],
      ["principal.create", "system", "carol"],
    ]);
  });

  it("refuses a damaged principals file with an error naming it, instead of starting with no one", () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const content of ["{not json", JSON.stringify({ format: 1, principals: [{ id: "x", kind: "user", roles: ["god"], matters: [], secretHash: "scrypt$1$1$1$AA$AA" }] }), "[]"]) {
      fs.writeFileSync(file, content);
      expect(() => new AccessControl({ file })).toThrow(expect.objectContaining({ code: "PRINCIPAL_STORE_INVALID", message: expect.stringContaining(file) }));
    }
  });

  it("refuses ids the audit log's screen reads as personal data, saying what they look like (the log records ids as they are)", async () => {
    const ac = new AccessControl({ ...fast });
    await expect(ac.addUser("svc-10.0.0.5", "a long passphrase 1", ["viewer"])).rejects.toThrow(/'svc-10\.0\.0\.5' looks like an IP address/);
    await expect(ac.addApiKey("DE89370400440532013000", ["viewer"])).rejects.toThrow(/looks like an IBAN/);
    await ac.addUser("svc-10-0-0-5", "a long passphrase 1", ["viewer"]);
    expect(ac.list().map((p) => p.id)).toEqual(["svc-10-0-0-5"]);
  });

  it("refuses ids that are e-mail addresses (they would put personal data in the audit log)", async () => {
    await expect(new AccessControl({ ...fast }).addUser("ann@firm.example", "a long passphrase 1", ["viewer"])).rejects.toThrow(/no e-mail addresses/);
  });
});
