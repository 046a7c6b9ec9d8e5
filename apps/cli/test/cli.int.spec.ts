import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";

const cliDir = path.resolve(import.meta.dirname, "..");
const bin = path.join(cliDir, "dist/bin.js");

function bear(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "bear-cli-home-"));
  const run = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: cwd ?? home,
    env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
    timeout: 60_000,
  });
  fs.rmSync(home, { recursive: true, force: true });
  return run;
}

beforeAll(() => {
  // Test the real built executable, as a user runs it.
  const build = spawnSync("npx", ["tsup"], { cwd: cliDir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`CLI build failed: ${build.stderr}`);
}, 120_000);

describe("bear CLI (built, run as a child process)", () => {
  it("bear demo prepares a 0700 workspace offline and cleans it up", () => {
    const run = bear(["demo", "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.offline).toEqual({ enforced: true, configured: true });
    expect(report.server).toBe("http://127.0.0.1:4141");
    expect(fs.existsSync(report.workspace.root)).toBe(false);
  });

  it("bear demo --keep leaves the workspace with owner-only permissions", () => {
    const run = bear(["demo", "--json", "--keep"]);
    const report = JSON.parse(run.stdout);
    try {
      expect(fs.statSync(report.workspace.audit).mode & 0o777).toBe(0o700);
    } finally {
      fs.rmSync(path.dirname(report.workspace.root), { recursive: true, force: true });
    }
  });

  it("bear config shows where each setting came from", () => {
    const run = bear(["config", "--json"], { BEAR_SERVER_PORT: "5050" });
    expect(run.status).toBe(0);
    const loaded = JSON.parse(run.stdout);
    expect(loaded.config.server.port).toBe(5050);
    expect(loaded.sources["server.port"]).toBe("env BEAR_SERVER_PORT");
  });

  it("exits 2 with the key, value and source named on an invalid setting", () => {
    const run = bear(["config"], { BEAR_SERVER_HOST: "0.0.0.0" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('server.host = "0.0.0.0" (from env BEAR_SERVER_HOST)');
    expect(run.stderr).toContain("hint:");
  });

  it("reports errors as JSON on stderr under --json", () => {
    const run = bear(["config", "--json"], { BEAR_RAG_CHUNK_SIZE: "tiny" });
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stderr).error.code).toBe("CONFIG_INVALID");
  });

  it("exits 1 on an unknown command or flag", () => {
    expect(bear(["frobnicate"]).status).toBe(1);
    expect(bear(["demo", "--no-such-flag"]).status).toBe(1);
  });

  it("prints help with examples and exits 0", () => {
    const run = bear(["demo", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Examples:");
  });
});
