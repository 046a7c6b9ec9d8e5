import { hkdfSync } from "node:crypto";
import type { ContentCipher } from "@bear/core";
import type { WorkspaceKeys } from "./workspace-files";

/**
 * The cipher that encrypts the document index of a passphrase-protected workspace (chunk text,
 * extracted documents, titles, sources; blind tokens for search). Its key is derived from the
 * sealed workspace keys, so the passphrase that unseals them unlocks the index too.
 */
export async function workspaceContentCipher(keys: WorkspaceKeys): Promise<ContentCipher> {
  const { KeyEncryptionKey, KeyedContentCipher } = await import("@bear/security");
  const key = Buffer.from(hkdfSync("sha256", keys.vaultKey, Buffer.alloc(0), Buffer.from("@bear/cli:workspace-content"), 32));
  try {
    return new KeyedContentCipher(KeyEncryptionKey.fromBytes(key));
  } finally {
    key.fill(0);
  }
}
