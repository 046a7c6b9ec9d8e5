// One matter-id rule (@bear/core) at each of the workspace's boundaries: users, uploads, redaction's
// matter tables, conversations; `bear doctor` names indexed matters an older release accepted.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { openWorkspace } from "@bear/workspace";
import { matterIdCheck } from "../src/doctor/diagnose-workspace";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-matter-ids-");
/** Ids an older release took at one boundary or another (rag ingest: all four; redaction: the first and the last). */
const OLD_IDS = ["Acme v Roe", "client:42", "acme/2026", "Société-Générale"];
const refused = { code: "MATTER_ID_INVALID", hint: expect.stringMatching(/^Use an id such as '[A-Za-z0-9][A-Za-z0-9._-]*'\.$/) };

describe("matter ids at the workspace's boundaries", () => {
  it("users, uploads, matter-numbered redaction and conversations refuse the same ids, with the same typed error", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      for (const matter of OLD_IDS) {
        await expect(workspace.users().add("cli", { id: "bob", role: "attorney", matters: [matter] })).rejects.toMatchObject(refused);
        await expect(workspace.upload({ matter, fileName: "note.txt", body: Readable.from(["A note."]), actor: "cli" })).rejects.toMatchObject(refused);
        await expect(workspace.redact("Call Ann Quill on 212-555-0110.", { actor: "cli", matterId: matter })).rejects.toMatchObject(refused);
        expect(() => workspace.conversations.create({ matter, actor: "cli" })).toThrow(expect.objectContaining(refused));
      }
      expect(workspace.users().list()).toEqual([]);
      expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual([]);
      // the same ids are fine once renamed
      await workspace.users().add("cli", { id: "bob", role: "attorney", matters: ["Acme-v-Roe"] });
      const { result } = await workspace.redact("Call Ann Quill on 212-555-0110.", { actor: "cli", matterId: "client-42" });
      expect(result.text).not.toContain("555-0110");
    });
  });

  it("an upload into a matter equal to an existing one but for letter case is refused, naming both (one folder on macOS and Windows)", async () => {
    const dir = path.join(tempDir(), "ws-case");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, llm: false }), async (workspace) => {
      const upload = (matter: string, fileName = "note.txt") => workspace.upload({ matter, fileName, body: Readable.from(["A note on the closing date."]), actor: "cli" });
      await upload("Acme-2026");
      await expect(upload("acme-2026", "other.txt")).rejects.toMatchObject({
        code: "MATTER_ID_INVALID",
        message: `the upload's matter "acme-2026" differs only in letter case from the existing matter "Acme-2026"; their folders would be one on macOS and Windows`,
      });
      expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual(["Acme-2026"]);
      expect(fs.readdirSync(path.join(dir, "uploads", "Acme-2026"))).toEqual(["note.txt"]);
      await upload("Acme-2026", "second.txt"); // the same matter, as it is spelt
    });
  }, 120_000);

  it("a workflow run, an API key's grant or a conversation for a case twin of an existing matter is refused; the matter as spelt, and each of two existing twins, is accepted (rev10 #18)", async () => {
    const dir = path.join(tempDir(), "ws-case-rest");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true, llm: false }), async (workspace) => {
      await workspace.upload({ matter: "Acme-2026", fileName: "note.txt", body: Readable.from(["A note."]), actor: "cli" });
      const twin = (source: string) => ({ code: "MATTER_ID_INVALID", message: `${source} "acme-2026" differs only in letter case from the existing matter "Acme-2026"; their folders would be one on macOS and Windows` });
      const engine = await workspace.workflows();
      const workflow = { name: "noop", steps: [{ id: "n", type: "data_processing", parameters: { operation: "pick", input: { a: 1 }, fields: ["a"] } }] };
      expect(() => engine.start(workflow, {}, { matter: "acme-2026", actor: "cli" })).toThrow(expect.objectContaining(twin("the run's matter")));
      await expect(workspace.users().add("cli", { id: "bob", role: "attorney", matters: ["acme-2026"] })).rejects.toMatchObject(twin("the user's matter"));
      expect(() => workspace.conversations.create({ matter: "acme-2026", actor: "cli" })).toThrow(expect.objectContaining(twin("the conversation's matter")));
      // as spelt: accepted everywhere
      expect((await engine.start(workflow, {}, { matter: "Acme-2026", actor: "cli" }).result).status).toBe("completed");
      await workspace.users().add("cli", { id: "bob", role: "attorney", matters: ["Acme-2026"] });
      workspace.conversations.create({ matter: "Acme-2026", actor: "cli" });
      // two twins an older release made (folders on Linux): each stays usable, a third spelling is refused
      fs.mkdirSync(path.join(dir, "uploads", "acme-2026"));
      workspace.conversations.create({ matter: "acme-2026", actor: "cli" });
      expect(() => engine.start(workflow, {}, { matter: "ACME-2026", actor: "cli" })).toThrow(expect.objectContaining({ code: "MATTER_ID_INVALID" }));
    });
  }, 120_000);

  it("bear doctor names each indexed matter that does not follow the rule, with a rename", () => {
    expect(matterIdCheck([{ matter: "acme" }, { matter: "default" }])).toMatchObject({ area: "matters", level: "ok" });
    const check = matterIdCheck([{ matter: "acme" }, { matter: "Acme v Roe" }, { matter: "Acme v Roe" }, { matter: "client:42" }]);
    expect(check).toMatchObject({ area: "matters", level: "warn", fix: expect.stringContaining("bear ingest --matter <new-id>") });
    expect(check.summary).toContain(`"Acme v Roe" (2 document(s)) -> 'Acme-v-Roe'`);
    expect(check.summary).toContain(`"client:42" (1 document(s)) -> 'client-42'`);
    expect(check.details).toEqual({ renames: [{ matter: "Acme v Roe", documents: 2, suggested: "Acme-v-Roe" }, { matter: "client:42", documents: 1, suggested: "client-42" }] });
  });
});
