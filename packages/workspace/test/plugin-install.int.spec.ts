import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-ws-plugin-install-");
let workspace: Workspace;

/** A plugin folder whose step answers with its version; `broken` throws when its module loads. */
function pluginFolder(version: string, broken = false): string {
  const dir = path.join(tempDir(), `stamp-${version}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "bear-plugin.json"), JSON.stringify({ name: "stamp", version, entry: "index.mjs", bearApi: "^0.1.0", provides: [{ point: "step-type", id: "stamp.step" }] }));
  const entry = broken ? `throw new Error("version ${version} cannot start");\n` : `export default { "stamp.step": { run() { return { version: "${version}" }; } } };\n`;
  fs.writeFileSync(path.join(dir, "index.mjs"), entry);
  return dir;
}

async function stamp(): Promise<unknown> {
  const step = (await workspace.plugins.loaded()).stepTypes().find((s) => s.id === "stamp.step");
  return step?.run({});
}

beforeAll(async () => {
  workspace = await openWorkspace({ config: quietConfig(path.join(tempDir(), "ws")), create: true, llm: false });
}, 120_000);
afterAll(async () => {
  await workspace?.dispose();
});

describe("bear plugins install --force", () => {
  it("keeps the installed version when the new one does not start, and serves the new code when it does", async () => {
    await workspace.plugins.install(pluginFolder("1.0.0"), { actor: "test" });
    await expect(stamp()).resolves.toEqual({ version: "1.0.0" });

    await expect(workspace.plugins.install(pluginFolder("2.0.0", true), { force: true, actor: "test" })).rejects.toMatchObject({
      code: "PLUGIN_FAILED",
      hint: expect.stringContaining("the installed version was kept"),
    });
    await expect(stamp()).resolves.toEqual({ version: "1.0.0" });
    const installed = JSON.parse(fs.readFileSync(path.join(workspace.folder.paths.plugins, "stamp", "bear-plugin.json"), "utf8")) as { version: string };
    expect(installed.version).toBe("1.0.0");

    await workspace.plugins.install(pluginFolder("3.0.0"), { force: true, actor: "test" });
    await expect(stamp()).resolves.toEqual({ version: "3.0.0" });
    expect(fs.readdirSync(workspace.folder.paths.tmp).filter((f) => f.endsWith(".previous"))).toEqual([]);
  }, 120_000);
});
