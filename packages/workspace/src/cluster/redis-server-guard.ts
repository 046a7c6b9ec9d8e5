import type { Logger } from "@bear/core";
import { checkRedis, ClusterError, parseRedisUrl } from "@bear/cluster";

/**
 * Checks the server behind each Redis URL the workspace will use (the cluster's, the cache's) before any
 * client connects: a server that answers clients giving no password is refused (REDIS_SERVER_INSECURE),
 * AOF off or a public `bind` is logged as a warning (see @bear/cluster's README, "Redis server settings").
 * A Redis unreachable now is left to the clients, which reconnect (the cluster waits; the cache counts
 * misses), unless the URL is `required` (the CLI's fail-fast): then REDIS_UNREACHABLE is thrown. Each
 * server is checked once here, and nowhere else at open (the CLI only parses its --redis URL).
 */
export async function guardRedisServers(urls: readonly { readonly url: string | undefined; readonly setting?: string; readonly required?: boolean }[], logger: Logger): Promise<void> {
  // one check per server, however many settings name it; required if any of them is
  const servers = new Map<string, { readonly setting: string | undefined; readonly required: boolean }>();
  for (const { url, setting, required } of urls) {
    if (url === undefined) continue;
    const seen = servers.get(url);
    servers.set(url, { setting: seen ? seen.setting : setting, required: seen?.required === true || required === true });
  }
  for (const [url, { setting, required }] of servers) {
    try {
      await checkRedis(parseRedisUrl(url, setting), 2_000, logger);
    } catch (error) {
      if (error instanceof ClusterError && error.code === "REDIS_UNREACHABLE" && !required) continue;
      throw error;
    }
  }
}
