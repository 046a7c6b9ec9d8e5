import fs from "node:fs";
import { CliError } from "../cli-error";

/**
 * An exclusive lock between `bear` processes: a file created with O_EXCL holding the owner's pid.
 * A lock left by a process that died is taken over. Waits up to `waitMs`, then fails clearly.
 */
export async function acquireLock(file: string, options: { readonly waitMs: number; readonly what: string }): Promise<() => void> {
  const started = Date.now();
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(readOr(file, ""), 10);
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      fs.rmSync(file, { force: true }); // left by a process that died
      continue;
    }
    if (Date.now() - started > options.waitMs) {
      throw new CliError("INPUT_INVALID", `${options.what} is busy: process ${owner} has held it for more than ${Math.round(options.waitMs / 1000)} s`, {
        hint: `Wait for that bear command to finish and try again. If process ${owner} is not a bear command, delete '${file}'.`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
