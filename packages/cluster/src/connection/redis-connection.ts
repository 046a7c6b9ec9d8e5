import type { ConnectionOptions } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { allowNetwork, silentLogger, type Logger } from "@bear/core";
import { ClusterError } from "../errors";
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
export async function checkRedis(endpoint: RedisEndpoint, timeoutMs = 5_000): Promise<{ version: string; appendOnly: boolean | undefined }> {
  const create = (): Redis => new Redis({ ...redisOptions(endpoint), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs });
  const client = endpoint.loopback ? create() : allowNetwork(create, `cluster Redis at ${endpoint.display}`);
  let socketError: Error | undefined;
  client.on("error", (error: Error) => (socketError ??= error));
  try {
    await client.connect();
    await client.ping();
    const info = await client.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
    let appendOnly: boolean | undefined;
    try {
      const persistence = await client.info("persistence");
      appendOnly = /aof_enabled:1/.test(persistence);
    } catch {
      appendOnly = undefined;
    }
    return { version, appendOnly };
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
}
