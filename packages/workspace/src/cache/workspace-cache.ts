import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import path from "node:path";
import { ContainerModule } from "inversify";
import { Cache, CACHE_KINDS, DiskCacheStore, DisposedError, Logger, TieredCache, type BearConfig, type CacheKind, type CacheSealer, type CacheStore } from "@bear/core";
import { EnvelopeCipherToken, type EnvelopeCipher } from "@bear/security";
import type { WorkspacePaths } from "../folder/workspace-paths";
import type { WorkspaceSecrets } from "../keys/workspace-secrets";
import { RedisCacheStore } from "./redis-cache-store";

/** Where the workspace's L2 lives on disk. */
export const cacheStoreDir = (paths: WorkspacePaths): string => path.join(paths.cache, "l2");

/** Everything `openWorkspaceCache` needs; `sealer` must be given when the workspace is encrypted. */
export interface WorkspaceCacheOptions {
  readonly config: BearConfig["cache"];
  readonly paths: WorkspacePaths;
  /** Where the cache's keys are derived from (and kept to be zeroed when the workspace is disposed). */
  readonly secrets: WorkspaceSecrets;
  readonly encrypted: boolean;
  readonly sealer: CacheSealer | undefined;
  readonly logger: Logger;
}

/** The envelope cipher of an encrypted workspace as a cache sealer (AES-256-GCM under the content key). */
export function envelopeSealer(cipher: EnvelopeCipher): CacheSealer {
  return { seal: (plaintext) => cipher.encrypt(plaintext), open: (sealed) => cipher.decrypt(sealed, "cache entry") };
}

/**
 * AES-256-GCM under a raw 32-byte key (nonce ‖ ciphertext ‖ tag): what an unencrypted workspace seals
 * its Redis L2 values with, so Redis and its AOF hold no document text whatever the workspace's setting.
 * The key is derived from the workspace's own hash key: whoever can read it can read the workspace.
 * `dispose()` (the cache's) zeroes the key; the sealer seals and opens nothing after.
 */
export function keySealer(key: Uint8Array): CacheSealer {
  let disposed = false;
  const usable = (): Uint8Array => {
    if (disposed) throw new DisposedError("the cache's Redis sealer");
    return key;
  };
  return {
    seal(plaintext) {
      const nonce = randomBytes(12);
      const key = usable();
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    },
    open(sealed) {
      const key = usable();
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    },
    dispose() {
      disposed = true;
      key.fill(0);
    },
  };
}

/**
 * The workspace's one cache: L1 in memory, L2 in Redis when `cache.redisUrl` is set, else on disk
 * in `cache/l2`. Keys are keyed with a workspace secret; in an encrypted workspace L2 values are
 * sealed with its content key (search hits and reviews of stored documents under the document's
 * own key), generations stay in memory, and without a sealer no L2 is used at all (plaintext never
 * reaches the disk). An unencrypted workspace's values in Redis are sealed too (`keySealer`): Redis is
 * shared by a cluster and persisted in its AOF. `cache.enabled: false` gives a cache that keeps nothing.
 */
export function openWorkspaceCache(options: WorkspaceCacheOptions): TieredCache {
  const { config, secrets } = options;
  // the cache keeps a copy of its secret (zeroed by its dispose): this one is zeroed at once
  const secret = secrets.derive("cache/key");
  try {
    return config.enabled ? tieredCache(options, secret) : new TieredCache({ secret, maxMemoryBytes: 0 });
  } finally {
    secret.fill(0);
  }
}

/** An enabled cache: L2 in Redis (values sealed), on disk, or none, as `openWorkspaceCache` says. */
function tieredCache(options: WorkspaceCacheOptions, secret: Uint8Array): TieredCache {
  const { config, secrets } = options;
  let sealer = options.encrypted ? options.sealer : undefined;
  let store: CacheStore | undefined;
  if (options.encrypted && !options.sealer) {
    options.logger.warn("the workspace is encrypted but no cipher is bound: the cache stays in memory");
  } else if (config.redisUrl) {
    const namespaceKey = secrets.derive("cache/namespace");
    store = new RedisCacheStore({ url: config.redisUrl, namespace: namespaceKey.toString("hex").slice(0, 16), logger: options.logger });
    namespaceKey.fill(0);
    // zeroed by the cache's dispose (TieredCache disposes its sealer)
    sealer ??= keySealer(secrets.derive("cache/redis-seal"));
  } else if (config.diskMb > 0) {
    store = new DiskCacheStore({ dir: cacheStoreDir(options.paths), maxBytes: Math.round(config.diskMb * 1024 * 1024), logger: options.logger });
  }
  const ttlMs = Object.fromEntries(CACHE_KINDS.map((k) => [k, config.ttlHours[k] * 3_600_000])) as Record<CacheKind, number>;
  return new TieredCache({
    secret,
    maxMemoryBytes: Math.round(config.memoryMb * 1024 * 1024),
    ...(store ? { store } : {}),
    ...(sealer ? { sealer } : {}),
    // A generation's key and value quote document passages under no document's own key: in an
    // encrypted workspace it stays in memory, so deleting a document leaves none of it on disk.
    ...(options.encrypted ? { memoryOnlyKinds: ["generation"] as const } : {}),
    ttlMs,
    logger: options.logger,
  });
}

/** Binds core's Cache for every package (rag's embeddings and searches, the Llm's generations, reviews). */
export function workspaceCacheModule(config: BearConfig["cache"], paths: WorkspacePaths, secrets: WorkspaceSecrets, encrypted: boolean): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Cache>(Cache)
      .toDynamicValue((ctx) => {
        const cipher = ctx.get<EnvelopeCipher>(EnvelopeCipherToken, { optional: true });
        return openWorkspaceCache({ config, paths, secrets, encrypted, sealer: cipher ? envelopeSealer(cipher) : undefined, logger: ctx.get<Logger>(Logger) });
      })
      .inSingletonScope()
      .onDeactivation((cache) => (cache as TieredCache).dispose());
  });
}
