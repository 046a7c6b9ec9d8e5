import { spawn } from "node:child_process";
import { OcrError } from "../../errors";
import { withDeadline } from "./deadline";
import { toPgm, type GrayImage } from "./gray-image";
import { assertLanguage } from "./language-packs";
import type { OcrEngine, OcrPageResult, RecognizeOptions } from "./ocr-engine";
import { SlotPool } from "./slot-pool";
import { parseTesseractTsv } from "./tesseract-tsv";

export interface TesseractCliEngineOptions {
  readonly languages: readonly string[];
  /** Processes run at once (each single-threaded, so they do not fight over cores). */
  readonly workers: number;
  /** The binary; a bare name is looked up on PATH. Default `tesseract`. */
  readonly command?: string;
  /** Address-space cap of each tesseract process in MiB (`ulimit -v`); 0 for none. */
  readonly memoryLimitMb?: number;
}

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What a tesseract process is given of the host's environment: where to find programs and language data,
 * the locale and one thread — never the rest (a server's passphrase, a Redis URL with its password).
 */
export function tesseractEnvironment(host: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(["PATH", "TESSDATA_PREFIX", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR"].flatMap((name) => (host[name] === undefined ? [] : [[name, host[name]]])));
  return { ...kept, OMP_THREAD_LIMIT: "1" };
}

/** Runs a command to completion, feeding `input` on stdin. ENOENT rejects. */
function run(command: string, args: readonly string[], input: Uint8Array | undefined, onChild?: (kill: () => void) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: tesseractEnvironment(process.env) });
    onChild?.(() => child.kill("SIGKILL"));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => {
      if (err.length < 64) err.push(d);
    });
    child.on("error", reject);
    child.stdin.on("error", () => undefined); // a process that died early closes its stdin: its exit code tells
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.end(input ?? null);
  });
}

/**
 * A `tesseract` binary (Debian's tesseract-ocr, 5.x) run once per page, single-threaded, up to
 * `workers` at a time. Less CPU per page than the WebAssembly build, so `auto` prefers it when it is
 * installed with every configured language.
 */
export class TesseractCliEngine implements OcrEngine {
  readonly id = "tesseract-cli" as const;
  readonly languages: readonly string[];
  readonly concurrency: number;
  readonly version: string;
  readonly #command: string;
  readonly #memoryLimitKb: number;
  readonly #slots: SlotPool<number>;

  private constructor(options: TesseractCliEngineOptions, command: string, version: string) {
    this.languages = options.languages;
    this.concurrency = Math.max(1, options.workers);
    this.version = version;
    this.#command = command;
    this.#memoryLimitKb = Math.max(0, Math.round((options.memoryLimitMb ?? 0) * 1024));
    let next = 0;
    this.#slots = new SlotPool<number>(this.concurrency, () => Promise.resolve(next++), () => Promise.resolve());
  }

  /**
   * Finds the binary and checks it has every language; throws RAG_OCR_ENGINE_UNAVAILABLE or
   * RAG_OCR_LANGUAGE_MISSING (with the Debian package to install) otherwise.
   */
  static async create(options: TesseractCliEngineOptions): Promise<TesseractCliEngine> {
    const languages = options.languages.map(assertLanguage);
    const command = options.command ?? "tesseract";
    let listed: RunResult;
    try {
      listed = await run(command, ["--list-langs"], undefined);
    } catch (error) {
      throw new OcrError("RAG_OCR_ENGINE_UNAVAILABLE", `no tesseract binary found ('${command}')`, {
        hint: "Install it (Debian/Ubuntu: `apt-get install tesseract-ocr`), or set ocr.engine: tesseract.js.",
        cause: error,
      });
    }
    const installed = new Set(listed.stdout.split("\n").slice(1).map((l) => l.trim()).filter(Boolean));
    const missing = languages.filter((l) => !installed.has(l));
    if (listed.code !== 0 || missing.length) {
      throw new OcrError("RAG_OCR_LANGUAGE_MISSING", `tesseract ('${command}') lacks OCR language(s) ${missing.join(", ") || languages.join(", ")}`, {
        hint: `Install ${missing.map((l) => `tesseract-ocr-${l.replace("_", "-")}`).join(" ")} (apt-get), or set ocr.engine: tesseract.js.`,
        details: { missing, installed: [...installed] },
      });
    }
    const version = (await run(command, ["--version"], undefined).catch(() => undefined))?.stdout.split("\n")[0]?.trim() ?? "tesseract";
    return new TesseractCliEngine({ ...options, languages }, command, version);
  }

  async recognize(image: GrayImage, options: RecognizeOptions): Promise<OcrPageResult> {
    const slot = await this.#slots.acquire(options.signal);
    try {
      let kill = (): void => undefined;
      const args = ["stdin", "stdout", "-l", this.languages.join("+"), "--dpi", String(Math.round(image.dpi)), "tsv"];
      // The memory cap goes through the shell's ulimit: Node cannot set rlimits on a child.
      const [cmd, argv] = this.#memoryLimitKb
        ? ["/bin/sh", ["-c", 'ulimit -v "$0" && exec "$@"', String(this.#memoryLimitKb), this.#command, ...args]]
        : [this.#command, args];
      const result = await withDeadline(run(cmd, argv as string[], toPgm(image), (k) => (kill = k)), options.timeoutMs, options.signal, () => kill());
      if (result.code !== 0) {
        throw new OcrError("RAG_OCR_PAGE_FAILED", `tesseract exited with code ${result.code} (${result.stderr.trim().split("\n").pop()?.slice(0, 120) ?? ""})`, {
          hint: "The page image may be damaged or over the memory cap (ocr.memoryLimitMb); the rest of the document was kept.",
        });
      }
      return parseTesseractTsv(result.stdout);
    } finally {
      this.#slots.release(slot);
    }
  }

  async dispose(): Promise<void> {
    await this.#slots.dispose();
  }
}
