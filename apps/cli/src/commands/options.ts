import type { RetrievalMode } from "@bear/core";
import { CliError } from "../cli-error";
import type { CommandContext } from "../context";
import { redisUrlFromEnv } from "../cli-config";

/** A positive integer option, or a usage error naming the flag and the value. */
export function parsePositiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError("USAGE", `${flag} must be an integer from 1 to ${max}, not '${value}'`);
  return n;
}

/** The search mode: as asked, else the configured one when an embedder is set, else lexical. */
export async function searchModeFor(ctx: CommandContext, asked: string | undefined): Promise<RetrievalMode> {
  const modes = ["lexical", "vector", "hybrid"];
  if (asked !== undefined && !modes.includes(asked)) throw new CliError("USAGE", `--mode must be lexical, vector or hybrid, not '${asked}'`);
  if (asked) return asked as RetrievalMode;
  return (await ctx.embedderId()) ? ctx.config.rag.searchMode : "lexical";
}

/**
 * The workspace option that makes this process an API instance of the cluster at `redisUrl` (none
 * without one); `failFast`: opening the workspace checks the server once and fails at once when it is
 * unreachable (a command should not wait for a Redis that is not there).
 */
export function instanceCluster(redisUrl: string | undefined): { cluster?: { redisUrl: string; role: "instance"; failFast: true } } {
  return redisUrl ? { cluster: { redisUrl, role: "instance", failFast: true } } : {};
}

/**
 * The cluster's Redis URL from `--redis` or BEAR_REDIS_URL, parsed (loopback or a private address,
 * always with a password), so a bad URL fails before any work; undefined when neither is given
 * (everything runs in this process). Its server is reached and checked once, when the workspace
 * opens with `failFast` (see instanceCluster), not here as well.
 */
export async function clusterRedisUrl(flag: string | undefined): Promise<string | undefined> {
  warnOfPasswordInArguments(flag);
  const url = flag ?? redisUrlFromEnv();
  if (url === undefined) return undefined;
  const { parseRedisUrl } = await import("@bear/workspace");
  parseRedisUrl(url);
  return url;
}

/**
 * A process's arguments are readable by every user of the machine (`ps`, /proc/<pid>/cmdline) for as
 * long as it runs: a Redis password given with --redis is said to be better set in BEAR_REDIS_URL.
 */
export function warnOfPasswordInArguments(flag: string | undefined): void {
  if (flag === undefined || !/^rediss?:\/\/[^@/]*:[^@/]+@/i.test(flag)) return;
  process.stderr.write("warning: the Redis password given with --redis is visible to every user of this machine (ps) while this command runs; set BEAR_REDIS_URL instead\n");
}
