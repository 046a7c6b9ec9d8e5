#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node
// (MALLOC_ARENA_MAX=2 bounds glibc's malloc arenas, which keep memory LanceDB's native threads freed;
// glibc reads it only at process start, hence the shebang. See apps/cli/tsup.config.ts.)
import { createPinoLogger, loadBearConfig, type LogLevel } from "@bear/core";
import { createServer } from "./server";

// `bear-server`: loopback only, offline guard on (createServer enforces it when config.offline.enforce).
// BEAR_PASSPHRASE is not a setting: the config loader never sees it.
const { BEAR_PASSPHRASE: passphrase, ...env } = process.env;
// Gone from the environment once read, so no child process (OCR, a configured command) inherits it.
delete process.env.BEAR_PASSPHRASE;
const { config, warnings } = loadBearConfig({ env, cwd: process.cwd() });
const logger = createPinoLogger({ level: config.log.level as LogLevel, name: "bear-server" });
for (const warning of warnings) logger.warn({}, warning);
// Principals persist in the workspace (hashes only): the admin key is issued at the first start and
// shown once; `--new-admin-key` issues a new one (the old one stops working).
const rotate = process.argv.includes("--new-admin-key");
// The workspace `bear init` made (its keys, audit chain and principals); an encrypted one needs BEAR_PASSPHRASE.
const server = await createServer({ config, logger, ...(passphrase ? { passphrase } : {}), principals: [{ id: "admin", roles: ["admin"], rotate }] });
const url = await server.listen();
const key = server.apiKeys["admin"];
process.stdout.write(
  `BEAR server listening on ${url}\n  API docs: ${url}/api/v1/docs\n` +
    (key ? `  admin API key (shown once, keep it): ${key}\n` : "  admin API key: the one shown at first start (restart with --new-admin-key to issue a new one)\n"),
);
let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    // Drains requests, ends event streams, leaves running workflows resumable, unloads models.
    void server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
