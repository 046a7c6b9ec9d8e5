import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import { inject, injectable, optional } from "inversify";
import { InvalidArgumentError, nullAuditSink, type AuditSink, type PiiSpan, type ScrubOptions, type ScrubbedText, type Scrubber } from "@bear/core";
import { DecryptionError, VaultAccessDeniedError } from "../errors";
import { SecureBuffer } from "../crypto/secure-buffer";
import type { PiiFinding } from "../pii/pii-types";
import { PiiScanner } from "../pii/pii-scanner";
import type { PiiScanPool } from "../pii/scan-pool";
import { forgetWhenScanningIdles, scanEnded, type ScanMemo } from "../pii/scan-memory";
import { OffsetMap, type OffsetSegment } from "./offset-map";
import { EntityLinker, LINKED_TYPES, type EntityLinkerState } from "./entity-linker";
import { BUILT_IN_POLICIES, type ScrubOperator, type ScrubPolicy } from "./scrub-policy";
import { TOKEN_PATTERN, type TokenVault } from "./token-vault";

/** What a scrub returns: core's ScrubbedText plus the findings and the full offset map. */
export interface PiiScrubResult extends ScrubbedText {
  readonly findings: readonly PiiFinding[];
  readonly offsets: OffsetMap;
  readonly policy: string;
}

/** Scrub options of this scrubber: core's, plus the matter whose documents share placeholders. */
export interface PiiScrubOptions extends ScrubOptions {
  /**
   * Documents of one matter share placeholders and entity numbers: the same person is <PERSON_1> in every document
   * scrubbed with this matter id (by this scrubber), and the `tokenize` operator's tokens carry the same entity number
   * (each token still restores its own mention). Without it, numbering is per `documentId`.
   */
  readonly matterId?: string;
}

/** Placeholder numbering of one document or matter: exact values, and people and organisations linked into entities. */
interface Numbering {
  readonly byValue: Map<string, string>;
  readonly count: Map<string, number>;
  readonly entities: EntityLinker;
}
const newNumbering = (): Numbering => ({ byValue: new Map(), count: new Map(), entities: new EntityLinker() });

/**
 * The numberings of documents by id. They hold the document's e-mails, phone numbers and names, and are needed only
 * while it is scrubbed (one redaction, one ingest, or its chunks back to back): scrubbing the same text again derives
 * the same numbers. So they are forgotten with the scan memos once scrubbing has been idle (scan-memory.ts), but never
 * while a `scrub` is in flight (its end re-arms the countdown).
 */
class DocumentNumberings implements ScanMemo {
  readonly byId = new Map<string, Numbering>();
  scrubsInFlight = 0;

  held(): number {
    return this.byId.size;
  }

  forgetScannedText(): void {
    if (this.scrubsInFlight === 0) this.byId.clear();
  }
}

/**
 * A matter's placeholder table (values, counters and linked entities), sealed with AES-256-GCM under the scrubber's
 * `matterKey`, bound to the matter (a table cannot be replayed under another matter id). Safe to store on disk.
 */
export interface SealedMatterTable {
  readonly v: 1;
  /** SHA-256 of the matter id (the id itself is not stored). */
  readonly matter: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface MatterTableState {
  readonly byValue: readonly (readonly [string, string])[];
  readonly count: readonly (readonly [string, number])[];
  readonly entities: EntityLinkerState;
}

const matterDigest = (matterId: string): string => createHash("sha256").update(`bear-matter|${matterId}`).digest("hex");

/**
 * Decides whether `principal` may restore tokenized values (throws or returns false to refuse): of `matter` when one is
 * given (only that matter's tokens then open), of any matter otherwise (the workspace owner's restore).
 */
export type RestoreAuthorizer = (principal: string, documentId: string | undefined, matter?: string) => Promise<boolean>;

export interface PiiScrubberOptions {
  readonly scanner?: PiiScanner;
  readonly policies?: readonly ScrubPolicy[];
  /** Key for the `hash` operator (HMAC-SHA256); stable across documents. 32 bytes recommended. */
  readonly hashKey?: Uint8Array;
  /** Vault for the `tokenize` operator. Without one, tokenizing is refused. */
  readonly vault?: TokenVault;
  /** Key (32 bytes) sealing exported matter tables (`exportMatter`). Without one, matter tables stay in memory. */
  readonly matterKey?: Uint8Array;
  /** Who may restore. Without one, restore() is always refused. */
  readonly authorizeRestore?: RestoreAuthorizer;
  /**
   * At most this many values tokenized by one `apply`/`scrub` (default 20,000): each distinct one becomes a permanent
   * vault entry, which every later vault save and open reads. More is refused (INVALID_ARGUMENT) before any is made.
   */
  readonly maxTokensPerCall?: number;
  readonly audit?: AuditSink;
  /**
   * Where `scrub` scans: worker threads (a PiiScanPool), so a long text never blocks the caller's event loop
   * (ingest on a server). Without one, `scanner` scans on the calling thread.
   */
  readonly scanPool?: Pick<PiiScanPool, "scan" | "apply">;
}

export const PiiScrubberOptions = Symbol.for("@bear/security:PiiScrubberOptions");

const NUMBER_LIKE = new Set(["CREDIT_CARD", "US_SSN", "PHONE", "IBAN", "US_PASSPORT", "DRIVER_LICENSE"]);
/** Values one call may tokenize (vault entries it may add): a long contract has hundreds; 200,000 e-mails were 22 MB of vault. */
const DEFAULT_MAX_TOKENS_PER_CALL = 20_000;
/** At most this many documents' (and, apart, matters') numberings are kept: the oldest goes first. */
const MAX_DOCUMENTS = 1000;

/** Replaces personal data according to a policy, and keeps the way back to the original offsets. */
@injectable()
export class PiiScrubber implements Scrubber {
  private readonly scanner: PiiScanner;
  private readonly scanPool: Pick<PiiScanPool, "scan" | "apply"> | undefined;
  private readonly policies = new Map<string, ScrubPolicy>();
  private readonly hashKey: SecureBuffer;
  private readonly vault: TokenVault | undefined;
  private readonly matterKey: SecureBuffer | undefined;
  private readonly authorizeRestore: RestoreAuthorizer | undefined;
  private readonly maxTokensPerCall: number;
  private readonly audit: AuditSink;
  /** Placeholder numbering per document id, so chunks of one document agree; forgotten when scrubbing idles. */
  private readonly documents = new DocumentNumberings();
  /** Placeholder numbering per matter id, until `forgetMatter` (once its sealed table is saved) or `dispose`. */
  private readonly matters = new Map<string, Numbering>();

  constructor(@inject(PiiScrubberOptions) @optional() options: PiiScrubberOptions = {}) {
    this.scanner = options.scanner ?? new PiiScanner();
    for (const p of [...BUILT_IN_POLICIES, ...(options.policies ?? [])]) this.policies.set(p.name, p);
    this.hashKey = options.hashKey ? SecureBuffer.from(options.hashKey) : SecureBuffer.random(32);
    this.vault = options.vault;
    if (options.matterKey && options.matterKey.length !== 32) throw new InvalidArgumentError("matterKey", `${options.matterKey.length} bytes`, "32 bytes");
    this.matterKey = options.matterKey ? SecureBuffer.from(options.matterKey) : undefined;
    this.authorizeRestore = options.authorizeRestore;
    this.maxTokensPerCall = options.maxTokensPerCall ?? DEFAULT_MAX_TOKENS_PER_CALL;
    this.audit = options.audit ?? nullAuditSink;
    this.scanPool = options.scanPool;
    forgetWhenScanningIdles(this.documents);
  }

  async scrub(text: string, options: PiiScrubOptions = {}): Promise<PiiScrubResult> {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    options.signal?.throwIfAborted();
    this.documents.scrubsInFlight++;
    let result: PiiScrubResult;
    let findings: readonly PiiFinding[];
    try {
      findings = this.scanPool ? await this.scanPool.scan(text, options.signal ? { signal: options.signal } : {}) : this.scanner.scan(text);
      result = this.scanPool && this.canApplyOn(options) ? await this.applyOn(this.scanPool, text, findings, options) : this.apply(text, findings, options);
    } finally {
      this.documents.scrubsInFlight--;
      scanEnded(); // the idle countdown restarts when the last scrub in flight ends
    }
    await this.audit.record({
      action: "scrub",
      outcome: "success",
      actor: "system",
      ...(options.documentId ? { resource: options.documentId } : {}),
      details: { policy: result.policy, entities: findings.length, chars: text.length, ...countByType(findings) },
    });
    return result;
  }

  /** The placeholder table of a matter, sealed for storage (see SealedMatterTable). */
  exportMatter(matterId: string): SealedMatterTable {
    const key = this.matterTableKey(matterId);
    const n = numberingIn(this.matters, matterId);
    const state: MatterTableState = { byValue: [...n.byValue], count: [...n.count], entities: n.entities.state() };
    const iv = randomBytes(12);
    const matter = matterDigest(matterId);
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(matter));
    const data = Buffer.concat([cipher.update(JSON.stringify(state), "utf8"), cipher.final()]);
    return { v: 1, matter, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
  }

  /** Continues a matter's numbering from a table `exportMatter` sealed (replacing what this scrubber had for it). */
  importMatter(matterId: string, table: SealedMatterTable): void {
    const key = this.matterTableKey(matterId);
    if (table?.v !== 1 || table.matter !== matterDigest(matterId)) throw new DecryptionError("matter table", "it belongs to another matter or format");
    let state: MatterTableState;
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(table.iv, "base64")).setAAD(Buffer.from(table.matter));
      decipher.setAuthTag(Buffer.from(table.tag, "base64"));
      state = JSON.parse(Buffer.concat([decipher.update(Buffer.from(table.data, "base64")), decipher.final()]).toString("utf8")) as MatterTableState;
    } catch (cause) {
      throw new DecryptionError("matter table", "wrong key or tampered data", { cause });
    }
    this.matters.delete(matterId);
    this.matters.set(matterId, { byValue: new Map(state.byValue), count: new Map(state.count), entities: EntityLinker.fromState(state.entities) });
  }

  /**
   * Drops what this scrubber holds of a matter's numbering (its values, people and organisations). Call it once the
   * table `exportMatter` sealed is saved: the next redaction imports it again, so nothing of the matter stays in memory
   * between redactions. Without a saved table, the next document of the matter is numbered from 1.
   */
  forgetMatter(matterId: string): void {
    this.matters.delete(matterId);
  }

  private matterTableKey(matterId: string): Buffer {
    if (typeof matterId !== "string" || matterId.length === 0 || matterId.length > 256) throw new InvalidArgumentError("matterId", matterId, "a non-empty string of at most 256 characters");
    if (!this.matterKey) throw new VaultAccessDeniedError("this scrubber has no matterKey to seal matter tables with");
    return this.matterKey.buffer;
  }

  /**
   * True when `apply` with these options needs nothing of this scrubber but its hash key, so a worker thread gives
   * the same result: a built-in policy without the vault's `tokenize`, no matter table, and no placeholder numbering
   * kept here for the document yet (a worker numbers from 1, as this scrubber does for a document it has not seen).
   */
  canApplyOn(options: PiiScrubOptions = {}): boolean {
    const policy = this.policies.get(options.policy ?? "default");
    if (!policy || !BUILT_IN_POLICIES.includes(policy) || options.matterId !== undefined) return false;
    if (policy.defaultOperator === "tokenize" || Object.values(policy.operators ?? {}).includes("tokenize")) return false;
    return options.documentId === undefined || !this.documents.byId.has(options.documentId);
  }

  /** `apply` on the pool's worker threads (when canApplyOn), so a long text never blocks the caller's event loop. */
  applyOn(pool: Pick<PiiScanPool, "apply">, text: string, findings: readonly PiiFinding[], options: PiiScrubOptions = {}): Promise<PiiScrubResult> {
    if (!this.canApplyOn(options)) return Promise.resolve(this.apply(text, findings, options));
    return pool.apply(text, findings, { policy: options.policy ?? "default", hashKey: this.hashKey.buffer, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Applies a policy to findings you already have (they must not overlap). */
  apply(text: string, findings: readonly PiiFinding[], options: PiiScrubOptions = {}): PiiScrubResult {
    const policyName = options.policy ?? "default";
    const policy = this.policies.get(policyName);
    if (!policy) throw new InvalidArgumentError("policy", policyName, `one of ${[...this.policies.keys()].join(", ")}`);
    const numbering =
      options.matterId !== undefined ? numberingIn(this.matters, options.matterId) : options.documentId !== undefined ? numberingIn(this.documents.byId, options.documentId) : newNumbering();
    const operatorOf = (type: PiiFinding["type"]): ScrubOperator => policy.operators?.[type] ?? policy.defaultOperator;
    const tokenized = findings.reduce((n, f) => n + (operatorOf(f.type) === "tokenize" ? 1 : 0), 0);
    if (tokenized > this.maxTokensPerCall) {
      throw new InvalidArgumentError("findings", `${tokenized} values to tokenize`, `at most ${this.maxTokensPerCall} per call: split the text, or use a policy without tokens`);
    }
    const segments: OffsetSegment[] = [];
    const replacements: PiiSpan[] = [];
    let out = "";
    let pos = 0;
    const copy = (until: number): void => {
      if (until <= pos) return;
      segments.push({ scrubbedStart: out.length, scrubbedEnd: out.length + (until - pos), originalStart: pos, originalEnd: until, replaced: false });
      out += text.slice(pos, until);
      pos = until;
    };
    for (const f of [...findings].sort((a, b) => a.start - b.start)) {
      if (f.start < pos) continue;
      copy(f.start);
      const value = text.slice(f.start, f.end);
      const replacement = this.operate(operatorOf(f.type), f.type, value, numbering, policy, options.matterId);
      segments.push({ scrubbedStart: out.length, scrubbedEnd: out.length + replacement.length, originalStart: f.start, originalEnd: f.end, replaced: true });
      replacements.push({ type: f.type, start: out.length, end: out.length + replacement.length });
      out += replacement;
      pos = f.end;
    }
    copy(text.length);
    if (options.documentId !== undefined && options.matterId === undefined) scanEnded(); // its numbering is forgotten when idle
    const offsets = new OffsetMap(segments, out.length, text.length);
    return { text: out, replacements, findings, offsets, policy: policy.name, toOriginalSpan: (s, e) => offsets.toOriginalSpan(s, e) };
  }

  /** The number of a value: people and organisations by entity ("Mr. Schedler" is Paul E. Schedler), the rest by value. */
  private numberOf(type: string, value: string, numbering: Numbering): number {
    if (LINKED_TYPES.has(type)) return numbering.entities.link(type, value);
    const key = `${type}\0${normalise(value)}`;
    const known = numbering.byValue.get(key);
    if (known !== undefined) return Number(known);
    const n = (numbering.count.get(type) ?? 0) + 1;
    numbering.count.set(type, n);
    numbering.byValue.set(key, String(n));
    return n;
  }

  private operate(operator: ScrubOperator, type: string, value: string, numbering: Numbering, policy: ScrubPolicy, matterId: string | undefined): string {
    switch (operator) {
      case "replace":
        return `<${type}_${this.numberOf(type, value, numbering)}>`;
      case "mask": {
        const keep = NUMBER_LIKE.has(type) ? (policy.maskKeep ?? 4) : 0;
        let kept = 0;
        const chars = [...value];
        for (let i = chars.length - 1; i >= 0; i--) {
          const c = chars[i] ?? "";
          if (!/[\p{L}\p{N}]/u.test(c)) continue;
          if (kept < keep && /\d/.test(c)) kept++;
          else chars[i] = "*";
        }
        return chars.join("");
      }
      case "hash":
        return `<${type}:${createHmac("sha256", this.hashKey.buffer).update(`${type}\0${normalise(value)}`).digest("hex").slice(0, 16)}>`;
      case "tokenize":
        if (!this.vault) throw new VaultAccessDeniedError("the 'tokenize' operator needs a TokenVault (none configured)");
        // people and organisations: the token names the entity ("<TOK_PERSON_E2_…>"), and restores its own mention
        // a matter's tokens carry it: a restore for a principal of another matter does not open them
        return this.vault.tokenize(LINKED_TYPES.has(type) ? `${type}_E${this.numberOf(type, value, numbering)}` : type, value, matterId);
      case "redact":
        return "";
    }
  }

  /**
   * Puts tokenized values back. Needs the vault key and a principal the configured
   * `authorizeRestore` accepts; every attempt is audited. With `matter` only that matter's tokens open (the ethical
   * wall: a principal authorized in one matter never opens another's); without it, every token (the owner's restore).
   */
  async restore(text: string, access: { readonly key: Uint8Array; readonly principal: string; readonly documentId?: string; readonly matter?: string }): Promise<string> {
    const vault = this.vault;
    const record = async (outcome: "success" | "denied", reason?: string): Promise<void> =>
      this.audit.record({
        action: "restore",
        outcome,
        actor: access.principal,
        ...(access.documentId ? { resource: access.documentId } : {}),
        ...(access.matter !== undefined ? { matter: access.matter } : {}),
        ...(reason ? { details: { reason } } : {}),
      });
    if (!vault) {
      await record("denied", "no vault");
      throw new VaultAccessDeniedError("no TokenVault is configured");
    }
    const allowed = this.authorizeRestore ? await this.authorizeRestore(access.principal, access.documentId, access.matter) : false;
    if (!allowed) {
      await record("denied", "permission");
      throw new VaultAccessDeniedError(`principal '${access.principal}' lacks permission to restore`);
    }
    let restored: string;
    try {
      restored = text.replace(TOKEN_PATTERN, (token) => vault.open(token, access.key, access.matter));
    } catch (error) {
      await record("denied", (error as { details?: { reason?: string } }).details?.reason === "matter" ? "matter" : "key");
      throw error;
    }
    await record("success");
    return restored;
  }

  dispose(): void {
    this.hashKey.dispose();
    this.matterKey?.dispose();
    this.documents.byId.clear();
    this.matters.clear();
  }
}

/** The numbering of `id` in `numberings`, made (evicting the oldest past MAX_DOCUMENTS) when there is none yet. */
function numberingIn(numberings: Map<string, Numbering>, id: string): Numbering {
  let m = numberings.get(id);
  if (!m) {
    if (numberings.size >= MAX_DOCUMENTS) {
      const oldest = numberings.keys().next().value;
      if (oldest !== undefined) numberings.delete(oldest);
    }
    m = newNumbering();
    numberings.set(id, m);
  }
  return m;
}

function normalise(value: string): string {
  return value.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
}

function countByType(findings: readonly PiiFinding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[`n_${f.type}`] = (out[`n_${f.type}`] ?? 0) + 1;
  return out;
}
