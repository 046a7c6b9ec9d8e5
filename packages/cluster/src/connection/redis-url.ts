import net from "node:net";
import { isLoopbackHost } from "@bear/core";
import { ClusterError } from "../errors";

/** A Redis address BEAR agreed to use: loopback or a private address, with a password. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly password: string | undefined;
  readonly username: string | undefined;
  readonly db: number;
  readonly tls: boolean;
  /** True for 127.0.0.0/8, ::1 and localhost. */
  readonly loopback: boolean;
  /** The address without the password, for logs and errors. */
  readonly display: string;
}

/** RFC 1918, RFC 6598 (carrier-grade NAT), link-local and IPv6 unique-local addresses. */
export function isPrivateAddress(host: string): boolean {
  const h = host.startsWith("[") ? host.slice(1, -1) : host;
  if (net.isIPv4(h)) {
    const [a, b] = h.split(".").map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
  }
  if (net.isIPv6(h)) {
    const first = parseInt(h.split(":")[0] || "0", 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  return false;
}

/**
 * Checks a Redis URL before anything connects: `redis://[user:password@]host:port[/db]` (or
 * `rediss://`). Step jobs and run leases travel through it, so it must stay on this machine or a
 * private network, behind a password: loopback or a private IP address. A host name other than
 * localhost is refused (it could resolve anywhere), and so is a URL without a password (on loopback
 * too: any local user's process could otherwise read the jobs and add its own).
 */
export function parseRedisUrl(url: string): RedisEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ClusterError("REDIS_URL_INVALID", `'${redact(url)}' is not a Redis URL`, { hint: "Use redis://:PASSWORD@127.0.0.1:6379 (or rediss:// for TLS).", cause: error, retryable: false });
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ClusterError("REDIS_URL_INVALID", `Redis URL '${redact(url)}' has scheme '${parsed.protocol}', expected redis: or rediss:`, { hint: "Use redis://:PASSWORD@127.0.0.1:6379.", retryable: false });
  }
  const host = parsed.hostname;
  if (host === "") throw new ClusterError("REDIS_URL_INVALID", `Redis URL '${redact(url)}' names no host`, { hint: "Use redis://:PASSWORD@127.0.0.1:6379.", retryable: false });
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new ClusterError("REDIS_URL_INVALID", `Redis URL '${redact(url)}' names database '${dbText}', expected 0-15`, { retryable: false });
  const password = parsed.password === "" ? undefined : decodeURIComponent(parsed.password);
  const username = parsed.username === "" ? undefined : decodeURIComponent(parsed.username);
  const loopback = isLoopbackHost(host);
  if (!loopback && !isPrivateAddress(host)) {
    throw new ClusterError("REDIS_URL_INSECURE", `Redis host '${host}' is neither loopback nor a private address`, {
      hint: "BEAR sends nothing off the private network: run Redis on 127.0.0.1 or a private IP (10.x, 172.16-31.x, 192.168.x, fd00::/8) and give that address.",
      retryable: false,
    });
  }
  if (password === undefined) {
    // on loopback too: without one, any process of any user on the machine could read the queues and send steps
    const why = loopback ? "the URL has no password (any local process could read and add the cluster's jobs)" : "is not on loopback and the URL has no password";
    throw new ClusterError("REDIS_URL_INSECURE", `Redis at '${host}:${port}' ${why}`, {
      hint: "Set `requirepass` in redis.conf and give it in the URL: redis://:PASSWORD@HOST:PORT.",
      retryable: false,
    });
  }
  return { host, port, password, username, db, tls: parsed.protocol === "rediss:", loopback, display: `${parsed.protocol}//${host}:${port}/${db}` };
}

/** The URL with its password replaced, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_m, cred: string) => `//${cred.includes(":") ? `${cred.split(":")[0]}:***` : "***"}@`);
}
