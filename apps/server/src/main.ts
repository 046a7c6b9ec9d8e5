import { enforceOffline, loadBearConfig } from "@bear/core";
import { buildServer, startServer } from "./server";

// The server never talks to the network except through its loopback listening socket.
enforceOffline();
const { config } = loadBearConfig({ env: process.env, cwd: process.cwd() });
const app = buildServer({ config });
const url = await startServer(app, config);
process.stdout.write(`BEAR server listening on ${url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
