import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { openWorkspace } from "@bear/workspace";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-content-id-");

describe("the audit resource of a text with no document id", () => {
  it("is keyed by the workspace: stable across opens, different in another workspace, never the text's plain SHA-256", async () => {
    const text = "Settlement: USD 250,000.";
    const plain = createHash("sha256").update(text).digest("hex").slice(0, 24);
    const first = path.join(tempDir(), "first");
    const id = await withWorkspace(openWorkspace({ config: quietConfig(first), create: true, llm: false }), async (ws) => {
      expect(ws.contentId(Buffer.from(text))).toBe(ws.contentId(text)); // a file's bytes and its text agree
      return ws.contentId(text);
    });
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(id).not.toBe(plain);
    await withWorkspace(openWorkspace({ config: quietConfig(first), llm: false }), async (ws) => {
      expect(ws.contentId(text)).toBe(id);
      expect(ws.contentId(`${text} `)).not.toBe(id);
    });
    await withWorkspace(openWorkspace({ config: quietConfig(path.join(tempDir(), "second")), create: true, llm: false }), async (ws) => {
      expect(ws.contentId(text)).not.toBe(id);
    });
  }, 120_000);
});
