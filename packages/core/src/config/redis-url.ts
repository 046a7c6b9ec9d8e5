import net from "node:net";
import { isLoopbackHost } from "../offline/address-policy";

/** A Redis address BEAR agreed to use: loopback or a private address, with a password. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly username: string | undefined;
  readonly db: number;
  readonly tls: boolean;
  /** True for 127.0.0.0/8, ::1 and localhost. */
  readonly loopback: boolean;
  /** The address without the password, for logs and errors. */
  readonly display: string;
}

/** Why a Redis URL was refused: the code of the typed error its user throws, the message and what to do. */
export interface RedisUrlProblem {
  readonly code: "REDIS_URL_INVALID" | "REDIS_URL_INSECURE";
  readonly message: string;
  readonly hint: string;
}

const EXAMPLE = "redis://:PASSWORD@127.0.0.1:6379";

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
 * Checks a Redis URL before anything connects: `redis://[user]:password@host:port[/db]` (or
 * `rediss://`), no query options, no Unix socket. Step jobs, run leases and cache values travel
 * through it, so it must stay on this machine or a private network, behind a password: loopback or a
 * private IP address. A host name other than localhost is refused (it could resolve anywhere), and so
 * is a URL without a password (on loopback too: any local user's process could otherwise read and
 * write what BEAR keeps there). `setting` names where the URL came from, for the message (e.g.
 * `cache.redisUrl`). Pure: the cluster throws its ClusterError with the problem, the config loader
 * reports it as a setting's issue.
 */
export function checkRedisUrl(url: string, setting: string): { readonly endpoint: RedisEndpoint } | { readonly problem: RedisUrlProblem } {
  // no `cause`: the URL parser's error keeps the whole URL (its `input`), password included
  const invalid = (message: string, hint = `Use ${EXAMPLE} (or rediss:// for TLS).`) => ({ problem: { code: "REDIS_URL_INVALID" as const, message: `${setting} '${redactRedisUrl(url)}' ${message}`, hint } });
  const socketHint = `Unix sockets are not supported: BEAR reaches Redis over TCP only. Let Redis listen on 127.0.0.1 (\`bind 127.0.0.1\`, \`port 6379\`) and use ${EXAMPLE}.`;
  if (/^unix:|^\/|^rediss?:\/\/\//i.test(url)) return invalid("names a Unix socket", socketHint);
  const parsed = parseUnambiguous(url);
  if (parsed === undefined) return invalid("is not a Redis URL", `Use ${EXAMPLE} (or rediss:// for TLS); encode a '/' in the password as %2F, '?' as %3F, '#' as %23 and '%' as %25.`);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") return invalid(`has scheme '${parsed.protocol}', expected redis: or rediss:`);
  if (parsed.searchParams.has("path")) return invalid("names a Unix socket (?path=)", socketHint);
  if (parsed.search !== "" || parsed.hash !== "") return invalid("has query options or a fragment, which BEAR does not read", `Give the database as the path, not ?db=: ${EXAMPLE}/3.`);
  const host = parsed.hostname;
  if (host === "") return invalid("names no host");
  const port = parsed.port === "" ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!/^\d{0,2}$/.test(dbText) || db > 15) return invalid(`names database '${dbText}', expected 0-15`);
  let password: string;
  let username: string;
  try {
    password = decodeURIComponent(parsed.password);
    username = decodeURIComponent(parsed.username);
  } catch {
    return invalid("has a malformed %-escape in its user or password", "Encode a '%' in the password as %25 (and '@' as %40, ':' as %3A, '/' as %2F).");
  }
  const loopback = isLoopbackHost(host);
  if (!loopback && !isPrivateAddress(host)) {
    return {
      problem: {
        code: "REDIS_URL_INSECURE",
        message: `${setting} names Redis host '${host}', which is neither loopback nor a private address`,
        hint: "BEAR sends nothing off the private network: run Redis on 127.0.0.1 or a private IP (10.x, 172.16-31.x, 192.168.x, fd00::/8) and give that address.",
      },
    };
  }
  if (password === "") {
    // on loopback too: without one, any process of any user on the machine could read and write BEAR's keys
    return {
      problem: {
        code: "REDIS_URL_INSECURE",
        message: `${setting} '${redactRedisUrl(url)}' has no password${username !== "" ? " (what stands before '@' without a ':' is read as a user name)" : ""}: a password is required${loopback ? ", on loopback too (any local process could otherwise read and write what BEAR keeps in Redis)" : ""}`,
        hint: "Set `requirepass` in redis.conf and give it in the URL: redis://:PASSWORD@HOST:PORT.",
      },
    };
  }
  return {
    endpoint: { host, port, password, username: username === "" ? undefined : username, db, tls: parsed.protocol === "rediss:", loopback, display: `${parsed.protocol}//${host}:${port}/${db}` },
  };
}

/**
 * The URL parsed, or undefined when it does not parse or its authority is ambiguous: an '@' after the
 * host (in the path, query or fragment) means a '/', '?' or '#' in the user or password cut the
 * authority short, so pieces of the password would sit in what messages echo.
 */
function parseUnambiguous(url: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return `${parsed.pathname}${parsed.search}${parsed.hash}`.includes("@") ? undefined : parsed;
}

/**
 * The URL with its whole user part (user and password) replaced by `***@`, for messages: a password is
 * often written where the user goes (`redis://SECRET@host`), so no piece of the user part is ever
 * shown. Rebuilt from the parsed URL (the parser takes the last '@' of the authority, so an '@' in the
 * password is hidden with the rest); "(unparsable URL)" when it does not parse or its authority is
 * ambiguous, since then no part can be told from the password.
 */
export function redactRedisUrl(url: string): string {
  const parsed = parseUnambiguous(url);
  if (parsed === undefined) return "(unparsable URL)";
  const userinfo = parsed.username !== "" || parsed.password !== "" || /^[^/?#]*\/\/[^/?#]*@/.test(url);
  return `${parsed.protocol}//${userinfo ? "***@" : ""}${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}
