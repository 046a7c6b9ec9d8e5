import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { AuditLog, type AuditRecord } from "./audit-log";
import { withholdingAuditSink } from "./withholding-audit-sink";
import { PiiScanner } from "../pii/pii-scanner";

const key = Buffer.alloc(32, 9);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-withhold-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lastRecord = (): AuditRecord => JSON.parse(fs.readFileSync(path.join(dir, "audit.jsonl"), "utf8").trim().split("\n").pop() ?? "") as AuditRecord;

/** A 24-hex id that also reads as an Andorran IBAN ("ad", two check digits, 8 digits, 12 hex): what a random document id is ~1 time in 33,000. */
function ibanShapedHexId(tail: string): string {
  const bban = `${"0123456789".repeat(2).slice(0, 8)}${tail}`;
  const numeric = (s: string): string => [...s.toUpperCase()].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join("");
  const mod97 = (digits: string): number => [...digits].reduce((m, d) => (m * 10 + Number(d)) % 97, 0);
  const check = String(98 - mod97(numeric(`${bban}AD00`))).padStart(2, "0");
  return `ad${check}${bban}`;
}

describe("withholdingAuditSink over the real AuditLog", () => {
  it("keeps actor, resource and matter when a document id reads as an IBAN", async () => {
    const id = ibanShapedHexId("a1eec3aa3d27");
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new PiiScanner({ names: false }).scan(id).map((f) => f.type)).toContain("IBAN"); // the screen does refuse it as text
    const log = new AuditLog({ dir, key });
    await withholdingAuditSink(log).record({ action: "export", outcome: "success", actor: "alice", resource: id, matter: "acme", details: { kind: "redacted-copy" } });
    expect(lastRecord()).toMatchObject({ actor: "alice", resource: id, matter: "acme", details: { kind: "redacted-copy" } });
    expect((await log.verify()).ok).toBe(true);
  });

  it("keeps the actor and matter of an act in a matter whose id holds an IP address, and withholds only a detail that fails", async () => {
    const log = new AuditLog({ dir, key });
    await withholdingAuditSink(log).record({
      action: "document.delete",
      outcome: "success",
      actor: "svc-10.0.0.5",
      resource: "5f0e1c2b3a4d5e6f708192a3",
      matter: "lease-192.168.1.20",
      details: { from: "10.1.2.3", count: 2, kind: "upload" },
    });
    expect(lastRecord()).toMatchObject({
      actor: "svc-10.0.0.5",
      resource: "5f0e1c2b3a4d5e6f708192a3",
      matter: "lease-192.168.1.20",
      details: { from: "withheld", count: 2, kind: "upload" },
    });
  });

  it("withholds only a free-text resource that fails, never the actor", async () => {
    const log = new AuditLog({ dir, key });
    await withholdingAuditSink(log).record({ action: "search", outcome: "success", actor: "bob", resource: "call +44 20 7946 0958", matter: "m1" });
    expect(lastRecord()).toMatchObject({ actor: "bob", resource: "withheld", matter: "m1" });
  });

  it("records an actor the log refuses as a pseudonym that still tells actors apart", async () => {
    const log = new AuditLog({ dir, key });
    const sink = withholdingAuditSink(log);
    await sink.record({ action: "search", outcome: "success", actor: "ann@firm.example" });
    const first = lastRecord().actor;
    await sink.record({ action: "search", outcome: "success", actor: "ben@firm.example" });
    expect(first).toMatch(/^actor-[0-9a-f]{12}$/);
    expect(lastRecord().actor).toMatch(/^actor-[0-9a-f]{12}$/);
    expect(lastRecord().actor).not.toBe(first);
  });

  it("property: over random 24-hex document ids (and IBAN-shaped ones) the actor, resource and matter are never withheld", async () => {
    const log = new AuditLog({ dir, key });
    const sink = withholdingAuditSink(log);
    const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 12, maxLength: 12 });
    const ids = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 24, maxLength: 24 }),
      hex.map(ibanShapedHexId),
    );
    await fc.assert(
      fc.asyncProperty(ids, fc.constantFrom("alice", "svc-10.0.0.5", "cli"), async (id, actor) => {
        await sink.record({ action: "document.read", outcome: "success", actor, resource: id, matter: "acme", details: { chunks: 3 } });
        const r = lastRecord();
        return r.actor === actor && r.resource === id && r.matter === "acme";
      }),
      { numRuns: 150, seed: 11 },
    );
    expect((await log.verify()).ok).toBe(true);
  });
});
