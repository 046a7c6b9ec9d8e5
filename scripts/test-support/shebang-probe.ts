// Runs a one-line probe under a built executable's own first line (its shebang), as the kernel
// would run the executable itself: what the apps' launcher tests check their start-up settings with.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./temp-dir";

/** What `probeSource` prints when run as a program that starts with `built`'s first line (PATH only in its environment). */
export function runUnderShebang(built: string, probeSource: string): { stdout: string; stderr: string } {
  const shebang = fs.readFileSync(built, "utf8").split("\n", 1)[0]!;
  const script = path.join(tempDir("bear-launcher-"), "probe.js");
  fs.writeFileSync(script, `${shebang}\n${probeSource}\n`, { mode: 0o755 });
  const run = spawnSync(script, [], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return { stdout: run.stdout, stderr: run.stderr };
}
