import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createContainer, disposeContainer, type AuditEvent, type AuditSink, AuditSink as AuditSinkToken } from "@bear/core";
import { ContainerModule } from "inversify";
import { PluginHost } from "../src/host/plugin-host";
import { PluginHostToken, pluginsModule } from "../src/plugins.module";
import { manifestFor, sandboxOptions, stepEntry, writePlugin } from "./support/sandbox-runner";

class MemoryAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  async record(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
}

describe("loading, unloading and reloading at run time", () => {
  let root: string;
  let host: PluginHost;
  const audit = new MemoryAudit();
  const run = (id: string, input: unknown = null) => {
    const step = host.stepTypes().find((s) => s.id === id);
    if (!step) throw new Error(`step ${id} is not available`);
    return step.run(input as never);
  };
  const running = () => host.plugins().filter((p) => p.state === "running").map((p) => p.name);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-life-"));
    writePlugin(root, "lib", manifestFor("lib", { version: "1.0.0" }), { "index.mjs": stepEntry("lib", "1") });
    writePlugin(root, "app", manifestFor("app", { dependencies: { lib: "^1.0.0" } }), { "index.mjs": stepEntry("app") });
    writePlugin(root, "widget", manifestFor("widget", { dependencies: { app: "*" } }), { "index.mjs": stepEntry("widget") });
    writePlugin(root, "loner", manifestFor("loner"), { "index.mjs": stepEntry("loner") });
    host = await PluginHost.open({ directories: [root], ...(await sandboxOptions()) }, { audit });
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("reloads a plugin with its changed code without restarting the host or the other plugins", async () => {
    await expect(run("lib.step")).resolves.toMatchObject({ version: "1" });
    const lonerPid = host.plugins().find((p) => p.name === "loner")?.pid;
    fs.writeFileSync(path.join(root, "lib", "index.mjs"), stepEntry("lib", "2"));
    await host.reload("lib");
    await expect(run("lib.step")).resolves.toMatchObject({ version: "2" });
    expect(host.plugins().find((p) => p.name === "loner")?.pid).toBe(lonerPid);
    await expect(run("app.step")).resolves.toMatchObject({ plugin: "app" });
  });

  it("refuses a reload whose new version breaks the range its dependents ask for", async () => {
    fs.writeFileSync(path.join(root, "lib", "bear-plugin.json"), JSON.stringify(manifestFor("lib", { version: "2.0.0" })));
    await expect(host.reload("lib")).rejects.toMatchObject({ code: "PLUGIN_DEPENDENCY_INCOMPATIBLE", message: expect.stringContaining("plugin 'app': dependencies.lib ^1.0.0") });
    await expect(run("lib.step")).resolves.toMatchObject({ version: "2" }); // the old process still serves
    fs.writeFileSync(path.join(root, "lib", "bear-plugin.json"), JSON.stringify(manifestFor("lib", { version: "1.1.0" })));
  });

  it("refuses to unload a plugin others depend on, naming them", async () => {
    await expect(host.unload("lib")).rejects.toMatchObject({ code: "PLUGIN_IN_USE", message: "plugin 'lib' cannot be unloaded: 'app', 'widget' depend on it" });
    expect(running()).toEqual(["app", "lib", "loner", "widget"]);
  });

  it("unloads a plugin and its dependents when asked to cascade, dependents first", async () => {
    const events: string[] = [];
    const subscription = host.onDidChangePlugin.subscribe((e) => events.push(`${e.type}:${e.plugin}`));
    const proxy = host.stepTypes().find((s) => s.id === "widget.step");
    await expect(host.unload("lib", { cascade: true })).resolves.toEqual(["widget", "app", "lib"]);
    expect(running()).toEqual(["loner"]);
    subscription.unsubscribe();
    expect(events).toEqual(["unloaded:widget", "unloaded:app", "unloaded:lib"]);
    expect(host.stepTypes().map((s) => s.id)).toEqual(["loner.step"]);
    await expect(proxy?.run(null)).rejects.toMatchObject({ code: "PLUGIN_UNAVAILABLE" });
    await expect(run("loner.step")).resolves.toMatchObject({ plugin: "loner" });
  });

  it("loads a plugin again, with its dependencies, and audits each lifecycle step", async () => {
    await host.load("widget");
    expect(running()).toEqual(["app", "lib", "loner", "widget"]);
    await expect(run("lib.step")).resolves.toMatchObject({ version: "2" });
    const actions = audit.events.filter((e) => e.resource === "lib").map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(["plugin.load:success", "plugin.reload:success", "plugin.load:success", "plugin.unload:success", "plugin.load:success"]);
  });

  it("unloads a leaf plugin directly and refuses unknown ones", async () => {
    await expect(host.unload("loner")).resolves.toEqual(["loner"]);
    await expect(host.unload("loner")).rejects.toMatchObject({ code: "PLUGIN_UNAVAILABLE" });
    await expect(host.reload("nobody")).rejects.toMatchObject({ code: "PLUGIN_UNAVAILABLE" });
  });
});

describe("pluginsModule", () => {
  it("binds a PluginHost whose plugin processes stop when the container is disposed", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-di-"));
    writePlugin(root, "solo", manifestFor("solo"), { "index.mjs": stepEntry("solo") });
    const audit = new MemoryAudit();
    const container = createContainer(
      new ContainerModule(({ bind }) => {
        bind(AuditSinkToken).toConstantValue(audit);
      }),
      pluginsModule({ directories: [root], ...(await sandboxOptions()) }),
    );
    try {
      const host = container.get<PluginHost>(PluginHostToken);
      expect(container.get(PluginHostToken)).toBe(host);
      await host.loadAll();
      const pid = host.plugins()[0]?.pid as number;
      await expect(host.stepTypes()[0]?.run(7)).resolves.toMatchObject({ input: 7 });
      expect(audit.events.map((e) => e.action)).toContain("plugin.load");
      await disposeContainer(container);
      expect(() => process.kill(pid, 0)).toThrow();
      expect(() => host.stepTypes()).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    } finally {
      await disposeContainer(container).catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("rejects an invalid configuration with the field named", () => {
    expect(() => pluginsModule({ directories: [] })).toThrow("plugins config: directories");
  });
});
