import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auditRecords, startTestServer, type TestServer } from "./support/test-server";

describe("users and API keys over REST (/api/v1/users)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 1000, refillPerSecond: 100 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: string, path: string, key: string, body?: unknown) =>
    fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it("lets only an admin manage users; a non-admin gets 403 and the refusal is audited", async () => {
    for (const who of ["alice", "paula", "victor"] as const) {
      expect((await call("GET", "/api/v1/users", t.keys[who])).status).toBe(403);
      expect((await call("POST", "/api/v1/users", t.keys[who], { id: "mallory", role: "admin" })).status).toBe(403);
      expect((await call("DELETE", "/api/v1/users/admin", t.keys[who])).status).toBe(403);
    }
    expect(auditRecords(t.dir).some((r) => r.action === "permission.denied" && r.actor === "alice" && r.details?.["requested"] === "principal.manage")).toBe(true);
    const list = (await (await call("GET", "/api/v1/users", t.keys.admin)).json()) as { users: { id: string; role: string; matters: string[] }[] };
    expect(list.users.find((u) => u.id === "alice")).toEqual({ id: "alice", kind: "api-key", role: "attorney", matters: ["acme"] });
    expect(JSON.stringify(list)).not.toMatch(/scrypt|bear_/);
  });

  it("a key created for matters a and b works for a and b only, at once; revoking it stops it at once; both acts name the admin", async () => {
    const created = await call("POST", "/api/v1/users", t.keys.admin, { id: "dana", role: "attorney", matters: ["a", "b"] });
    expect(created.status).toBe(201);
    const { user, apiKey } = (await created.json()) as { user: { id: string; role: string; matters: string[] }; apiKey: string };
    expect(user).toEqual({ id: "dana", kind: "api-key", role: "attorney", matters: ["a", "b"] });
    expect(apiKey).toMatch(/^bear_dana_[A-Za-z0-9_-]{32}$/);
    expect((await call("GET", "/api/v1/documents?matter=a", apiKey)).status).toBe(200);
    expect((await call("GET", "/api/v1/documents?matter=b", apiKey)).status).toBe(200);
    expect((await call("GET", "/api/v1/documents?matter=acme", apiKey)).status).toBe(403);
    expect((await call("GET", "/api/v1/users", apiKey)).status).toBe(403); // an attorney manages no users

    // A new key for the same user: the old one stops at once (even though it was just verified and cached).
    const rotated = (await (await call("POST", "/api/v1/users/dana/key", t.keys.admin)).json()) as { apiKey: string };
    expect((await call("GET", "/api/v1/documents?matter=a", apiKey)).status).toBe(401);
    expect((await call("GET", "/api/v1/documents?matter=a", rotated.apiKey)).status).toBe(200);

    const revoked = await call("DELETE", "/api/v1/users/dana", t.keys.admin);
    expect(revoked.status).toBe(200);
    expect((await call("GET", "/api/v1/documents?matter=a", rotated.apiKey)).status).toBe(401);
    expect((await call("DELETE", "/api/v1/users/dana", t.keys.admin)).status).toBe(404);

    const acts = auditRecords(t.dir)
      .filter((r) => (r.action === "principal.create" || r.action === "principal.remove" || r.action === "key.rotate") && (r as { resource?: string }).resource === "dana")
      .map((r) => [r.action, r.actor]);
    expect(acts).toEqual([
      ["principal.create", "admin"],
      ["key.rotate", "admin"],
      ["principal.remove", "admin"],
    ]);
    // The key itself is never written anywhere in the workspace's audit trail.
    expect(JSON.stringify(auditRecords(t.dir))).not.toContain(apiKey.slice(10));
  });

  it("validates at the boundary: role, matter ids, an admin with matters, a non-admin without, a taken id, the last admin", async () => {
    const bad = async (body: unknown, status = 400) => {
      const res = await call("POST", "/api/v1/users", t.keys.admin, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect((await bad({ id: "x1", role: "god", matters: ["a"] })).code).toBe("VALIDATION_FAILED");
    expect((await bad({ id: "x1", role: "viewer", matters: ["../etc"] })).code).toBe("VALIDATION_FAILED");
    expect((await bad({ id: "a_b", role: "viewer", matters: ["a"] })).code).toBe("VALIDATION_FAILED");
    expect((await bad({ id: "x1", role: "admin", matters: ["a"] })).message).toMatch(/admin sees every matter/);
    expect((await bad({ id: "x1", role: "viewer" })).message).toMatch(/at least one matter/);
    expect((await bad({ id: "alice", role: "viewer", matters: ["a"] }, 409)).code).toBe("USER_EXISTS");
    const last = await call("DELETE", "/api/v1/users/admin", t.keys.admin);
    expect(last.status).toBe(400);
    expect(((await last.json()) as { error: { message: string } }).error.message).toMatch(/last admin/);
  });
});
