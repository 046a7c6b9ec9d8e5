import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { DiskCacheStore, type CacheKind, type DocumentKeyring } from "@bear/core";
import { RagEngine } from "@bear/rag";
import { DataKeyring, EnvelopeCipher, KeyedContentCipher, type KeyEncryptionKey } from "@bear/security";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { contentKey } from "../src/keys/workspace-keys";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";

/**
 * Crypto-shredding in an encrypted workspace: each document's stored text (index rows) and its
 * uploaded original are sealed under a data key of its own, wrapped by the workspace key in
 * `state/data-keys/`. Deleting the document destroys that key. The attack: copy the whole
 * workspace before the delete (a backup, a disk image), delete, then try to open the copy's
 * sealed text with the workspace's keys as they are after the delete.
 */

const PASSPHRASE = "correct horse battery";
const CHEAP_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const LEASE = "COMMERCIAL LEASE\n\nSection 4. Rent. The Tenant shall pay the Quillfeather rent of five thousand dollars on the first day of each month.\n";
const NDA = "MUTUAL NON-DISCLOSURE AGREEMENT\n\n1. Confidential Information. Each party shall keep the Marrowgate information strictly confidential.\n";


const openLive = (dir: string): Promise<Workspace> => openWorkspace({ config: quietConfig(dir), passphrase: PASSPHRASE });
const tempDir = tempDirs("bear-shred-");

/**
 * The sealed values of a document as a workspace folder's index stores them: the index is opened
 * with a keyring that records each (document, sealed value) it is asked to open, and read (every
 * document row, the document's text, a search that hydrates its chunks).
 */
async function sealedValues(dir: string, documentId: string, kek: KeyEncryptionKey): Promise<string[]> {
  const indexes = path.join(dir, "indexes");
  const indexDir = fs.readdirSync(indexes).map((d) => path.join(indexes, d)).find((d) => fs.existsSync(path.join(d, "rag-index.json")));
  if (!indexDir) throw new Error(`no index under ${indexes}`);
  const keys = new DataKeyring({ dir: path.join(dir, "state", "data-keys"), kek });
  const seen: string[] = [];
  const recording: DocumentKeyring = {
    seal: (id, text) => keys.seal(id, text),
    open: (id, sealed) => {
      if (id === documentId) seen.push(sealed);
      return keys.open(id, sealed);
    },
    destroy: (id) => keys.destroy(id),
  };
  const cipher = new KeyedContentCipher(kek);
  const rag = await RagEngine.open({ dir: indexDir, root: path.join(dir, "uploads"), cipher, keyring: recording });
  try {
    if (rag.documents().some((d) => d.id === documentId)) {
      await rag.documentText(documentId);
      await rag.search("Quillfeather rent Marrowgate information", { k: 10, filter: { documentIds: [documentId] } });
    }
  } finally {
    await rag.dispose();
    keys.dispose();
    cipher.dispose();
  }
  return [...new Set(seen)];
}

describe("crypto-shredding (encrypted workspace, real LanceDB)", () => {
  let root: string;
  let live: string;
  let copy: string;
  let kek: KeyEncryptionKey;
  let leaseId: string;
  let ndaId: string;

  beforeAll(async () => {
    root = tempDir();
    live = path.join(root, "live");
    copy = path.join(root, "copy");
    await WorkspaceFolder.at(live).create({ passphrase: PASSPHRASE, scrypt: CHEAP_SCRYPT });
    kek = contentKey(await WorkspaceFolder.at(live).keys(PASSPHRASE));
    await withWorkspace(openLive(live), async (workspace) => {
      leaseId = (await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" })).document.id;
      ndaId = (await workspace.upload({ matter: "acme", fileName: "nda.txt", body: Readable.from([NDA]), actor: "alice" })).document.id;
      // cached results and a cached review of the lease (L2: cache/l2)
      expect((await workspace.search("Quillfeather rent", { k: 3 }, "alice"))[0]?.documentId).toBe(leaseId);
      await workspace.review(LEASE, { actor: "alice", resource: leaseId, documentId: leaseId });
    });
    fs.cpSync(live, copy, { recursive: true }); // the backup, made before the delete
    await withWorkspace(openLive(live), async (workspace) => {
      const lease = (await workspace.rag()).documents().find((d) => d.id === leaseId);
      if (!lease) throw new Error("the lease is not indexed");
      await workspace.deleteDocument(lease);
    });
  });

  it("before the delete, each document had a key of its own that opened its sealed text (the copy shows it)", async () => {
    const copied = new DataKeyring({ dir: path.join(copy, "state", "data-keys"), kek });
    const sealed = await sealedValues(copy, leaseId, kek);
    expect(sealed.length).toBeGreaterThan(1); // chunk rows and the document row
    for (const s of sealed) expect(s.startsWith("d1.")).toBe(true);
    expect(sealed.map((s) => copied.open(leaseId, s)).join("\n")).toContain("Quillfeather");
    // Bound to its document: the NDA's key does not open the lease's text.
    expect(() => copied.open(ndaId, sealed[0] as string)).toThrow(/DATA_KEY_DESTROYED|authentication|cannot decrypt/);
    expect(fs.readdirSync(path.join(copy, "state", "data-keys")).filter((f) => f.endsWith(".key"))).toHaveLength(2);
    copied.dispose();
  });

  it("after the delete, the copy's sealed text no longer opens with the workspace's keys", async () => {
    const liveKeys = new DataKeyring({ dir: path.join(live, "state", "data-keys"), kek });
    const sealed = await sealedValues(copy, leaseId, kek);
    for (const s of sealed) expect(() => liveKeys.open(leaseId, s)).toThrow(expect.objectContaining({ code: "DATA_KEY_DESTROYED" }));
    // Nor with the workspace key itself: the text was never sealed under it.
    const workspaceCipher = new KeyedContentCipher(kek);
    for (const s of sealed) expect(() => workspaceCipher.open(s)).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
    // The live workspace holds no trace of the lease's key; the NDA's key and text are untouched.
    expect(liveKeys.has(leaseId)).toBe(false);
    expect(liveKeys.has(ndaId)).toBe(true);
    expect((await sealedValues(copy, ndaId, kek)).map((s) => liveKeys.open(ndaId, s)).join("\n")).toContain("Marrowgate");
    expect(await sealedValues(live, leaseId, kek)).toEqual([]);
    liveKeys.dispose();
    workspaceCipher.dispose();
  });

  it("the copy's uploaded original is sealed under the document's key too, and dies with it", async () => {
    const original = path.join(copy, "uploads", "acme", "lease.txt");
    expect(fs.readFileSync(original).includes("Quillfeather")).toBe(false);
    // It opens with the key the copy still holds …
    const copied = new DataKeyring({ dir: path.join(copy, "state", "data-keys"), kek });
    const opened = path.join(root, "lease.opened");
    await copied.envelopeFor(leaseId).decryptFile(original, opened);
    expect(fs.readFileSync(opened, "utf8")).toBe(LEASE);
    copied.dispose();
    // … but neither with the workspace key (the old sealing) nor with the live keys.
    await expect(new EnvelopeCipher(kek).decryptFile(original, path.join(root, "x"))).rejects.toMatchObject({ code: "DECRYPTION_FAILED" });
    const liveKeys = new DataKeyring({ dir: path.join(live, "state", "data-keys"), kek });
    expect(liveKeys.has(leaseId)).toBe(false);
    expect(fs.existsSync(path.join(live, "uploads", "acme", "lease.txt"))).toBe(false);
    liveKeys.dispose();
  });

  it("the copy's cached search results and review report held the lease's text under its key only, which is gone", async () => {
    const store = new DiskCacheStore({ dir: path.join(copy, "cache", "l2"), maxBytes: 1e9 });
    const envelope = new EnvelopeCipher(kek);
    // every L2 value of a kind, opened with the workspace key (the cache's own sealing: its key hash, then the value)
    const values = async (kind: CacheKind): Promise<string[]> => (await store.getMany(store.keys(kind))).flatMap((v) => (v ? [envelope.decrypt(v, "cache entry").subarray(32).toString("utf8")] : []));
    const search = await values("search");
    const review = await values("review");
    await store.dispose();
    expect(search.length).toBeGreaterThan(0);
    expect(review.length).toBe(1);
    for (const v of [...search, ...review]) expect(v).not.toContain("Quillfeather");
    const hits = search.flatMap((v) => JSON.parse(v) as { documentId: string; sealed: string }[]).filter((h) => h.documentId === leaseId);
    expect(hits.length).toBeGreaterThan(0);
    // The copy's keys (from before the delete) open them: they did hold the lease …
    const copied = new DataKeyring({ dir: path.join(copy, "state", "data-keys"), kek });
    expect([...hits.map((h) => copied.open(leaseId, h.sealed)), copied.open(leaseId, review[0]!)].join("\n")).toContain("Quillfeather");
    copied.dispose();
    // … the workspace's keys after the delete do not.
    const liveKeys = new DataKeyring({ dir: path.join(live, "state", "data-keys"), kek });
    for (const sealed of [...hits.map((h) => h.sealed), review[0]!]) expect(() => liveKeys.open(leaseId, sealed)).toThrow(expect.objectContaining({ code: "DATA_KEY_DESTROYED" }));
    liveKeys.dispose();
  });

  it("the live workspace still searches and reads what was not deleted", async () => {
    await withWorkspace(openLive(live), async (workspace) => {
      const hits = await workspace.search("Marrowgate information", { k: 3 }, "alice");
      expect(hits[0]?.text).toContain("Marrowgate");
      expect((await workspace.search("Quillfeather rent", { k: 3 }, "alice")).every((h) => h.documentId !== leaseId)).toBe(true);
    });
  });
});
