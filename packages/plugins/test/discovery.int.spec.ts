import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { discoverPlugins } from "../src/discovery/discover-plugins";
import { PluginHost } from "../src/host/plugin-host";
import { manifestFor, sandboxOptions, stepEntry, writePlugin } from "./support/sandbox-runner";

describe("discovery and validation of plugin folders", () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-discovery-"));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-outside-"));
    fs.writeFileSync(path.join(outside, "evil.mjs"), "export default {};\n");
    writePlugin(root, "good", manifestFor("good"), { "index.mjs": stepEntry("good") });
    writePlugin(root, "bad-schema", { ...manifestFor("bad-schema"), provides: [{ point: "telemetry", id: "x" }] }, { "index.mjs": "" });
    writePlugin(root, "future", { ...manifestFor("future"), bearApi: "^2.0.0" }, { "index.mjs": stepEntry("future") });
    writePlugin(root, "no-entry", manifestFor("no-entry"));
    const escaping = writePlugin(root, "escaping", { ...manifestFor("escaping"), entry: "lib/index.mjs" });
    fs.symlinkSync(outside, path.join(escaping, "lib"));
    writePlugin(root, "greedy", { ...manifestFor("greedy"), permissions: ["fs.read.plugin", "fs.write.workspace"] }, { "index.mjs": stepEntry("greedy") });
    writePlugin(root, "broken-json", {}, {});
    fs.writeFileSync(path.join(root, "broken-json", "bear-plugin.json"), "{ name: oops");
    fs.mkdirSync(path.join(root, "not-a-plugin"));
    fs.writeFileSync(path.join(root, "README.txt"), "not a folder");
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it("returns the valid plugins and one problem per refused folder, naming the plugin and the field", async () => {
    const { plugins, problems } = await discoverPlugins({ directories: [root, path.join(root, "missing-dir")], hostApiVersion: "0.1.0", allowedPermissions: ["fs.read.plugin"] });
    expect(plugins.map((p) => p.manifest.name)).toEqual(["good"]);
    expect(plugins[0]?.entryPath).toBe(fs.realpathSync(path.join(root, "good", "index.mjs")));
    const byPlugin = Object.fromEntries(problems.map((p) => [p.plugin, { code: p.error.code, field: (p.error.details as { field?: string }).field, message: p.error.message }]));
    expect(Object.keys(byPlugin).sort()).toEqual(["bad-schema", "broken-json", "escaping", "future", "greedy", "no-entry"]);
    expect(byPlugin["bad-schema"]).toMatchObject({ code: "PLUGIN_MANIFEST_INVALID", field: "provides[0].point" });
    expect(byPlugin["broken-json"]).toMatchObject({ code: "PLUGIN_MANIFEST_INVALID", field: "bear-plugin.json" });
    expect(byPlugin.future).toMatchObject({ code: "PLUGIN_INCOMPATIBLE", field: "bearApi", message: "plugin 'future': bearApi ^2.0.0 does not include this BEAR's plugin API 0.1.0" });
    expect(byPlugin["no-entry"]).toMatchObject({ code: "PLUGIN_MANIFEST_INVALID", field: "entry", message: "plugin 'no-entry': entry 'index.mjs' does not exist or is not a file" });
    expect(byPlugin.escaping).toMatchObject({ code: "PLUGIN_MANIFEST_INVALID", field: "entry", message: "plugin 'escaping': entry 'lib/index.mjs' leads outside the plugin folder" });
    expect(byPlugin.greedy).toMatchObject({ code: "PLUGIN_PERMISSION_DENIED", field: "permissions", message: "plugin 'greedy': permissions 'fs.write.workspace' not allowed by the host configuration" });
  });

  it("accepts a permission once the configuration allows it (and names a workspace)", async () => {
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-ws-"));
    const { plugins, problems } = await discoverPlugins({ directories: [root], hostApiVersion: "0.1.0", allowedPermissions: ["fs.read.plugin", "fs.write.workspace"], workspaceDir });
    expect(plugins.map((p) => p.manifest.name)).toEqual(["good", "greedy"]);
    expect(problems.map((p) => p.plugin)).not.toContain("greedy");
    const withoutWorkspace = await discoverPlugins({ directories: [root], hostApiVersion: "0.1.0", allowedPermissions: ["fs.read.plugin", "fs.write.workspace"] });
    expect(withoutWorkspace.problems.find((p) => p.plugin === "greedy")?.error.message).toContain("need a workspaceDir");
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  });

  it("refuses a second plugin with the same name", async () => {
    const second = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-dup-"));
    writePlugin(second, "good-copy", manifestFor("good"), { "index.mjs": stepEntry("good") });
    const { plugins, problems } = await discoverPlugins({ directories: [root, second], hostApiVersion: "0.1.0", allowedPermissions: [] });
    expect(plugins.filter((p) => p.manifest.name === "good")).toHaveLength(1);
    expect(problems.find((p) => p.error.code === "PLUGIN_DUPLICATE")?.error.message).toContain("plugin 'good': name is used by two folders");
    fs.rmSync(second, { recursive: true, force: true });
  });
});

describe("loading with dependencies", () => {
  let root: string;
  let host: PluginHost;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-deps-"));
    const plugin = (name: string, version: string, dependencies: Record<string, string> = {}) =>
      writePlugin(root, name, manifestFor(name, { version, dependencies }), { "index.mjs": stepEntry(name) });
    plugin("base", "1.2.0");
    plugin("middle", "1.0.0", { base: "^1.0.0" });
    plugin("top", "1.0.0", { middle: "^1.0.0", base: ">=1.1.0" });
    plugin("wants-new-base", "1.0.0", { base: "^2.0.0" });
    plugin("wants-ghost", "1.0.0", { ghost: "^1.0.0" });
    plugin("on-ghost-chain", "1.0.0", { "wants-ghost": "*" });
    plugin("cycle-a", "1.0.0", { "cycle-b": "*" });
    plugin("cycle-b", "1.0.0", { "cycle-a": "*" });
    writePlugin(root, "crashes-on-load", manifestFor("crashes-on-load"), { "index.mjs": 'throw new Error("boom at import");\n' });
    plugin("needs-crasher", "1.0.0", { "crashes-on-load": "*" });
    host = new PluginHost({ directories: [root], ...(await sandboxOptions()) });
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("loads dependencies first, reports missing, incompatible and cyclic ones, and skips only their dependents", async () => {
    const report = await host.loadAll();
    expect(report.loaded.sort()).toEqual(["base", "middle", "top"]);
    expect(report.loaded.indexOf("base")).toBeLessThan(report.loaded.indexOf("middle"));
    const codes = Object.fromEntries(report.problems.map((p) => [p.plugin, p.error.code]));
    expect(codes).toEqual({
      "wants-new-base": "PLUGIN_DEPENDENCY_INCOMPATIBLE",
      "wants-ghost": "PLUGIN_DEPENDENCY_MISSING",
      "on-ghost-chain": "PLUGIN_DEPENDENCY_UNAVAILABLE",
      "cycle-a": "PLUGIN_DEPENDENCY_CYCLE",
      "cycle-b": "PLUGIN_DEPENDENCY_CYCLE",
      "crashes-on-load": "PLUGIN_LOAD_FAILED",
      "needs-crasher": "PLUGIN_DEPENDENCY_UNAVAILABLE",
    });
    expect(report.problems.find((p) => p.plugin === "crashes-on-load")?.error.message).toContain("boom at import");
    const states = Object.fromEntries(host.plugins().map((p) => [p.name, p.state]));
    expect(states).toMatchObject({ base: "running", middle: "running", top: "running", "wants-ghost": "refused", "cycle-a": "refused" });
    // The loaded ones really run.
    const top = host.stepTypes().find((s) => s.id === "top.step");
    await expect(top?.run({ n: 1 })).resolves.toEqual({ plugin: "top", version: "1", input: { n: 1 } });
  });

  it("throws the dependency error when asked to load a plugin that cannot be loaded", async () => {
    await expect(host.load("wants-ghost")).rejects.toMatchObject({ code: "PLUGIN_DEPENDENCY_MISSING", message: "plugin 'wants-ghost': dependencies.ghost ^1.0.0 is not installed" });
    await expect(host.load("nobody")).rejects.toMatchObject({ code: "PLUGIN_NOT_FOUND" });
  });

  it("loads a newly installed dependency and then its dependent, at run time", async () => {
    writePlugin(root, "ghost", manifestFor("ghost"), { "index.mjs": stepEntry("ghost") });
    await host.load("on-ghost-chain");
    const running = host.plugins().filter((p) => p.state === "running").map((p) => p.name);
    expect(running).toEqual(expect.arrayContaining(["ghost", "wants-ghost", "on-ghost-chain"]));
    await expect(host.stepTypes().find((s) => s.id === "on-ghost-chain.step")?.run(null)).resolves.toMatchObject({ plugin: "on-ghost-chain" });
  });
});
