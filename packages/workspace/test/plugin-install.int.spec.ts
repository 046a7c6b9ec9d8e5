import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { setAsidePluginsCheck } from "../src/doctor/diagnose-workspace";
import { setAsidePlugins } from "../src/plugins/workspace-plugins";
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

describe("bear doctor and the versions `install --force` sets aside", () => {
  it("lists a set-aside version left by an interrupted install, saying which is the only copy of its plugin", async () => {
    const { tmp, plugins } = workspace.folder.paths;
    expect(setAsidePlugins(workspace.folder.paths)).toEqual([]);
    // What a crash between the rename and the end of `install --force` leaves: one beside an installed
    // plugin (a stale copy), one whose plugin folder is gone (the only copy), and unrelated tmp files.
    await workspace.plugins.install(pluginFolder("4.0.0"), { force: true, actor: "test" });
    const stale = path.join(tmp, "plugin-stamp-0b6f3f5e-2f0c-4d1e-9a57-7f1c2b3d4e5f.previous");
    const only = path.join(tmp, "plugin-case-numbers-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f.previous");
    fs.cpSync(pluginFolder("1.0.0"), stale, { recursive: true });
    fs.mkdirSync(only);
    fs.writeFileSync(path.join(only, "bear-plugin.json"), JSON.stringify({ name: "case-numbers", version: "2.1.0" }));
    fs.writeFileSync(path.join(tmp, "upload-abc.previous"), "");
    fs.mkdirSync(path.join(tmp, "plugin-stamp.previous"));
    const found = setAsidePlugins(workspace.folder.paths);
    expect(found).toEqual([
      { plugin: "case-numbers", folder: only, version: "2.1.0", installed: false },
      { plugin: "stamp", folder: stale, version: "1.0.0", installed: true },
    ]);
    const check = setAsidePluginsCheck(found, plugins);
    expect(check).toMatchObject({ area: "plugins", level: "warn" });
    expect(check.summary).toContain(`${only} (case-numbers 2.1.0, not installed: the only copy)`);
    expect(check.fix).toContain(`mv '${only}' '${path.join(plugins, "case-numbers")}'`);
    expect(check.fix).toContain(`rm -r '${stale}'`);
    for (const leftover of [stale, only, path.join(tmp, "upload-abc.previous"), path.join(tmp, "plugin-stamp.previous")]) fs.rmSync(leftover, { recursive: true });
  }, 120_000);
});
