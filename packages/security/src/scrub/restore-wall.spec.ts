import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createSecurity } from "../security.module";
import { PiiScrubber } from "./pii-scrubber";
import { TokenVault } from "./token-vault";

describe("restore and the ethical wall: tokens carry their matter (rev12 #13)", () => {
  it("opens a matter's tokens only for a principal holding pii.restore in that matter; the owner opens every token", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-restore-wall-"));
    const vaultKey = randomBytes(32);
    const security = createSecurity({ auditDir: dir, auditKey: randomBytes(32), vaultKey, owner: "cli" });
    try {
      await security.access.addApiKey("alice", ["attorney"], ["acme"]);
      await security.access.addApiKey("bob", ["attorney"], ["globex"]);
      const text = "Write to quillon.brask@example.com about the lease.";
      const globex = await security.scrubber.scrub(text, { policy: "reversible", matterId: "globex" });
      const acme = await security.scrubber.scrub(text, { policy: "reversible", matterId: "acme" });
      expect(globex.text).toMatch(/<TOK_EMAIL_[0-9a-f]{12}>/);
      expect(acme.text).not.toBe(globex.text); // one token per matter
      const denied = { code: "VAULT_ACCESS_DENIED" };
      // alice holds pii.restore in acme only: globex's token stays shut however she asks
      await expect(security.scrubber.restore(globex.text, { key: vaultKey, principal: "alice" })).rejects.toMatchObject(denied);
      await expect(security.scrubber.restore(globex.text, { key: vaultKey, principal: "alice", matter: "globex" })).rejects.toMatchObject(denied);
      await expect(security.scrubber.restore(globex.text, { key: vaultKey, principal: "alice", matter: "acme" })).rejects.toMatchObject(denied);
      expect(await security.scrubber.restore(acme.text, { key: vaultKey, principal: "alice", matter: "acme" })).toBe(text);
      expect(await security.scrubber.restore(globex.text, { key: vaultKey, principal: "bob", matter: "globex" })).toBe(text);
      expect(await security.scrubber.restore(globex.text, { key: vaultKey, principal: "cli" })).toBe(text);
      await security.audit.verify();
      const records = fs
        .readFileSync(path.join(dir, "audit.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { action: string; actor: string; outcome: string; matter?: string; details?: { reason?: string } });
      expect(records.filter((r) => r.action === "restore" && r.actor === "alice" && r.outcome === "denied").map((r) => r.details?.reason)).toEqual(["permission", "permission", "matter"]);
    } finally {
      await security.audit.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("binds the matter into the seal: an entry moved to another matter does not open", async () => {
    const key = randomBytes(32);
    const vault = new TokenVault(key);
    const token = vault.tokenize("EMAIL", "quillon.brask@example.com", "globex");
    expect(vault.open(token, key, "globex")).toBe("quillon.brask@example.com");
    const snapshot = vault.snapshot();
    const moved = new TokenVault(key, { ...snapshot, entries: { [token]: { ...snapshot.entries[token]!, matter: "acme" } } });
    expect(() => moved.open(token, key, "acme")).toThrow(/tampered/);
    // a token made outside any matter opens only for the owner's restore (no matter)
    const loose = vault.tokenize("EMAIL", "quillon.brask@example.com");
    expect(() => vault.open(loose, key, "globex")).toThrow(/does not belong to matter/);
    expect(vault.open(loose, key)).toBe("quillon.brask@example.com");
  });
});

describe("reversible redaction is bounded per call (rev12 #11)", () => {
  it("refuses a call that would tokenize more values than maxTokensPerCall, before any vault entry is made", () => {
    const key = randomBytes(32);
    const vault = new TokenVault(key);
    const scrubber = new PiiScrubber({ vault, maxTokensPerCall: 3 });
    const text = "a@x.org b@x.org c@x.org d@x.org";
    const findings = [0, 8, 16, 24].map((start) => ({ type: "EMAIL" as const, start, end: start + 7, score: 1, recognizer: "test" }));
    expect(() => scrubber.apply(text, findings, { policy: "reversible" })).toThrow(/at most 3 per call/);
    expect(vault.size).toBe(0);
    expect(scrubber.apply(text, findings.slice(0, 3), { policy: "reversible" }).text).toMatch(/^(<TOK_EMAIL_[0-9a-f]{12}> ){3}d@x\.org$/);
    expect(scrubber.apply(text, findings, { policy: "default" }).text).toContain("<EMAIL_4>"); // placeholders are not capped
  });
});
