import { loadBearConfig, type BearConfigInput, type LoadedBearConfig } from "@bear/core";

export interface GlobalFlags {
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly logLevel?: string;
}

/** The CLI's one place that reads the environment and config files (packages never do). */
export function loadCliConfig(flags: GlobalFlags): LoadedBearConfig {
  const overrides: BearConfigInput = {
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.logLevel ? { log: { level: flags.logLevel as never } } : {}),
  };
  return loadBearConfig({ env: process.env, cwd: process.cwd(), overrides });
}
