import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { InvalidArgumentError, nullAuditSink, writeFileAtomicSync, type AuditSink } from "@bear/core";
import { AccessDeniedError, AuthenticationError, PrincipalStoreError, PrincipalUnknownError } from "../errors";
import { MIN_SCRYPT_N, type ScryptParams } from "../crypto/key-encryption-key";
import { assertAuditableId } from "../audit/audit-id-screen";

export type Role = "admin" | "attorney" | "paralegal" | "viewer";
export const ROLES: readonly Role[] = ["admin", "attorney", "paralegal", "viewer"];

export type Action =
  | "document.read"
  | "document.ingest"
  | "document.export"
  | "document.delete"
  | "search"
  | "pii.scrub"
  | "pii.restore"
  | "matter.manage"
  | "principal.manage"
  | "audit.read"
  | "key.rotate"
  /** Empty the workspace's cache (an administrator's act). */
  | "cache.clear";

/**
 * What each role may do (on the matters it is assigned to; admins see every matter).
 * `document.export` is demanded where a copy of a stored document leaves as a file (the server's redacted
 * download); showing a document's text or page image in the app is `document.read`.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  admin: ["document.read", "document.ingest", "document.export", "document.delete", "search", "pii.scrub", "pii.restore", "matter.manage", "principal.manage", "audit.read", "key.rotate", "cache.clear"],
  attorney: ["document.read", "document.ingest", "document.export", "search", "pii.scrub", "pii.restore"],
  paralegal: ["document.read", "document.ingest", "search", "pii.scrub"],
  viewer: ["document.read", "search"],
};

export interface Principal {
  readonly id: string;
  readonly kind: "user" | "api-key";
  readonly roles: readonly Role[];
  readonly matters: readonly string[];
}

/** What an action is done on: a matter, optionally a document inside it. System-wide actions omit the matter. */
export interface Resource {
  readonly matter?: string;
  readonly document?: string;
}

/** Who performs a change to the principals, for the audit record (default "system"). */
export interface PrincipalChangeOptions {
  readonly actor?: string;
}

export interface AuthorizationDecision {
  readonly allowed: boolean;
  readonly reason: string;
}

interface StoredPrincipal extends Principal {
  /** scrypt$N$r$p$salt$hash (base64) */
  readonly secretHash: string;
}

/** scrypt cost for passwords: OWASP's minimum (N = 2^17, r = 8, p = 1: 128 MiB, a few hundred ms). */
export const PASSWORD_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** API keys carry 192 random bits, so brute force is hopeless at any cost; a lighter scrypt keeps per-request checks fast. */
export const API_KEY_SCRYPT: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
// No '@': ids are written to the audit log as the actor, and the log refuses e-mail addresses.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;
const MAX_N = 2 ** 20;

function scrypt(secret: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret.normalize("NFKC"), salt, 32, { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

function checkParams(params: ScryptParams, what: string): void {
  const { N, r, p } = params;
  if (!(Number.isSafeInteger(N) && N >= MIN_SCRYPT_N && N <= MAX_N && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16))
    throw new InvalidArgumentError(`${what} scrypt parameters`, `N=${N} r=${r} p=${p}`, `N a power of two between 2^14 and 2^20, r 1-32, p 1-16`);
}

async function hashSecret(secret: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  checkParams(params, "stored");
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(secret, Buffer.from(salt, "base64"), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface AccessControlOptions {
  readonly audit?: AuditSink;
  /** scrypt cost for user passwords (default PASSWORD_SCRYPT; at least N = 2^14). */
  readonly passwordScrypt?: ScryptParams;
  /** scrypt cost for API keys (default API_KEY_SCRYPT). */
  readonly apiKeyScrypt?: ScryptParams;
  /**
   * Keeps principals (ids, roles, matters and secret *hashes*, never secrets) in this JSON file,
   * mode 0600, rewritten atomically on every change and read back on construction, so API keys
   * and users survive a restart. Another process's change (a `bear users add` beside a running
   * server) is read back on the next call: a key created or revoked takes effect without a restart.
   * Without it they live in memory only.
   */
  readonly file?: string;
}

function readPrincipals(file: string): StoredPrincipal[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new PrincipalStoreError(file, "it cannot be read", { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (cause) {
    throw new PrincipalStoreError(file, "it is not valid JSON", { cause });
  }
  const list = (data as { principals?: unknown })?.principals;
  if ((data as { format?: unknown })?.format !== 1 || !Array.isArray(list)) throw new PrincipalStoreError(file, "it has no 'format: 1' principals list");
  return list.map((p: Partial<StoredPrincipal>, i) => {
    const ok =
      typeof p?.id === "string" && ID.test(p.id) && (p.kind === "user" || p.kind === "api-key") && typeof p.secretHash === "string" && HASH.test(p.secretHash) &&
      Array.isArray(p.roles) && p.roles.every((r) => ROLES.includes(r)) && Array.isArray(p.matters) && p.matters.every((m) => typeof m === "string");
    if (!ok) throw new PrincipalStoreError(file, `principals[${i}] is malformed`);
    return { id: p.id!, kind: p.kind!, roles: [...p.roles!], matters: [...p.matters!], secretHash: p.secretHash! };
  });
}

/**
 * Principals (users and API keys; secrets kept only as scrypt hashes), roles and matter
 * assignments (ethical walls). `authorize()` is the single decision point; every denial is audited.
 */
export class AccessControl {
  private readonly principals = new Map<string, StoredPrincipal>();
  private readonly audit: AuditSink;
  private readonly passwordScrypt: ScryptParams;
  private readonly apiKeyScrypt: ScryptParams;
  /** Dummy hashes (one per secret kind) so unknown principals cost as much time as known ones. */
  private readonly dummy = new Map<Principal["kind"], Promise<string>>();

  private readonly file: string | undefined;
  /** inode, size and mtime of the file as last read or written: a change means another process wrote it. */
  private fileStamp = "";

  constructor(options: AccessControlOptions = {}) {
    this.audit = options.audit ?? nullAuditSink;
    this.file = options.file === undefined ? undefined : path.resolve(options.file);
    this.refresh();
    this.passwordScrypt = options.passwordScrypt ?? PASSWORD_SCRYPT;
    this.apiKeyScrypt = options.apiKeyScrypt ?? API_KEY_SCRYPT;
    checkParams(this.passwordScrypt, "password");
    checkParams(this.apiKeyScrypt, "API key");
  }

  /**
   * Reads the principals file again when another process changed it since (one stat per call; the
   * file is replaced by rename on every write, so its inode changes too). Called by every method.
   */
  refresh(): void {
    if (!this.file) return;
    const stamp = stampOf(this.file);
    if (stamp === this.fileStamp) return;
    const read = readPrincipals(this.file);
    this.principals.clear();
    for (const p of read) this.principals.set(p.id, p);
    this.fileStamp = stamp;
  }

  private params(kind: Principal["kind"]): ScryptParams {
    return kind === "user" ? this.passwordScrypt : this.apiKeyScrypt;
  }

  private dummyHash(kind: Principal["kind"]): Promise<string> {
    let d = this.dummy.get(kind);
    if (!d) {
      d = hashSecret("dummy-secret-for-timing", this.params(kind));
      this.dummy.set(kind, d);
    }
    return d;
  }

  async addUser(id: string, password: string, roles: readonly Role[], matters: readonly string[] = [], options: PrincipalChangeOptions = {}): Promise<Principal> {
    if (typeof password !== "string" || password.length < 12) throw new InvalidArgumentError("password", "(withheld)", "at least 12 characters");
    return this.add(id, "user", password, roles, matters, options);
  }

  /** Creates an API key; the key is returned once and only its hash is kept. */
  async addApiKey(id: string, roles: readonly Role[], matters: readonly string[] = [], options: PrincipalChangeOptions = {}): Promise<{ principal: Principal; apiKey: string }> {
    const apiKey = `bear_${id}_${randomBytes(24).toString("base64url")}`;
    return { principal: await this.add(id, "api-key", apiKey, roles, matters, options), apiKey };
  }

  private async add(id: string, kind: Principal["kind"], secret: string, roles: readonly Role[], matters: readonly string[], options: PrincipalChangeOptions): Promise<Principal> {
    if (typeof id !== "string" || !ID.test(id)) throw new InvalidArgumentError("principal id", id, "1-64 letters, digits, '.', '_' or '-' (no e-mail addresses: ids appear in the audit log)");
    assertAuditableId("principal id", id);
    const actor = actorOf(options);
    this.refresh();
    if (this.principals.has(id)) throw new InvalidArgumentError("principal id", id, "an id not already in use");
    for (const r of roles) if (!ROLES.includes(r)) throw new InvalidArgumentError("role", r, ROLES.join(", "));
    const stored: StoredPrincipal = { id, kind, roles: [...roles], matters: [...matters], secretHash: await hashSecret(secret, this.params(kind)) };
    this.refresh(); // the hash took a while: another process may have written meanwhile
    if (this.principals.has(id)) throw new InvalidArgumentError("principal id", id, "an id not already in use");
    this.principals.set(id, stored);
    this.persist();
    await this.audit.record({ action: "principal.create", outcome: "success", actor, resource: id, details: { kind, roles: roles.join(","), matters: matters.length } });
    return toPrincipal(stored);
  }

  /** Issues a new secret for an API key (the old one stops working at once); returned once. */
  async rotateApiKey(id: string, options: PrincipalChangeOptions = {}): Promise<string> {
    const actor = actorOf(options);
    const apiKey = `bear_${id}_${randomBytes(24).toString("base64url")}`;
    const secretHash = await hashSecret(apiKey, this.apiKeyScrypt);
    this.refresh();
    const p = this.principals.get(id);
    if (!p) throw new PrincipalUnknownError(id);
    if (p.kind !== "api-key") throw new InvalidArgumentError("principal", id, "an API key (users change their password instead)");
    this.principals.set(id, { ...p, secretHash });
    this.persist();
    await this.audit.record({ action: "key.rotate", outcome: "success", actor, resource: id });
    return apiKey;
  }

  /** Deletes a principal; its secret stops working at once (in other processes too, at their next call). */
  async remove(id: string, options: PrincipalChangeOptions = {}): Promise<void> {
    const actor = actorOf(options);
    this.refresh();
    if (!this.principals.delete(id)) throw new PrincipalUnknownError(id);
    this.persist();
    await this.audit.record({ action: "principal.remove", outcome: "success", actor, resource: id });
  }

  /** Every principal (without secrets), sorted by id. */
  list(): Principal[] {
    this.refresh();
    return [...this.principals.values()].sort((a, b) => a.id.localeCompare(b.id)).map(toPrincipal);
  }

  has(id: string): boolean {
    this.refresh();
    return this.principals.has(id);
  }

  /**
   * A short fingerprint of the principal's current secret (not the secret, not its hash): changes
   * when the key is rotated or the principal is removed and re-created. A cache of verified keys
   * compares it so a key another process revoked or rotated stops working at once.
   */
  secretVersion(id: string): string | undefined {
    this.refresh();
    const p = this.principals.get(id);
    return p ? createHash("sha256").update(p.secretHash).digest("base64url").slice(0, 16) : undefined;
  }

  /** Writes the principals file atomically (core's writeFileAtomicSync), so a crash leaves the old or the new one. */
  private persist(): void {
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomicSync(this.file, `${JSON.stringify({ format: 1, principals: [...this.principals.values()] }, null, 2)}\n`, { mode: 0o600 });
      this.fileStamp = stampOf(this.file);
    } catch (cause) {
      throw new PrincipalStoreError(this.file, "it cannot be written", { cause });
    }
  }

  get(id: string): Principal {
    this.refresh();
    const p = this.principals.get(id);
    if (!p) throw new PrincipalUnknownError(id);
    return toPrincipal(p);
  }

  assignMatter(id: string, matter: string): void {
    this.refresh();
    const p = this.principals.get(id);
    if (!p) throw new PrincipalUnknownError(id);
    if (!p.matters.includes(matter)) {
      this.principals.set(id, { ...p, matters: [...p.matters, matter] });
      this.persist();
    }
  }

  revokeMatter(id: string, matter: string): void {
    this.refresh();
    const p = this.principals.get(id);
    if (!p) throw new PrincipalUnknownError(id);
    this.principals.set(id, { ...p, matters: p.matters.filter((m) => m !== matter) });
    this.persist();
  }

  /**
   * Checks a user's password or an API key (constant-time compare). Failures are audited, unless the
   * caller audits them itself (`auditFailure: false`; a server aggregates a flood of them).
   */
  async authenticate(id: string, secret: string, options: { readonly auditFailure?: boolean } = {}): Promise<Principal> {
    this.refresh();
    const p = this.principals.get(id);
    const kind: Principal["kind"] = p?.kind ?? (String(secret).startsWith("bear_") ? "api-key" : "user");
    const ok = await verifySecret(String(secret), p?.secretHash ?? (await this.dummyHash(kind)));
    if (!p || !ok) {
      if (options.auditFailure !== false) await this.audit.record({ action: "login", outcome: "denied", actor: ID.test(id) ? id : "invalid-id" });
      throw new AuthenticationError(`principal '${ID.test(id) ? id : "(invalid id)"}'`);
    }
    await this.audit.record({ action: "login", outcome: "success", actor: id });
    return toPrincipal(p);
  }

  /** The single decision point: role permission, then the ethical wall of the matter. Denials are audited. */
  async authorize(principal: Principal | string, action: Action, resource: Resource = {}): Promise<AuthorizationDecision> {
    const id = typeof principal === "string" ? principal : principal.id;
    this.refresh();
    const stored = this.principals.get(id);
    let decision: AuthorizationDecision;
    if (!stored) decision = { allowed: false, reason: "unknown principal" };
    else if (!stored.roles.some((r) => ROLE_PERMISSIONS[r].includes(action))) decision = { allowed: false, reason: `no role of [${stored.roles.join(", ")}] grants '${action}'` };
    else if (resource.matter !== undefined && !stored.roles.includes("admin") && !stored.matters.includes(resource.matter))
      decision = { allowed: false, reason: `not assigned to matter '${resource.matter}' (ethical wall)` };
    else decision = { allowed: true, reason: "granted" };
    if (!decision.allowed) {
      await this.audit.record({
        action: "permission.denied",
        outcome: "denied",
        actor: ID.test(id) ? id : "invalid-id",
        ...(resource.document ? { resource: resource.document } : {}),
        ...(resource.matter ? { matter: resource.matter } : {}),
        details: { requested: action },
      });
    }
    return decision;
  }

  /** authorize(), throwing AccessDeniedError when refused. */
  async demand(principal: Principal | string, action: Action, resource: Resource = {}): Promise<void> {
    const d = await this.authorize(principal, action, resource);
    if (!d.allowed) throw new AccessDeniedError(typeof principal === "string" ? principal : principal.id, action, resource.document ?? resource.matter ?? "*", d.reason);
  }

  /** Matters a principal may see (admins: undefined = all). */
  visibleMatters(id: string): readonly string[] | undefined {
    const p = this.get(id);
    return p.roles.includes("admin") ? undefined : p.matters;
  }
}

function actorOf(options: PrincipalChangeOptions): string {
  const actor = options.actor ?? "system";
  if (typeof actor !== "string" || !ID.test(actor)) throw new InvalidArgumentError("actor", actor, "a principal id (1-64 letters, digits, '.', '_' or '-')");
  return actor;
}

/** What changes when the file is replaced or rewritten; "" when there is none. */
function stampOf(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw new PrincipalStoreError(file, "it cannot be read", { cause });
  }
}

function toPrincipal(p: StoredPrincipal): Principal {
  return { id: p.id, kind: p.kind, roles: [...p.roles], matters: [...p.matters] };
}
