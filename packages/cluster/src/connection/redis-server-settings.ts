// What a Redis server lets us read of its own security and persistence settings, and BEAR's policy on them
// (packages/cluster/README.md, "Redis server settings").
import { isLoopbackIp, isPrivateAddress, type Logger } from "@bear/core";
import type { Redis } from "ioredis";

/** A setting read from the server, or "unknown" when CONFIG is renamed, disabled or denied by an ACL. */
export type Known<T> = T | "unknown";

export interface RedisServerSettings {
  readonly appendOnly: Known<boolean>;
  readonly appendFsync: Known<string>;
  /** The addresses `bind` lists ("-" prefixes dropped); `*` or 0.0.0.0 / :: mean every interface. */
  readonly bind: Known<readonly string[]>;
  readonly protectedMode: Known<boolean>;
  /** True when a second connection with no credentials at all was answered (PING), false when it was refused. */
  readonly acceptsUnauthenticated: Known<boolean>;
}

/** A setting BEAR warns about (structured, no secrets): the server runs, but not as the deployment asks. */
export interface RedisServerWarning {
  readonly setting: "appendonly" | "appendfsync" | "bind";
  readonly message: string;
}

/** Reads the settings through `client` (already authenticated) and probes an unauthenticated connection with `probe`. */
export async function readRedisServerSettings(client: Redis, probe: () => Promise<Known<boolean>>): Promise<RedisServerSettings> {
  const [appendOnly, appendFsync, bind, protectedMode, acceptsUnauthenticated] = await Promise.all([
    configGet(client, "appendonly").then(async (v) => (v === "unknown" ? aofFromInfo(client) : v === "yes")),
    configGet(client, "appendfsync"),
    configGet(client, "bind").then((v) => (v === "unknown" ? v : v.split(/\s+/).filter(Boolean).map((a) => a.replace(/^-/, "")))),
    configGet(client, "protected-mode").then((v) => (v === "unknown" ? v : v === "yes")),
    probe(),
  ]);
  return { appendOnly, appendFsync, bind, protectedMode, acceptsUnauthenticated };
}

/** The warnings of the policy (a server accepting unauthenticated clients is refused before this: see checkRedis). */
export function redisServerWarnings(settings: RedisServerSettings): RedisServerWarning[] {
  const warnings: RedisServerWarning[] = [];
  if (settings.appendOnly === false) {
    warnings.push({ setting: "appendonly", message: "Redis persistence is not AOF (appendonly no): a Redis restart loses queued steps and run leases; set `appendonly yes`" });
  } else if (settings.appendOnly === true && settings.appendFsync === "no") {
    warnings.push({ setting: "appendfsync", message: "Redis's AOF is fsynced only when the OS decides (appendfsync no): a machine crash may lose ~30 s of steps; set `appendfsync everysec`" });
  }
  if (settings.bind !== "unknown") {
    const open = settings.bind.filter((a) => !isLoopbackIp(a) && (isEveryInterface(a) || !isPrivateAddress(a)));
    if (open.length > 0) {
      warnings.push({ setting: "bind", message: `Redis listens on ${open.join(", ")} (every interface or a public address): bind it to loopback or a private address` });
    }
  }
  return warnings;
}

/** Logs each warning once, as structured fields (the display URL has no password). */
export function logRedisServerWarnings(logger: Logger, display: string, warnings: readonly RedisServerWarning[]): void {
  for (const w of warnings) logger.warn({ redis: display, setting: w.setting }, w.message);
}

function isEveryInterface(address: string): boolean {
  return address === "*" || address === "0.0.0.0" || address === "::" || address === "::*" || address === "-::*";
}

async function configGet(client: Redis, name: string): Promise<Known<string>> {
  try {
    const reply = (await client.call("CONFIG", "GET", name)) as unknown;
    if (Array.isArray(reply) && reply.length >= 2 && typeof reply[1] === "string") return reply[1];
    return "unknown";
  } catch {
    // CONFIG renamed (rename-command), disabled or denied by an ACL: the policy says "unknown", it does not fail
    return "unknown";
  }
}

async function aofFromInfo(client: Redis): Promise<Known<boolean>> {
  try {
    const persistence = await client.info("persistence");
    const m = /aof_enabled:(\d)/.exec(persistence);
    return m ? m[1] === "1" : "unknown";
  } catch {
    return "unknown";
  }
}
