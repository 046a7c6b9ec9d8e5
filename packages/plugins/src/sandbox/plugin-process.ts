import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { BearError, InvalidArgumentError, silentLogger, type Logger } from "@bear/core";
import type { ExtensionPoint } from "../manifest/plugin-manifest";
import {
  PluginCallError,
  PluginCrashedError,
  PluginLoadError,
  PluginMemoryLimitError,
  PluginPermissionError,
  PluginProtocolError,
  PluginRunnerMissingError,
  PluginTimeoutError,
  PluginUnavailableError,
  PluginUnresponsiveError,
} from "../errors";
import { containedCommand } from "./containment";
import { callArgsSchema, runnerMessageSchema, type ExtensionInfo, type HostMessage, type HostService, type JsonValue, type RunnerMessage } from "./protocol";

export interface SandboxLimits {
  /** V8 heap limit of the plugin process (--max-old-space-size), in MB. */
  readonly memoryMb: number;
  /**
   * Cap on the process's whole address space (RLIMIT_AS), in MB: heap, Buffers, code and stacks.
   * Node reserves about 0.8 GB of address space at start, so the default is memoryMb + 1024.
   */
  readonly addressSpaceMb?: number | undefined;
  /** Longest a single call may take before the process is killed. */
  readonly callTimeoutMs: number;
  /** Longest the process may take to start and load the entry module. */
  readonly loadTimeoutMs: number;
  /**
   * Heartbeat interval while no call runs (default 5000): a ping still unanswered at the next one
   * means the plugin's event loop is stuck between calls, which no call time limit would notice.
   */
  readonly heartbeatMs?: number | undefined;
}

export interface PluginProcessOptions {
  readonly plugin: string;
  /** Real path of the plugin folder: the process may read it and nothing else (plus readPaths). */
  readonly folder: string;
  readonly entryPath: string;
  readonly provides: ReadonlyArray<{ readonly point: ExtensionPoint; readonly id: string }>;
  readonly runnerPath: string;
  readonly limits: SandboxLimits;
  readonly readPaths?: readonly string[];
  readonly writePaths?: readonly string[];
  readonly logger?: Logger;
  /** Host services granted to the plugin (by its permissions), and the function that serves them. */
  readonly services?: readonly HostService[];
  readonly serveHost?: (service: HostService, args: readonly JsonValue[]) => Promise<JsonValue>;
  /** Called once when a running process fails (time limit, memory limit, exit, bad message). */
  readonly onFailure?: (error: BearError) => void;
}

export interface SandboxedExtension {
  readonly id: string;
  readonly point: ExtensionPoint;
  readonly info: ExtensionInfo;
}

export type PluginProcessState = "starting" | "running" | "stopped" | "failed";

interface Pending {
  readonly call: string;
  readonly resolve: (value: JsonValue) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const STDERR_TAIL = 8192;
const ADDRESS_SPACE_BASE_MB = 1024;
const DEFAULT_HEARTBEAT_MS = 5000;

/** The address-space cap of a plugin process, in MB. */
export function addressSpaceMbOf(limits: SandboxLimits): number {
  return limits.addressSpaceMb ?? limits.memoryMb + ADDRESS_SPACE_BASE_MB;
}

/** The node flags that build the sandbox: permission model on, reads limited, no children/workers, a heap cap. */
export function sandboxExecArgv(options: Pick<PluginProcessOptions, "folder" | "runnerPath" | "limits" | "readPaths" | "writePaths">): string[] {
  // Node 20 takes one path per --allow-fs-* flag (a comma-separated list is read as one path).
  // Every grant is a real path: the permission model compares path strings, and follows links.
  const real = (p: string): string => fs.realpathSync(p);
  const reads = [options.runnerPath, options.folder, ...(options.readPaths ?? [])].map(real);
  return [
    "--experimental-permission",
    ...reads.map((p) => `--allow-fs-read=${p}`),
    ...(options.writePaths ?? []).map(real).map((p) => `--allow-fs-write=${p}`),
    `--max-old-space-size=${options.limits.memoryMb}`,
    "--disable-proto=throw",
    "--no-warnings",
  ];
}

/** Host service calls (e.g. `bear.embed`) one plugin may have in flight. */
const MAX_SERVICE_CALLS = 4;

/**
 * One plugin running in its own child process under Node's permission model, reached only through
 * the validated message channel. A call that exceeds the time limit kills the process; a process that
 * dies (memory limit, process.exit, crash) fails every pending call with an error saying why.
 */
export class PluginProcess {
  private readonly child: ChildProcess;
  private readonly logger: Logger;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Host service calls being served for this plugin. */
  private serving = 0;
  private stderrTail = "";
  private stopping = false;
  private _state: PluginProcessState = "starting";
  private _failure: BearError | undefined;
  private _extensions: SandboxedExtension[] = [];
  private readonly exited: Promise<void>;
  private onReady: ((message: RunnerMessage) => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextPing = 0;
  /** The ping sent at the last beat and not yet answered, with the call counter at that time. */
  private unanswered: { readonly id: number; readonly callsBefore: number } | undefined;

  private constructor(private readonly options: PluginProcessOptions) {
    this.logger = (options.logger ?? silentLogger).child({ name: "plugins:PluginProcess", plugin: options.plugin });
    // The OS containment (namespaces, address-space cap) wraps node; the permission model runs inside it.
    const real = (p: string): string => fs.realpathSync(p);
    const { command, args } = containedCommand([process.execPath, ...sandboxExecArgv(options), options.runnerPath], addressSpaceMbOf(options.limits) * 1024 * 1024, {
      readOnly: [options.runnerPath, options.folder, ...(options.readPaths ?? [])].map(real),
      readWrite: (options.writePaths ?? []).map(real),
      cwd: real(options.folder),
    });
    this.child = spawn(command, args, {
      cwd: options.folder,
      // Nothing of the host's environment (secrets, NODE_OPTIONS) reaches the plugin.
      env: {},
      serialization: "json",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    this.child.on("message", (raw) => this.onMessage(raw));
    this.exited = new Promise((resolve) => {
      // Wait for both "exit" and the end of stderr, so a heap-limit crash is recognised from its
      // message. Not the child's "close" event: on Node 20 it never fires once the host has called
      // disconnect() on the IPC channel, which is how a plugin is stopped.
      const stderrClosed = new Promise<void>((done) => {
        const stderr = this.child.stderr;
        if (!stderr || stderr.destroyed) done();
        else stderr.once("close", () => done());
      });
      this.child.once("exit", (code, signal) => {
        void stderrClosed.then(() => {
          this.onExit(code, signal);
          resolve();
        });
      });
    });
    this.child.on("error", (error) => this.logger.warn({ err: error.message }, "plugin process error"));
  }

  /** Starts the process and loads the plugin's entry; rejects with PluginLoadError (the process is gone then). */
  static async start(options: PluginProcessOptions): Promise<PluginProcess> {
    if (!fs.existsSync(options.runnerPath)) throw new PluginRunnerMissingError(options.runnerPath);
    const proc = new PluginProcess(options);
    await proc.load();
    return proc;
  }

  get state(): PluginProcessState {
    return this._state;
  }

  /** Why the process stopped, when it failed. */
  get failure(): BearError | undefined {
    return this._failure;
  }

  get extensions(): readonly SandboxedExtension[] {
    return this._extensions;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async load(): Promise<void> {
    const { plugin, entryPath, provides, limits } = this.options;
    const outcome = await new Promise<RunnerMessage | BearError>((resolve) => {
      const timer = setTimeout(() => resolve(new PluginLoadError(plugin, `it did not start within ${limits.loadTimeoutMs} ms`)), limits.loadTimeoutMs);
      this.onReady = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(this._failure ?? new PluginLoadError(plugin, "its process exited while loading"));
      });
      this.post({ type: "load", plugin, entry: entryPath, provides: provides.map((p) => ({ point: p.point, id: p.id })), services: [...(this.options.services ?? [])] });
    });
    this.onReady = undefined;
    if (outcome instanceof BearError || outcome.type !== "ready") {
      const error =
        outcome instanceof PluginLoadError
          ? outcome
          : outcome instanceof BearError
            ? new PluginLoadError(plugin, outcome.message, { cause: outcome })
            : new PluginLoadError(plugin, outcome.type === "load-failed" ? `${outcome.error.name}: ${outcome.error.message}` : "unexpected answer");
      this._failure = error;
      await this.kill();
      throw error;
    }
    // The ready message comes from the plugin's process, where plugin code can send its own: serve only
    // what the manifest (what the user installed and allowed) provides, never what the plugin claims.
    const mismatch = extensionsMismatch(provides, outcome.extensions);
    if (mismatch !== undefined) {
      const error = new PluginLoadError(plugin, `it announced extensions its manifest does not provide (${mismatch})`, { cause: new PluginProtocolError(plugin, mismatch) });
      this._failure = error;
      await this.kill();
      throw error;
    }
    this._extensions = outcome.extensions;
    this._state = "running";
    this.startHeartbeat();
    this.logger.debug({ pid: this.child.pid, extensions: outcome.extensions.length }, "plugin process ready");
  }

  /** Calls `method` of extension `extension` in the sandbox; arguments and result are JSON. */
  call(extension: string, method: string, args: readonly JsonValue[], timeoutMs = this.options.limits.callTimeoutMs): Promise<JsonValue> {
    const { plugin } = this.options;
    if (this._state !== "running") return Promise.reject(this._failure ?? new PluginUnavailableError(plugin, this._state));
    const checked = callArgsSchema.safeParse(args);
    if (!checked.success) return Promise.reject(new InvalidArgumentError(`arguments of ${extension}.${method}()`, args, 'JSON values (no undefined, functions, bigints, class instances or "__proto__" keys)'));
    const id = this.nextId++;
    const call = `${extension}.${method}()`;
    return new Promise<JsonValue>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new PluginTimeoutError(plugin, call, timeoutMs)), timeoutMs);
      this.pending.set(id, { call, resolve, reject, timer });
      this.post({ type: "call", id, extension, method, args: checked.data as JsonValue[] });
    });
  }

  /** Stops the process (graceful disconnect, then SIGKILL). Idempotent. */
  async stop(): Promise<void> {
    if (this._state === "stopped" || this._state === "failed") return this.exited;
    this.stopHeartbeat();
    this.stopping = true;
    this._state = "stopped";
    const grace = setTimeout(() => this.child.kill("SIGKILL"), 1000);
    if (this.child.connected) this.child.disconnect();
    else this.child.kill("SIGKILL");
    await this.exited;
    clearTimeout(grace);
  }

  /**
   * Between calls the plugin's process should be idle, and an idle event loop answers a ping at once.
   * A call blocks the loop legitimately (callTimeoutMs bounds it), so a beat during or after a call
   * since the last one does not count; a ping sent while idle and unanswered by the next beat does.
   */
  private startHeartbeat(): void {
    const every = this.options.limits.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    let lastBeat = performance.now();
    this.heartbeat = setInterval(() => {
      if (this._state !== "running") return this.stopHeartbeat();
      // A beat that runs well after its time means the host's own thread was busy: the plugin's answer may
      // be waiting unread, so that beat judges nothing and pings afresh.
      const now = performance.now();
      const hostWasLate = now - lastBeat > every * 1.5;
      lastBeat = now;
      const missed = this.unanswered;
      if (missed !== undefined && !hostWasLate && missed.callsBefore === this.nextId && this.pending.size === 0) {
        // Judged after this turn's poll phase, which reads an answer already in the pipe.
        setImmediate(() => {
          if (this._state === "running" && this.unanswered === missed && missed.callsBefore === this.nextId && this.pending.size === 0) {
            this.fail(new PluginUnresponsiveError(this.options.plugin, every));
          }
        });
        return;
      }
      this.unanswered = undefined;
      if (this.pending.size > 0) return;
      this.unanswered = { id: this.nextPing, callsBefore: this.nextId };
      this.post({ type: "ping", id: this.nextPing++ });
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private post(message: HostMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = runnerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.fail(new PluginProtocolError(this.options.plugin, parsed.error.issues[0]?.message ?? "bad message"));
      return;
    }
    const message = parsed.data;
    if (message.type === "ready" || message.type === "load-failed") {
      this.onReady?.(message);
      return;
    }
    if (message.type === "pong") {
      if (message.id >= this.nextPing) this.fail(new PluginProtocolError(this.options.plugin, `a heartbeat answer ${message.id}, which the host never sent`));
      else if (message.id === this.unanswered?.id) this.unanswered = undefined;
      return;
    }
    if (message.type === "service-call") {
      // Host services serve the calls the host made: never more at once than MAX_SERVICE_CALLS, never while idle.
      if (this.pending.size === 0 || this.serving >= MAX_SERVICE_CALLS) {
        this.fail(new PluginProtocolError(this.options.plugin, this.pending.size === 0 ? "a host service was called while no call to the plugin was running" : `more than ${MAX_SERVICE_CALLS} host service calls at once`));
        return;
      }
      this.serving++;
      void this.serve(message.id, message.service, message.args as JsonValue[]).finally(() => this.serving--);
      return;
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) {
      // The runner answers only what it was asked: anything else is the plugin's own code flooding the host.
      this.fail(new PluginProtocolError(this.options.plugin, `an answer to call ${message.id}, which the host never made or already settled`));
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === "result") pending.resolve(message.value as JsonValue);
    else pending.reject(new PluginCallError(this.options.plugin, pending.call, message.error));
  }

  /** Answers a plugin's call back into the host, if its permissions grant the service. */
  private async serve(id: number, service: HostService, args: JsonValue[]): Promise<void> {
    try {
      if (!(this.options.services ?? []).includes(service) || !this.options.serveHost) {
        throw new PluginPermissionError(this.options.plugin, [service], "not granted: the host service is refused");
      }
      const value = await this.options.serveHost(service, args);
      this.post({ type: "service-result", id, value });
    } catch (error) {
      const e = error as { name?: unknown; message?: unknown; code?: unknown };
      this.post({
        type: "service-error",
        id,
        error: { name: String(e.name ?? "Error").slice(0, 200), message: String(e.message ?? error).slice(0, 4000), ...(typeof e.code === "string" ? { code: e.code } : {}) },
      });
    }
  }

  /** Marks the process failed with `error`, kills it and fails everything pending. */
  private fail(error: BearError): void {
    this.stopHeartbeat();
    const wasRunning = this._state === "running";
    if (this._failure === undefined) this._failure = error;
    if (this._state !== "stopped") this._state = "failed";
    if (wasRunning) this.options.onFailure?.(this._failure);
    this.logger.warn({ code: error.code }, "plugin process stopped");
    this.rejectAll(this._failure);
    this.child.kill("SIGKILL");
  }

  private async kill(): Promise<void> {
    this.stopHeartbeat();
    this.stopping = true;
    this._state = "failed";
    this.child.kill("SIGKILL");
    await this.exited;
  }

  private rejectAll(error: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.stopHeartbeat();
    if (this.stopping || this._failure !== undefined) {
      this.rejectAll(this._failure ?? new PluginUnavailableError(this.options.plugin, "stopped"));
      return;
    }
    // V8 says "heap limit" or "out of memory" for the heap, "Fatal process OOM" when the address-space cap bites.
    const oom = /heap limit|out of memory|process OOM/i.test(this.stderrTail);
    this._failure = oom ? new PluginMemoryLimitError(this.options.plugin, this.options.limits.memoryMb, addressSpaceMbOf(this.options.limits)) : new PluginCrashedError(this.options.plugin, code, signal);
    const wasRunning = this._state === "running";
    this._state = "failed";
    this.logger.warn({ code: this._failure.code, exitCode: code, signal }, "plugin process died");
    this.rejectAll(this._failure);
    if (wasRunning) this.options.onFailure?.(this._failure);
  }
}

/** Why a plugin's announced extensions are not exactly its manifest's `provides` (same points and ids, once each), or undefined. */
export function extensionsMismatch(provides: ReadonlyArray<{ point: string; id: string }>, announced: ReadonlyArray<{ point: string; id: string }>): string | undefined {
  const key = (e: { point: string; id: string }): string => `${e.point}:${e.id}`;
  const expected = new Set(provides.map(key));
  const seen = new Set<string>();
  for (const extension of announced) {
    const k = key(extension);
    if (!expected.has(k)) return `'${extension.id}' as ${extension.point}`;
    if (seen.has(k)) return `'${extension.id}' twice`;
    seen.add(k);
  }
  const missing = [...expected].find((k) => !seen.has(k));
  return missing === undefined ? undefined : `'${missing.slice(missing.indexOf(":") + 1)}' missing`;
}
