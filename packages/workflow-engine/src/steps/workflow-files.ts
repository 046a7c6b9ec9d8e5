import fs from "node:fs/promises";
import path from "node:path";
import type { ContentCipher } from "@bear/core";
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
  /** Seal what steps write (core's ContentCipher, e.g. an encrypted workspace's); reads open it again. */
  readonly cipher?: ContentCipher;
}

/** First line of a sealed file; what follows is the cipher's sealed text. */
const SEALED = "bear-sealed-v1\n";
/** A matter id that is safe as one folder name (no separators, no dot-dot). */
const MATTER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The files a workflow step reads and writes: its area, and the sealing of what is written there. */
export class WorkflowFiles {
  readonly #root: string;
  readonly #perMatter: boolean;
  readonly #cipher: ContentCipher | undefined;

  constructor(options: WorkflowFilesOptions) {
    this.#root = path.resolve(options.workspaceRoot);
    this.#perMatter = options.matterFolders ?? false;
    this.#cipher = options.cipher;
  }

  /** The folder this step may use: the run's matter area (created on first use) or the shared root. */
  async areaOf(stepId: string, matter: string | undefined): Promise<string> {
    if (!this.#perMatter) return this.#root;
    if (matter === undefined) throw new PermanentStepError(stepId, "workflow files are kept per matter here, and this run has no matter");
    if (!MATTER.test(matter)) throw new PermanentStepError(stepId, `matter '${matter.slice(0, 80)}' cannot name a file area (letters, digits, '.', '_', '-')`);
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
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await fs.writeFile(temp, this.#stored(before + content), { encoding: "utf8", mode: 0o600, signal });
      await fs.rename(temp, target);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  /** Folders made for steps are private to the workspace's user in a matter area. */
  async mkdir(target: string): Promise<void> {
    await fs.mkdir(target, { recursive: true, ...(this.#perMatter ? { mode: 0o700 } : {}) });
  }

  #stored(content: string): string {
    return this.#cipher ? SEALED + this.#cipher.seal(content) : content;
  }
}
