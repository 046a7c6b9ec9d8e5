import net from "node:net";

/**
 * Pure decision logic of the offline guard: is this host on this machine's loopback?
 * Fails closed: anything not provably loopback (other IPs, other hostnames, odd spellings such
 * as "127.1" or "0x7f.0.0.1", IPv6 zone ids, the unspecified address 0.0.0.0/::) is "remote".
 */

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** Parses a textual IPv6 address (already validated by net.isIPv6) into 8 16-bit groups. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const maybeV4 = text.slice(lastColon + 1);
  if (net.isIPv4(maybeV4)) {
    const octets = maybeV4.split(".").map(Number) as [number, number, number, number];
    tail = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
    text = `${text.slice(0, lastColon + 1)}0:0`; // two placeholder groups, replaced below
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 0) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (tail.length === 2) {
    if (groups.length !== 8) return undefined;
    // The v4 tail occupies the last two groups, where the placeholders stand.
    groups = [...groups.slice(0, 6), ...tail];
  }
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

export function isLoopbackIp(address: string): boolean {
  const ip = stripBrackets(address);
  if (net.isIPv4(ip)) return ip.split(".")[0] === "127";
  if (!net.isIPv6(ip) || ip.includes("%")) return false;
  const g = ipv6Groups(ip);
  if (!g) return false;
  const firstFiveZero = g.slice(0, 5).every((x) => x === 0);
  // ::1
  if (firstFiveZero && g[5] === 0 && g[6] === 0 && g[7] === 1) return true;
  // IPv4-mapped ::ffff:127.x.y.z (in any spelling, e.g. ::ffff:7f00:1)
  if (firstFiveZero && g[5] === 0xffff) return ((g[6] ?? 0) >> 8) === 127;
  return false;
}

/** Hostnames that are loopback by definition (RFC 6761): localhost and *.localhost. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/** True for loopback IP literals (bracketed or not) and localhost names. */
export function isLoopbackHost(host: string): boolean {
  if (typeof host !== "string" || host.length === 0) return false;
  const bare = stripBrackets(host.trim());
  if (net.isIP(bare) !== 0) return isLoopbackIp(bare);
  return isLoopbackHostname(bare);
}

/** The host part of a URL string or URL, or undefined when the URL needs no network (data:, blob:). */
export function networkHostOfUrl(url: string | URL): string | undefined {
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (parsed.protocol === "data:" || parsed.protocol === "blob:") return undefined;
  return parsed.hostname;
}
