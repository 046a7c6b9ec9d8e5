// Operating-system containment of plugin processes, below the JavaScript level. On Linux each plugin
// starts in its own user, network, PID and IPC namespaces, and through `prlimit` with a cap on its
// whole address space. With Debian's `bubblewrap` (bwrap) it also gets its own mount namespace: a
// root holding only the system's read-only /usr, its own folder (read-only) and what its permissions
// grant, a private /tmp, no /run and no workspace state, so no path-named Unix socket or file of the
// host is even there. Without bwrap, util-linux `unshare` gives the other namespaces. What the kernel
// allows is probed once per host process; `pluginContainment()` says which layers are in force (for
// `bear doctor`).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { addressSpaceLimitedCommand, addressSpaceLimiter, findSystemBinary } from "@bear/core";

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
  /**
   * Own mount namespace (bubblewrap): only /usr, its own folder and granted paths exist; no /run, a
   * private /tmp. Path-named Unix sockets and files of the host are out of reach whatever the plugin does.
   */
  readonly mountNamespace: boolean;
  /** What starts the plugin: "bubblewrap", "unshare", or "none" (no namespaces). */
  readonly launcher: "bubblewrap" | "unshare" | "none";
  /** "full" when every layer above is in force (bubblewrap), "partial" otherwise. */
  readonly level: "full" | "partial";
  /** One line for `bear doctor`. */
  readonly summary: string;
}

interface Launcher {
  readonly containment: PluginContainment;
  readonly bwrap: string | undefined;
  /** bwrap's namespace arguments (with or without a user namespace). */
  readonly bwrapArgs: readonly string[];
  readonly unshare: string | undefined;
  readonly unshareArgs: readonly string[];
  readonly prlimit: string | undefined;
}

/** What the plugin process may see of the file system (real paths). */
export interface ContainedPaths {
  /** Its folder and the runner: read-only. */
  readonly readOnly: readonly string[];
  /** Granted by `fs.write.workspace`. */
  readonly readWrite: readonly string[];
  readonly cwd: string;
}

// The plugin is uid/gid 65534 ("nobody") inside its user namespace: no capabilities after exec,
// while files are still checked against the host user outside it.
const USER_NS = ["--user", "--map-user=65534", "--map-group=65534"];
const OTHER_NS = ["--net", "--pid", "--ipc", "--fork", "--kill-child"];
const BWRAP_USER = ["--unshare-user", "--uid", "65534", "--gid", "65534"];
const BWRAP_OTHER = ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session"];
/** The system's programs and libraries (read-only): node, prlimit and the shared libraries they load. */
const SYSTEM_DIRS = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32", "/sbin"];

let cached: Launcher | undefined;

/** Runs `command args… -- true` once; true when the kernel allowed it. */
function works(command: string, args: readonly string[], trueBin: string): boolean {
  const run = spawnSync(command, [...args, "--", trueBin], { env: {}, stdio: "ignore", timeout: 5_000 });
  return run.status === 0;
}

/** `--ro-bind` for the system folders (a merged-/usr link such as /lib -> usr/lib stays a link). */
function systemMounts(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  // ld.so's cache, when there is one (libraries are found in the default folders without it).
  args.push("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache");
  return args;
}

/** The mount namespace of one plugin process: system folders, /proc, /dev, a private /tmp, then its own paths. */
function mountArgs(paths: ContainedPaths, nodeBinary: string): string[] {
  const args = [...systemMounts(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"];
  const node = fs.realpathSync(nodeBinary);
  if (!SYSTEM_DIRS.some((d) => node.startsWith(`${d}/`))) args.push("--ro-bind", node, node);
  for (const { path: p, writable } of bindOrder(paths)) args.push(writable ? "--bind" : "--ro-bind", p, p);
  args.push("--chdir", paths.cwd);
  return args;
}

/**
 * The binds in the order bwrap must apply them: a later mount hides what it covers, so parents come
 * before the folders inside them — a read-only plugin folder inside a read-write grant stays read-only.
 * A path granted both ways is bound once, read-write.
 */
export function bindOrder(paths: Pick<ContainedPaths, "readOnly" | "readWrite">): Array<{ path: string; writable: boolean }> {
  const binds = new Map<string, boolean>();
  for (const p of paths.readOnly) binds.set(p, binds.get(p) ?? false);
  for (const p of paths.readWrite) binds.set(p, true);
  const depth = (p: string): number => p.split("/").filter(Boolean).length;
  return [...binds].map(([p, writable]) => ({ path: p, writable })).sort((a, b) => depth(a.path) - depth(b.path));
}

/** bwrap's arguments that work here: with a user namespace, else (root on a kernel refusing them) without. */
function probeBwrap(bwrap: string, trueBin: string): readonly string[] | undefined {
  const withUser = [...BWRAP_USER, ...BWRAP_OTHER];
  const probePaths: ContainedPaths = { readOnly: [], readWrite: [], cwd: "/" };
  const attempt = (ns: readonly string[]): boolean => {
    const run = spawnSync(bwrap, [...ns, ...systemMounts(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", probePaths.cwd, "--", trueBin], { env: {}, stdio: "ignore", timeout: 5_000 });
    return run.status === 0;
  };
  if (attempt(withUser)) return withUser;
  if (attempt(BWRAP_OTHER)) return BWRAP_OTHER;
  return undefined;
}

function probe(): Launcher {
  const trueBin = findSystemBinary("true");
  const bwrap = process.platform === "linux" ? findSystemBinary("bwrap") : undefined;
  const prlimit = addressSpaceLimiter();
  const rlimit = prlimit !== undefined;
  const bwrapArgs = bwrap && trueBin ? probeBwrap(bwrap, trueBin) : undefined;
  if (bwrap && bwrapArgs) {
    const userNamespace = bwrapArgs.includes("--unshare-user");
    const containment = describe({ networkNamespace: true, pidNamespace: true, userNamespace, addressSpaceLimit: rlimit, mountNamespace: true, launcher: "bubblewrap" });
    return { containment, bwrap, bwrapArgs, unshare: undefined, unshareArgs: [], prlimit };
  }
  return { ...probeUnshare(trueBin, rlimit), bwrap: undefined, bwrapArgs: [], prlimit };
}

function probeUnshare(trueBin: string | undefined, rlimit: boolean): Pick<Launcher, "containment" | "unshare" | "unshareArgs"> {
  const unshare = process.platform === "linux" ? findSystemBinary("unshare") : undefined;
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
  const containment = describe({ networkNamespace: hasNs, pidNamespace: hasNs, userNamespace, addressSpaceLimit: rlimit, mountNamespace: false, launcher: hasNs ? "unshare" : "none" });
  return { containment, unshare: hasNs ? unshare : undefined, unshareArgs };
}

function describe(layers: Omit<PluginContainment, "level" | "summary">): PluginContainment {
  const full = layers.networkNamespace && layers.pidNamespace && layers.userNamespace && layers.addressSpaceLimit && layers.mountNamespace;
  const parts = [
    layers.launcher === "bubblewrap"
      ? "bubblewrap: own mount namespace (read-only /usr and plugin folder, private /tmp, no /run, no workspace state)"
      : "no mount namespace (install Debian's bubblewrap to hide the host's files and Unix sockets)",
    layers.networkNamespace ? "own empty network namespace" : "no network namespace (JS offline guard only)",
    layers.pidNamespace ? "own PID namespace (cannot signal other processes)" : "no PID namespace (can signal processes of the same user)",
    layers.userNamespace ? "unprivileged user namespace" : "no user namespace",
    layers.addressSpaceLimit ? "address space capped (RLIMIT_AS)" : "only the V8 heap capped",
    "file reads limited by Node's permission model to real, link-checked paths",
  ];
  return { ...layers, level: full ? "full" : "partial", summary: `plugin containment ${full ? "full" : "PARTIAL"} (${layers.launcher}): ${parts.join("; ")}` };
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
 * `bwrap <namespaces> <mounts of paths> -- prlimit --as=<bytes> -- node …`, else
 * `unshare <namespaces> -- prlimit …`, or fewer layers where the kernel refuses.
 */
export function containedCommand(nodeArgs: readonly [string, ...string[]], addressSpaceBytes: number, paths: ContainedPaths): { command: string; args: string[] } {
  const { bwrap, bwrapArgs, unshare, unshareArgs } = launcher();
  let argv: string[] = addressSpaceLimitedCommand(nodeArgs, addressSpaceBytes).argv;
  if (bwrap) argv = [bwrap, ...bwrapArgs, ...mountArgs(paths, nodeArgs[0]), "--", ...argv];
  else if (unshare) argv = [unshare, ...unshareArgs, "--", ...argv];
  const [command, ...args] = argv as [string, ...string[]];
  return { command, args };
}
