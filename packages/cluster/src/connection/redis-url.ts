import { checkRedisUrl, type RedisEndpoint } from "@bear/core";
import { ClusterError } from "../errors";

export { isPrivateAddress, redactRedisUrl as redact, type RedisEndpoint } from "@bear/core";

/** Where the cluster's URL comes from, for messages. */
export const CLUSTER_REDIS_SETTING = "the cluster's Redis URL (--redis, BEAR_REDIS_URL or cluster.redisUrl)";

/**
 * Checks a Redis URL before anything connects (core's checkRedisUrl: loopback or a private IP
 * address, always with a password, no query options, no Unix socket), throwing ClusterError
 * REDIS_URL_INVALID / REDIS_URL_INSECURE naming `setting` (default: the cluster's URL).
 */
export function parseRedisUrl(url: string, setting: string = CLUSTER_REDIS_SETTING): RedisEndpoint {
  const checked = checkRedisUrl(url, setting);
  if ("endpoint" in checked) return checked.endpoint;
  const { code, message, hint } = checked.problem;
  throw new ClusterError(code, message, { hint, retryable: false });
}
