import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, bearAsync, cliDir, initWorkspace, json, jsonError, tempDir, removeTempDirs } from "./harness";

const example = path.resolve(cliDir, "../../packages/plugins/examples/us-case-numbers");
const citation = path.resolve(cliDir, "../../packages/plugins/examples/citation-format");

describe("bear plugins and bear doctor", () => {
  let ws: string;
  const inWs = (args: string[]) => bear(["--data-dir", ws, ...args]);

  beforeAll(() => {
    ws = initWorkspace("plugins");
  });

  it("install validates, copies and starts a plugin in its sandbox; list shows it; redact uses it; remove deletes it", () => {
    expect(json(inWs(["plugins", "list", "--json"]))).toMatchObject({ plugins: [] });
    const install = inWs(["plugins", "install", example, "--json"]);
    expect(install.status).toBe(0);
    expect(json(install)).toMatchObject({ name: "us-case-numbers", provides: [{ point: "pii-recognizer", id: "us.case_number" }] });
    expect(fs.existsSync(path.join(ws, "plugins/us-case-numbers/bear-plugin.json"))).toBe(true);
    expect(inWs(["plugins", "install", example]).status).toBe(2);
    const list = json<{ plugins: { name: string; state: string; installed: boolean }[] }>(inWs(["plugins", "list", "--json"]));
    expect(list.plugins).toEqual([expect.objectContaining({ name: "us-case-numbers", state: "valid", installed: true })]);
    // bear redact uses the PII recognizers of installed plugins, each in its sandbox.
    const memo = path.join(tempDir("memo"), "memo.txt");
    fs.writeFileSync(memo, "The complaint was filed as 1:23-cv-04567-ABC on behalf of the plaintiff.\n");
    const redact = inWs(["redact", memo, "--json"]);
    expect(redact.status).toBe(0);
    expect(json(redact)).toMatchObject({ byType: { US_CASE_NUMBER: 1 }, plugins: ["us-case-numbers:us.case_number"] });
    expect(fs.readFileSync(memo.replace(".txt", ".redacted.txt"), "utf8")).toContain("filed as <US_CASE_NUMBER_1> on behalf");
    const remove = inWs(["plugins", "remove", "us-case-numbers"]);
    expect(remove.status).toBe(0);
    expect(fs.existsSync(path.join(ws, "plugins/us-case-numbers"))).toBe(false);
    expect(inWs(["plugins", "remove", "us-case-numbers"]).status).toBe(2);
  });

  it("a plugin's step type runs in `bear workflow run`, in the plugin's sandbox", () => {
    expect(inWs(["plugins", "install", citation]).status).toBe(0);
    const dir = tempDir("cite");
    fs.writeFileSync(
      path.join(dir, "cite.yaml"),
      'name: cite\nsteps:\n  - id: cite\n    type: citation_format\n    parameters: { caseName: "Brown v. Board of Education", volume: 347, reporter: "US", page: 483, year: 1954 }\n',
    );
    const run = bear(["--data-dir", ws, "workflow", "run", "cite.yaml", "--json"], { cwd: dir });
    expect(run.status).toBe(0);
    expect(json(run)).toMatchObject({ status: "completed", outputs: { cite: { citation: "Brown v. Bd. of Educ., 347 U.S. 483 (1954)" } } });
    expect(inWs(["plugins", "remove", "citation-format"]).status).toBe(0);
  });

  it("install refuses a bad manifest, a permission the config does not allow, and a missing folder", async () => {
    const bad = path.join(tempDir("bad-plugin"), "bad");
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, "bear-plugin.json"), JSON.stringify({ name: "Bad Name", version: "1.0.0", entry: "index.mjs", bearApi: "^0.1.0", provides: [] }));
    const greedy = path.join(tempDir("greedy-plugin"), "greedy");
    fs.mkdirSync(greedy);
    fs.writeFileSync(path.join(greedy, "index.mjs"), "export default { 'x.step': { run: () => ({}) } };\n");
    fs.writeFileSync(path.join(greedy, "bear-plugin.json"), JSON.stringify({ name: "greedy", version: "1.0.0", entry: "index.mjs", bearApi: "^0.1.0", provides: [{ point: "step-type", id: "x.step" }], permissions: ["fs.write.workspace"] }));
    const [badRun, greedyRun, missing] = await Promise.all([
      bearAsync(["--data-dir", ws, "plugins", "install", bad, "--json"]),
      bearAsync(["--data-dir", ws, "plugins", "install", greedy]),
      bearAsync(["--data-dir", ws, "plugins", "install", "/no/such/folder"]),
    ]);
    expect(badRun.status).toBe(2);
    expect(jsonError(badRun)).toMatchObject({ code: "PLUGIN_MANIFEST_INVALID" });
    expect(greedyRun.status).toBe(2);
    expect(greedyRun.stderr).toContain("fs.write.workspace");
    expect(fs.existsSync(path.join(ws, "plugins/greedy"))).toBe(false);
    expect(missing.status).toBe(2);
  });

  it("doctor reports hardware, models, workspace, index, audit, plugins and offline status, and what to fix", () => {
    const run = inWs(["doctor", "--json"]);
    expect(run.status).toBe(0);
    const report = json<{ healthy: boolean; checks: { area: string; level: string }[]; fixes: string[] }>(run);
    expect(report.healthy).toBe(true);
    const areas = Object.fromEntries(report.checks.map((c) => [c.area, c.level]));
    expect(Object.keys(areas)).toEqual(expect.arrayContaining(["node", "offline", "workspace", "index", "audit", "hardware", "models", "llm", "plugins"]));
    expect(areas.offline).toBe("ok");
    // CI runs as root, where unshare gives plugins their own user, network and PID namespaces.
    expect(report.checks.find((c) => c.area === "sandbox")).toMatchObject({ level: "ok", summary: expect.stringContaining("plugin containment full (bubblewrap)") });
    expect(areas.index).toBe("warn"); // nothing ingested yet
    expect(report.fixes.join("\n")).toContain("bear ingest");

    const fresh = bear(["--data-dir", path.join(tempDir("doctor"), "none"), "doctor"]);
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain("What to fix:");
    expect(fresh.stdout).toContain("bear init");
    const broken = bear(["--data-dir", ws, "doctor", "--json"], { env: { BEAR_MODELS_LLM: "missing-model" } });
    expect(broken.status).toBe(2);
    expect(json<{ fixes: string[] }>(broken).fixes.join("\n")).toContain("missing-model");
  });

  it("doctor lists the plugin versions an interrupted `plugins install --force` left in tmp/, with how to restore or remove each", () => {
    // The state a crash leaves between setting the old version aside and installing the new one: no plugin folder.
    const leftover = path.join(ws, "tmp", "plugin-us-case-numbers-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.previous");
    fs.cpSync(example, leftover, { recursive: true });
    try {
      const run = inWs(["doctor", "--json"]);
      expect(run.status).toBe(0);
      const report = json<{ checks: { area: string; level: string; summary: string }[]; fixes: string[] }>(run);
      expect(report.checks).toContainEqual(expect.objectContaining({ area: "plugins", level: "warn", summary: expect.stringContaining(`${leftover} (us-case-numbers 1.0.0, not installed: the only copy)`) }));
      expect(report.fixes.join("\n")).toContain(`mv '${leftover}' '${path.join(ws, "plugins", "us-case-numbers")}'`);
    } finally {
      fs.rmSync(leftover, { recursive: true, force: true });
    }
    expect(json<{ checks: { area: string; summary: string }[] }>(inWs(["doctor", "--json"])).checks.filter((c) => c.area === "plugins")).toHaveLength(1);
  });

  it("doctor reports the OCR engine, and names the npm package of a missing OCR language", () => {
    const ok = json<{ checks: { area: string; level: string; summary: string }[] }>(inWs(["doctor", "--json"]));
    expect(ok.checks.find((c) => c.area === "ocr")).toMatchObject({ level: "ok", summary: expect.stringMatching(/^OCR (tesseract\.js|tesseract-cli) .*languages eng/) });
    expect(ok.checks.find((c) => c.area === "pdf-readers")).toMatchObject({ level: "ok", summary: expect.stringContaining("address space capped") });
    const missing = bear(["--data-dir", ws, "doctor", "--json"], { env: { BEAR_OCR_LANGUAGES: "zul", BEAR_OCR_ENGINE: "tesseract.js" } });
    expect(missing.status).toBe(2);
    expect(json<{ fixes: string[] }>(missing).fixes.join("\n")).toContain("npm install @tesseract.js-data/zul");
  });

  it("doctor says which other process is writing to the workspace", async () => {
    const quiet = json<{ checks: { area: string; summary: string }[] }>(inWs(["doctor", "--json"]));
    expect(quiet.checks.find((c) => c.area === "processes")?.summary).toBe("no other process is writing to this workspace");
    const writer = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      fs.mkdirSync(path.join(ws, "indexes", "default"), { recursive: true });
      fs.writeFileSync(path.join(ws, "indexes", "default", "writer.lock"), String(writer.pid));
      const busy = inWs(["doctor", "--json"]);
      expect(busy.status).toBe(0);
      expect(json<{ checks: { area: string; level: string; summary: string }[] }>(busy).checks.filter((c) => c.area === "processes")).toEqual([
        { area: "processes", level: "ok", summary: `the document index is in use by process ${writer.pid} (an ingest or upload waits for it)`, details: { lock: "document index", holder: writer.pid } },
      ]);
    } finally {
      writer.kill("SIGKILL");
      await new Promise((resolve) => writer.once("exit", resolve));
    }
  });
});

afterAll(removeTempDirs);
