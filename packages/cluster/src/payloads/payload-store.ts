import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { ByteLru, DisposedError, writeFileAtomic, writeFileAtomicSync, type ContentCipher } from "@bear/core";
import { RawJson, type JsonValue } from "@bear/workflow-engine";
import { ClusterError } from "../errors";
import { payloadKeyCipher, type PayloadKeyCipher } from "./payload-key";
import { workspaceCipher, type WorkspaceCipherOption } from "./workspace-cipher";
import { placeAt, SharedValues, type SharedPart } from "./shared-values";

/**
 * Where a step's parameters or output are: in the job itself (`inline`: in the clear, only where the
 * user allowed it; `sealed`: a small payload encrypted, see FilePayloads), or in a file of the shared workspace.
 */
export type PayloadRef = { readonly inline: JsonValue } | { readonly file: string } | { readonly sealed: string };

/**
 * What a payload was written for: a worker refuses one that belongs to another run, step or matter,
 * or to a job that names another step type, agent, actor or act than the one it was sent as (a job's
 * fields are in the clear in Redis: whoever can write there must not be able to re-attribute a step).
 */
export interface PayloadBinding {
  readonly runId: string;
  readonly key: string;
  readonly attempt: number;
  readonly matter: string | null;
  readonly kind: "input" | "output";
  /** The step type the handler that runs it is chosen by. */
  readonly type: string;
  /** The agent the step names (null: none). */
  readonly agent: string | null;
  /** Who started the run (null: nobody named): the step acts, and is audited, as them. */
  readonly actor: string | null;
  /** Whether it is an API instance's own act (BEAR's internal step types run only then). */
  readonly act: boolean;
}

/** The binding of a step job's payload of `kind`, from the job's fields (sender and worker build it the same way). */
export function stepBinding(
  job: { readonly runId: string; readonly key: string; readonly attempt: number; readonly matter: string | null; readonly type: string; readonly agent?: string | undefined; readonly actor: string | null; readonly act?: true | undefined },
  kind: PayloadBinding["kind"],
): PayloadBinding {
  return { runId: job.runId, key: job.key, attempt: job.attempt, matter: job.matter, kind, type: job.type, agent: job.agent ?? null, actor: job.actor, act: job.act === true };
}

/** Keeps step parameters and outputs for the jobs that refer to them. */
export interface PayloadStore {
  /** True when values travel inside the jobs (through Redis). */
  readonly inline: boolean;
  put(binding: PayloadBinding, value: JsonValue): Promise<PayloadRef>;
  get(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue>;
  /**
   * A step's output for the engine: as `get`, but an output kept in a file comes back as a RawJson
   * (its JSON text, unparsed: the engine passes it on, stores its text, and parses it only if
   * something reads inside it), the file's binding checked without parsing the value.
   */
  getOutput(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue | RawJson>;
  /**
   * Forgets a finished run's payloads. `thorough`: also those this process did not write or read
   * (a run it resumed from another instance); otherwise only the files it knows are removed.
   */
  removeRun(runId: string, options?: { readonly thorough?: boolean }): void;
  /** Zeroises the key material this store made (the cluster's payload key cipher); it seals and opens nothing after. */
  dispose(): void;
}

/**
 * Values inside the jobs: only for an unencrypted workspace whose user allowed document text in
 * Redis (faster; no shared folder needed for payloads). Nothing is sealed, so nothing binds a job:
 * whoever can write to Redis can then make a worker read any matter's documents and act as anyone.
 */
export class InlinePayloads implements PayloadStore {
  readonly inline = true;
  async put(_binding: PayloadBinding, value: JsonValue): Promise<PayloadRef> {
    return { inline: value };
  }
  async get(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue> {
    if (!("inline" in ref)) return new FilePayloadsReader().refuse(binding, "a file or sealed payload reached a worker configured for inline payloads");
    return ref.inline;
  }
  getOutput(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue> {
    return this.get(ref, binding);
  }
  removeRun(): void {
    // nothing is kept outside the jobs
  }
  dispose(): void {
    // holds no key
  }
}

class FilePayloadsReader {
  refuse(binding: PayloadBinding, why: string): never {
    throw new ClusterError("STEP_PAYLOAD_INVALID", `the ${binding.kind} of step '${binding.key}' (run '${binding.runId}', attempt ${binding.attempt}) was refused: ${why}`, {
      hint: "Every worker and API instance must use the same workspace folder and payload setting.",
      retryable: false,
    });
  }
}

/**
 * Values as files in the shared workspace folder (`<dir>/<shard>/<run>+<step>.<attempt>.<kind>.json`,
 * the shard being two hex digits of a hash of the run id), sealed with the workspace's
 * ContentCipher when it is encrypted; jobs carry the file name (small payloads travel sealed inside the job, see below). Each file names the run,
 * step, attempt and matter it was written for, inside the sealed part, so a job cannot point a
 * worker at another matter's data. The 256 shard folders are made once and kept: a folder per run
 * cost a mkdir per run and a recursive delete (several ms of disk here) at its end.
 *
 * A run's large values are written once, not once per step (see SharedValues): a step's parameters
 * refer to the run's long strings (the contract text every review step names) and to earlier
 * steps' outputs by file, and a worker reads each such file once and keeps it (`cacheBytes`).
 *
 * A small payload (its JSON at most `inlineChars`, after the long strings went to their files) is
 * not written at all: it travels inside the job, sealed — with the workspace's cipher when it is
 * encrypted, else with the cluster's payload key (see payloadKeyCipher) — and holds the same
 * binding, checked the same way. Every sealed payload is bound to what it was written for as
 * authenticated data (a job's: run, step, attempt, matter, kind, and the step type, agent, actor and act
 * its job names; a file's: its name and matter, the file holding the whole binding):
 * one altered, or opened for another binding, fails with the cipher's DecryptionError. A file cost the sender a write, a link and a removal and the
 * reader a stat and a read (each a system call, expensive on virtual machines); Redis sees only
 * ciphertext either way.
 */
export class FilePayloads implements PayloadStore {
  readonly inline = false;
  readonly #reader = new FilePayloadsReader();
  /** The workspace's cipher (it is encrypted), or undefined (it is not); throws while an encrypted workspace has none yet. */
  readonly #cipher: (() => ContentCipher) | undefined;
  readonly #keyCipher: PayloadKeyCipher | undefined;
  /** Shard folders this process has made or seen (saves a mkdir per payload). */
  readonly #madeDirs = new Set<string>();
  readonly #shared: SharedValues;
  /** Opened (unsealed) text of shared files and of outputs this process wrote, by file name. */
  readonly #cache: ByteLru<"text", string>;
  /** Per run, the files this process wrote or read (removed without listing a folder). */
  readonly #files = new Map<string, Set<string>>();
  /** Runs whose file names were forgotten (past MAX_TRACKED_RUNS): their removal lists the folder. */
  readonly #forgotten = new Set<string>();
  readonly #inlineChars: number;
  /** Payload files this process has read, and their characters (the cache's hits not counted). */
  readonly reads = { files: 0, chars: 0 };
  /** The cluster's payload key, read (or made) on first use when the workspace has no cipher. */
  #ownKey: ContentCipher | undefined;
  /** Set by dispose: the payload key is not read again. */
  #disposed = false;
  /** The last failure to read the payload key, and when (see KEY_RETRY_MS). */
  #keyFailure: { readonly error: unknown; readonly at: number } | undefined;
  /**
   * `cipher`: the workspace's when it is encrypted, possibly late (a getter, as a workspace binds its
   * cipher after this is made; used before, it refuses). `keyCipher` seals with the cluster's own
   * payload key when it is not (@bear/security's KeyedContentCipher).
   */
  constructor(
    readonly dir: string,
    cipher?: WorkspaceCipherOption,
    options: { readonly cacheBytes?: number; readonly shareValues?: boolean; readonly inlineChars?: number; readonly keyCipher?: PayloadKeyCipher } = {},
  ) {
    this.#cipher = workspaceCipher(cipher);
    this.#keyCipher = options.keyCipher;
    if (!this.#cipher && !this.#keyCipher) {
      throw new ClusterError("WORKSPACE_CIPHER_MISSING", "payloads that travel inside jobs are sealed, but neither the workspace's cipher nor a cipher for the cluster's payload key was given", {
        hint: "Give FilePayloads the encrypted workspace's cipher, or keyCipher (@bear/security's contentCipherFromKey).",
        retryable: false,
      });
    }
    this.#inlineChars = options.inlineChars ?? INLINE_CHARS;
    // least recently used out past the cap; a string counts two bytes a character (UTF-16)
    this.#cache = new ByteLru<"text", string>(options.cacheBytes ?? 64 * 1024 * 1024, undefined, (text) => text.length * 2);
    this.#shared = new SharedValues(options.shareValues ?? true, (binding, text) => this.#sharedString(binding, text));
  }

  /**
   * What seals payloads inside jobs (and a step's streamed text, see StepStreams): the workspace's
   * cipher when it is encrypted, else the cluster's payload key.
   */
  get jobSeal(): ContentCipher {
    if (this.#cipher) return this.#cipher();
    if (this.#ownKey) return this.#ownKey;
    if (this.#disposed) throw new DisposedError("the cluster's payload store");
    // a broken key file is read again at most every KEY_RETRY_MS, not on every payload
    if (this.#keyFailure && Date.now() - this.#keyFailure.at < KEY_RETRY_MS) throw this.#keyFailure.error;
    try {
      return (this.#ownKey = payloadKeyCipher(this.dir, this.#keyCipher!));
    } catch (error) {
      this.#keyFailure = { error, at: Date.now() };
      throw error;
    }
  }

  async put(binding: PayloadBinding, value: JsonValue): Promise<PayloadRef> {
    const text = await this.#text(binding, value);
    if (text.length <= this.#inlineChars) return { sealed: this.jobSeal.seal(text, jobContext(binding)) };
    const name = payloadFileName(binding);
    await this.#write(name, text, binding.matter);
    this.#track(binding.runId, name);
    // the next step on this worker that names this output reads it from here
    if (binding.kind === "output") this.#cache.set(name, text, Infinity, "text");
    return { file: name };
  }

  /** What a payload holds: the binding and the value (an input's long strings referred to). */
  async #text(binding: PayloadBinding, value: JsonValue): Promise<string> {
    const parts: SharedPart[] = [];
    const slim = binding.kind === "input" ? await this.#shared.slim(binding, value, parts) : value;
    // the binding first, its fields in one order: a reader checks an output's by its text (getOutput)
    return JSON.stringify({ binding: canonical(binding), value: slim, ...(parts.length === 0 ? {} : { shared: parts }) });
  }

  /** The run's file holding `text` (content-addressed: any instance writing it writes the same file). */
  async #sharedString(binding: PayloadBinding, text: string): Promise<string> {
    const hash = createHash("sha256").update(text).digest("hex").slice(0, 32);
    const name = `${shardOf(binding.runId)}/${safe(binding.runId)}+=${hash}.json`;
    const shared: SharedBinding = { runId: binding.runId, key: `=${hash}`, attempt: 0, matter: binding.matter, kind: "shared" };
    await this.#write(name, JSON.stringify({ binding: shared, value: text }), binding.matter);
    this.#track(binding.runId, name);
    return name;
  }

  /** Writes `text` (sealed for its name and matter when the workspace is encrypted) under a temporary name and renames it. */
  async #write(name: string, text: string, matter: string | null): Promise<void> {
    const file = path.join(this.dir, name);
    const cipher = this.#cipher?.();
    const body = cipher ? JSON.stringify({ sealed: cipher.seal(text, fileContext(name, matter)), keyId: cipher.keyId }) : text;
    const small = body.length <= SYNC_BYTES;
    await this.#ensureDir(path.dirname(file), small);
    const write = async (): Promise<void> => (small ? writeFileAtomicSync(file, body, PAYLOAD_WRITE) : writeFileAtomic(file, body, PAYLOAD_WRITE));
    try {
      await write();
    } catch (error) {
      // the folder was removed since this process made it (by hand, or a clean-up): make it again
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await this.#ensureDir(path.dirname(file), small, true);
      await write();
    }
  }

  /** The shard's folder (made synchronously beside a small payload, for the reason SYNC_BYTES gives). */
  async #ensureDir(dir: string, sync: boolean, again = false): Promise<void> {
    if (!again && this.#madeDirs.has(dir)) return;
    if (sync) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    else await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    this.#madeDirs.add(dir);
  }

  async get(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue> {
    if ("inline" in ref) {
      if (this.#cipher) this.#reader.refuse(binding, "the workspace is encrypted, and document text may not travel inside jobs");
      // an unsealed payload binds nothing: a job forged in Redis could carry any parameters as anyone
      return this.#reader.refuse(binding, "it travelled in the clear, but this node seals its payloads (inline payloads are on for the sender only)");
    }
    return this.#value("sealed" in ref ? this.#unsealJob(ref.sealed, binding) : await this.#open(this.#confine(ref.file, binding), binding), ref, binding);
  }

  /**
   * An output file's value is not parsed (its 0.1-0.3 MB of JSON, and the objects it made for the
   * collector, were most of the API's CPU per remote step): its text is checked to begin with the
   * file's binding as the writer puts it (#text) — the same run, step, attempt, matter, kind, type, agent, actor and act a
   * parse would check — and the rest is the value's JSON. A file written otherwise (another
   * writer's key order) is parsed as before. A small output, sealed inside its job, is parsed.
   */
  async getOutput(ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue | RawJson> {
    if (binding.kind !== "output" || !("file" in ref)) return this.get(ref, binding);
    const text = await this.#open(this.#confine(ref.file, binding), binding);
    const head = outputHead(binding);
    if (!text.startsWith(head) || !text.endsWith("}")) return this.#value(text, ref, binding);
    const raw = new RawJson(text.slice(head.length, -1), `the output of step '${binding.key}' (run '${binding.runId}')`);
    // later steps given this output refer to its file, as for a parsed one
    this.#shared.rememberOutput(raw, binding.runId, ref.file);
    this.#track(binding.runId, ref.file);
    return raw;
  }

  /** The value of a payload's opened text, its binding checked. */
  async #value(text: string, ref: PayloadRef, binding: PayloadBinding): Promise<JsonValue> {
    const stored = this.#parse(text, binding);
    const b = stored.binding ?? {};
    if (b.matter !== binding.matter) throw matterMismatch(binding);
    if (b.runId !== binding.runId || b.key !== binding.key || b.attempt !== binding.attempt || b.kind !== binding.kind) this.#reader.refuse(binding, "it was written for another run, step or attempt");
    if (b.type !== binding.type || b.agent !== binding.agent || b.actor !== binding.actor || b.act !== binding.act) this.#reader.refuse(binding, "it was written for another step type, agent, actor or act than its job names");
    const value = stored.value ?? null;
    // an output the engine may pass on to later steps: they refer to this file instead of copying it
    if (binding.kind === "output" && "file" in ref) {
      this.#shared.rememberOutput(value, binding.runId, ref.file);
      this.#track(binding.runId, ref.file);
    }
    if (stored.shared === undefined) return value;
    return this.#fillShared(value, stored.shared, binding);
  }

  /** Puts the run's shared values back where the step's parameters had them. */
  async #fillShared(value: JsonValue, parts: unknown, binding: PayloadBinding): Promise<JsonValue> {
    if (!Array.isArray(parts)) return this.#reader.refuse(binding, "its shared values are not a list");
    let root = value;
    for (const part of parts as unknown[]) {
      const { path: at, file } = (part ?? {}) as { path?: unknown; file?: unknown };
      if (!Array.isArray(at) || !at.every((s) => typeof s === "string" || typeof s === "number") || typeof file !== "string") this.#reader.refuse(binding, "a shared value's reference is malformed");
      const shared = this.#parse(await this.#openShared(file as string, binding), binding);
      const b = shared.binding ?? {};
      if (b.matter !== binding.matter) throw matterMismatch(binding);
      if (b.runId !== binding.runId || (b.kind !== "shared" && b.kind !== "output")) this.#reader.refuse(binding, "a value it refers to was written for another run");
      root = placeAt(root, at as Array<string | number>, shared.value ?? null, () => this.#reader.refuse(binding, "a shared value's place does not exist"));
    }
    return root;
  }

  /** A file of the run holding a shared value or an earlier step's output (kept after the first read). */
  async #openShared(name: string, binding: PayloadBinding): Promise<string> {
    if (!SHARED_FILE.test(name) || !name.startsWith(`${shardOf(binding.runId)}/${safe(binding.runId)}+`)) this.#reader.refuse(binding, `a shared value's file '${name.slice(0, 80)}' is not one of this run's`);
    const cached = this.#cache.get(name, 0); // entries never expire: a file's text never changes
    if (cached && "value" in cached) return cached.value;
    const text = await this.#open(name, binding);
    this.#cache.set(name, text, Infinity, "text");
    return text;
  }

  /** The text of a payload sealed inside its job (the cipher's DecryptionError when altered, or sealed for another binding or key). */
  #unsealJob(sealed: string, binding: PayloadBinding): string {
    return this.jobSeal.open(sealed, jobContext(binding));
  }

  /** The unsealed text of the payload file `name` (the cipher's DecryptionError when altered, or sealed for another name, matter or key). */
  async #open(name: string, binding: PayloadBinding): Promise<string> {
    const file = path.join(this.dir, name);
    let text: string;
    try {
      text = fs.statSync(file).size <= SYNC_BYTES ? fs.readFileSync(file, "utf8") : await fs.promises.readFile(file, "utf8");
      this.reads.files++;
      this.reads.chars += text.length;
    } catch (error) {
      throw new ClusterError("STEP_PAYLOAD_INVALID", `the ${binding.kind} of step '${binding.key}' (run '${binding.runId}') is missing from the shared folder (${(error as NodeJS.ErrnoException).code ?? "error"})`, {
        hint: "Workers must see the workspace folder the API instances write to (the same path, or a shared mount).",
        cause: error,
      });
    }
    const cipher = this.#cipher?.();
    if (!cipher) return text;
    let outer: { sealed?: unknown };
    try {
      outer = JSON.parse(text) as { sealed?: unknown };
    } catch {
      return this.#reader.refuse(binding, "it is not sealed, yet the workspace is encrypted");
    }
    if (typeof outer.sealed !== "string") this.#reader.refuse(binding, "it is not sealed, yet the workspace is encrypted");
    return cipher.open(outer.sealed as string, fileContext(name, binding.matter));
  }

  #parse(text: string, binding: PayloadBinding): StoredPayload {
    try {
      const stored = JSON.parse(text) as unknown;
      if (typeof stored === "object" && stored !== null && !Array.isArray(stored)) return stored as StoredPayload;
    } catch {
      // below
    }
    return this.#reader.refuse(binding, "it cannot be opened with this workspace's key");
  }

  #track(runId: string, name: string): void {
    let names = this.#files.get(runId);
    if (!names) {
      names = new Set();
      this.#files.set(runId, names);
      // a worker never removes runs: it keeps the names of the last runs only
      if (this.#files.size > MAX_TRACKED_RUNS) {
        const oldest = this.#files.keys().next().value!;
        this.#files.delete(oldest);
        this.#forgotten.add(oldest);
        if (this.#forgotten.size > MAX_TRACKED_RUNS) this.#forgotten.delete(this.#forgotten.keys().next().value!);
      }
    }
    names.add(name);
  }

  removeRun(runId: string, options: { readonly thorough?: boolean } = {}): void {
    this.#shared.forgetRun(runId);
    const known = this.#files.get(runId);
    this.#files.delete(runId);
    if (!options.thorough && !this.#forgotten.delete(runId)) {
      // a run whose payloads all travelled inside its jobs has no file here
      if (!known) return;
      // synchronous, like the small writes (see SYNC_BYTES): an unlink costs the kernel some µs, and
      // through the thread pool each one cost this process ~0.25 ms of CPU (a no-op step 0.5 ms more)
      for (const name of known) {
        try {
          fs.unlinkSync(path.join(this.dir, name));
        } catch {
          // gone already (another instance's clean-up)
        }
      }
      return;
    }
    // in the background: the run's completion (and the next run) need not wait for the listing
    const shard = path.join(this.dir, shardOf(runId));
    const prefix = `${safe(runId)}+`;
    fs.readdir(shard, (error, names) => {
      if (error) return;
      for (const name of names) if (name.startsWith(prefix)) fs.unlink(path.join(shard, name), () => undefined);
    });
  }

  /**
   * Zeroises the cipher of the cluster's payload key, if this process made one (its derived keys
   * stay in memory otherwise); the workspace's own cipher is the workspace's to dispose. Payloads
   * inside jobs are neither sealed nor opened after this (DisposedError).
   */
  dispose(): void {
    this.#disposed = true;
    const own = this.#ownKey as Partial<Disposable> | undefined;
    this.#ownKey = undefined;
    own?.[Symbol.dispose]?.();
  }

  /** The file name of a job's reference, which must be the one this binding would have written. */
  #confine(name: string, binding: PayloadBinding): string {
    const expected = payloadFileName(binding);
    if (name !== expected) this.#reader.refuse(binding, `its file '${name.slice(0, 80)}' is not the one for this step`);
    return expected;
  }
}

/** What a payload file holds (once opened). */
interface StoredPayload {
  readonly binding?: Partial<Omit<PayloadBinding, "kind">> & { readonly kind?: string };
  readonly value?: JsonValue;
  /** Parts of `value` kept in files of their own (the run's long strings, earlier steps' outputs). */
  readonly shared?: unknown;
}

/** A shared value's own file: written for the run and matter, under the key `=<hash>` (any step of the run may refer to it). */
interface SharedBinding extends Pick<PayloadBinding, "runId" | "key" | "attempt" | "matter"> {
  readonly kind: "shared";
}

/** Runs whose file names a FilePayloads keeps (past it the oldest are forgotten; their removal lists the folder). */
const MAX_TRACKED_RUNS = 1_024;

/** `<shard>/<run>+=<hash>.json` (a shared string) or `<shard>/<run>+<step>.<attempt>.output.json`. */
const SHARED_FILE = /^[0-9a-f]{2}\/[A-Za-z0-9_.-]+\+(?:=[0-9a-f]{32}|[A-Za-z0-9_.-]+\.[0-9]+\.output)\.json$/;

/** A binding's fields in the order a payload's text holds them. */
function canonical(b: PayloadBinding): PayloadBinding {
  return { runId: b.runId, key: b.key, attempt: b.attempt, matter: b.matter, kind: b.kind, type: b.type, agent: b.agent, actor: b.actor, act: b.act };
}

/** How an output payload's text written for `binding` begins: `{"binding":{…},"value":` (its value's JSON and `}` follow). */
function outputHead(binding: PayloadBinding): string {
  return `{"binding":${JSON.stringify(canonical(binding))},"value":`;
}

/** What a payload inside a job is sealed for (authenticated data): its whole binding. */
function jobContext(b: PayloadBinding): string {
  return `bear:payload:${JSON.stringify([b.runId, b.key, b.attempt, b.matter, b.kind, b.type, b.agent, b.actor, b.act])}`;
}

/** What a payload file is sealed for: its name (run, step, attempt, kind, or a shared value's hash) and matter. */
function fileContext(name: string, matter: string | null): string {
  return `bear:payload-file:${JSON.stringify([name, matter])}`;
}

function matterMismatch(binding: PayloadBinding): ClusterError {
  return new ClusterError("STEP_MATTER_MISMATCH", `step '${binding.key}' of run '${binding.runId}' was sent for matter '${binding.matter ?? "(none)"}', but its ${binding.kind} was written for another matter`, {
    hint: "A job was altered or misrouted; nothing was run.",
    retryable: false,
  });
}

/**
 * Payloads up to this size are written and read with synchronous calls: each asynchronous file call
 * is a thread-pool round trip (about 0.1–0.2 ms here, four or five of them per payload) that costs
 * more than the write or read itself. A review's outputs (10–150 kB) and a contract's text (~100 kB)
 * are under it: a file of this process's page cache is read in ~0.15 ms of CPU synchronously against
 * ~0.25–0.32 through the pool, and 100 kB written in ~0.17 ms against ~0.35–0.41 (same run, 1,500 of
 * each). Larger payloads (a long document) stay asynchronous so the event loop never waits long on one.
 */
const SYNC_BYTES = 512 * 1024;

/**
 * Payloads whose JSON is at most this long travel sealed inside their jobs (a step's ids and
 * options, a small output); Redis keeps a finished job for `keepFinishedSeconds`, so larger ones
 * (a clause list, a report) stay files.
 */
const INLINE_CHARS = 4_096;
/** How long a failure to read the payload key (a broken key file) is repeated before the file is read again (ms). */
const KEY_RETRY_MS = 5_000;

/**
 * Written under a temporary name and renamed, so a reader never sees half a file. Not fsynced (as before): a payload
 * is written on every step's path, where an fsync costs milliseconds against a step goal of 2 ms; one lost in a power
 * cut fails its step when read, as a lost job does.
 */
const PAYLOAD_WRITE = { mode: 0o600, durable: false } as const;

/** `<shard>/<run>+<step>.<attempt>.<kind>.json`: '+' never occurs in a safe() name, so a run's files share a prefix no other run's have. */
function payloadFileName(binding: PayloadBinding): string {
  return `${shardOf(binding.runId)}/${safe(binding.runId)}+${safe(binding.key)}.${binding.attempt}.${binding.kind}.json`;
}

/** Two hex digits of an FNV-1a hash of the run id: a run's files sit in one of 256 folders. */
function shardOf(runId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 0x01000193);
  return ((h >>> 0) & 0xff).toString(16).padStart(2, "0");
}

/** A file-name-safe form of a run id or step key (ids are already restricted; '[i]' becomes '_i_'). */
function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, "_");
}
