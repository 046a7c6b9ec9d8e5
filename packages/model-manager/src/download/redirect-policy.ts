import { isLoopbackHost, isPrivateAddress } from "@bear/core";

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/**
 * Why a redirect from `from` (the download began at `origin`) to `to` is refused, or undefined to follow it.
 * https only; plain http only between loopback addresses when the user's own source was a loopback http URL
 * (a local mirror). A remote host may never send the download to this machine or its private network: that would
 * let a model host make BEAR request a local service and save its answer as a model.
 */
export function redirectRefusal(origin: URL, to: URL): string | undefined {
  const originIsLocal = isLoopbackHost(hostOf(origin));
  const target = hostOf(to);
  if (to.protocol === "http:") {
    return origin.protocol === "http:" && originIsLocal && isLoopbackHost(target) ? undefined : `redirected to a non-https URL (${to.protocol})`;
  }
  if (to.protocol !== "https:") return `redirected to a non-https URL (${to.protocol})`;
  if (!originIsLocal && (isLoopbackHost(target) || isPrivateAddress(target))) return `redirected from ${hostOf(origin)} to a local or private address (${target})`;
  return undefined;
}

/**
 * The sha256 a Hugging Face hop announces for an LFS file (`X-Linked-Etag: "<64 hex>"`), used as the expected
 * checksum when the user gave none.
 */
export function announcedSha256(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers["x-linked-etag"];
  if (typeof value !== "string") return undefined;
  const match = /^"?([0-9a-f]{64})"?$/i.exec(value.trim());
  return match?.[1]?.toLowerCase();
}
