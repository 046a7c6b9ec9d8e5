// Operating-system containment of plugin processes, below the JavaScript level: on Linux each plugin
// starts through util-linux `unshare` in its own user, network, PID and IPC namespaces, and through
// `prlimit` with a cap on its whole address space. What the kernel allows is probed once per host
// process; `pluginContainment()` says which layers are in force (for `bear doctor`).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The containment layers a plugin process gets on this machine. */
export interface PluginContainment {
  /** Own empty network namespace: no route anywhere, not even to the host's loopback. */
  readonly networkNamespace: boolean;
  /** Own PID namespace: no process outside it can be named, so none can be signalled. */
  readonly pidNamespace: boolean;
  /** Own user namespace: the plugin runs as an unprivileged uid there, with no capabilities outside it. */
  readonly userNamespace: boolean;
  /** RLIMIT_AS on the plugin process: Buffers, ArrayBuffers and native memory count, not only the V8 heap. */
  readonly addressSpaceLimit: boolean;
  /** "full" when every layer above is in force, "partial" otherwise. */
  readonly level: "full" | "partial";
  /** One line for `bear doctor`. */
  readonly summary: string;
}

interface Launcher {
  readonly containment: PluginContainment;
  readonly unshare: string | undefined;
  readonly unshareArgs: readonly string[];
  readonly prlimit: string | undefined;
}

const BIN_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"];
// The plugin is uid/gid 65534 ("nobody") inside its user namespace: no capabilities after exec,
// while files are still checked against the host user outside it.
const USER_NS = ["--user", "--map-user=65534", "--map-group=65534"];
const OTHER_NS = ["--net", "--pid", "--ipc", "--fork", "--kill-child"];
const PROBE_AS_BYTES = 64 * 1024 * 1024;

let cached: Launcher | undefined;

function findBinary(name: string): string | undefined {
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

/** Runs `command args… -- true` once; true when the kernel allowed it. */
function works(command: string, args: readonly string[], trueBin: string): boolean {
  const run = spawnSync(command, [...args, "--", trueBin], { env: {}, stdio: "ignore", timeout: 5_000 });
  return run.status === 0;
}

function probe(): Launcher {
  const trueBin = findBinary("true");
  const unshare = process.platform === "linux" ? findBinary("unshare") : undefined;
  const prlimit = process.platform === "linux" ? findBinary("prlimit") : undefined;
  let unshareArgs: readonly string[] = [];
  let userNamespace = false;
  if (unshare && trueBin) {
    if (works(unshare, [...USER_NS, ...OTHER_NS], trueBin)) {
      unshareArgs = [...USER_NS, ...OTHER_NS];
      userNamespace = true;
    } else if (works(unshare, OTHER_NS, trueBin)) {
      // Root on a kernel that refuses user namespaces: network, PID and IPC namespaces still work.
      unshareArgs = OTHER_NS;
    }
  }
  const hasNs = unshareArgs.length > 0;
  const rlimit = prlimit !== undefined && trueBin !== undefined && works(prlimit, [`--as=${PROBE_AS_BYTES}`], trueBin);
  const containment = describe({ networkNamespace: hasNs, pidNamespace: hasNs, userNamespace, addressSpaceLimit: rlimit });
  return { containment, unshare: hasNs ? unshare : undefined, unshareArgs, prlimit: rlimit ? prlimit : undefined };
}

function describe(layers: Omit<PluginContainment, "level" | "summary">): PluginContainment {
  const full = layers.networkNamespace && layers.pidNamespace && layers.userNamespace && layers.addressSpaceLimit;
  const parts = [
    layers.networkNamespace ? "own empty network namespace" : "no network namespace (JS offline guard only)",
    layers.pidNamespace ? "own PID namespace (cannot signal other processes)" : "no PID namespace (can signal processes of the same user)",
    layers.userNamespace ? "unprivileged user namespace" : "no user namespace",
    layers.addressSpaceLimit ? "address space capped (RLIMIT_AS)" : "only the V8 heap capped",
    "file reads limited by Node's permission model to real, link-checked paths",
  ];
  return { ...layers, level: full ? "full" : "partial", summary: `plugin containment ${full ? "full" : "PARTIAL"}: ${parts.join("; ")}` };
}

function launcher(): Launcher {
  cached ??= probe();
  return cached;
}

/** Which containment layers plugin processes get on this machine (probed once per process). */
export function pluginContainment(): PluginContainment {
  return launcher().containment;
}

/**
 * The command that starts `nodeArgs` (a node binary and its arguments) inside the containment:
 * `unshare <namespaces> -- prlimit --as=<bytes> -- node …`, or fewer layers where the kernel refuses.
 */
export function containedCommand(nodeArgs: readonly [string, ...string[]], addressSpaceBytes: number): { command: string; args: string[] } {
  const { unshare, unshareArgs, prlimit } = launcher();
  let argv: string[] = [...nodeArgs];
  if (prlimit) argv = [prlimit, `--as=${Math.floor(addressSpaceBytes)}`, "--", ...argv];
  if (unshare) argv = [unshare, ...unshareArgs, "--", ...argv];
  const [command, ...args] = argv as [string, ...string[]];
  return { command, args };
}
