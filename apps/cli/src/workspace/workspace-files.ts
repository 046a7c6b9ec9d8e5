import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensureWorkspace, type WorkspaceLayout } from "@bear/core";
import { CliError } from "../cli-error";

/** `state/workspace.json`: written once by `bear init`. Holds no secret. */
export interface WorkspaceManifest {
  readonly format: "bear-workspace";
  readonly version: 1;
  readonly createdAt: string;
  /** Present when the workspace keys are sealed under a passphrase. */
  readonly encryption: {
    readonly kdf: "scrypt";
    /** base64, 16 bytes; not secret. */
    readonly salt: string;
    readonly N: number;
    readonly r: number;
    readonly p: number;
    /** Id of the key-encryption key, to tell a wrong passphrase from a damaged file. */
    readonly kekId: string;
  } | null;
}

/** The workspace secrets: the audit log's HMAC key, the token vault key and the pseudonym key. */
export interface WorkspaceKeys {
  readonly auditKey: Buffer;
  readonly vaultKey: Buffer;
  readonly hashKey: Buffer;
}

/** `state/cli.json`: choices the CLI remembers between runs (e.g. the model `bear models load` made active). */
export interface CliState {
  readonly llm?: string;
  readonly embedder?: string;
}

export const manifestFile = (layout: WorkspaceLayout): string => path.join(layout.state, "workspace.json");
const plainKeysFile = (layout: WorkspaceLayout): string => path.join(layout.state, "keys.json");
const sealedKeysFile = (layout: WorkspaceLayout): string => path.join(layout.state, "keys.enc");
const stateFile = (layout: WorkspaceLayout): string => path.join(layout.state, "cli.json");

export function readManifest(layout: WorkspaceLayout): WorkspaceManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(manifestFile(layout), "utf8");
  } catch {
    return undefined;
  }
  try {
    const manifest = JSON.parse(text) as WorkspaceManifest;
    if (manifest.format !== "bear-workspace") throw new Error("not a workspace manifest");
    return manifest;
  } catch (cause) {
    throw new CliError("INPUT_INVALID", `workspace manifest '${manifestFile(layout)}' is damaged`, {
      hint: "Restore it from a backup; without it BEAR cannot tell how the workspace keys are protected.",
      cause,
    });
  }
}

export function requireManifest(layout: WorkspaceLayout): WorkspaceManifest {
  const manifest = readManifest(layout);
  if (!manifest) {
    throw new CliError("WORKSPACE_NOT_INITIALISED", `no BEAR workspace in '${layout.root}'`, {
      hint: "Run `bear init` first (or pass --data-dir / set BEAR_DATA_DIR to an existing workspace).",
      details: { dataDir: layout.root },
    });
  }
  return manifest;
}

/** Creates the folders (0700), the keys and the manifest. Refuses to overwrite an existing workspace. */
export async function initWorkspace(
  dataDir: string,
  passphrase: string | undefined,
  scrypt?: { readonly N: number; readonly r: number; readonly p: number },
): Promise<{ layout: WorkspaceLayout; manifest: WorkspaceManifest }> {
  const layout = ensureWorkspace(dataDir);
  if (readManifest(layout)) {
    throw new CliError("WORKSPACE_EXISTS", `'${layout.root}' is already a BEAR workspace`, {
      hint: "Use it as it is, or choose another folder with --data-dir.",
    });
  }
  const keys = { auditKey: randomBytes(32), vaultKey: randomBytes(32), hashKey: randomBytes(32) };
  const json = Buffer.from(JSON.stringify({ auditKey: keys.auditKey.toString("base64"), vaultKey: keys.vaultKey.toString("base64"), hashKey: keys.hashKey.toString("base64") }));
  let encryption: WorkspaceManifest["encryption"] = null;
  try {
    if (passphrase === undefined) {
      fs.writeFileSync(plainKeysFile(layout), json, { mode: 0o600, flag: "wx" });
    } else {
      const { KeyEncryptionKey, EnvelopeCipher, newSalt, DEFAULT_SCRYPT } = await import("@bear/security");
      const params = scrypt ?? DEFAULT_SCRYPT;
      const salt = newSalt();
      const kek = await KeyEncryptionKey.fromPassphrase(passphrase, salt, params);
      try {
        fs.writeFileSync(sealedKeysFile(layout), new EnvelopeCipher(kek).encrypt(json), { mode: 0o600, flag: "wx" });
        encryption = { kdf: "scrypt", salt: salt.toString("base64"), N: params.N, r: params.r, p: params.p, kekId: kek.id };
      } finally {
        kek.dispose();
      }
    }
  } finally {
    json.fill(0);
  }
  const manifest: WorkspaceManifest = { format: "bear-workspace", version: 1, createdAt: new Date().toISOString(), encryption };
  fs.writeFileSync(manifestFile(layout), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return { layout, manifest };
}

/** Reads the workspace keys, unsealing them with the passphrase when the workspace is encrypted. */
export async function readKeys(layout: WorkspaceLayout, manifest: WorkspaceManifest, passphrase: () => Promise<string>): Promise<WorkspaceKeys> {
  let json: Buffer;
  if (!manifest.encryption) {
    try {
      json = fs.readFileSync(plainKeysFile(layout));
    } catch (cause) {
      throw new CliError("INPUT_INVALID", `the workspace key file '${plainKeysFile(layout)}' is missing or unreadable`, {
        hint: "Restore it from a backup: without it the audit log cannot be verified or extended.",
        cause,
      });
    }
  } else {
    const { KeyEncryptionKey, EnvelopeCipher } = await import("@bear/security");
    const e = manifest.encryption;
    const kek = await KeyEncryptionKey.fromPassphrase(await passphrase(), Buffer.from(e.salt, "base64"), { N: e.N, r: e.r, p: e.p });
    try {
      if (kek.id !== e.kekId) {
        throw new CliError("INPUT_INVALID", "wrong passphrase for this workspace", { hint: "Check BEAR_PASSPHRASE, or type the passphrase given to `bear init`." });
      }
      json = new EnvelopeCipher(kek).decrypt(fs.readFileSync(sealedKeysFile(layout)), "workspace keys");
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

export function readState(layout: WorkspaceLayout): CliState {
  try {
    return JSON.parse(fs.readFileSync(stateFile(layout), "utf8")) as CliState;
  } catch {
    return {};
  }
}

export function writeState(layout: WorkspaceLayout, patch: Partial<Record<keyof CliState, unknown>>): CliState {
  const next = Object.fromEntries(Object.entries({ ...readState(layout), ...patch }).filter(([, v]) => v !== undefined)) as CliState;
  const tmp = `${stateFile(layout)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, stateFile(layout));
  return next;
}
