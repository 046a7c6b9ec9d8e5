// @bear/security: PII detection and scrubbing, audit trail, encryption at rest, access control.

export {
  SecurityError,
  SecurityConfigError,
  RecognizerConfigError,
  VaultAccessDeniedError,
  VaultTokenUnknownError,
  AuditLogError,
  DecryptionError,
  DataKeyDestroyedError,
  KeyError,
  AccessDeniedError,
  AuthenticationError,
  PrincipalUnknownError,
  PrincipalStoreError,
  RateLimitedError,
  NameModelError,
  ScanPoolError,
  type SecurityErrorCode,
} from "./errors";

export { BUILT_IN_ENTITY_TYPES, type BuiltInEntityType, type PiiEntityType, type PiiFinding, type Recognizer } from "./pii/pii-types";
export { PiiScanner, resolveOverlaps, type PiiScannerOptions, type PiiScanResult } from "./pii/pii-scanner";
export { PiiScanPool, type PiiScanPoolOptions } from "./pii/scan-pool";
export { piiScanTaskHandlers, type PiiScanTaskOptions } from "./pii/scan-task";
export { PatternRecognizer, type PatternRecognizerOptions, type PatternSpec } from "./pii/pattern-recognizer";
export { customRecognizer, NAMED_VALIDATORS, type CustomRecognizerConfig } from "./pii/custom-recognizer";
export { assessRisk, RISK_LEVELS, type RiskAssessment, type RiskLevel } from "./pii/risk";
export { luhnValid, ibanValid, ssnValid, cardIssuer } from "./pii/checksums";

export { PiiScrubber, PiiScrubberOptions, type PiiScrubOptions, type PiiScrubResult, type RestoreAuthorizer, type SealedMatterTable } from "./scrub/pii-scrubber";
export { BUILT_IN_POLICIES, POLICIES_WITHOUT_VAULT, SCRUB_OPERATORS, type ScrubOperator, type ScrubPolicy } from "./scrub/scrub-policy";
export { TokenVault, type TokenVaultSnapshot } from "./scrub/token-vault";
export { OffsetMap, type OffsetSegment } from "./scrub/offset-map";

export { AuditLog, type AuditLogOptions, type AuditRecord, type AuditProblem, type AuditProblemKind, type AuditVerification, type AuditRecovery } from "./audit/audit-log";
export type { AuditHead } from "./audit/audit-head";
export { assertAuditableId, auditScreenFinding } from "./audit/audit-id-screen";

export { SecureBuffer } from "./crypto/secure-buffer";
export { KeyEncryptionKey, newSalt, DEFAULT_SCRYPT, MIN_SCRYPT_N, type ScryptParams } from "./crypto/key-encryption-key";
export { EnvelopeCipher, HEADER_BYTES, isSealedFile, type EnvelopeCipherOptions } from "./crypto/envelope-cipher";
export { DataKeyring, type DataKeyringOptions } from "./crypto/data-keyring";
export { KeyedContentCipher, contentCipherFromKey } from "./crypto/keyed-content-cipher";
export { deriveKey } from "./crypto/derive-key";

export { AccessControl, ROLES, ROLE_PERMISSIONS, PASSWORD_SCRYPT, API_KEY_SCRYPT, type AccessControlOptions, type PrincipalChangeOptions, type Role, type Action, type Principal, type Resource, type AuthorizationDecision } from "./access/access-control";
export { RateLimiter, type RateLimiterOptions } from "./access/rate-limiter";

export {
  securityModule,
  createSecurity,
  PiiScannerToken,
  AuditLogToken,
  AccessControlToken,
  RateLimiterToken,
  PiiScrubberToken,
  EnvelopeCipherToken,
  TokenVaultToken,
  type SecurityConfig,
  type Security,
} from "./security.module";
export { redactTool, type RedactFunction, type RedactToolOptions } from "./tools/redact-tool";
