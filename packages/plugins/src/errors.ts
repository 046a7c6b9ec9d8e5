import { BearError, type BearErrorOptions } from "@bear/core";

export type PluginErrorCode =
  | "PLUGIN_MANIFEST_INVALID"
  | "PLUGIN_INCOMPATIBLE"
  | "PLUGIN_PERMISSION_DENIED"
  | "PLUGIN_DEPENDENCY_MISSING"
  | "PLUGIN_DEPENDENCY_INCOMPATIBLE"
  | "PLUGIN_DEPENDENCY_CYCLE"
  | "PLUGIN_DEPENDENCY_UNAVAILABLE"
  | "PLUGIN_DUPLICATE"
  | "PLUGIN_NOT_FOUND"
  | "PLUGIN_LOAD_FAILED"
  | "PLUGIN_CALL_FAILED"
  | "PLUGIN_TIMEOUT"
  | "PLUGIN_MEMORY_LIMIT"
  | "PLUGIN_CRASHED"
  | "PLUGIN_UNAVAILABLE"
  | "PLUGIN_IN_USE"
  | "PLUGIN_PROTOCOL"
  | "PLUGIN_UNRESPONSIVE"
  | "PLUGIN_RUNNER_MISSING";

const MANIFEST_HINT = "Fix bear-plugin.json in the plugin's folder; see the plugins README for the manifest format.";

export class PluginManifestError extends BearError<"PLUGIN_MANIFEST_INVALID"> {
  constructor(
    readonly plugin: string,
    readonly field: string,
    problem: string,
    options: BearErrorOptions = {},
  ) {
    super("PLUGIN_MANIFEST_INVALID", `plugin '${plugin}': ${field} ${problem}`, {
      hint: options.hint ?? MANIFEST_HINT,
      cause: options.cause,
      details: { plugin, field },
    });
  }
}

export class PluginIncompatibleError extends BearError<"PLUGIN_INCOMPATIBLE"> {
  readonly plugin: string;
  readonly field = "bearApi";
  constructor(plugin: string, wanted: string, actual: string) {
    super("PLUGIN_INCOMPATIBLE", `plugin '${plugin}': bearApi ${wanted} does not include this BEAR's plugin API ${actual}`, {
      hint: "Install a version of the plugin built for this BEAR, or update BEAR.",
      details: { plugin, field: "bearApi", wanted, actual },
    });
    this.plugin = plugin;
  }
}

export class PluginPermissionError extends BearError<"PLUGIN_PERMISSION_DENIED"> {
  readonly field = "permissions";
  constructor(
    readonly plugin: string,
    readonly denied: readonly string[],
    reason = "not allowed by the host configuration",
  ) {
    super("PLUGIN_PERMISSION_DENIED", `plugin '${plugin}': permissions ${denied.map((p) => `'${p}'`).join(", ")} ${reason}`, {
      hint: "Add the permission to the plugins config's allowedPermissions if you trust this plugin, or remove it from the manifest.",
      details: { plugin, field: "permissions", denied: [...denied] },
    });
  }
}

export type DependencyProblem = "missing" | "incompatible" | "cycle" | "unavailable";

/** A dependency that cannot be satisfied; the plugin (and everything depending on it) is not loaded. */
export class PluginDependencyError extends BearError<
  "PLUGIN_DEPENDENCY_MISSING" | "PLUGIN_DEPENDENCY_INCOMPATIBLE" | "PLUGIN_DEPENDENCY_CYCLE" | "PLUGIN_DEPENDENCY_UNAVAILABLE"
> {
  readonly field: string;
  constructor(
    readonly plugin: string,
    readonly dependency: string,
    readonly problem: DependencyProblem,
    detail: string,
  ) {
    const code = {
      missing: "PLUGIN_DEPENDENCY_MISSING",
      incompatible: "PLUGIN_DEPENDENCY_INCOMPATIBLE",
      cycle: "PLUGIN_DEPENDENCY_CYCLE",
      unavailable: "PLUGIN_DEPENDENCY_UNAVAILABLE",
    } as const;
    const hint = {
      missing: "Install the missing plugin into one of the configured plugin directories.",
      incompatible: "Install a version of the dependency that satisfies the range, or relax the range in the manifest.",
      cycle: "Plugins must not depend on each other in a circle; move the shared part into a third plugin.",
      unavailable: "Fix the dependency first; its own problem is reported separately.",
    } as const;
    super(code[problem], `plugin '${plugin}': dependencies.${dependency} ${detail}`, {
      hint: hint[problem],
      details: { plugin, field: `dependencies.${dependency}`, dependency, problem },
    });
    this.field = `dependencies.${dependency}`;
  }
}

export class PluginDuplicateError extends BearError<"PLUGIN_DUPLICATE"> {
  readonly field = "name";
  constructor(
    readonly plugin: string,
    first: string,
    second: string,
  ) {
    super("PLUGIN_DUPLICATE", `plugin '${plugin}': name is used by two folders ('${first}' and '${second}'); the second is ignored`, {
      hint: "Remove one copy of the plugin from the plugin directories.",
      details: { plugin, field: "name", first, second },
    });
  }
}

export class PluginNotFoundError extends BearError<"PLUGIN_NOT_FOUND"> {
  constructor(readonly plugin: string) {
    super("PLUGIN_NOT_FOUND", `plugin '${plugin}' was not found in the configured plugin directories`, {
      hint: "Check the plugin's folder name and its bear-plugin.json 'name'.",
      details: { plugin },
    });
  }
}

export class PluginLoadError extends BearError<"PLUGIN_LOAD_FAILED"> {
  constructor(
    readonly plugin: string,
    reason: string,
    options: BearErrorOptions = {},
  ) {
    super("PLUGIN_LOAD_FAILED", `plugin '${plugin}' could not be loaded: ${reason}`, {
      hint: options.hint ?? "Check the plugin's entry module: it must default-export an object with one implementation per provided id.",
      cause: options.cause,
      details: { plugin, ...options.details },
    });
  }
}

/** The error a plugin threw (or that the sandbox raised inside it), carried back to the host. */
export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | undefined;
}

export class PluginCallError extends BearError<"PLUGIN_CALL_FAILED"> {
  constructor(
    readonly plugin: string,
    readonly call: string,
    readonly remote: RemoteError,
  ) {
    super("PLUGIN_CALL_FAILED", `plugin '${plugin}' failed in ${call}: ${remote.name}${remote.code ? ` [${remote.code}]` : ""}: ${remote.message}`, {
      hint: "The plugin threw; it is still running. Report the problem to the plugin's author.",
      details: { plugin, call, remoteName: remote.name, remoteCode: remote.code ?? null },
    });
  }
}

export class PluginTimeoutError extends BearError<"PLUGIN_TIMEOUT"> {
  constructor(
    readonly plugin: string,
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super("PLUGIN_TIMEOUT", `plugin '${plugin}' did not answer ${call} within ${timeoutMs} ms and was stopped`, {
      hint: "The plugin hangs or is too slow; raise limits.callTimeoutMs if it is legitimately slow, then reload it.",
      details: { plugin, call, timeoutMs },
    });
  }
}

export class PluginMemoryLimitError extends BearError<"PLUGIN_MEMORY_LIMIT"> {
  constructor(
    readonly plugin: string,
    readonly limitMb: number,
    readonly addressSpaceMb?: number,
  ) {
    super("PLUGIN_MEMORY_LIMIT", `plugin '${plugin}' exceeded its memory limit (heap ${limitMb} MB${addressSpaceMb === undefined ? "" : `, address space ${addressSpaceMb} MB`}) and was stopped`, {
      hint: "The plugin leaks or needs more memory; raise limits.memoryMb (or limits.addressSpaceMb) if it is legitimate, then reload it.",
      details: { plugin, limitMb, addressSpaceMb: addressSpaceMb ?? null },
    });
  }
}

export class PluginCrashedError extends BearError<"PLUGIN_CRASHED"> {
  constructor(
    readonly plugin: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super("PLUGIN_CRASHED", `plugin '${plugin}' stopped unexpectedly (exit code ${exitCode ?? "none"}, signal ${signal ?? "none"})`, {
      hint: "The plugin exited or crashed (e.g. it called process.exit); reload it once fixed.",
      details: { plugin, exitCode, signal },
    });
  }
}

export class PluginUnavailableError extends BearError<"PLUGIN_UNAVAILABLE"> {
  constructor(
    readonly plugin: string,
    state: string,
  ) {
    super("PLUGIN_UNAVAILABLE", `plugin '${plugin}' is not running (state '${state}')`, {
      hint: "Load or reload the plugin; if it failed, its error says why.",
      details: { plugin, state },
    });
  }
}

export class PluginInUseError extends BearError<"PLUGIN_IN_USE"> {
  constructor(
    readonly plugin: string,
    readonly dependents: readonly string[],
  ) {
    super("PLUGIN_IN_USE", `plugin '${plugin}' cannot be unloaded: ${dependents.map((d) => `'${d}'`).join(", ")} depend on it`, {
      hint: "Unload the dependents first, or pass { cascade: true } to unload them too.",
      details: { plugin, dependents: [...dependents] },
    });
  }
}

export class PluginProtocolError extends BearError<"PLUGIN_PROTOCOL"> {
  constructor(
    readonly plugin: string,
    problem: string,
  ) {
    super("PLUGIN_PROTOCOL", `plugin '${plugin}' sent an invalid message: ${problem}`, {
      hint: "The plugin returned a value of the wrong shape for its extension point.",
      details: { plugin },
    });
  }
}

/** A plugin whose event loop did not answer the host's heartbeat while no call was running (a busy loop between calls). */
export class PluginUnresponsiveError extends BearError<"PLUGIN_UNRESPONSIVE"> {
  constructor(
    readonly plugin: string,
    readonly heartbeatMs: number,
  ) {
    super("PLUGIN_UNRESPONSIVE", `plugin '${plugin}' did not answer the host's heartbeat within ${heartbeatMs} ms while no call was running, and was stopped (its code keeps the process busy between calls)`, {
      hint: "A plugin must do its work inside calls; fix its background loop, then reload it. limits.heartbeatMs sets the interval if it only pauses for long.",
      details: { plugin, heartbeatMs },
    });
  }
}

export class PluginRunnerMissingError extends BearError<"PLUGIN_RUNNER_MISSING"> {
  constructor(readonly runnerPath: string) {
    super("PLUGIN_RUNNER_MISSING", `the plugin sandbox runner '${runnerPath}' does not exist`, {
      hint: "Build @bear/plugins (npx tsup) so dist/runner.mjs exists, or pass runnerPath.",
      details: { runnerPath },
    });
  }
}
