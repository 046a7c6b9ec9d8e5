import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";

export const cliDir = path.resolve(import.meta.dirname, "..");
export const bin = path.join(cliDir, "dist/bin.js");
export const samples = path.join(cliDir, "assets/samples");
/** Tiny real GGUF models shared by the project (../shared/models from the repository root). */
export const sharedModels = path.resolve(cliDir, "../../../shared/models");

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

const created: string[] = [];

/** A temp folder removed by `removeTempDirs()` (each spec calls it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bear-cli-${prefix}-`));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A throw-away HOME for one `bear` process: removed when it ends, and by `removeTempDirs()` at the latest. */
function tempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-cli-home-"));
  created.push(dir);
  return dir;
}

function environment(home: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  // A clean environment: no BEAR_* from the developer's shell, a throw-away HOME, 1 model thread (2 shared cores).
  return { PATH: process.env.PATH ?? "", HOME: home, BEAR_MODELS_THREADS: "1", ...env };
}

/** Runs the built `bear` as a user would, and waits for it. */
export function bear(args: readonly string[], options: RunOptions = {}): Run {
  const home = tempHome();
  try {
    const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: options.cwd ?? home, env: environment(home, options.env), timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export type BearProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starts the built `bear` (stdout and stderr piped) in a clean environment; its HOME goes when it ends. */
export function spawnBear(args: readonly string[], options: RunOptions = {}): BearProcess {
  const home = tempHome();
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? home, env: environment(home, options.env), stdio: ["ignore", "pipe", "pipe"] });
  child.once("close", () => fs.rmSync(home, { recursive: true, force: true }));
  return child;
}

/** Same, without blocking this process (for tests that serve something to the CLI or run two at once). */
export function bearAsync(args: readonly string[], options: RunOptions = {}): Promise<Run> & { readonly pid: number | undefined } {
  const child = spawnBear(args, options);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<Run>((resolve) => {
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
  return Object.assign(done, { pid: child.pid });
}

/** Parses the JSON document a `--json` command printed on stdout. */
export function json<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.status}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** The error object a `--json` command printed on stderr. */
export function jsonError(run: Run): { code: string; message: string; hint?: string } {
  const line = run.stderr.trim().split("\n").pop() ?? "";
  return (JSON.parse(line) as { error: { code: string; message: string; hint?: string } }).error;
}

/** A new workspace (bear init) in a temp folder; returns its path. */
export function initWorkspace(prefix: string): string {
  const dir = path.join(tempDir(prefix), "ws");
  const run = bear(["--data-dir", dir, "init", "--json"]);
  if (run.status !== 0) throw new Error(`bear init failed: ${run.stderr}`);
  return dir;
}

/** A running `bear serve --json`: what it printed first (its URL, the admin key on a first start) and a way to stop it. */
export interface Served {
  readonly info: { url: string; docs: string; adminKey: string | null };
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `bear --data-dir <ws> --json serve --port 0 <extra>` and resolves once it printed where it listens. */
export function serve(ws: string, extra: readonly string[] = [], options: RunOptions = {}): Promise<Served> {
  const child = spawnBear(["--data-dir", ws, "--json", "serve", "--port", "0", ...extra], options);
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`bear serve did not start: ${stderr}`))), 45_000);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      let info: Served["info"];
      try {
        info = JSON.parse(stdout) as Served["info"]; // complete once the whole JSON document has arrived
      } catch {
        return;
      }
      clearTimeout(timer);
      resolve({ info, stop: () => (child.kill("SIGINT"), exited) });
    });
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`bear serve exited ${code}: ${stderr}`))));
  });
}
