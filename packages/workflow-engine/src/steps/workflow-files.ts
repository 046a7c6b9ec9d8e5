import fs from "node:fs/promises";
import path from "node:path";
import { type ContentCipher, isMatterId, MATTER_ID_RULE, writeFileAtomic } from "@bear/core";
import { PermanentStepError } from "../errors";

/** Where `file_operations` steps keep their files, and how. */
export interface WorkflowFilesOptions {
  /** Every path is confined to this folder ('..', absolute paths elsewhere and escaping symlinks are refused). */
  readonly workspaceRoot: string;
  /**
   * Give each matter its own area, `<workspaceRoot>/matters/<matter>/` (folders 0700, files 0600):
   * a run sees, lists and deletes only its own matter's files (the ethical wall), and a run with no
   * matter is refused. Default false: one shared folder (e.g. a folder the user picked).
   */
  readonly matterFolders?: boolean;
  /**
   * Seal what steps write (core's ContentCipher, e.g. an encrypted workspace's); reads open it again.
   * With `matterFolders`, the names of files and folders are sealed too (see `WorkflowFiles`).
   */
  readonly cipher?: ContentCipher;
}

/** One entry of a listed folder: its name as steps know it. */
export interface WorkflowFileEntry {
  readonly name: string;
  readonly kind: "directory" | "file" | "symlink" | "other";
}

/** First line of a sealed file; what follows is the cipher's sealed text. */
const SEALED = "bear-sealed-v1\n";
/** The on-disk name of an entry whose name is sealed: "n" and a keyed digest of the name. */
const SEALED_NAME = /^n[0-9a-f]{8,64}$/;
/** Beside each such entry, `<entry>.name` holds its real name, sealed (for `list`). */
const NAME_FILE = ".name";
/** Longest name (bytes) of one file or folder in a sealed area: its sealed copy must fit a file name. */
const MAX_SEALED_NAME_BYTES = 120;

/**
 * The files a workflow step reads and writes: its area, and the sealing of what is written there.
 * In a sealed matter area (`matterFolders` and `cipher`) a file name says nothing either: each
 * file and folder is stored as `n<keyed digest of its name>` (the same name always finds the same
 * entry) with its real name sealed beside it in `<entry>.name`. Plain names found there (written
 * before names were sealed, or put there by hand) are still read, listed and replaced.
 */
export class WorkflowFiles {
  readonly #root: string;
  readonly #perMatter: boolean;
  readonly #cipher: ContentCipher | undefined;

  constructor(options: WorkflowFilesOptions) {
    this.#root = path.resolve(options.workspaceRoot);
    this.#perMatter = options.matterFolders ?? false;
    this.#cipher = options.cipher;
  }

  /** Whether names are sealed in this area. */
  get #sealsNames(): boolean {
    return this.#perMatter && this.#cipher !== undefined;
  }

  /**
   * Where `target` (a path inside `area`, already confined) is stored: the same path where names are
   * plain; else each part's sealed entry (or a plain one that exists). With `create`, the missing
   * folders on the way are made (and, for "folder", the target itself); "file" leaves the file to the caller.
   */
  async locate(stepId: string, area: string, target: string, create: "folder" | "file" | false = false): Promise<string> {
    if (!this.#sealsNames) {
      if (create) await this.mkdir(create === "folder" ? target : path.dirname(target));
      return target;
    }
    const parts = path.relative(area, target).split(path.sep).filter(Boolean);
    let at = area;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const plain = path.join(at, part);
      const sealed = path.join(at, this.#sealedName(stepId, part));
      if (await present(sealed)) at = sealed;
      else if (await present(plain)) at = plain;
      else {
        at = sealed;
        if (create && !(last && create === "file")) await fs.mkdir(sealed, { mode: 0o700 }).catch(ignoreExisting);
        if (create) await this.#writeName(sealed, part);
      }
    }
    return at;
  }

  /** The entries of a stored folder, by the names steps gave them (sealed names opened; their `.name` files hidden). */
  async list(folder: string): Promise<WorkflowFileEntry[]> {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    const listed: WorkflowFileEntry[] = [];
    for (const e of entries) {
      if (this.#sealsNames && e.name.endsWith(NAME_FILE) && SEALED_NAME.test(e.name.slice(0, -NAME_FILE.length))) continue;
      const name = this.#sealsNames && SEALED_NAME.test(e.name) ? await this.#readName(path.join(folder, e.name)) : e.name;
      listed.push({ name, kind: e.isDirectory() ? "directory" : e.isFile() ? "file" : e.isSymbolicLink() ? "symlink" : "other" });
    }
    return listed.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Removes a stored file (and its sealed name). */
  async remove(stored: string): Promise<void> {
    await fs.unlink(stored);
    if (this.#sealsNames && SEALED_NAME.test(path.basename(stored))) await fs.rm(`${stored}${NAME_FILE}`, { force: true });
  }

  /**
   * Seals what a matter area holds in plain: each plain name becomes its sealed entry, and each
   * plain file's text is sealed (files from before names were sealed, or moved in from the shared
   * folder of an older layout). Returns how many entries it sealed.
   */
  async sealArea(area: string): Promise<number> {
    if (!this.#sealsNames) return 0;
    let sealed = 0;
    const visit = async (folder: string): Promise<void> => {
      for (const e of await fs.readdir(folder, { withFileTypes: true })) {
        const from = path.join(folder, e.name);
        if (e.name.endsWith(NAME_FILE) && SEALED_NAME.test(e.name.slice(0, -NAME_FILE.length))) continue;
        let at = from;
        if (!SEALED_NAME.test(e.name) && (e.isFile() || e.isDirectory()) && Buffer.byteLength(e.name) <= MAX_SEALED_NAME_BYTES) {
          at = path.join(folder, this.#sealedName("migration", e.name));
          if (await present(at)) continue; // a sealed entry of that name exists: keep it, leave the plain one to its owner
          await this.#writeName(at, e.name);
          await fs.rename(from, at);
          sealed += 1;
        }
        if (e.isDirectory()) {
          await fs.chmod(at, 0o700);
          await visit(at);
        } else if (e.isFile()) {
          const raw = await fs.readFile(at, "utf8");
          if (!raw.startsWith(SEALED)) await this.write(at, raw, { overwrite: true, signal: new AbortController().signal });
        }
      }
    };
    await visit(area);
    return sealed;
  }

  /** The folder this step may use: the run's matter area (created on first use) or the shared root. */
  async areaOf(stepId: string, matter: string | undefined): Promise<string> {
    if (!this.#perMatter) return this.#root;
    if (matter === undefined) throw new PermanentStepError(stepId, "workflow files are kept per matter here, and this run has no matter");
    // The one rule (@bear/core) keeps a matter id one safe folder name; a run an older release started under another id stops here.
    if (!isMatterId(matter)) throw new PermanentStepError(stepId, `matter '${matter.slice(0, 80)}' cannot name a file area (${MATTER_ID_RULE})`);
    const area = path.join(this.#root, "matters", matter);
    await fs.mkdir(area, { recursive: true, mode: 0o700 });
    return area;
  }

  async read(target: string, signal: AbortSignal): Promise<string> {
    const raw = await fs.readFile(target, { encoding: "utf8", signal });
    // A file someone put in the area by hand is plain; only what steps wrote is sealed.
    return this.#cipher && raw.startsWith(SEALED) ? this.#cipher.open(raw.slice(SEALED.length)) : raw;
  }

  async write(target: string, content: string, options: { readonly overwrite: boolean; readonly signal: AbortSignal }): Promise<void> {
    await fs.writeFile(target, this.#stored(content), { encoding: "utf8", flag: options.overwrite ? "w" : "wx", mode: 0o600, signal: options.signal });
    if (this.#perMatter) await fs.chmod(target, 0o600); // an existing file keeps its mode on overwrite
  }

  async append(target: string, content: string, signal: AbortSignal): Promise<void> {
    if (!this.#cipher) {
      await fs.appendFile(target, content, { encoding: "utf8", mode: 0o600 });
      return;
    }
    // Sealed text cannot grow in place: open, extend, seal again, replace atomically.
    const before = await this.read(target, signal).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    signal.throwIfAborted();
    await writeFileAtomic(target, this.#stored(before + content));
  }

  /** Folders made for steps are private to the workspace's user in a matter area. */
  async mkdir(target: string): Promise<void> {
    await fs.mkdir(target, { recursive: true, ...(this.#perMatter ? { mode: 0o700 } : {}) });
  }

  #sealedName(stepId: string, name: string): string {
    if (Buffer.byteLength(name) > MAX_SEALED_NAME_BYTES) {
      throw new PermanentStepError(stepId, `a file or folder name of ${Buffer.byteLength(name)} bytes is too long for a sealed file area (at most ${MAX_SEALED_NAME_BYTES})`);
    }
    return `n${this.#cipher!.blindTerm(`bear:workflow-file-name:${name}`)}`;
  }

  /** Writes `<entry>.name` once (atomically: a parallel step writing the same name loses nothing). */
  async #writeName(entry: string, name: string): Promise<void> {
    const file = `${entry}${NAME_FILE}`;
    if (await present(file)) return;
    await writeFileAtomic(file, this.#cipher!.seal(name));
  }

  async #readName(entry: string): Promise<string> {
    try {
      return this.#cipher!.open(await fs.readFile(`${entry}${NAME_FILE}`, "utf8"));
    } catch {
      return path.basename(entry); // its name is lost (or another key's): list it as it is stored
    }
  }

  #stored(content: string): string {
    return this.#cipher ? SEALED + this.#cipher.seal(content) : content;
  }
}

async function present(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== "EEXIST") throw error;
}
