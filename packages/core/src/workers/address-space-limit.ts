// A cap on a child process's whole address space (RLIMIT_AS through util-linux `prlimit`): unlike a
// V8 heap limit it counts ArrayBuffers, Buffers and native (Skia, wasm) memory. Shared by the
// plugin sandbox and rag's PDF reader processes. Whether `prlimit` works here is probed once.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BIN_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"];
const PROBE_AS_BYTES = 64 * 1024 * 1024;

let probed: string | null | undefined;

/** The first executable `name` in the system's program folders (never PATH: a child's PATH is not trusted). */
export function findSystemBinary(name: string): string | undefined {
  for (const dir of BIN_DIRS) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // try the next folder
    }
  }
  return undefined;
}

/** The `prlimit` binary when it can cap a child's address space on this machine (Linux), else undefined. */
export function addressSpaceLimiter(): string | undefined {
  if (probed === undefined) {
    const prlimit = process.platform === "linux" ? findSystemBinary("prlimit") : undefined;
    const trueBin = findSystemBinary("true");
    const works = prlimit !== undefined && trueBin !== undefined && spawnSync(prlimit, [`--as=${PROBE_AS_BYTES}`, "--", trueBin], { env: {}, stdio: "ignore", timeout: 5_000 }).status === 0;
    probed = works ? prlimit : null;
  }
  return probed ?? undefined;
}

/**
 * `argv` run under an address-space cap of `bytes` (`prlimit --as=<bytes> -- argv…`), or `argv`
 * unchanged where prlimit is absent (see addressSpaceLimiter); `limited` says which.
 */
export function addressSpaceLimitedCommand(argv: readonly [string, ...string[]], bytes: number): { argv: [string, ...string[]]; limited: boolean } {
  const prlimit = addressSpaceLimiter();
  if (!prlimit) return { argv: [...argv], limited: false };
  return { argv: [prlimit, `--as=${Math.floor(bytes)}`, "--", ...argv], limited: true };
}
