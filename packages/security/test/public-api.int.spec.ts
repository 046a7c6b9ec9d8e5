import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AuditSink, ContentCipher, Scrubber, createContainer, disposeContainer, type ScrubbedText } from "@bear/core";
// The one test that sees the package as a user does: through its public entry point.
import {
  AccessControlToken,
  AuditLogToken,
  EnvelopeCipherToken,
  KeyEncryptionKey,
  PiiScanner,
  PiiScannerToken,
  PiiScrubberToken,
  RateLimiterToken,
  SecureBuffer,
  TokenVaultToken,
  securityModule,
  type AccessControl,
  type AuditLog,
} from "@bear/security";

describe("@bear/security public API", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-sec-api-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("scans text with PiiScanner imported from the package", () => {
    const findings = new PiiScanner({ names: false }).scan("Email jd@example.com, SSN 123-45-6788");
    expect(findings.map((f) => f.type)).toEqual(["EMAIL", "US_SSN"]);
  });

  it("binds core's Scrubber and AuditSink through securityModule, auditing scrubs and denials", async () => {
    const container = createContainer();
    await container.load(securityModule({ auditDir: dir, auditKey: Buffer.alloc(32, 9), vaultKey: Buffer.alloc(32, 5) }));
    const scrubber = container.get<Scrubber>(Scrubber);
    const r: ScrubbedText = await scrubber.scrub("Mr. Alvarez paid with 4111 1111 1111 1111.", { documentId: "doc-1" });
    expect(r.text).toBe("Mr. <PERSON_1> paid with <CREDIT_CARD_1>.");
    expect(r.toOriginalSpan(4, 14)).toEqual({ start: 4, end: 11 });
    const access = container.get<AccessControl>(AccessControlToken);
    await access.addUser("viewer1", "a long passphrase", ["viewer"], ["m-1"]);
    expect((await access.authorize("viewer1", "document.export", { matter: "m-1" })).allowed).toBe(false);
    expect(container.get<AuditSink>(AuditSink)).toBe(container.get(AuditLogToken));
    const v = await container.get<AuditLog>(AuditLogToken).verify();
    expect(v).toMatchObject({ ok: true, records: 3 }); // the scrub, the principal's creation, the denial
    // the records without their random hex chain fields, which may hold "4111" by chance
    const log = fs
      .readFileSync(path.join(dir, "audit.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.stringify({ ...JSON.parse(line), hash: undefined, mac: undefined, prev: undefined }))
      .join("\n");
    expect(log).not.toContain("Alvarez");
    expect(log).not.toContain("4111");
  });

  it("zeroes the scrubber's and the vault's keys when a holder of core's Scrubber alone disposes its container", async () => {
    // Before, only the PiiScrubberToken binding disposed the scrubber, and nothing disposed the vault: a container
    // whose users resolved just core's Scrubber kept the hash and vault keys in memory until the process exited.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "bear-scrubber-only-"));
    try {
      const container = createContainer();
      await container.load(securityModule({ auditDir: own, auditKey: Buffer.alloc(32, 9), vaultKey: Buffer.alloc(32, 5) }));
      const scrubber = container.get<Scrubber>(Scrubber);
      const text = "Ms. Orlanda Pickett called from 212-555-0147.";
      for (const policy of ["pseudonymize", "reversible"]) {
        const before = await scrubber.scrub(text, { documentId: "doc-1", policy });
        expect(before.text).not.toContain("Pickett");
      }
      await disposeContainer(container);
      for (const policy of ["pseudonymize", "reversible"]) await expect(scrubber.scrub(text, { documentId: "doc-1", policy })).rejects.toThrow(/disposed/i);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it("writes every record a holder of the AuditSink alone left pending before its container is disposed", async () => {
    // Before, only the AuditLogToken binding disposed the log: a container whose users resolved just the
    // AuditSink (the workflow engine) returned from disposal with records still queued, lost when the process exited.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "bear-audit-sink-only-"));
    try {
      const container = createContainer();
      await container.load(securityModule({ auditDir: own, auditKey: Buffer.alloc(32, 9) }));
      const sink = container.get<AuditSink>(AuditSink);
      const pending = Array.from({ length: 20 }, (_, i) => sink.record({ action: "workflow.run.start", outcome: "success", actor: "paula", resource: `run-${i}` }));
      await disposeContainer(container);
      const lines = fs.readFileSync(path.join(own, "audit.jsonl"), "utf8").split("\n").filter(Boolean);
      expect(lines.map((l) => (JSON.parse(l) as { resource: string }).resource)).toEqual(Array.from({ length: 20 }, (_, i) => `run-${i}`));
      await Promise.all(pending);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it("zeroes every key it made when a container that resolved any one of its bindings is disposed", async () => {
    // Review rev-a #1 on c9d3b67: the first resolution of any binding builds every key holder (scrubber, vault,
    // content cipher, audit log), but only four bindings zeroed keys and two disposed the audit log: a container whose
    // users resolved only the AuditSink or access control kept the vault and matter keys until exit.
    using kek = KeyEncryptionKey.fromBytes(Buffer.alloc(32, 7)); // the caller's, made before counting: not the module's to zero
    const made = new Set<SecureBuffer>();
    const originals = { from: SecureBuffer.from, random: SecureBuffer.random, adopt: SecureBuffer.adopt };
    for (const name of ["from", "random", "adopt"] as const) {
      const original = originals[name] as (this: typeof SecureBuffer, ...args: never[]) => SecureBuffer;
      (SecureBuffer as unknown as Record<string, unknown>)[name] = function (this: typeof SecureBuffer, ...args: never[]) {
        const key = original.apply(this, args);
        made.add(key);
        return key;
      };
    }
    const tokens: [string, symbol][] = [
      ["PiiScanner", PiiScannerToken],
      ["AuditLog", AuditLogToken],
      ["AuditSink", AuditSink],
      ["TokenVault", TokenVaultToken],
      ["AccessControl", AccessControlToken],
      ["PiiScrubber", PiiScrubberToken],
      ["Scrubber", Scrubber],
      ["RateLimiter", RateLimiterToken],
      ["EnvelopeCipher", EnvelopeCipherToken],
      ["ContentCipher", ContentCipher],
    ];
    try {
      const kept: string[] = [];
      for (const [name, token] of tokens) {
        made.clear();
        const own = fs.mkdtempSync(path.join(os.tmpdir(), "bear-keys-"));
        try {
          const container = createContainer();
          await container.load(securityModule({ auditDir: own, auditKey: Buffer.alloc(32, 9), vaultKey: Buffer.alloc(32, 5), kek }));
          container.get(token);
          await disposeContainer(container);
          const left = [...made].filter((key) => !key.disposed).length;
          if (made.size === 0 || left > 0) kept.push(`${name}: ${left} of ${made.size} keys left`);
        } finally {
          fs.rmSync(own, { recursive: true, force: true });
        }
      }
      expect(kept).toEqual([]);
    } finally {
      Object.assign(SecureBuffer, originals);
    }
  });
});
