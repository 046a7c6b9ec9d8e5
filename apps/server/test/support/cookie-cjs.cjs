"use strict";
// CommonJS stand-in for the ESM-only `cookie` package, for light-my-request under Jest's ESM mode.
function stringifySetCookie(cookie, value) {
  const c = typeof cookie === "string" ? { name: cookie, value } : cookie;
  return `${c.name}=${encodeURIComponent(c.value ?? "")}`;
}
function stringifyCookie(cookies) {
  return Object.entries(cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("; ");
}
function parseCookie(header) {
  const out = {};
  for (const part of String(header).split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
module.exports = { stringifySetCookie, stringifyCookie, parseCookie, parse: parseCookie, serialize: stringifySetCookie };
