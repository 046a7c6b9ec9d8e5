import { HttpError } from "@bear/workspace";

export interface RequestOrigin {
  /** `http` (the server is plain HTTP on loopback). */
  readonly protocol: string;
  /** The Host header, already checked to name a loopback host. */
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
}

/**
 * Refuses a browser request made by a page of another origin, before authentication and before any budget is
 * spent: a web page the user visits can send requests to 127.0.0.1 (`fetch(…, { mode: "no-cors" })`, an image, a
 * form), and though it cannot read the answer it could spend the login budgets or act with a key it guessed.
 * The web UI's own requests are same-origin; the CLI and scripts send neither header and pass.
 *
 * - `Origin` (sent by browsers on every non-GET request and on CORS requests) must be this server's own origin.
 * - `Sec-Fetch-Site` (sent by current browsers on every request, GET included) must be `same-origin`, or `none`
 *   (the user typed the URL or opened a bookmark). `same-site` is refused too: another port on the same loopback
 *   address (a local dev server's page) is the same site but not this server.
 */
export function refuseCrossOrigin(request: RequestOrigin): void {
  const own = `${request.protocol}://${request.host ?? ""}`.toLowerCase();
  const origin = request.origin?.trim().toLowerCase();
  const site = request.secFetchSite?.trim().toLowerCase();
  if (origin !== undefined && origin !== own) throw notAllowed(`a page of origin '${origin.slice(0, 100)}'`);
  if (site !== undefined && site !== "same-origin" && site !== "none") throw notAllowed(`a ${site.slice(0, 20)} page (Sec-Fetch-Site)`);
}

function notAllowed(who: string): HttpError {
  return new HttpError(403, "ORIGIN_NOT_ALLOWED", `this server does not answer requests sent by ${who}: only its own web UI, and clients that are not browsers, may call the API`, {
    hint: "Open the web UI at the URL the server printed, or call the API from a script or the CLI (they send no Origin header).",
  });
}
