import { createPinoLogger, loadBearConfig, type LogLevel } from "@bear/core";
import { createServer } from "./server";

// `bear-server`: loopback only, offline guard on (createServer enforces it when config.offline.enforce).
const { config, warnings } = loadBearConfig({ env: process.env, cwd: process.cwd() });
const logger = createPinoLogger({ level: config.log.level as LogLevel, name: "bear-server" });
for (const warning of warnings) logger.warn({}, warning);
// AccessControl keeps keys in memory only (hashed): a fresh admin key is issued at every start and shown once here.
const server = await createServer({ config, logger, principals: [{ id: "admin", roles: ["admin"] }] });
const url = await server.listen();
process.stdout.write(`BEAR server listening on ${url}\n  API docs: ${url}/api/v1/docs\n  admin API key (shown once): ${server.apiKeys["admin"]}\n`);
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
