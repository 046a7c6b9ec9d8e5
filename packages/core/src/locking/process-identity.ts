// Which process a pid is, beyond "some process has this pid": on Linux, the kernel's boot id and
// the process's pid namespace say where a pid means the same process (the "scope"), and its start
// time (field 22 of /proc/<pid>/stat, clock ticks since boot) tells it from a later process given
// the same pid. A stopped process (SIGSTOP, Ctrl-Z) keeps its start time; one that exited has none.
// Elsewhere (macOS, Windows) both are unavailable and callers fall back to other evidence.
import fs from "node:fs";

const BOOT_ID = /^[0-9a-f-]{36}$/;
const PID_NAMESPACE = /^pid:\[\d{1,20}\]$/;
const TICKS = /^\d{1,20}$/;

/** `<boot id>/<pid namespace>` of this process, or undefined where /proc does not say. */
export const processScope: string | undefined = readScope();

/**
 * The fields of `/proc/<pid>/stat` from field 3 (state) on — `[0]` is field 3 — or undefined where the process or /proc
 * is not there. The line is "pid (comm) state ppid …" and comm may hold spaces and parentheses, so fields count from
 * its last ')'; read as latin1 so a comm of any bytes cannot shift them.
 */
export function procStatFields(pid: number): readonly string[] | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** A pid's start time in this scope (clock ticks since boot), or undefined if it is gone (or a zombie) or /proc is unavailable. */
export function processStartOf(pid: number): string | undefined {
  const fields = procStatFields(pid);
  if (fields === undefined) return undefined;
  if (fields[0] === "Z" || fields[0] === "X") return undefined; // exited, not yet reaped
  const ticks = fields[19]; // field 22 of the line; fields[0] is field 3
  return ticks !== undefined && TICKS.test(ticks) ? ticks : undefined;
}

/** Whether `value` reads as a scope this module writes (markers are not trusted). */
export function isProcessScope(value: unknown): value is string {
  return typeof value === "string" && value.length <= 80 && value.includes("/") && BOOT_ID.test(value.split("/")[0]!) && PID_NAMESPACE.test(value.slice(value.indexOf("/") + 1));
}

/** Whether `value` reads as a start time this module writes. */
export function isProcessStart(value: unknown): value is string {
  return typeof value === "string" && TICKS.test(value);
}

function readScope(): string | undefined {
  try {
    const boot = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const namespace = fs.readlinkSync("/proc/self/ns/pid");
    const scope = `${boot}/${namespace}`;
    return isProcessScope(scope) ? scope : undefined;
  } catch {
    return undefined;
  }
}
