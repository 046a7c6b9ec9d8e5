import { createHash } from "node:crypto";
import type { AuditSink } from "@bear/core";
import { AccessDeniedError, RateLimitedError, type AccessControl, type Action, type Principal, type RateLimiter, type Resource } from "@bear/security";
import { HttpError } from "./http-errors";

/** `bear_<principal id>_<secret>`, as AccessControl.addApiKey issues them (ids never hold '_'). */
const API_KEY = /^bear_([A-Za-z0-9][A-Za-z0-9.@-]{0,63})_([A-Za-z0-9_-]{16,128})$/;

export interface Credentials {
  readonly authorization?: string | undefined;
  readonly apiKeyHeader?: string | undefined;
  /** Client address, for the failed-login budget. */
  readonly ip: string;
  /** The route pattern (never the raw URL: it may carry ids or text), for the audit record. */
  readonly route: string;
}

export interface ApiKeyAuthOptions {
  readonly access: AccessControl;
  readonly limiter: RateLimiter;
  readonly audit: AuditSink;
  /** How long a verified key skips the scrypt check. Default 60 s. */
  readonly cacheTtlMs?: number;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "AUTHENTICATION_FAILED", message, {
    hint: "Send 'Authorization: Bearer <API key>' (or 'X-API-Key: <API key>'); an admin issues keys.",
  });
}

/**
 * Authenticates API keys (bearer tokens) against @bear/security's AccessControl and authorizes
 * actions through its single decision point. A verified key is remembered for a short time by its
 * SHA-256 only, so a request does not pay an scrypt hash each time; roles and matters are always
 * read fresh. Every refusal is audited (AccessControl audits its own; missing or malformed
 * credentials are audited here). Unverified attempts draw on a per-address budget first, so key
 * guessing is rate limited before any hashing.
 */
export class ApiKeyAuth {
  readonly #verified = new Map<string, { id: string; expires: number }>();
  readonly #ttl: number;

  constructor(private readonly options: ApiKeyAuthOptions) {
    this.#ttl = options.cacheTtlMs ?? 60_000;
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    const key = this.#extract(credentials);
    if (key === undefined) {
      await this.#deny(credentials, "no-credentials");
      throw unauthorized("this route needs an API key and the request has none");
    }
    const match = API_KEY.exec(key);
    if (!match) {
      await this.#deny(credentials, "malformed-key");
      throw unauthorized("the API key is not a BEAR key (bear_<id>_<secret>)");
    }
    const id = match[1] as string;
    const digest = createHash("sha256").update(key).digest("hex");
    const cached = this.#verified.get(digest);
    const now = Date.now();
    if (cached && cached.expires > now && cached.id === id) {
      try {
        return this.options.access.get(id);
      } catch {
        this.#verified.delete(digest);
      }
    }
    // Unverified: costs a token from the address's login budget before any scrypt work.
    const budget = `login:${credentials.ip}`;
    if (!this.options.limiter.tryTake(budget)) {
      await this.#deny(credentials, "login-rate-limited");
      throw new RateLimitedError(credentials.ip, 1000);
    }
    try {
      const principal = await this.options.access.authenticate(id, key);
      if (this.#verified.size > 10_000) this.#verified.clear();
      this.#verified.set(digest, { id, expires: now + this.#ttl });
      return principal;
    } catch {
      throw unauthorized("the API key was not accepted");
    }
  }

  /** The single decision point of @bear/security; a refusal (audited there) becomes a 403. */
  async authorize(principal: Principal, action: Action, resource: Resource = {}): Promise<void> {
    const decision = await this.options.access.authorize(principal, action, resource);
    if (!decision.allowed) throw new AccessDeniedError(principal.id, action, resource.document ?? resource.matter ?? "*", decision.reason);
  }

  /** Forgets verified keys (e.g. after revoking one). */
  clearCache(): void {
    this.#verified.clear();
  }

  #extract(c: Credentials): string | undefined {
    const auth = c.authorization?.trim();
    if (auth) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
      return bearer ? bearer[1] : "";
    }
    const header = c.apiKeyHeader?.trim();
    return header ? header : undefined;
  }

  async #deny(c: Credentials, reason: string): Promise<void> {
    await this.options.audit
      .record({ action: "login", outcome: "denied", actor: "anonymous", details: { reason, route: c.route.slice(0, 120) } })
      .catch(() => undefined);
  }
}
