import type { Logger } from "@bear/core";
import { checkRedis, ClusterError, parseRedisUrl, type RedisEndpoint } from "@bear/cluster";

/**
 * Checks the server behind each Redis URL the workspace will use (the cluster's, the cache's) before any
 * client connects: a server that answers clients giving no password is refused (REDIS_SERVER_INSECURE),
 * AOF off or a public `bind` is logged as a warning (see @bear/cluster's README, "Redis server settings").
 * A Redis unreachable now is left to the clients, which reconnect (the cluster waits; the cache counts
 * misses), unless the URL is `required` (the CLI's fail-fast): then REDIS_UNREACHABLE is thrown. Each
 * server is checked once here, and nowhere else at open (the CLI only parses its --redis URL): URLs that
 * differ only in password, user, database or scheme, or that name the loopback server as `localhost`,
 * `127.0.0.1` or `[::1]`, are one server (see `serverKey`). Every URL is parsed before any server is reached.
 */
export async function guardRedisServers(urls: readonly { readonly url: string | undefined; readonly setting?: string; readonly required?: boolean }[], logger: Logger): Promise<void> {
  // one check per server, however many settings name it; required if any of them is
  const servers = new Map<string, { readonly endpoint: RedisEndpoint; readonly required: boolean }>();
  for (const { url, setting, required } of urls) {
    if (url === undefined) continue;
    const endpoint = parseRedisUrl(url, setting);
    const key = serverKey(endpoint);
    const seen = servers.get(key);
    servers.set(key, { endpoint: seen ? seen.endpoint : endpoint, required: seen?.required === true || required === true });
  }
  for (const { endpoint, required } of servers.values()) {
    try {
      await checkRedis(endpoint, 2_000, logger);
    } catch (error) {
      if (error instanceof ClusterError && error.code === "REDIS_UNREACHABLE" && !required) continue;
      throw error;
    }
  }
}

// The names of the machine's own default loopback addresses: `localhost` resolves to 127.0.0.1 or ::1, and a Redis
// bound to loopback listens on both by default (`bind 127.0.0.1 -::1`). Other 127.x addresses stay apart.
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** A server's identity: its host (lower case, no brackets or final dot; the loopback names as one) and port. */
export function serverKey(endpoint: Pick<RedisEndpoint, "host" | "port">): string {
  const host = endpoint.host.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
  return `${LOOPBACK_NAMES.has(host) ? "loopback" : host}:${endpoint.port}`;
}
