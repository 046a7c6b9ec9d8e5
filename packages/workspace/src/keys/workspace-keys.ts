import { hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { EnvelopeCipher, KeyEncryptionKey, DEFAULT_SCRYPT, newSalt, type ScryptParams } from "@bear/security";
import { BearWorkspaceError } from "../errors";
import type { WorkspacePaths } from "../folder/workspace-paths";

/** The workspace secrets: the audit log's HMAC key, the token vault key and the pseudonym key. */
export interface WorkspaceKeys {
  readonly auditKey: Buffer;
  readonly vaultKey: Buffer;
  readonly hashKey: Buffer;
}

/** How the keys are sealed, as the manifest records it (no secret). */
export interface KeySealing {
  readonly kdf: "scrypt";
  /** base64, 16 bytes; not secret. */
  readonly salt: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** Id of the key-encryption key, to tell a wrong passphrase from a damaged file. */
  readonly kekId: string;
}

/** A passphrase, or a way to ask for one (only called when the keys are sealed). */
export type PassphraseSource = string | (() => string | Promise<string>);

export const MIN_PASSPHRASE_CHARS = 8;

export function assertPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_CHARS) {
    throw new BearWorkspaceError("PASSPHRASE_TOO_SHORT", `the passphrase is too short (${passphrase.length} characters, need at least ${MIN_PASSPHRASE_CHARS})`, {
      hint: "Choose a longer passphrase: a few unrelated words are easy to remember and hard to guess.",
    });
  }
}

/** Fresh keys; an early `bear-server`'s own audit and pseudonym keys are kept so its audit chain still verifies. */
export function newWorkspaceKeys(paths: WorkspacePaths): WorkspaceKeys {
  const legacy = (file: string): Buffer | undefined => {
    try {
      const key = fs.readFileSync(file);
      return key.length >= 32 ? key : undefined;
    } catch {
      return undefined;
    }
  };
  return { auditKey: legacy(paths.legacyAuditKey) ?? randomBytes(32), vaultKey: randomBytes(32), hashKey: legacy(paths.legacyPseudonymKey) ?? randomBytes(32) };
}

/** Writes the keys, sealed under the passphrase when there is one; returns the sealing to record. */
export async function writeWorkspaceKeys(paths: WorkspacePaths, keys: WorkspaceKeys, passphrase: string | undefined, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<KeySealing | null> {
  const json = Buffer.from(JSON.stringify({ auditKey: keys.auditKey.toString("base64"), vaultKey: keys.vaultKey.toString("base64"), hashKey: keys.hashKey.toString("base64") }));
  try {
    if (passphrase === undefined) {
      fs.writeFileSync(paths.plainKeysFile, json, { mode: 0o600, flag: "wx" });
      return null;
    }
    assertPassphrase(passphrase);
    const salt = newSalt();
    const kek = await KeyEncryptionKey.fromPassphrase(passphrase, salt, scrypt);
    try {
      fs.writeFileSync(paths.sealedKeysFile, new EnvelopeCipher(kek).encrypt(json), { mode: 0o600, flag: "wx" });
      return { kdf: "scrypt", salt: salt.toString("base64"), N: scrypt.N, r: scrypt.r, p: scrypt.p, kekId: kek.id };
    } finally {
      kek.dispose();
    }
  } finally {
    json.fill(0);
  }
}

/** Reads the workspace keys, unsealing them with the passphrase when they are sealed. */
export async function readWorkspaceKeys(paths: WorkspacePaths, sealing: KeySealing | null, passphrase: PassphraseSource | undefined): Promise<WorkspaceKeys> {
  let json: Buffer;
  if (!sealing) {
    try {
      json = fs.readFileSync(paths.plainKeysFile);
    } catch (cause) {
      throw new BearWorkspaceError("WORKSPACE_DAMAGED", `the workspace key file '${paths.plainKeysFile}' is missing or unreadable`, {
        hint: "Restore it from a backup: without it the audit log cannot be verified or extended.",
        cause,
      });
    }
  } else {
    if (passphrase === undefined) {
      throw new BearWorkspaceError("PASSPHRASE_REQUIRED", "this workspace is encrypted and no passphrase was given", {
        hint: "Set BEAR_PASSPHRASE in the environment, or run the command at a terminal to be asked for it.",
      });
    }
    const given = typeof passphrase === "string" ? passphrase : await passphrase();
    const kek = await KeyEncryptionKey.fromPassphrase(given, Buffer.from(sealing.salt, "base64"), { N: sealing.N, r: sealing.r, p: sealing.p });
    try {
      if (kek.id !== sealing.kekId) {
        throw new BearWorkspaceError("WRONG_PASSPHRASE", "wrong passphrase for this workspace", { hint: "Check BEAR_PASSPHRASE, or type the passphrase given to `bear init`." });
      }
      json = new EnvelopeCipher(kek).decrypt(fs.readFileSync(paths.sealedKeysFile), "workspace keys");
    } finally {
      kek.dispose();
    }
  }
  try {
    const parsed = JSON.parse(json.toString("utf8")) as Record<string, string>;
    return { auditKey: Buffer.from(parsed.auditKey ?? "", "base64"), vaultKey: Buffer.from(parsed.vaultKey ?? "", "base64"), hashKey: Buffer.from(parsed.hashKey ?? "", "base64") };
  } finally {
    json.fill(0);
  }
}

/**
 * The key-encryption key of an encrypted workspace's content (index text, workflow state, uploads,
 * files workflows write). Derived from the sealed vault key, so the passphrase that unseals the keys
 * unlocks the content too. (The label predates this package; changing it would lock out existing
 * workspaces.)
 */
export function contentKey(keys: WorkspaceKeys): KeyEncryptionKey {
  const key = Buffer.from(hkdfSync("sha256", keys.vaultKey, Buffer.alloc(0), Buffer.from("@bear/cli:workspace-content"), 32));
  try {
    return KeyEncryptionKey.fromBytes(key);
  } finally {
    key.fill(0);
  }
}
