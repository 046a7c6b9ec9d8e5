import { createHash } from "node:crypto";
import type { AuditSink } from "@bear/core";
import { RateLimitedError, type AccessControl, type Principal, type RateLimiter } from "@bear/security";
import { HttpError } from "./http-error";
import { FailedAuthAudit } from "./failed-auth-audit";

/** `bear_<principal id>_<secret>`, as AccessControl.addApiKey issues them (ids never hold '_'). */
const API_KEY = /^bear_([A-Za-z0-9][A-Za-z0-9.@-]{0,63})_([A-Za-z0-9_-]{16,128})$/;

export interface Credentials {
  readonly authorization?: string | undefined;
  readonly apiKeyHeader?: string | undefined;
  /** Client address, for the audit's failed-attempt counts and the budget of requests with no usable key. */
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
  /** Failed attempts from one address are audited as one count per window of this length. Default 10 s. */
  readonly failedAuthWindowMs?: number;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "AUTHENTICATION_FAILED", message, {
    hint: "Send 'Authorization: Bearer <API key>' (or 'X-API-Key: <API key>'); an admin issues keys.",
  });
}

/**
 * Authenticates API keys (bearer tokens) against @bear/security's AccessControl. A verified key is remembered for a short time by its
 * SHA-256 only, so a request does not pay an scrypt hash each time; roles, matters and the key's
 * current version are always read fresh (from the principals file, when another process changed it). Every failed attempt is audited, aggregated per address and window (FailedAuthAudit),
 * so a flood adds a few records, not one per request.
 *
 * Budgets (429 once spent), taken before any hashing: a well-formed key not yet verified draws on its
 * principal id's login budget (`login:<id>`), so guessing one principal's secret is slowed (keys naming ids
 * that do not exist share one budget per address, `unknown-id:<ip>`); a request with
 * no key or a malformed one draws on its address's anonymous budget (`anon:<ip>`). The two never meet: the
 * server listens on loopback, where every client has the same address, so an anonymous flood (another
 * local process, a web page) must not spend the budget a correct key needs.
 */
export class ApiKeyAuth {
  readonly #verified = new Map<string, { id: string; version: string | undefined; expires: number }>();
  readonly #rateAudited = new Map<string, number>();
  readonly #ttl: number;
  readonly #failures: FailedAuthAudit;

  constructor(private readonly options: ApiKeyAuthOptions) {
    this.#ttl = options.cacheTtlMs ?? 60_000;
    this.#failures = new FailedAuthAudit({ audit: options.audit, ...(options.failedAuthWindowMs === undefined ? {} : { windowMs: options.failedAuthWindowMs }) });
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    const key = this.#extract(credentials);
    if (key === undefined) {
      await this.#denyAnonymous(credentials, "no-credentials");
      throw unauthorized("this route needs an API key and the request has none");
    }
    const match = API_KEY.exec(key);
    if (!match) {
      await this.#denyAnonymous(credentials, "malformed-key");
      throw unauthorized("the API key is not a BEAR key (bear_<id>_<secret>)");
    }
    const id = match[1] as string;
    const digest = createHash("sha256").update(key).digest("hex");
    const cached = this.#verified.get(digest);
    const now = Date.now();
    // Still the same secret? A key revoked or rotated by another process (`bear users revoke`) stops at once.
    if (cached && cached.expires > now && cached.id === id && cached.version === this.options.access.secretVersion(id)) {
      try {
        return this.options.access.get(id);
      } catch {
        this.#verified.delete(digest);
      }
    }
    // Unverified: costs a token before any scrypt work. A known principal's key draws on that id's own login
    // budget, so no flood of other requests can lock it out. Keys naming ids that do not exist share one
    // budget per address (they still pay the same dummy hash): a flood of made-up ids costs at most that
    // budget's scrypt work, not one hash per request. Under such a flood an unknown id gets 429 where a known
    // one gets 401, which says which ids exist; ids name principals and are not secrets, the 192-bit secret is.
    const bucket = this.options.access.has(id) ? `login:${id}` : `unknown-id:${credentials.ip}`;
    if (!this.options.limiter.tryTake(bucket)) {
      await this.#deny(credentials, "login-rate-limited");
      throw new RateLimitedError(id, 1000);
    }
    try {
      const principal = await this.options.access.authenticate(id, key, { auditFailure: false });
      if (this.#verified.size > 10_000) this.#verified.clear();
      this.#verified.set(digest, { id, version: this.options.access.secretVersion(id), expires: now + this.#ttl });
      return principal;
    } catch {
      await this.#deny(credentials, "wrong-key");
      throw unauthorized("the API key was not accepted");
    }
  }

  /**
   * Takes `cost` tokens from the principal's rate-limit bucket, or throws RateLimitedError (429).
   * A refusal is audited too, at most once per principal every 10 s, so a flood cannot flood the audit trail.
   */
  async consume(principal: Principal, cost: number, route: string): Promise<void> {
    try {
      this.options.limiter.consume(principal.id, cost);
    } catch (error) {
      const now = Date.now();
      if ((this.#rateAudited.get(principal.id) ?? 0) < now - 10_000) {
        this.#rateAudited.set(principal.id, now);
        await this.options.audit.record({ action: "rate.limited", outcome: "denied", actor: principal.id, details: { route: route.slice(0, 120) } }).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Writes the failed-attempt counts still open (on shutdown). */
  flush(): Promise<void> {
    return this.#failures.flush();
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
    await this.#failures.deny(c.ip, reason, c.route);
  }

  /** A request with no usable key: audited, and 429 once its address has spent its anonymous budget (never a key's). */
  async #denyAnonymous(c: Credentials, reason: string): Promise<void> {
    if (!this.options.limiter.tryTake(`anon:${c.ip}`)) {
      await this.#deny(c, "login-rate-limited");
      throw new RateLimitedError(c.ip, 1000);
    }
    await this.#deny(c, reason);
  }
}
