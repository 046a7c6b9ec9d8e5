import { DisposedError } from "@bear/core";
import { deriveKey, type KeyEncryptionKey } from "@bear/security";
import { contentKey, type WorkspaceKeys } from "./workspace-keys";

/**
 * The key material an open workspace holds: its three keys as read from the key file, the keys
 * derived from the hash key for one purpose each (document ids, audit content ids, the cache's key
 * names and its Redis sealing), kept here as they are handed out, and an encrypted workspace's
 * content key. `dispose()` — the workspace's, once
 * its container is disposed — fills every one with zeros, as the security module does with its own
 * copies and the cluster with its payload key. A key asked for afterwards is refused (DisposedError),
 * never derived again from zeros.
 */
export class WorkspaceSecrets implements Disposable {
  readonly #keys: WorkspaceKeys;
  readonly #derived: Buffer[] = [];
  #contentKey: KeyEncryptionKey | undefined;
  #disposed = false;

  /** Takes ownership of `keys`: they are zeroed on dispose. */
  constructor(keys: WorkspaceKeys) {
    this.#keys = keys;
  }

  get keys(): WorkspaceKeys {
    this.#check();
    return this.#keys;
  }

  /** A 32-byte key for `purpose` from the hash key (security's deriveKey), zeroed with the rest on dispose. */
  derive(purpose: string): Buffer {
    this.#check();
    const key = deriveKey(this.#keys.hashKey, purpose);
    this.#derived.push(key);
    return key;
  }

  /** An encrypted workspace's key-encryption key (derived from the vault key; one per open workspace, disposed with the rest). */
  contentKey(): KeyEncryptionKey {
    this.#check();
    return (this.#contentKey ??= contentKey(this.#keys));
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const key of this.#derived.splice(0)) key.fill(0);
    this.#contentKey?.dispose();
    for (const key of [this.#keys.auditKey, this.#keys.vaultKey, this.#keys.hashKey]) key.fill(0);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #check(): void {
    if (this.#disposed) throw new DisposedError("the workspace's keys");
  }
}
