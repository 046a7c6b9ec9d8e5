import { AsyncLocalStorage } from "node:async_hooks";
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";
import { OfflineViolationError } from "../errors/core-errors";
import { isLoopbackHost, isLoopbackIp, networkHostOfUrl } from "./address-policy";

/**
 * The offline guard: once enforceOffline() runs, every outbound path Node offers in this thread
 * (net/tls sockets and everything built on them: http, https, http2, fetch/undici; DNS; UDP)
 * refuses non-loopback destinations with OfflineViolationError before a socket or query exists.
 *
 * Limits, stated honestly: the guard lives in this JS realm. Worker threads must call
 * enforceOffline() themselves (the plugin sandbox does); child processes and native addons that
 * open their own sockets are outside its reach, which is why the apps also bind only to
 * loopback and ship no code that spawns network tools.
 */

export interface OfflineGuardOptions {
  /** Called for every refused attempt, e.g. to write an audit record. Must not throw. */
  readonly onViolation?: (violation: OfflineViolationError) => void;
  /** false refuses loopback and Unix-socket connections too (plugin sandboxes get no network at all). Default true. */
  readonly allowLoopback?: boolean;
}

interface Installed {
  readonly restore: () => void;
  onViolation: ((violation: OfflineViolationError) => void) | undefined;
  allowLoopback: boolean;
}

const networkScope = new AsyncLocalStorage<{ readonly reason: string }>();
let installed: Installed | undefined;

function networkAllowedHere(): boolean {
  return networkScope.getStore() !== undefined;
}

function refuse(target: string, via: string): OfflineViolationError {
  const violation = new OfflineViolationError(target, via);
  try {
    installed?.onViolation?.(violation);
  } catch {
    // A failing observer must never turn a refusal into an allowance.
  }
  return violation;
}

/** Throws unless `host` is loopback (where allowed) or we are inside allowNetwork(). */
function check(host: string | undefined, via: string): void {
  if (networkAllowedHere()) return;
  const target = host === undefined || host === "" ? "localhost" : host;
  if (!isLoopbackHost(target) || installed?.allowLoopback === false) throw refuse(target, via);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
type LookupFn = (hostname: string, options: unknown, callback: LookupCallback) => void;

/** Wraps a lookup function so a loopback name that resolves elsewhere (a tampered hosts file) is refused. */
function loopbackOnlyLookup(original: LookupFn, via: string): LookupFn {
  return function guardedLookup(hostname, options, callback) {
    if (typeof options === "function") {
      callback = options as LookupCallback;
      options = {};
    }
    if (networkAllowedHere()) return original.call(dns, hostname, options, callback);
    try {
      check(hostname, via);
    } catch (error) {
      process.nextTick(() => callback(error as NodeJS.ErrnoException, "", 4));
      return;
    }
    original.call(dns, hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const foreign = addresses.find((a) => !isLoopbackIp(a));
      if (foreign !== undefined) return callback(refuse(`${hostname} -> ${foreign}`, via) as NodeJS.ErrnoException, "", 4);
      callback(null, address, family);
    });
  };
}

/** Reads the destination host out of the many shapes net.Socket#connect accepts. */
function connectTarget(args: unknown[]): { host: string | undefined; ipc: boolean; options?: Record<string, unknown> } {
  // Node's own callers pass one pre-normalised array: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === "object") {
    const options = first as Record<string, unknown>;
    if (typeof options.path === "string") return { host: undefined, ipc: true };
    return { host: typeof options.host === "string" ? options.host : undefined, ipc: false, options };
  }
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { host: typeof args[1] === "string" ? args[1] : undefined, ipc: false };
  }
  if (typeof first === "string") return { host: undefined, ipc: true }; // a Unix socket path
  return { host: undefined, ipc: false };
}

/** The destination of dgram's send(msg, [offset, length,] [port,] [address,] [cb]). */
function datagramTarget(args: unknown[]): string | undefined {
  return args.slice(1).find((a): a is string => typeof a === "string");
}

function requestHost(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === "string" || first instanceof URL) return networkHostOfUrl(first);
  if (first !== null && typeof first === "object") {
    const o = first as { host?: unknown; hostname?: unknown; socketPath?: unknown };
    if (typeof o.socketPath === "string") return "localhost";
    const host = typeof o.hostname === "string" ? o.hostname : typeof o.host === "string" ? o.host : undefined;
    return host?.replace(/:\d+$/, "");
  }
  return undefined;
}

/** The same connect arguments, with the options' lookup wrapped by loopbackOnlyLookup. */
function withLoopbackOnlyLookup(args: unknown[], options: Record<string, unknown>): unknown[] {
  const lookup = (options.lookup as LookupFn | undefined) ?? (dns.lookup as unknown as LookupFn);
  const guarded = { ...options, lookup: loopbackOnlyLookup(lookup, "dns") };
  if (!Array.isArray(args[0])) return [guarded, ...args.slice(1)];
  const normalized = args[0] as unknown[];
  const copy: unknown[] = [guarded, ...normalized.slice(1)];
  // Keep Node's internal "already normalised" marker (a symbol key) on the rebuilt array.
  for (const key of Object.getOwnPropertySymbols(normalized)) {
    (copy as unknown as Record<symbol, unknown>)[key] = (normalized as unknown as Record<symbol, unknown>)[key];
  }
  return [copy, ...args.slice(1)];
}

/** Replaces obj[key] with wrap(original) and returns the undo. */
function patch<T extends object, K extends keyof T>(obj: T, key: K, wrap: (original: T[K]) => T[K]): () => void {
  const original = obj[key];
  obj[key] = wrap(original);
  return () => {
    obj[key] = original;
  };
}

function fetchUrl(input: unknown): string | URL | undefined {
  if (typeof input === "string" || input instanceof URL) return input;
  if (input !== null && typeof input === "object" && typeof (input as { url?: unknown }).url === "string") {
    return (input as { url: string }).url;
  }
  return undefined;
}

/**
 * Turns the guard on for this thread (idempotent; a second call only replaces `onViolation` and `allowLoopback`).
 * Returns a function that turns it off again (for tests; the apps never call it).
 */
export function enforceOffline(options: OfflineGuardOptions = {}): () => void {
  if (installed) {
    installed.onViolation = options.onViolation;
    installed.allowLoopback = options.allowLoopback ?? true;
    return disableOfflineGuard;
  }
  const undo: Array<() => void> = [];

  // net/tls: every TCP connection in Node, including http(s), http2 and undici's fetch, ends here.
  undo.push(
    patch(net.Socket.prototype, "connect", (original) =>
      function guardedConnect(this: net.Socket, ...args: unknown[]) {
        const target = connectTarget(args);
        // Without loopback, local (Unix-socket) connections are refused too: a sandbox has no peers.
        if (target.ipc && installed?.allowLoopback === false && !networkAllowedHere()) throw refuse("a local socket", "ipc");
        if (!target.ipc) {
          check(target.host, "tcp");
          // A localhost *name* still goes through DNS: make that lookup loopback-only too.
          const isName = target.host !== undefined && net.isIP(target.host.replace(/^\[|\]$/g, "")) === 0;
          if (isName && target.options && !networkAllowedHere()) args = withLoopbackOnlyLookup(args, target.options);
        }
        return (original as (...a: unknown[]) => net.Socket).apply(this, args);
      } as typeof original,
    ),
  );

  // DNS: name resolution is itself traffic to a resolver.
  undo.push(patch(dns, "lookup", (original) => loopbackOnlyLookup(original as unknown as LookupFn, "dns") as unknown as typeof original));
  undo.push(
    patch(dns.promises, "lookup", (original) =>
      (async (hostname: string, options?: unknown) => {
        if (!networkAllowedHere()) check(hostname, "dns");
        const result = await (original as (h: string, o?: unknown) => Promise<dns.LookupAddress | dns.LookupAddress[]>)(hostname, options);
        if (!networkAllowedHere()) {
          const foreign = (Array.isArray(result) ? result : [result]).find((a) => !isLoopbackIp(a.address));
          if (foreign) throw refuse(`${hostname} -> ${foreign.address}`, "dns");
        }
        return result;
      }) as unknown as typeof original,
    ),
  );
  const resolverMethods = Object.getOwnPropertyNames(dns.Resolver.prototype).filter((m) => m.startsWith("resolve") || m === "reverse");
  for (const method of resolverMethods) {
    const refuseQuery = (original: unknown) =>
      function guardedResolve(this: unknown, ...args: unknown[]) {
        if (!networkAllowedHere()) throw refuse(String(args[0]), "dns");
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
    for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype] as Array<Record<string, unknown>>) {
      if (typeof target[method] === "function") undo.push(patch(target, method, refuseQuery as (o: unknown) => unknown));
    }
  }
  undo.push(
    patch(dns, "lookupService", (original) =>
      function guardedLookupService(this: unknown, ...args: unknown[]) {
        check(String(args[0]), "dns");
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as unknown as typeof original,
    ),
  );

  // UDP.
  for (const method of ["send", "connect"] as const) {
    undo.push(
      patch(dgram.Socket.prototype, method, (original) =>
        function guardedDatagram(this: dgram.Socket, ...args: unknown[]) {
          const host = method === "send" ? datagramTarget(args) : typeof args[1] === "string" ? args[1] : undefined;
          check(host, "udp");
          return (original as (...a: unknown[]) => unknown).apply(this, args);
        } as typeof original,
      ),
    );
  }

  // http/https: refused here already, so the error names the URL's host rather than a socket.
  for (const [mod, via] of [[http, "http"], [https, "https"]] as const) {
    for (const method of ["request", "get"] as const) {
      undo.push(
        patch(mod, method, (original) =>
          function guardedRequest(this: unknown, ...args: unknown[]) {
            check(requestHost(args), via);
            return (original as (...a: unknown[]) => unknown).apply(this, args);
          } as typeof original,
        ),
      );
    }
  }

  // fetch (undici): reject with our error instead of undici's generic "fetch failed".
  if (typeof globalThis.fetch === "function") {
    undo.push(
      patch(globalThis, "fetch", (original) =>
        function guardedFetch(input: Parameters<typeof fetch>[0], init?: RequestInit) {
          try {
            const url = fetchUrl(input);
            if (url !== undefined) {
              const host = networkHostOfUrl(url);
              if (host !== undefined) check(host, "fetch");
            }
          } catch (error) {
            return Promise.reject(error);
          }
          return original(input, init);
        } as typeof fetch,
      ),
    );
  }

  syncBuiltinESMExports();
  installed = {
    onViolation: options.onViolation,
    allowLoopback: options.allowLoopback ?? true,
    restore: () => {
      for (const u of undo.reverse()) u();
      syncBuiltinESMExports();
    },
  };
  return disableOfflineGuard;
}

/** Turns the guard off again. Meant for tests; the apps keep it on for their whole life. */
export function disableOfflineGuard(): void {
  installed?.restore();
  installed = undefined;
}

export function isOfflineEnforced(): boolean {
  return installed !== undefined;
}

/**
 * Runs `fn` with the network allowed for it and everything it starts asynchronously, and for
 * nothing else in the process. The one user-requested model download runs in here.
 */
export function allowNetwork<T>(fn: () => T, reason = "user-requested download"): T {
  return networkScope.run({ reason }, fn);
}

/** Why the network is open right now, or undefined when it is not (outside allowNetwork). */
export function currentNetworkAllowance(): string | undefined {
  return networkScope.getStore()?.reason;
}
