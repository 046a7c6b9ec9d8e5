import { loadBearConfig, type BearConfigInput, type LoadedBearConfig } from "@bear/core";

export interface GlobalFlags {
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly logLevel?: string;
}

/** Variables the CLI reads itself; they are not settings, so the config loader never sees them. */
const CLI_VARIABLES = new Set(["BEAR_PASSPHRASE", "BEAR_REDIS_URL"]);

/** The CLI's one place that reads the environment and config files (packages never do). */
export function loadCliConfig(flags: GlobalFlags): LoadedBearConfig {
  const overrides: BearConfigInput = {
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.logLevel ? { log: { level: flags.logLevel as never } } : {}),
  };
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CLI_VARIABLES.has(name)));
  return loadBearConfig({ env, cwd: process.cwd(), overrides });
}

/** The workspace passphrase, when the environment provides one (scripts, CI). */
export function passphraseFromEnv(): string | undefined {
  const value = process.env.BEAR_PASSPHRASE;
  return value === undefined || value === "" ? undefined : value;
}

/** The cluster's Redis URL (with its password) from the environment, so it stays out of `ps` and shell history. */
export function redisUrlFromEnv(): string | undefined {
  const value = process.env.BEAR_REDIS_URL;
  return value === undefined || value === "" ? undefined : value;
}
