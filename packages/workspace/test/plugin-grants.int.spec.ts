import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultBearConfig } from "@bear/core";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

// What "fs.read.workspace" / "fs.write.workspace" hand a plugin: the files workflows read and write,
// never the workspace's keys, token vault, principals, audit trail or plugin folders.
const tempDir = tempDirs("bear-ws-plugin-grants-");
let workspace: Workspace;
let pluginDir: string;

const ENTRY = `import fs from "node:fs";
export default {
  "grant.read": { call({ path }) { return { text: fs.readFileSync(path, "utf8") }; }, description: "read a file", inputSchema: { type: "object" } },
  "grant.write": { call({ path, text }) { fs.appendFileSync(path, text); return { ok: true }; }, description: "append to a file", inputSchema: { type: "object" } },
};
`;

function writePlugin(root: string, name: string, id: string, permission: string): void {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name, version: "1.0.0", entry: "index.mjs", bearApi: "^0.1.0", provides: [{ point: "tool", id }], permissions: [permission] };
  fs.writeFileSync(path.join(dir, "bear-plugin.json"), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, "index.mjs"), ENTRY.replace(id === "grant.read" ? /"grant\.write"[^\n]*\n/ : /"grant\.read"[^\n]*\n/, ""));
}

beforeAll(async () => {
  const dir = path.join(tempDir(), "ws");
  pluginDir = path.join(tempDir(), "plugins");
  writePlugin(pluginDir, "reader", "grant.read", "fs.read.workspace");
  writePlugin(pluginDir, "writer", "grant.write", "fs.write.workspace");
  const plugins = { ...defaultBearConfig(dir).plugins, dirs: [pluginDir], allowedPermissions: ["fs.read.workspace", "fs.write.workspace"] };
  workspace = await openWorkspace({ config: quietConfig(dir, { plugins }), create: true, llm: false });
}, 120_000);
afterAll(async () => {
  await workspace?.dispose();
});

async function callTool(name: string, args: Record<string, string>): Promise<unknown> {
  const host = await workspace.plugins.loaded();
  const tool = host.tools().find((t) => t.id === name);
  if (tool === undefined) throw new Error(`tool ${name} not loaded: ${JSON.stringify(host.plugins().map((p) => [p.name, p.state, p.error?.message]))}`);
  return tool.call(args);
}

describe("workspace permissions granted to plugins", () => {
  it("fs.read.workspace reads the workflows' files, and not the keys, vault, principals, audit trail or uploads", async () => {
    const paths = workspace.folder.paths;
    const granted = path.join(paths.workflows, "shared.txt");
    fs.writeFileSync(granted, "a workflow file");
    await expect(callTool("grant.read", { path: granted })).resolves.toEqual({ text: "a workflow file" });
    expect(fs.existsSync(paths.plainKeysFile)).toBe(true);
    for (const secret of [paths.plainKeysFile, paths.manifestFile, path.join(paths.audit, "x"), path.join(paths.uploads, "x")]) {
      await expect(callTool("grant.read", { path: secret })).rejects.toThrow(/ERR_ACCESS_DENIED|ENOENT|no such file|restricted/i);
    }
  });

  it("fs.write.workspace writes the workflows' files, and not the workspace state nor its plugin folder", async () => {
    const paths = workspace.folder.paths;
    await expect(callTool("grant.write", { path: path.join(paths.workflows, "out.txt"), text: "x" })).resolves.toEqual({ ok: true });
    expect(fs.readFileSync(path.join(paths.workflows, "out.txt"), "utf8")).toBe("x");
    const manifest = fs.readFileSync(paths.manifestFile, "utf8");
    for (const target of [paths.manifestFile, path.join(paths.plugins, "dropped.mjs")]) {
      await expect(callTool("grant.write", { path: target, text: "pwned" })).rejects.toThrow(/ERR_ACCESS_DENIED|ENOENT|EROFS|read-only|no such file|restricted/i);
    }
    expect(fs.readFileSync(paths.manifestFile, "utf8")).toBe(manifest);
    expect(fs.existsSync(path.join(paths.plugins, "dropped.mjs"))).toBe(false);
  });
});
