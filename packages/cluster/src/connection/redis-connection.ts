import type { ConnectionOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { allowNetwork, silentLogger, type Logger } from "@bear/core";
import { ClusterError } from "../errors";
import { logRedisServerWarnings, readRedisServerSettings, redisServerWarnings, type Known, type RedisServerSettings, type RedisServerWarning } from "./redis-server-settings";
import type { RedisEndpoint } from "./redis-url";

/**
 * ioredis settings for BEAR's clients: commands wait while Redis is away (nothing is dropped;
 * BullMQ needs `maxRetriesPerRequest: null`), and the client reconnects every ≤ 2 s for ever.
 */
export function redisOptions(endpoint: RedisEndpoint): RedisOptions {
  return {
    // the URL's form of an IPv6 address is bracketed ([::1]); a socket wants the bare address
    host: endpoint.host.replace(/^\[(.*)\]$/, "$1"),
    port: endpoint.port,
    db: endpoint.db,
    password: endpoint.password,
    ...(endpoint.username === undefined ? {} : { username: endpoint.username }),
    ...(endpoint.tls ? { tls: {} } : {}),
    connectTimeout: 5_000,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  };
}

/** The same settings for the clients BullMQ creates (its own RedisOptions type is a subset of ioredis's). */
export function bullConnection(endpoint: RedisEndpoint): ConnectionOptions {
  return redisOptions(endpoint) as ConnectionOptions;
}

/** A client on `endpoint`, logging (once per outage) that Redis is away and when it is back. */
export function connectRedis(endpoint: RedisEndpoint, role: string, logger: Logger = silentLogger): Redis {
  const create = (): Redis => new Redis(redisOptions(endpoint));
  // The offline guard lets sockets open to loopback only; a private-network Redis is the user's explicit choice.
  const client = endpoint.loopback ? create() : allowNetwork(create, `cluster Redis at ${endpoint.display}`);
  watchConnection(client, endpoint, role, logger);
  return client;
}

/** Logs outages of a client (ioredis, or one BullMQ made) once each, with the address and the reason. */
export function watchConnection(emitter: { on(event: string, listener: (...args: never[]) => void): unknown }, endpoint: RedisEndpoint, role: string, logger: Logger): void {
  let down = false;
  emitter.on("error", ((error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ redis: endpoint.display, role, reason: reasonOf(error) }, "Redis is unreachable; retrying (commands wait, nothing is dropped)");
  }) as never);
  emitter.on("ready", (() => {
    if (!down) return;
    down = false;
    logger.info({ redis: endpoint.display, role }, "Redis is reachable again");
  }) as never);
}

function reasonOf(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message.slice(0, 120);
}

/**
 * Connects once and pings, failing fast with a clear error (a worker or an API instance should
 * not start against a Redis it cannot reach or log into).
 */
export async function checkRedis(endpoint: RedisEndpoint, timeoutMs = 5_000, logger: Logger = silentLogger): Promise<RedisCheck> {
  const client = oneShotClient(endpoint, timeoutMs, true);
  let socketError: Error | undefined;
  client.on("error", (error: Error) => (socketError ??= error));
  let checked: RedisCheck;
  try {
    await client.connect();
    await client.ping();
    const info = await client.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
    const server = await readRedisServerSettings(client, () => acceptsUnauthenticated(endpoint, timeoutMs));
    checked = { version, appendOnly: server.appendOnly === "unknown" ? undefined : server.appendOnly, server, warnings: redisServerWarnings(server) };
  } catch (thrown) {
    // ioredis rejects connect() with "Connection is closed."; the socket's own error says why
    const error = socketError && !/NOAUTH|WRONGPASS/i.test((thrown as Error).message ?? "") ? socketError : thrown;
    const message = (error as Error).message ?? String(error);
    if (/NOAUTH|WRONGPASS|invalid password|AUTH/i.test(message)) {
      throw new ClusterError("REDIS_UNREACHABLE", `Redis at ${endpoint.display} refused the credentials (${message.slice(0, 80)})`, {
        hint: "Give the password set by `requirepass` in the URL: redis://:PASSWORD@HOST:PORT.",
        cause: error,
        retryable: false,
      });
    }
    throw new ClusterError("REDIS_UNREACHABLE", `Redis at ${endpoint.display} is unreachable (${reasonOf(error as Error)})`, {
      hint: "Start redis-server (with a password and `appendonly yes`) or check the --redis URL.",
      cause: error,
    });
  } finally {
    client.disconnect();
  }
  if (checked.server.acceptsUnauthenticated === true) {
    throw new ClusterError("REDIS_SERVER_INSECURE", `Redis at ${endpoint.display} answers clients that give no password: anyone who reaches it can read and change BEAR's queues`, {
      hint: "Set `requirepass` (or give the ACL `default` user a password or `off`) on the server, restart it, and keep the password in the URL: redis://:PASSWORD@HOST:PORT.",
      retryable: false,
    });
  }
  logRedisServerWarnings(logger, endpoint.display, checked.warnings);
  return checked;
}

/** What checkRedis found: the server's version and settings, and what the policy warns about. */
export interface RedisCheck {
  readonly version: string;
  /** @deprecated read `server.appendOnly` ("unknown" there is undefined here). */
  readonly appendOnly: boolean | undefined;
  readonly server: RedisServerSettings;
  readonly warnings: readonly RedisServerWarning[];
}

function oneShotClient(endpoint: RedisEndpoint, timeoutMs: number, credentials: boolean): Redis {
  // no password, no user, and no SELECT (which would meet NOAUTH and close the connection before the PING)
  const { password: _password, username: _username, db: _db, ...anonymous } = redisOptions(endpoint);
  // without credentials, no ready check: its INFO would fail with NOAUTH before the PING that tells
  const options = { ...(credentials ? redisOptions(endpoint) : { ...anonymous, enableReadyCheck: false }), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs };
  const create = (): Redis => new Redis(options);
  return endpoint.loopback ? create() : allowNetwork(create, `cluster Redis at ${endpoint.display}`);
}

/**
 * A second connection with no credentials at all: answered (PING) means the server demonstrably accepts
 * unauthenticated clients (no requirepass, or an ACL default user with nopass). NOAUTH is the safe answer;
 * anything else (NOPERM, a socket error) proves nothing either way.
 */
async function acceptsUnauthenticated(endpoint: RedisEndpoint, timeoutMs: number): Promise<Known<boolean>> {
  const probe = oneShotClient(endpoint, timeoutMs, false);
  let socketError: Error | undefined;
  probe.on("error", (error: Error) => (socketError ??= error));
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch (error) {
    return [error, socketError].some((e) => /NOAUTH/i.test((e as Error | undefined)?.message ?? "")) ? false : "unknown";
  } finally {
    probe.disconnect();
  }
}
