import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** test/crash-child.ts: the index's other process (killed mid-ingest, or deleting beside this one). */
export const crashChild = path.resolve(import.meta.dirname, "../crash-child.ts");

/** A running child process, its output so far, and its exit. */
export interface RunningChild {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  /** stdout so far. */
  output(): string;
}

/** Starts test/crash-child.ts with `args`; resolves once its stdout shows `trigger`, leaving it running. */
export async function startUntil(args: string[], trigger: RegExp): Promise<RunningChild> {
  const proc = spawn(process.execPath, ["--import", "tsx", crashChild, ...args], { cwd: path.resolve(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  let output = "";
  let errors = "";
  proc.stderr!.on("data", (d: Buffer) => (errors += d.toString()));
  proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on("data", () => {
      if (trigger.test(output)) resolve();
    });
    void exited.then(() => reject(new Error(`child exited before ${trigger}: ${errors.slice(-2000)}`)));
  });
  return { proc, exited, output: () => output };
}
