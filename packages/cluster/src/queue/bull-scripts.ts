import { createRequire } from "node:module";
import { ClusterError } from "../errors";

const bull = createRequire(import.meta.url);

/**
 * The Lua of one of the installed BullMQ's scripts (the ones its Queue and Worker run), for BEAR's
 * scripts that wrap it in a function with a step of their own before or after (routed-jobs.ts,
 * step-replies.ts). Throws BULLMQ_UNSUPPORTED when BullMQ has no such script of `keys` keys.
 */
export function bullScript(file: string, name: string, keys: number): string {
  let script: { name?: unknown; keys?: unknown; content?: unknown } | undefined;
  try {
    script = (bull(`bullmq/dist/cjs/scripts/${file}`) as Record<string, typeof script>)[name];
  } catch {
    script = undefined;
  }
  if (script?.name !== name || script.keys !== keys || typeof script.content !== "string") {
    throw new ClusterError("BULLMQ_UNSUPPORTED", `the installed BullMQ has no ${name} script of ${keys} keys (bullmq/dist/cjs/scripts/${file}): this BEAR release needs the BullMQ version it was built with`, { retryable: false });
  }
  return script.content;
}

/**
 * The installed BullMQ's version: its Redis connections define each script as the command
 * `<name>:<version>` (RedisConnection.loadCommands), which is how its Worker and Queue call them.
 */
export function bullVersion(): string | undefined {
  try {
    const version = (bull("bullmq/dist/cjs/version.js") as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

/** A BullMQ client (ioredis, possibly behind BullMQ's proxy): where its scripts are defined. */
export interface ScriptClient {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

/** Patched scripts by command, built once per process (null: the installed BullMQ's script is not the one patched). */
const patchedScripts = new Map<string, string | null>();

/**
 * Defines BullMQ's command `<command>:<version>` on `client` (a Worker's own connection, which BullMQ gave it) again
 * as the script `patch()` builds, once per process. Returns false, changing nothing, when the installed BullMQ's
 * version is unknown, `client` lacks the command, or `patch` throws (BULLMQ_UNSUPPORTED: a BullMQ this release does
 * not patch).
 */
export function redefineBullCommand(client: object, command: string, numberOfKeys: number, patch: () => string): boolean {
  const version = bullVersion();
  const name = `${command}:${version}`;
  if (version === undefined || typeof (client as Record<string, unknown>)[name] !== "function") return false;
  if (!patchedScripts.has(command)) {
    try {
      patchedScripts.set(command, patch());
    } catch {
      patchedScripts.set(command, null);
    }
  }
  const lua = patchedScripts.get(command);
  if (lua === null || lua === undefined) return false;
  (client as ScriptClient).defineCommand(name, { numberOfKeys, lua });
  return true;
}
