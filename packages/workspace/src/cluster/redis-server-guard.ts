import type { Logger } from "@bear/core";
import { checkRedis, ClusterError, parseRedisUrl } from "@bear/cluster";

/**
 * Checks the server behind each Redis URL the workspace will use (the cluster's, the cache's) before any
 * client connects: a server that answers clients giving no password is refused (REDIS_SERVER_INSECURE),
 * AOF off or a public `bind` is logged as a warning (see @bear/cluster's README, "Redis server settings").
 * A Redis unreachable now is left to the clients, which reconnect (the cluster waits; the cache counts misses).
 */
export async function guardRedisServers(urls: readonly { readonly url: string | undefined; readonly setting?: string }[], logger: Logger): Promise<void> {
  const seen = new Set<string>();
  for (const { url, setting } of urls) {
    if (url === undefined || seen.has(url)) continue;
    seen.add(url);
    try {
      await checkRedis(parseRedisUrl(url, setting), 2_000, logger);
    } catch (error) {
      if (error instanceof ClusterError && error.code === "REDIS_UNREACHABLE") continue;
      throw error;
    }
  }
}
