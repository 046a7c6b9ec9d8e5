import path from "node:path";
import { ContainerModule } from "inversify";
import { AuditSink, bearToken, ContentCipher, Scrubber } from "@bear/core";
import { AccessControl } from "./access/access-control";
import { RateLimiter, type RateLimiterOptions } from "./access/rate-limiter";
import { AuditLog } from "./audit/audit-log";
import { withholdingAuditSink } from "./audit/withholding-audit-sink";
import { EnvelopeCipher } from "./crypto/envelope-cipher";
import type { KeyEncryptionKey } from "./crypto/key-encryption-key";
import { KeyedContentCipher } from "./crypto/keyed-content-cipher";
import { PiiScanner, type PiiScannerOptions } from "./pii/pii-scanner";
import type { PiiScanPool } from "./pii/scan-pool";
import { PiiScrubber } from "./scrub/pii-scrubber";
import { deriveKey } from "./crypto/derive-key";
import type { ScrubPolicy } from "./scrub/scrub-policy";
import { TokenVault, type TokenVaultSnapshot } from "./scrub/token-vault";

export const PiiScannerToken = bearToken("security", "PiiScanner");
export const AuditLogToken = bearToken("security", "AuditLog");
export const AccessControlToken = bearToken("security", "AccessControl");
export const RateLimiterToken = bearToken("security", "RateLimiter");
export const PiiScrubberToken = bearToken("security", "PiiScrubber");
export const EnvelopeCipherToken = bearToken("security", "EnvelopeCipher");
export const TokenVaultToken = bearToken("security", "TokenVault");

export interface SecurityConfig {
  /** Folder of the audit log (e.g. `<workspace>/audit`). */
  readonly auditDir: string;
  /** HMAC key of the audit log, ≥ 32 bytes. */
  readonly auditKey: Uint8Array;
  /** Key of the `hash` operator (stable pseudonyms); random per process when omitted. */
  readonly hashKey?: Uint8Array;
  /** 32-byte key of the token vault; without it the `tokenize` operator is refused. */
  readonly vaultKey?: Uint8Array;
  /** Tokens saved earlier (`vault.snapshot()`), opened with `vaultKey`. */
  readonly vaultSnapshot?: TokenVaultSnapshot;
  /**
   * The local user who holds the workspace keys (e.g. "cli"): may restore vault tokens without
   * being an AccessControl principal. Everyone else goes through `authorize("pii.restore")`.
   */
  readonly owner?: string;
  /**
   * Audit records refused for holding personal-looking values are kept with those values
   * withheld, instead of failing the act that wrote them.
   */
  readonly withholdRefusedAuditValues?: boolean;
  readonly scanner?: PiiScannerOptions;
  /** The scrubber scans on these worker threads (see PiiScrubberOptions.scanPool); the caller disposes it. */
  readonly scanPool?: PiiScanPool;
  readonly policies?: readonly ScrubPolicy[];
  readonly rateLimit?: RateLimiterOptions;
  /** Where AccessControl keeps principals (hashes only) across restarts, e.g. `<workspace>/state/principals.json`. */
  readonly principalsFile?: string;
  /** When given, an EnvelopeCipher confined to `encryptionRoot` is bound. */
  readonly kek?: KeyEncryptionKey;
  readonly encryptionRoot?: string;
}

/** The pieces wired together by hand (what the module binds), for users who do not use Inversify. */
export interface Security {
  readonly scanner: PiiScanner;
  readonly audit: AuditLog;
  /** What the other services record through: the audit log, or its withholding wrapper. */
  readonly auditSink: AuditSink;
  readonly vault: TokenVault | undefined;
  readonly access: AccessControl;
  readonly scrubber: PiiScrubber;
  readonly limiter: RateLimiter;
  readonly cipher: EnvelopeCipher | undefined;
  /** core's ContentCipher under the KEK (sealed index text and blind search tokens), when a KEK is given. */
  readonly contentCipher: KeyedContentCipher | undefined;
}

/** Builds the security services from one configuration. */
export function createSecurity(config: SecurityConfig): Security {
  const scanner = new PiiScanner(config.scanner);
  const audit = new AuditLog({ dir: path.resolve(config.auditDir), key: config.auditKey });
  const auditSink = config.withholdRefusedAuditValues ? withholdingAuditSink(audit) : audit;
  const access = new AccessControl({ audit: auditSink, ...(config.principalsFile ? { file: config.principalsFile } : {}) });
  const vault = config.vaultKey ? new TokenVault(config.vaultKey, config.vaultSnapshot) : undefined;
  const matterKey = config.vaultKey ? deriveKey(config.vaultKey, "security/matter-tables") : undefined;
  const scrubber = new PiiScrubber({
    scanner,
    ...(config.scanPool ? { scanPool: config.scanPool } : {}),
    ...(config.hashKey ? { hashKey: config.hashKey } : {}),
    ...(vault ? { vault } : {}),
    ...(matterKey ? { matterKey } : {}),
    ...(config.policies ? { policies: config.policies } : {}),
    // the owner restores any token; anyone else only a matter's, with pii.restore in that matter (the ethical wall)
    authorizeRestore: async (principal, documentId, matter) =>
      principal === config.owner || (matter !== undefined && (await access.authorize(principal, "pii.restore", { matter, ...(documentId ? { document: documentId } : {}) })).allowed),
    audit: auditSink,
  });
  matterKey?.fill(0); // the scrubber keeps its own copy in a SecureBuffer
  const limiter = new RateLimiter(config.rateLimit ?? { capacity: 60, refillPerSecond: 10 });
  const cipher = config.kek ? new EnvelopeCipher(config.kek, { audit: auditSink, ...(config.encryptionRoot ? { root: config.encryptionRoot } : {}) }) : undefined;
  const contentCipher = config.kek ? new KeyedContentCipher(config.kek) : undefined;
  return { scanner, audit, auditSink, vault, access, scrubber, limiter, cipher, contentCipher };
}

/** Binds Scrubber, AuditSink and (with a KEK) ContentCipher — core contracts — and the security services, in singleton scope. */
export function securityModule(config: SecurityConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    let built: Security | undefined;
    const get = (): Security => (built ??= createSecurity(config));
    // Every binding hands out something of one `Security`, built on the first resolution of any of them with all its
    // key holders (the scrubber's hash and matter keys, the vault's, the content cipher's, the audit log's HMAC key).
    // inversify deactivates only what was resolved, so every binding disposes all of them: a container whose users
    // resolved only the AuditSink, or only access control, zeroes the vault key too. `disposeBuilt` runs once, whichever
    // binding goes first, and waits for the audit records still being appended (inversify awaits a binding's async
    // deactivation, not a module-level one).
    let disposed: Promise<void> | undefined;
    const disposeBuilt = (): Promise<void> => {
      disposed ??= (async () => {
        built?.scrubber.dispose();
        built?.vault?.dispose();
        built?.contentCipher?.dispose();
        await built?.audit.dispose();
      })();
      return disposed;
    };
    const single = <T>(token: symbol, value: (security: Security) => T): void => {
      bind<T>(token).toDynamicValue(() => value(get())).inSingletonScope().onDeactivation(disposeBuilt);
    };
    single(PiiScannerToken, (s) => s.scanner);
    single(AuditLogToken, (s) => s.audit);
    single(AuditSink, (s) => s.auditSink);
    if (config.vaultKey) single(TokenVaultToken, (s) => s.vault as TokenVault);
    single(AccessControlToken, (s) => s.access);
    single(PiiScrubberToken, (s) => s.scrubber);
    single(Scrubber, (s) => s.scrubber);
    single(RateLimiterToken, (s) => s.limiter);
    if (config.kek) {
      single(EnvelopeCipherToken, (s) => s.cipher as EnvelopeCipher);
      single(ContentCipher, (s) => s.contentCipher as KeyedContentCipher);
    }
  });
}
