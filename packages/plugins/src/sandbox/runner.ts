// The sandbox runner: the script each plugin process starts with. It installs core's offline guard
// before any plugin code exists, loads the plugin's entry module and answers calls from the host.
// Built as a self-contained dist/runner.mjs (zod and the guard bundled in), so the process needs read
// access to this one file and the plugin's folder only.
import { pathToFileURL } from "node:url";
import { enforceOffline } from "@bear/core";
import { EXTENSION_METHODS, extensionInfoSchema, hostMessageSchema, type ExtensionInfo, type HostService, type RunnerMessage } from "./protocol";
import type { ExtensionPoint } from "../manifest/extension-points";

// No network at all, loopback included: the JS layer under the OS network namespace (and the only
// network layer where the kernel refuses namespaces).
enforceOffline({ allowLoopback: false });

const rawSend = process.send?.bind(process);
if (rawSend === undefined) {
  process.stderr.write("the BEAR plugin runner must be started by the plugin host\n");
  process.exit(2);
}
const send = (message: RunnerMessage): void => {
  rawSend(message);
};

interface Loaded {
  readonly point: ExtensionPoint;
  readonly impl: Record<string, unknown>;
}
const extensions = new Map<string, Loaded>();
let loaded = false;

// Calls back into the host, for the services the plugin's permissions grant.
const serviceCalls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextServiceCall = 0;
let granted: readonly HostService[] = [];

function callService(service: HostService, args: unknown[]): Promise<unknown> {
  if (!granted.includes(service)) {
    return Promise.reject(Object.assign(new Error(`the host service '${service}' needs the '${service}' permission in bear-plugin.json`), { code: "PLUGIN_PERMISSION_DENIED" }));
  }
  const id = nextServiceCall++;
  return new Promise((resolve, reject) => {
    serviceCalls.set(id, { resolve, reject });
    send({ type: "service-call", id, service, args: toJson(args) as never });
  });
}

/** The second argument of every extension method: what the host offers the plugin. */
const bear = Object.freeze({
  /** Embeds texts with the host's embedder (permission "embed"); resolves to one number[] per text. */
  embed: (texts: string[]) => callService("embed", [texts]),
});

function toRemoteError(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name.slice(0, 200), message: error.message.slice(0, 4000), ...(typeof code === "string" ? { code: code.slice(0, 200) } : {}) };
  }
  return { name: "Error", message: String(error).slice(0, 4000) };
}

/** Plain JSON of a plugin's return value (typed arrays become arrays, undefined becomes null). */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v));
  return text === undefined ? null : JSON.parse(text);
}

function infoOf(impl: Record<string, unknown>): ExtensionInfo {
  const candidate = Object.fromEntries(
    (["description", "dimensions", "fileExtensions", "entityTypes", "inputSchema"] as const).filter((k) => impl[k] !== undefined).map((k) => [k, toJson(impl[k])]),
  );
  return extensionInfoSchema.parse(candidate);
}

async function load(plugin: string, entry: string, provides: ReadonlyArray<{ point: ExtensionPoint; id: string }>): Promise<void> {
  const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const exported = (mod.default ?? mod) as Record<string, unknown> | null;
  if (exported === null || typeof exported !== "object") throw new TypeError(`the entry of '${plugin}' must default-export an object of implementations`);
  const ready: Array<{ id: string; point: ExtensionPoint; info: ExtensionInfo }> = [];
  for (const { point, id } of provides) {
    const impl = exported[id] as Record<string, unknown> | undefined;
    const method = EXTENSION_METHODS[point];
    if (impl === null || typeof impl !== "object" || typeof impl[method] !== "function") {
      throw new TypeError(`the entry does not export '${id}' with a ${method}() method (required for a ${point})`);
    }
    const info = infoOf(impl);
    if (point === "embedder" && info.dimensions === undefined) throw new TypeError(`embedder '${id}' must declare its dimensions`);
    if (point === "tool" && info.inputSchema === undefined) throw new TypeError(`tool '${id}' must declare its inputSchema (a JSON Schema of its arguments)`);
    extensions.set(id, { point, impl });
    ready.push({ id, point, info });
  }
  send({ type: "ready", extensions: ready });
}

async function handle(raw: unknown): Promise<void> {
  const parsed = hostMessageSchema.safeParse(raw);
  if (!parsed.success) {
    // Answer a malformed call (so it fails at once instead of timing out); drop anything else.
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === "number" && Number.isInteger(id) && id >= 0) {
      send({ type: "error", id, error: { name: "TypeError", message: `invalid call message: ${parsed.error.issues[0]?.message ?? "bad shape"}`, code: "PLUGIN_PROTOCOL" } });
    }
    return;
  }
  const message = parsed.data;
  if (message.type === "ping") {
    send({ type: "pong", id: message.id });
    return;
  }
  if (message.type === "service-result" || message.type === "service-error") {
    const pending = serviceCalls.get(message.id);
    serviceCalls.delete(message.id);
    if (message.type === "service-result") pending?.resolve(message.value);
    else pending?.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }));
    return;
  }
  if (message.type === "load") {
    if (loaded) return;
    loaded = true;
    granted = message.services;
    try {
      await load(message.plugin, message.entry, message.provides);
    } catch (error) {
      send({ type: "load-failed", error: toRemoteError(error) });
    }
    return;
  }
  const target = extensions.get(message.extension);
  try {
    if (target === undefined || EXTENSION_METHODS[target.point] !== message.method) {
      throw new TypeError(`unknown extension method ${message.extension}.${message.method}`);
    }
    const fn = target.impl[message.method] as (...args: unknown[]) => unknown;
    const value = await fn.apply(target.impl, [...message.args, bear]);
    send({ type: "result", id: message.id, value: toJson(value) as never });
  } catch (error) {
    send({ type: "error", id: message.id, error: toRemoteError(error) });
  }
}

process.on("message", (raw) => {
  void handle(raw);
});
// When the host goes away, so does the plugin.
process.on("disconnect", () => process.exit(0));
