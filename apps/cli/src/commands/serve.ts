import type { Command } from "commander";
import { createPinoLogger } from "@bear/core";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { bold, dim } from "../output";
import { readPassphrase } from "../passphrase";
import { clusterRedisUrl } from "./options";

interface ServeFlags {
  readonly redis?: string;
  readonly port?: string;
  readonly newAdminKey?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("start the REST API (/api/v1) and the web UI for this workspace, on loopback only")
    .option("--port <n>", "port to listen on (default: server.port of the configuration, 4141; 0 picks a free one)")
    .option("--new-admin-key", "issue a new admin API key; the old one stops working")
    .option("--redis <url>", "one of several API instances: steps go to `bear worker`s through this Redis (default: BEAR_REDIS_URL)")
    .addHelpText(
      "after",
      [
        "",
        "The admin API key is printed at the first start only; principals persist in the workspace.",
        "Stop with Ctrl-C: requests in flight finish, running workflows resume at the next start.",
        "",
        "Examples:",
        "  bear serve",
        "  bear serve --port 8080",
        "  bear serve --new-admin-key",
        "  BEAR_REDIS_URL=redis://:secret@127.0.0.1:6379 bear serve --port 4142   # a second instance on this workspace",
        "  bear serve --json    # one JSON line { url, docs, adminKey } once listening",
      ].join("\n"),
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      let port = ctx.config.server.port;
      if (flags.port !== undefined) {
        port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError("USAGE", `--port must be an integer from 0 to 65535, not '${flags.port}'`);
      }
      await ctx.requireWorkspace();
      const redisUrl = await clusterRedisUrl(flags.redis);
      // Loaded here, not at the top: `bear --help` must not load the server and its native addons.
      const { createServer } = await import("@bear/server");
      const server = await createServer({
        config: { ...ctx.config, server: { ...ctx.config.server, port } },
        logger: createPinoLogger({ level: ctx.logLevel, name: "bear-server" }),
        // The same workspace, keys and audit chain the CLI uses.
        passphrase: () => readPassphrase(`Passphrase for ${ctx.layout.root}: `),
        principals: [{ id: "admin", roles: ["admin"], rotate: Boolean(flags.newAdminKey) }],
        ...(redisUrl ? { cluster: { redisUrl, failFast: true } } : {}),
      });
      const url = await server.listen();
      const adminKey = server.apiKeys["admin"] ?? null;
      ctx.emit({ url, docs: `${url}/api/v1/docs`, adminKey }, () =>
        [
          `${bold("BEAR is serving")} ${url}  ${dim("(loopback only, offline)")}`,
          `  web UI:   ${url}/`,
          `  API docs: ${url}/api/v1/docs`,
          adminKey
            ? `  admin API key (shown once, keep it safe): ${adminKey}`
            : `  admin API key: the one shown at the first start ${dim("(bear serve --new-admin-key issues a new one)")}`,
          dim("Ctrl-C to stop."),
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
    });
}
