import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { inject, injectable, optional } from "inversify";
import { Subject, type Observable } from "rxjs";
import { AuditSink, BearError, DisposedError, Embedder, InvalidArgumentError, isPathInside, Logger, nullAuditSink, silentLogger, type AuditEvent } from "@bear/core";
import { z } from "zod";
import { discoverPlugins, inspectPluginFolder, type DiscoveredPlugin, type PluginProblem } from "../discovery/discover-plugins";
import { resolveLoadOrder } from "../discovery/resolve-dependencies";
import { PluginDependencyError, PluginInUseError, PluginLoadError, PluginNotFoundError, PluginPermissionError, PluginUnavailableError } from "../errors";
import { createExtensionProxy, type AgentExtension, type AnyExtension, type EmbedderExtension, type ExtractorExtension, type PiiRecognizerExtension, type StepTypeExtension, type ToolExtension } from "../extensions/extension-proxies";
import type { ExtensionPoint, PluginManifest } from "../manifest/plugin-manifest";
import { PluginsConfig, parsePluginsConfig, type PluginsConfigInput } from "../plugins-config";
import { PluginProcess, type PluginProcessState } from "../sandbox/plugin-process";
import type { HostService, JsonValue } from "../sandbox/protocol";

export interface PluginHostDeps {
  readonly logger?: Logger;
  readonly audit?: AuditSink;
  /** Served to plugins with the "embed" permission (`bear.embed(texts)` inside the plugin). */
  readonly embedder?: Embedder;
}

export type PluginState = PluginProcessState | "refused" | "unloaded";

export interface PluginStatus {
  readonly name: string;
  readonly version: string | undefined;
  readonly folder: string;
  readonly state: PluginState;
  /** The sandbox process id while the plugin is loaded. */
  readonly pid: number | undefined;
  /** Why the plugin is refused or failed. */
  readonly error: BearError | undefined;
  readonly extensions: ReadonlyArray<{ readonly point: ExtensionPoint; readonly id: string }>;
}

/** What happened to a plugin, published on `PluginHost.onDidChangePlugin` (names and codes, never data). */
export type PluginEvent =
  | { readonly type: "loaded"; readonly plugin: string; readonly version: string }
  | { readonly type: "unloaded"; readonly plugin: string }
  | { readonly type: "failed"; readonly plugin: string; readonly error: BearError }
  | { readonly type: "refused"; readonly plugin: string; readonly error: BearError };

export interface LoadReport {
  /** Plugins started by this call, in load order. */
  readonly loaded: string[];
  /** Plugins that were found but not loaded, each with the error naming it and the field. */
  readonly problems: PluginProblem[];
}

interface Loaded {
  readonly plugin: DiscoveredPlugin;
  readonly process: PluginProcess;
  readonly proxies: AnyExtension[];
}

const MAX_EMBED_TEXTS = 256;
const embedArgsSchema = z.tuple([z.array(z.string().max(100_000)).max(MAX_EMBED_TEXTS)]);

/** Where the built runner sits: next to this module in dist/. */
function defaultRunnerPath(): string {
  const beside = fileURLToPath(new URL("./runner.mjs", import.meta.url));
  // Run from source (tests map @bear/plugins to src/): the package's built runner, when there is one.
  const built = fileURLToPath(new URL("../../dist/runner.mjs", import.meta.url));
  return fs.existsSync(beside) || !fs.existsSync(built) ? beside : built;
}

/**
 * Discovers, validates, orders and runs plugins, each in its own sandboxed process, and exposes
 * their extension points as typed proxies. Plugins are loaded, unloaded and reloaded at run time;
 * a plugin that fails (throws, hangs, leaks, exits, breaks its grant) is stopped and reported
 * while the host and the other plugins keep running.
 */
@injectable()
export class PluginHost {
  private readonly config: PluginsConfig;
  private readonly logger: Logger;
  private readonly audit: AuditSink;
  private readonly runnerPath: string;
  private readonly loaded = new Map<string, Loaded>();
  private known = new Map<string, DiscoveredPlugin>();
  private refused = new Map<string, PluginProblem>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  readonly #changes = new Subject<PluginEvent>();
  /** Plugins loaded, unloaded, stopped by the sandbox (time/memory limit, exit) or refused. */
  readonly onDidChangePlugin: Observable<PluginEvent> = this.#changes.asObservable();

  constructor(
    @inject(PluginsConfig) config: PluginsConfigInput,
    @inject(Logger) @optional() logger?: Logger,
    @inject(AuditSink) @optional() audit?: AuditSink,
    @inject(Embedder) @optional() private readonly embedder?: Embedder,
  ) {
    this.config = parsePluginsConfig(config);
    this.logger = (logger ?? silentLogger).child({ name: "plugins:PluginHost" });
    this.audit = audit ?? nullAuditSink;
    this.runnerPath = this.config.runnerPath ?? defaultRunnerPath();
  }

  /** The common case: a host with every valid plugin of the configured directories loaded. */
  static async open(config: PluginsConfigInput, deps: PluginHostDeps = {}): Promise<PluginHost> {
    const host = new PluginHost(config, deps.logger, deps.audit, deps.embedder);
    await host.loadAll();
    return host;
  }

  /** Scans the plugin directories, and loads every valid plugin not yet running, dependencies first. */
  loadAll(): Promise<LoadReport> {
    return this.exclusive(async () => {
      const problems = await this.rediscover();
      const toLoad = [...this.known.values()].filter((p) => !this.loaded.has(p.manifest.name));
      const { order, problems: dependencyProblems } = resolveLoadOrder(toLoad, this.runningNodes());
      for (const error of dependencyProblems) problems.push(this.refuse(error.plugin, error));
      const loaded: string[] = [];
      // Start in waves: every plugin whose dependencies are already started, in parallel.
      let pending = order;
      while (pending.length > 0) {
        const waiting = new Set(pending.map((p) => p.manifest.name));
        const wave = pending.filter((p) => Object.keys(p.manifest.dependencies).every((d) => !waiting.has(d)));
        pending = pending.filter((p) => !wave.includes(p));
        const errors = await Promise.all(wave.map((p) => this.start(p)));
        wave.forEach((plugin, i) => {
          const error = errors[i];
          if (error) problems.push(this.refuse(plugin.manifest.name, error));
          else loaded.push(plugin.manifest.name);
        });
      }
      return { loaded, problems };
    });
  }

  /** Loads one plugin (and the plugins it depends on); throws the error that prevents it. */
  load(name: string): Promise<void> {
    return this.exclusive(async () => {
      await this.rediscover();
      const current = this.loaded.get(name);
      if (current?.process.state === "running") return;
      if (current) this.loaded.delete(name); // a plugin the sandbox stopped: start it afresh
      const refused = this.refused.get(name);
      if (refused) throw refused.error;
      if (!this.known.has(name)) throw new PluginNotFoundError(name);
      const closure = new Map<string, DiscoveredPlugin>();
      const collect = (n: string): void => {
        const p = this.known.get(n);
        if (!p || closure.has(n) || this.loaded.has(n)) return;
        closure.set(n, p);
        for (const dep of Object.keys(p.manifest.dependencies)) collect(dep);
      };
      collect(name);
      const { order, problems } = resolveLoadOrder([...closure.values()], this.runningNodes());
      const own = problems.find((p) => p.plugin === name);
      if (own) throw this.refuse(name, own).error;
      for (const plugin of order) {
        const error = await this.start(plugin);
        if (error) throw this.refuse(plugin.manifest.name, error).error;
      }
    });
  }

  /**
   * Stops a plugin. Refused with PluginInUseError when loaded plugins depend on it, unless
   * `cascade` is set: then its dependents are unloaded first. Returns the plugins unloaded.
   */
  unload(name: string, options: { cascade?: boolean } = {}): Promise<string[]> {
    return this.exclusive(async () => {
      if (!this.loaded.has(name)) throw new PluginUnavailableError(name, "unloaded");
      const dependents = this.dependentsOf(name);
      if (dependents.length > 0 && !options.cascade) throw new PluginInUseError(name, dependents);
      const order = [...dependents.reverse(), name];
      for (const n of order) await this.stop(n, "plugin.unload");
      return order;
    });
  }

  /**
   * Restarts a loaded (or failed) plugin from its folder, picking up changed code and manifest.
   * The new version must still satisfy the ranges of the plugins that depend on it.
   */
  reload(name: string): Promise<void> {
    return this.exclusive(async () => {
      const current = this.loaded.get(name);
      if (!current) throw new PluginUnavailableError(name, "unloaded");
      const fresh = await inspectPluginFolder(current.plugin.folder, this.config);
      const others = this.runningNodes().filter((n) => n.manifest.name !== name);
      const { problems } = resolveLoadOrder([fresh, ...this.dependentsOf(name).map((d) => (this.loaded.get(d) as Loaded).plugin)], others);
      const problem = problems[0];
      if (problem) throw problem;
      await this.stop(name, "plugin.reload");
      this.known.set(name, fresh);
      const error = await this.start(fresh);
      if (error) throw this.refuse(name, error).error;
    });
  }

  /** Every plugin the host knows of: running, failed (with why) or refused (with why). */
  plugins(): PluginStatus[] {
    const names = new Set([...this.known.keys(), ...this.loaded.keys(), ...this.refused.keys()]);
    return [...names].sort().map((name) => {
      const loaded = this.loaded.get(name);
      const plugin = loaded?.plugin ?? this.known.get(name);
      const refused = this.refused.get(name);
      return {
        name,
        version: plugin?.manifest.version,
        folder: plugin?.folder ?? refused?.folder ?? "",
        state: loaded ? loaded.process.state : refused ? "refused" : "unloaded",
        pid: loaded?.process.pid,
        error: loaded ? loaded.process.failure : refused?.error,
        extensions: plugin?.manifest.provides ?? [],
      };
    });
  }

  piiRecognizers(): PiiRecognizerExtension[] {
    return this.extensionsOf("pii-recognizer");
  }

  stepTypes(): StepTypeExtension[] {
    return this.extensionsOf("step-type");
  }

  agents(): AgentExtension[] {
    return this.extensionsOf("agent");
  }

  extractors(): ExtractorExtension[] {
    return this.extensionsOf("extractor");
  }

  embedders(): EmbedderExtension[] {
    return this.extensionsOf("embedder");
  }

  tools(): ToolExtension[] {
    return this.extensionsOf("tool");
  }

  /** Stops every plugin process. The host cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    await Promise.all([...this.loaded.values()].map((l) => l.process.stop()));
    this.loaded.clear();
    this.#changes.complete();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private extensionsOf<T extends AnyExtension>(point: T["point"]): T[] {
    this.assertUsable();
    const out: T[] = [];
    for (const l of this.loaded.values()) {
      if (l.process.state !== "running") continue;
      for (const proxy of l.proxies) if (proxy.point === point) out.push(proxy as T);
    }
    return out;
  }

  private readonly invoke = async (plugin: string, extension: string, method: string, args: JsonValue[]): Promise<JsonValue> => {
    this.assertUsable();
    const l = this.loaded.get(plugin);
    if (!l) throw new PluginUnavailableError(plugin, "unloaded");
    return l.process.call(extension, method, args);
  };

  /** A plugin's call back into the host; the sandbox has already checked the permission. */
  private async serveHost(plugin: string, service: HostService, args: readonly JsonValue[]): Promise<JsonValue> {
    this.assertUsable();
    if (service !== "embed") throw new InvalidArgumentError("host service", service, '"embed"');
    if (!this.embedder) throw new PluginPermissionError(plugin, ["embed"], "cannot be served: no Embedder is bound on the host");
    const parsed = embedArgsSchema.safeParse(args);
    if (!parsed.success) throw new InvalidArgumentError("bear.embed() texts", args[0], `an array of at most ${MAX_EMBED_TEXTS} strings`);
    const vectors = await this.embedder.embed(parsed.data[0]);
    this.logger.debug({ plugin, texts: parsed.data[0].length }, "plugin used the host embedder");
    return vectors.map((v) => Array.from(v));
  }

  private onProcessFailure(plugin: string, error: BearError): void {
    this.logger.warn({ plugin, code: error.code }, "plugin stopped by the sandbox");
    void this.record({ action: "plugin.stopped", outcome: "failure", resource: plugin, details: { code: error.code } });
    this.#changes.next({ type: "failed", plugin, error });
  }

  private assertUsable(): void {
    if (this.disposed) throw new DisposedError("PluginHost");
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.assertUsable();
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async rediscover(): Promise<PluginProblem[]> {
    const { plugins, problems } = await discoverPlugins(this.config);
    this.known = new Map(plugins.map((p) => [p.manifest.name, p]));
    this.refused = new Map();
    for (const problem of problems) {
      this.refused.set(problem.plugin, problem);
      this.#changes.next({ type: "refused", plugin: problem.plugin, error: problem.error });
      this.logger.warn({ plugin: problem.plugin, code: problem.error.code }, "plugin refused");
      await this.record({ action: problem.error.code === "PLUGIN_PERMISSION_DENIED" ? "permission.denied" : "plugin.validate", outcome: "denied", resource: problem.plugin, details: { code: problem.error.code } });
    }
    return [...problems];
  }

  private refuse(plugin: string, error: BearError): PluginProblem {
    const problem = { plugin, folder: this.known.get(plugin)?.folder ?? "", error };
    this.refused.set(plugin, problem);
    this.known.delete(plugin);
    this.logger.warn({ plugin, code: error.code }, "plugin not loaded");
    this.#changes.next({ type: "refused", plugin, error });
    return problem;
  }

  private runningNodes(): DiscoveredPlugin[] {
    return [...this.loaded.values()].map((l) => l.plugin);
  }

  /** Loaded plugins that depend on `name`, directly or not, dependencies before dependents. */
  private dependentsOf(name: string): string[] {
    const out: string[] = [];
    const visit = (n: string): void => {
      for (const [other, l] of this.loaded) {
        if (!(n in l.plugin.manifest.dependencies) || out.includes(other)) continue;
        out.push(other);
        visit(other);
      }
    };
    visit(name);
    return out;
  }

  private async start(plugin: DiscoveredPlugin): Promise<BearError | undefined> {
    const { manifest } = plugin;
    const missing = Object.keys(manifest.dependencies).find((d) => this.loaded.get(d)?.process.state !== "running");
    if (missing !== undefined) return new PluginDependencyError(manifest.name, missing, "unavailable", "is not running");
    // The permission model compares real paths.
    const workspace = this.config.workspaceDir === undefined ? undefined : fs.realpathSync(this.config.workspaceDir);
    const wantsRead = manifest.permissions.includes("fs.read.workspace") || manifest.permissions.includes("fs.write.workspace");
    const wantsWrite = manifest.permissions.includes("fs.write.workspace") && workspace !== undefined;
    // Node's permission model cannot take a write grant back for a folder inside it: never let a plugin
    // write its own code (bubblewrap's mounts would keep the folder read-only, the unshare fallback would not).
    if (wantsWrite && isPathInside(workspace, fs.realpathSync(plugin.folder))) {
      const error = new PluginLoadError(manifest.name, `its folder lies inside the workspace folder it may write (${workspace})`, {
        hint: "Grant plugins a workspace folder that does not hold plugin folders (workspaceDir), or install the plugin elsewhere.",
      });
      await this.record({ ...auditOf("plugin.load", "failure", manifest), details: { version: manifest.version, code: error.code } });
      return error;
    }
    try {
      const proc = await PluginProcess.start({
        plugin: manifest.name,
        folder: plugin.folder,
        entryPath: plugin.entryPath,
        provides: manifest.provides,
        runnerPath: this.runnerPath,
        limits: this.config.limits,
        readPaths: wantsRead && workspace ? [workspace] : [],
        writePaths: wantsWrite ? [workspace] : [],
        logger: this.logger,
        onFailure: (error) => this.onProcessFailure(manifest.name, error),
        services: manifest.permissions.includes("embed") ? ["embed"] : [],
        serveHost: (service, args) => this.serveHost(manifest.name, service, args),
      });
      const proxies = proc.extensions.map((e) => createExtensionProxy(manifest.name, e.id, e.point, e.info, this.invoke));
      this.loaded.set(manifest.name, { plugin, process: proc, proxies });
      this.refused.delete(manifest.name);
      this.logger.info({ plugin: manifest.name, version: manifest.version, pid: proc.pid }, "plugin loaded");
      await this.record(auditOf("plugin.load", "success", manifest));
      this.#changes.next({ type: "loaded", plugin: manifest.name, version: manifest.version });
      return undefined;
    } catch (error) {
      if (!BearError.isInstance(error)) throw error;
      await this.record({ ...auditOf("plugin.load", "failure", manifest), details: { version: manifest.version, code: error.code } });
      return error;
    }
  }

  private async stop(name: string, action: string): Promise<void> {
    const l = this.loaded.get(name);
    if (!l) return;
    this.loaded.delete(name);
    await l.process.stop();
    this.logger.info({ plugin: name }, "plugin unloaded");
    await this.record(auditOf(action, "success", l.plugin.manifest));
    this.#changes.next({ type: "unloaded", plugin: name });
  }

  private async record(event: AuditEvent): Promise<void> {
    try {
      await this.audit.record({ actor: "system", ...event });
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, "audit sink failed");
    }
  }
}

function auditOf(action: string, outcome: AuditEvent["outcome"], manifest: PluginManifest): AuditEvent {
  return { action, outcome, resource: manifest.name, details: { version: manifest.version } };
}
