import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { PluginHost, type PluginEvent } from "../src/host/plugin-host";
import { sandboxExecArgv } from "../src/sandbox/plugin-process";
import { fixturesDir, sandboxOptions, sandboxRunner } from "./support/sandbox-runner";

// Every plugin in test/fixtures/hostile misbehaves in one way, except `healthy`.
describe("the sandbox stops hostile plugins and keeps the host and the others running", () => {
  let host: PluginHost;
  const step = (id: string) => {
    const found = host.stepTypes().find((s) => s.id === id);
    if (!found) throw new Error(`step ${id} is not available`);
    return found;
  };
  const state = (name: string) => host.plugins().find((p) => p.name === name)?.state;

  /** The proof that nothing else was hurt: the healthy plugin answers, from the same process as before. */
  let healthyPid: number;
  const events: PluginEvent[] = [];
  async function expectHealthyStillServing(): Promise<void> {
    await expect(step("healthy.echo").run({ still: "alive" })).resolves.toEqual({ echo: { still: "alive" }, pid: healthyPid });
  }

  let runner: string;
  beforeAll(async () => {
    runner = await sandboxRunner();
    host = await PluginHost.open({
      directories: [path.join(fixturesDir, "hostile")],
      runnerPath: runner,
      limits: { memoryMb: 64, callTimeoutMs: 3000, loadTimeoutMs: 30_000 },
    });
    expect(host.plugins().every((p) => p.state === "running")).toBe(true);
    host.onDidChangePlugin.subscribe((event) => events.push(event));
    healthyPid = ((await step("healthy.echo").run(null)) as { pid: number }).pid;
    expect(healthyPid).not.toBe(process.pid);
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
    fs.rmSync(path.join(fixturesDir, "hostile", "escaper", "dropped.txt"), { force: true });
  });

  it("runs each plugin in its own process, with the permission model on and no child processes, workers or writes", () => {
    const folder = path.join(fixturesDir, "hostile", "healthy");
    const argv = sandboxExecArgv({ folder, runnerPath: runner, limits: { memoryMb: 64, callTimeoutMs: 1, loadTimeoutMs: 1 } });
    expect(argv).toEqual(expect.arrayContaining(["--experimental-permission", `--allow-fs-read=${fs.realpathSync(runner)}`, `--allow-fs-read=${fs.realpathSync(folder)}`, "--max-old-space-size=64"]));
    expect(argv.join(" ")).not.toMatch(/allow-child-process|allow-worker|allow-fs-write/);
  });

  it("reports a plugin that throws with its error, and the plugin keeps serving", async () => {
    await expect(step("thrower.step").run({})).rejects.toMatchObject({
      code: "PLUGIN_CALL_FAILED",
      message: "plugin 'thrower' failed in thrower.step.run(): RangeError: clause index 42 is out of range",
    });
    expect(state("thrower")).toBe("running");
    await expectHealthyStillServing();
  });

  it("refuses call arguments that are not JSON before they reach the plugin", async () => {
    await expect(step("healthy.echo").run({ when: undefined } as never)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(step("healthy.echo").run([1n] as never)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expectHealthyStillServing();
  });

  it("refuses a read outside the plugin's folder with ERR_ACCESS_DENIED, and allows its own folder", async () => {
    await expect(step("snooper.etc").run({})).rejects.toMatchObject({ code: "PLUGIN_CALL_FAILED", remote: { code: "ERR_ACCESS_DENIED" } });
    await expect(step("snooper.own").run({})).resolves.toBe("snooper");
    await expectHealthyStillServing();
  });

  it("refuses network connections (fetch, sockets, loopback, Unix sockets) with the offline guard", async () => {
    await expect(step("networker.fetch").run({})).rejects.toMatchObject({ remote: { code: "OFFLINE_VIOLATION", name: "OfflineViolationError" } });
    await expect(step("networker.socket").run({})).rejects.toMatchObject({ remote: { code: "OFFLINE_VIOLATION" }, message: expect.stringContaining("93.184.216.34") });
    // No loopback and no Unix sockets either: a plugin has no peers at all.
    await expect(step("networker.loopback").run({})).rejects.toMatchObject({ remote: { code: "OFFLINE_VIOLATION" }, message: expect.stringContaining("127.0.0.1") });
    await expect(step("networker.unix").run({})).rejects.toMatchObject({ remote: { code: "OFFLINE_VIOLATION" }, message: expect.stringContaining("local socket") });
    await expectHealthyStillServing();
  });

  it("refuses child processes, worker threads and file writes", async () => {
    for (const id of ["escaper.spawn", "escaper.worker", "escaper.write"]) {
      await expect(step(id).run({})).rejects.toMatchObject({ remote: { code: "ERR_ACCESS_DENIED" } });
    }
    expect(fs.existsSync(path.join(fixturesDir, "hostile", "escaper", "dropped.txt"))).toBe(false);
    await expectHealthyStillServing();
  });

  it("kills a plugin stuck in an infinite loop when the call time limit passes", async () => {
    const pid = host.plugins().find((p) => p.name === "hanger")?.pid as number;
    expect(() => process.kill(pid, 0)).not.toThrow();
    const started = Date.now();
    await expect(step("hanger.step").run({})).rejects.toMatchObject({ code: "PLUGIN_TIMEOUT", message: "plugin 'hanger' did not answer hanger.step.run() within 3000 ms and was stopped" });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(state("hanger")).toBe("failed");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" })); // the process is gone
    expect(host.stepTypes().map((s) => s.id)).not.toContain("hanger.step");
    await expectHealthyStillServing();
  });

  it("stops a plugin that exceeds its memory limit", async () => {
    await expect(step("leaker.step").run({})).rejects.toMatchObject({ code: "PLUGIN_MEMORY_LIMIT", message: "plugin 'leaker' exceeded its memory limit (heap 64 MB, address space 1088 MB) and was stopped" });
    expect(state("leaker")).toBe("failed");
    await expectHealthyStillServing();
  });

  it("reports a plugin that calls process.exit, and the host process survives", async () => {
    await expect(step("exiter.step").run({})).rejects.toMatchObject({ code: "PLUGIN_CRASHED", exitCode: 3 });
    const status = host.plugins().find((p) => p.name === "exiter");
    expect(status).toMatchObject({ state: "failed", error: { code: "PLUGIN_CRASHED" } });
    await expectHealthyStillServing();
  });

  it("publishes one 'failed' event per plugin the sandbox stopped, and none for plugins that merely threw", () => {
    expect(events.map((e) => (e.type === "failed" ? `${e.plugin}:${e.error.code}` : e.type))).toEqual([
      "hanger:PLUGIN_TIMEOUT",
      "leaker:PLUGIN_MEMORY_LIMIT",
      "exiter:PLUGIN_CRASHED",
    ]);
  });

  it("refuses calls to a stopped plugin until it is reloaded, and the reloaded one works", async () => {
    const proxy = host.stepTypes().find((s) => s.id === "healthy.echo");
    await host.reload("exiter");
    expect(state("exiter")).toBe("running");
    await expect(step("exiter.step").run({})).rejects.toMatchObject({ code: "PLUGIN_CRASHED" });
    await expect(proxy?.run(1)).resolves.toMatchObject({ echo: 1 });
    await host.load("hanger"); // load() restarts a stopped plugin too
    expect(state("hanger")).toBe("running");
  });
});

describe("permissions granted by the configuration", () => {
  it("lets a plugin with fs.read.workspace / fs.write.workspace use the workspace, and nothing beyond it", async () => {
    const os = await import("node:os");
    const { manifestFor, writePlugin } = await import("./support/sandbox-runner");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-grants-"));
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-ws-"));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-elsewhere-"));
    fs.writeFileSync(path.join(workspaceDir, "matter.txt"), "workspace file");
    fs.writeFileSync(path.join(elsewhere, "secret.txt"), "not yours");
    const entry = `import fs from "node:fs";
      export default {
        "reader.step": { run({ file }) { return fs.readFileSync(file, "utf8"); } },
        "writer.step": { run({ file }) { fs.writeFileSync(file, "written by plugin"); return "ok"; } },
      };\n`;
    const provides = [
      { point: "step-type", id: "reader.step" },
      { point: "step-type", id: "writer.step" },
    ];
    writePlugin(root, "reader", manifestFor("reader", { provides: provides.slice(0, 1), permissions: ["fs.read.workspace"] }), { "index.mjs": entry });
    writePlugin(root, "writer", manifestFor("writer", { provides: provides.slice(1), permissions: ["fs.write.workspace"] }), { "index.mjs": entry });
    const host = await PluginHost.open({
      directories: [root],
      workspaceDir,
      allowedPermissions: ["fs.read.plugin", "fs.read.workspace", "fs.write.workspace"],
      ...(await sandboxOptions()),
    });
    try {
      const read = host.stepTypes().find((s) => s.id === "reader.step");
      const write = host.stepTypes().find((s) => s.id === "writer.step");
      await expect(read?.run({ file: path.join(workspaceDir, "matter.txt") })).resolves.toBe("workspace file");
      await expect(read?.run({ file: path.join(elsewhere, "secret.txt") })).rejects.toMatchObject({ remote: { code: "ERR_ACCESS_DENIED" } });
      await expect(write?.run({ file: path.join(workspaceDir, "out.txt") })).resolves.toBe("ok");
      expect(fs.readFileSync(path.join(workspaceDir, "out.txt"), "utf8")).toBe("written by plugin");
      await expect(write?.run({ file: path.join(elsewhere, "out.txt") })).rejects.toMatchObject({ remote: { code: "ERR_ACCESS_DENIED" } });
      expect(fs.existsSync(path.join(elsewhere, "out.txt"))).toBe(false);
    } finally {
      await host.dispose();
      for (const dir of [root, workspaceDir, elsewhere]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a write grant never covers a plugin's own code", () => {
  it("refuses fs.write.workspace when the plugin's folder lies inside the workspace folder", async () => {
    const os = await import("node:os");
    const { manifestFor, writePlugin, stepEntry } = await import("./support/sandbox-runner");
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-inside-"));
    const root = path.join(workspaceDir, "plugins");
    writePlugin(root, "inside", manifestFor("inside", { permissions: ["fs.write.workspace"] }), { "index.mjs": stepEntry("inside") });
    const host = await PluginHost.open({ directories: [root], workspaceDir, allowedPermissions: ["fs.read.plugin", "fs.write.workspace"], ...(await sandboxOptions()) });
    try {
      const row = host.plugins().find((p) => p.name === "inside");
      expect(row?.state).not.toBe("running");
      expect(row?.error?.message).toMatch(/its folder lies inside the workspace folder it may write/);
      expect(host.stepTypes()).toEqual([]);
    } finally {
      await host.dispose();
      fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a plugin serves only what its manifest provides", () => {
  it("refuses a plugin that announces, from its own code, extensions its manifest does not list", async () => {
    const os = await import("node:os");
    const { manifestFor, writePlugin, stepEntry } = await import("./support/sandbox-runner");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-forger-"));
    // Installed as a PII recognizer; its module sends its own "ready" at import time claiming to be an agent tool.
    const forged = `process.removeAllListeners("message");
      process.on("message", (m) => { if (m && m.type === "call") process.send({ type: "result", id: m.id, value: { saw: m.args } }); });
      process.send({ type: "ready", extensions: [{ id: "forger.rec", point: "tool", info: { description: "x", inputSchema: { type: "object" } } }] });
      export default {};\n`;
    writePlugin(root, "forger", manifestFor("forger", { provides: [{ point: "pii-recognizer", id: "forger.rec" }] }), { "index.mjs": forged });
    writePlugin(root, "honest", manifestFor("honest"), { "index.mjs": stepEntry("honest") });
    const host = await PluginHost.open({ directories: [root], ...(await sandboxOptions()) });
    try {
      const forger = host.plugins().find((p) => p.name === "forger");
      expect(forger?.state).not.toBe("running");
      expect(forger?.error?.message).toMatch(/announced extensions its manifest does not provide \('forger\.rec' as tool\)/);
      expect(host.tools()).toEqual([]);
      expect(host.piiRecognizers()).toEqual([]);
      // The check does not refuse plugins that announce exactly their manifest.
      await expect(host.stepTypes().find((s) => s.id === "honest.step")?.run({ a: 1 })).resolves.toEqual({ plugin: "honest", version: "1", input: { a: 1 } });
    } finally {
      await host.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a plugin speaks only when spoken to", () => {
  it.each([
    ["answers to calls the host never made", `setTimeout(() => process.send({ type: "result", id: 999999, value: "x".repeat(1000) }), 200);`, /an answer to call 999999/],
    ["host service calls while no call runs", `setTimeout(() => process.send({ type: "service-call", id: 1, service: "embed", args: [["text"]] }), 200);`, /a host service was called while no call to the plugin was running/],
  ])("stops a plugin that sends %s", async (_what, send, reason) => {
    const os = await import("node:os");
    const { manifestFor, writePlugin, stepEntry } = await import("./support/sandbox-runner");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-unasked-"));
    writePlugin(root, "chatty", manifestFor("chatty"), { "index.mjs": `${send}\n${stepEntry("chatty")}` });
    const host = await PluginHost.open({ directories: [root], ...(await sandboxOptions()) });
    try {
      const deadline = Date.now() + 10_000;
      while (host.plugins().find((p) => p.name === "chatty")?.state === "running" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const row = host.plugins().find((p) => p.name === "chatty");
      expect(row?.state).toBe("failed");
      expect(row?.error).toMatchObject({ code: "PLUGIN_PROTOCOL", message: expect.stringMatching(reason) });
    } finally {
      await host.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a plugin is idle between calls", () => {
  it("stops a plugin that spins its event loop while no call runs (PLUGIN_UNRESPONSIVE), and keeps an idle one and a long call running", async () => {
    const os = await import("node:os");
    const { manifestFor, writePlugin, stepEntry } = await import("./support/sandbox-runner");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-spinner-"));
    // Loads and answers "ready", then busy-loops forever with no call running: no call time limit ever applies.
    writePlugin(root, "spinner", manifestFor("spinner"), { "index.mjs": `setTimeout(() => { for (;;) { /* spin */ } }, 200);\n${stepEntry("spinner")}` });
    writePlugin(root, "idler", manifestFor("idler"), { "index.mjs": stepEntry("idler") });
    // A call may block the loop for longer than a beat: calls are bounded by callTimeoutMs, not by the heartbeat.
    writePlugin(root, "worker", manifestFor("worker"), { "index.mjs": `export default { "worker.step": { run() { const until = Date.now() + 3500; while (Date.now() < until); return "done"; } } };\n` });
    const { runnerPath } = await sandboxOptions();
    const host = await PluginHost.open({ directories: [root], runnerPath, limits: { memoryMb: 128, callTimeoutMs: 30_000, loadTimeoutMs: 30_000, heartbeatMs: 1000 } });
    try {
      expect(host.plugins().map((p) => p.state)).toEqual(["running", "running", "running"]);
      await expect(host.stepTypes().find((s) => s.id === "worker.step")?.run({})).resolves.toBe("done");
      const deadline = Date.now() + 20_000;
      while (host.plugins().find((p) => p.name === "spinner")?.state === "running" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const spinner = host.plugins().find((p) => p.name === "spinner");
      expect(spinner?.state).toBe("failed");
      expect(spinner?.error).toMatchObject({ code: "PLUGIN_UNRESPONSIVE", message: expect.stringContaining("did not answer the host's heartbeat within 1000 ms while no call was running") });
      expect(host.plugins().filter((p) => p.name !== "spinner").map((p) => p.state)).toEqual(["running", "running"]);
      await expect(host.stepTypes().find((s) => s.id === "idler.step")?.run({ a: 1 })).resolves.toEqual({ plugin: "idler", version: "1", input: { a: 1 } });
    } finally {
      await host.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
