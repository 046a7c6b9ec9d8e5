// Ids are recorded as they are in the audit log (rev11 #4): so a new matter or principal id the log's
// personal-data screen would refuse as text is refused where it is created, and `bear doctor` names
// the ones created before.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { openWorkspace } from "@bear/workspace";
import { auditableIdsCheck } from "../src/doctor/diagnose-workspace";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-audit-ids-");

describe("ids the audit log records as they are", () => {
  it("a new matter or principal whose id reads as an IP address is refused, saying why; the act of an existing one keeps its actor and matter", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, llm: false }), async (workspace) => {
      await expect(workspace.upload({ matter: "lease-192.168.1.20", fileName: "note.txt", body: Readable.from(["A note."]), actor: "cli" })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("'lease-192.168.1.20' looks like an IP address"),
      });
      expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual([]);
      await expect(workspace.users().add("cli", { id: "svc-10.0.0.5", role: "attorney", matters: ["acme"] })).rejects.toMatchObject({
        message: expect.stringContaining("'svc-10.0.0.5' looks like an IP address"),
      });
      expect(workspace.users().list()).toEqual([]);
      await workspace.users().add("cli", { id: "svc-10-0-0-5", role: "attorney", matters: ["acme"] });
      await workspace.upload({ matter: "acme", fileName: "note.txt", body: Readable.from(["A note on the closing date."]), actor: "svc-10-0-0-5" });
      const records = fs
        .readFileSync(path.join(dir, "audit", "audit.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { action: string; actor: string; matter?: string });
      expect(records.some((r) => r.actor === "withheld" || r.matter === "withheld")).toBe(false);
      expect((await workspace.auditLog().verify()).ok).toBe(true);
    });
  }, 120_000);

  it("bear doctor names existing matter and principal ids that read as personal data", () => {
    expect(auditableIdsCheck([{ matter: "acme" }], [{ id: "ann", matters: ["acme"] }])).toMatchObject({ area: "ids", level: "ok" });
    const check = auditableIdsCheck([{ matter: "acme" }, { matter: "lease-192.168.1.20" }], [{ id: "svc-10.0.0.5", matters: ["acme"] }]);
    expect(check).toMatchObject({ area: "ids", level: "warn", fix: expect.stringContaining("bear users add") });
    expect(check.summary).toContain("matter 'lease-192.168.1.20' (an IP address)");
    expect(check.summary).toContain("principal 'svc-10.0.0.5' (an IP address)");
  });
});
