import path from "node:path";
import { BearError, isMatterId, isOfflineEnforced, MATTER_ID_RULE, suggestMatterId, type BearConfig } from "@bear/core";
import { checkRedis, parseRedisUrl } from "@bear/cluster";
import { pluginContainment } from "@bear/plugins";
import { describeOcr, ocrConfigSchema, pdfContainment, type DocumentRecord } from "@bear/rag";
import { auditScreenFinding } from "@bear/security";
import { WorkspaceFolder } from "../folder/workspace-folder";
import { withModelManager } from "../models/inspect-models";
import { discoverWorkspacePlugins, setAsidePlugins, type SetAsidePlugin } from "../plugins/workspace-plugins";
import type { Workspace } from "../workspace";

/** One finding of `diagnoseWorkspace`: an area, how it stands, and what to do about it. */
export interface HealthCheck {
  readonly area: string;
  readonly level: "ok" | "warn" | "fail";
  readonly summary: string;
  /** What to do about it (warn / fail). */
  readonly fix?: string;
  readonly details?: Record<string, unknown>;
}

export interface DiagnoseOptions {
  readonly config: BearConfig;
  /**
   * Whether an encrypted workspace's keys can be unsealed now (a passphrase was given or can be
   * asked for); when not, its index and audit checks are skipped with a warning.
   */
  readonly canUnseal: boolean;
  /** The cluster's Redis URL (`--redis` / BEAR_REDIS_URL), checked with `cache.redisUrl` under area "redis". */
  readonly redisUrl?: string;
  /** Opens the workspace the front door's way (its passphrase prompt, its logger), runs `fn`, disposes it. */
  readonly withWorkspace: <T>(fn: (workspace: Workspace) => Promise<T>) => Promise<T>;
}

/**
 * Everything `bear doctor` checks about this machine and this workspace (Node, the offline guard,
 * other writers, folders and free space, index, audit chain, models, OCR, plugins and their
 * sandbox), each with what to fix. Reads the workspace only through its own API.
 */
export async function diagnoseWorkspace(options: DiagnoseOptions): Promise<HealthCheck[]> {
  const folder = WorkspaceFolder.at(options.config.dataDir);
  return [
    ...runtimeChecks(options.config),
    ...busyChecks(folder, options.config),
    ...(await redisChecks([options.redisUrl, options.config.cache.redisUrl])),
    ...(await workspaceChecks(folder, options)),
    ...(await modelChecks(folder, options.config)),
    await ocrCheck(options.config),
    pdfReaderCheck(),
    ...(await pluginChecks(folder, options.config)),
  ];
}

/** Each Redis server's settings as `checkRedis` reads them (see @bear/cluster's README, "Redis server settings"). */
async function redisChecks(urls: readonly (string | undefined)[]): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  for (const url of new Set(urls.filter((u): u is string => u !== undefined))) {
    try {
      const endpoint = parseRedisUrl(url);
      const { version, server, warnings } = await checkRedis(endpoint, 2_000);
      const shown = (v: unknown): string => (v === "unknown" ? "unknown (CONFIG not allowed)" : Array.isArray(v) ? v.join(" ") : v === true ? "yes" : v === false ? "no" : String(v));
      checks.push({
        area: "redis",
        level: warnings.length ? "warn" : "ok",
        summary: `${endpoint.display}: Redis ${version}, appendonly ${shown(server.appendOnly)}, appendfsync ${shown(server.appendFsync)}, bind ${shown(server.bind)}, clients without a password refused${server.acceptsUnauthenticated === "unknown" ? " (not proven)" : ""}`,
        ...(warnings.length ? { fix: warnings.map((w) => w.message).join("; ") } : {}),
        details: { ...server },
      });
    } catch (error) {
      checks.push({ area: "redis", level: "fail", summary: BearError.isInstance(error) ? error.message : String(error), fix: BearError.isInstance(error) && error.hint ? error.hint : "Check the Redis URL and that Redis runs." });
    }
  }
  return checks;
}

function runtimeChecks(config: BearConfig): HealthCheck[] {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const enforced = isOfflineEnforced();
  return [
    major > 20 || (major === 20 && minor >= 19)
      ? { area: "node", level: "ok", summary: `Node ${process.versions.node}` }
      : { area: "node", level: "fail", summary: `Node ${process.versions.node} is too old`, fix: "Install Node 20.19 or newer." },
    enforced && config.offline.enforce
      ? { area: "offline", level: "ok", summary: "offline guard on: only loopback connections; `bear models pull` is the one explicit exception", details: { enforced, configured: true } }
      : { area: "offline", level: "warn", summary: `offline guard ${enforced ? "on" : "off"} (offline.enforce = ${config.offline.enforce})`, fix: "Set offline.enforce: true so nothing can leave this machine.", details: { enforced, configured: config.offline.enforce } },
  ];
}

/**
 * Which other processes are writing to the workspace right now (a `bear serve`, a `bear ingest`, a
 * `bear workflow run`): what makes another command wait or say "busy". Advice, never a failure.
 */
function busyChecks(folder: WorkspaceFolder, config: BearConfig): HealthCheck[] {
  const writers = folder.writers(config);
  const held = [
    { what: "document index", holder: writers.index, waits: "an ingest or upload waits for it" },
    { what: "workflow database", holder: writers.workflows, waits: "`bear workflow run` and the server's workflows wait for it" },
  ].flatMap((lock) => (lock.holder === undefined ? [] : [{ ...lock, holder: lock.holder }]));
  const instances: HealthCheck[] = writers.instances.map((i) => ({
    area: "processes",
    level: "ok",
    summary: `cluster instance ${i.host}:${i.pid} has the workflow database open (a standalone \`bear serve\` is refused until it stops)`,
    details: { host: i.host, pid: i.pid, seenAt: new Date(i.at).toISOString() },
  }));
  if (held.length + instances.length === 0) return [{ area: "processes", level: "ok", summary: "no other process is writing to this workspace" }];
  return [...held.map((lock) => ({ area: "processes", level: "ok" as const, summary: `the ${lock.what} is in use by process ${lock.holder} (${lock.waits})`, details: { lock: lock.what, holder: lock.holder } })), ...instances];
}

async function workspaceChecks(folder: WorkspaceFolder, options: DiagnoseOptions): Promise<HealthCheck[]> {
  const manifest = folder.manifest();
  const root = folder.layout.root;
  if (!manifest) return [{ area: "workspace", level: "warn", summary: `no workspace in ${root}`, fix: "Run `bear init` (add --encrypt to seal the keys under a passphrase)." }];
  const { lax, freeBytes: free } = folder.inspect();
  const low = free !== undefined && free < 1024 ** 3;
  const checks: HealthCheck[] = [
    {
      area: "workspace",
      level: lax.length ? "fail" : low ? "warn" : "ok",
      summary: `${root} (${manifest.encryption ? "keys sealed under a passphrase" : "keys not encrypted"}${free === undefined ? "" : `, ${formatBytes(free)} free`})`,
      ...(lax.length ? { fix: `Folders readable by others or missing: ${lax.join(", ")}; run \`chmod 700\` on them (or \`bear init\` in a new folder).` } : low ? { fix: "Less than 1 GB free: indexes and models need room." } : {}),
      details: { encrypted: manifest.encryption !== null, createdAt: manifest.createdAt, freeBytes: free },
    },
  ];
  if (manifest.encryption && !options.canUnseal) {
    checks.push({ area: "index", level: "warn", summary: "not checked: the workspace is encrypted and no passphrase was given", fix: "Set BEAR_PASSPHRASE to check the index and audit log too." });
    return checks;
  }
  try {
    await options.withWorkspace(async (workspace) => {
      const rag = await workspace.rag();
      const documents = rag.documents();
      const chunks = await rag.countChunks();
      checks.push({
        area: "index",
        level: documents.length ? "ok" : "warn",
        summary: `${documents.length} document(s), ${chunks} chunk(s); search ${workspace.embedderId ? options.config.rag.searchMode : "lexical (no embedding model)"}`,
        ...(documents.length ? {} : { fix: "Nothing ingested yet: `bear ingest <folder>`." }),
        details: { documents: documents.length, chunks },
      });
      checks.push(matterIdCheck(documents));
      if (workspace.encrypted) checks.push(clearUploadsCheck(workspace.uploadsInClear()));
      const cache = await workspace.cacheStats();
      checks.push({
        area: "cache",
        level: cache.l2?.error ? "warn" : "ok",
        summary: cacheSummary(cache),
        ...(cache.l2?.error ? { fix: `L2 (${cache.l2.backend}) is unreachable: check cache.redisUrl and that Redis runs; until then nothing is shared between instances.` } : {}),
        details: { ...cache },
      });
      const audit = await workspace.auditLog().verify();
      checks.push(
        audit.ok
          ? { area: "audit", level: "ok", summary: `audit log intact (${audit.records} records)` }
          : { area: "audit", level: "fail", summary: `audit log fails verification (${audit.problems.length} problems)`, fix: "Run `bear audit verify` for details and restore the audit folder from a backup." },
      );
      checks.push(auditableIdsCheck(documents, workspace.access().list()));
    });
  } catch (error) {
    checks.push({ area: "index", level: "fail", summary: `cannot open the workspace: ${BearError.isInstance(error) ? error.message : String(error)}`, fix: BearError.isInstance(error) && error.hint ? error.hint : "See the error above." });
  }
  return checks;
}

/**
 * Matters of indexed documents that an older release accepted but the one matter-id rule refuses
 * (spaces, ':', '/', accents, over 64 characters): admins still search, read and delete those
 * documents, but no user can be granted the matter and nothing new can be ingested or uploaded to it.
 */
export function matterIdCheck(documents: readonly Pick<DocumentRecord, "matter">[]): HealthCheck {
  const count = new Map<string, number>();
  for (const d of documents) if (!isMatterId(d.matter)) count.set(d.matter, (count.get(d.matter) ?? 0) + 1);
  if (count.size === 0) return { area: "matters", level: "ok", summary: "every document's matter id follows the rule" };
  const renames = [...count].map(([matter, documents]) => ({ matter, documents, suggested: suggestMatterId(matter) }));
  const shown = renames.slice(0, 5).map((r) => `${JSON.stringify(r.matter)} (${r.documents} document(s)) -> '${r.suggested}'`);
  return {
    area: "matters",
    level: "warn",
    summary: `${count.size} matter id(s) of indexed documents do not follow the rule (${MATTER_ID_RULE}): ${shown.join(", ")}${renames.length > shown.length ? `, and ${renames.length - shown.length} more` : ""}`,
    fix:
      "Admins still search, read and delete these documents, but no user can be granted such a matter and nothing new can be ingested under it. " +
      "To rename one, ingest its files again under the suggested id (`bear ingest --matter <new-id> <files>`), then delete the old copies: `bear documents delete --matter \"<old id>\" --yes` (or, as an admin, DELETE /api/v1/documents/<id>).",
    details: { renames },
  };
}

/**
 * Matter and principal ids that read as personal data to the audit log's screen ("lease-192.168.1.20"
 * reads as an IP address): created before such ids were refused. They are still recorded as they are
 * (ids, not text), but they leak what they look like into every record, so a rename is advised.
 */
export function auditableIdsCheck(documents: readonly Pick<DocumentRecord, "matter">[], principals: readonly { readonly id: string; readonly matters: readonly string[] }[]): HealthCheck {
  const found: string[] = [];
  const matters = new Set([...documents.map((d) => d.matter), ...principals.flatMap((p) => p.matters)]);
  for (const m of matters) {
    const finding = auditScreenFinding(m);
    if (finding !== undefined) found.push(`matter '${m}' (${finding})`);
  }
  for (const p of principals) {
    const finding = auditScreenFinding(p.id);
    if (finding !== undefined) found.push(`principal '${p.id}' (${finding})`);
  }
  if (found.length === 0) return { area: "ids", level: "ok", summary: "no matter or principal id reads as personal data" };
  return {
    area: "ids",
    level: "warn",
    summary: `${found.length} id(s) read as personal data to the audit log: ${found.slice(0, 5).join(", ")}${found.length > 5 ? `, and ${found.length - 5} more` : ""}`,
    fix: "New ids like these are refused. Rename them: a principal with `bear users add` under a new id and `bear users revoke` of the old; a matter by ingesting its files again under a new id, then `bear documents delete --matter \"<old id>\" --yes`.",
    details: { ids: found.length },
  };
}

/** Originals in clear in an encrypted workspace's uploads folder (opening the workspace no longer reads every upload to find them). */
function clearUploadsCheck(files: readonly string[]): HealthCheck {
  if (files.length === 0) return { area: "uploads", level: "ok", summary: "every stored original is sealed" };
  return {
    area: "uploads",
    level: "warn",
    summary: `${files.length} file(s) in clear in the uploads folder of an encrypted workspace: ${files.slice(0, 5).join(", ")}${files.length > 5 ? ", …" : ""}`,
    fix: "Remove them, or upload them again through the server (POST /api/v1/documents), which stores them sealed.",
    details: { files: files.length },
  };
}

async function modelChecks(folder: WorkspaceFolder, config: BearConfig): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  const modelDirs = folder.modelDirs(config);
  try {
    await withModelManager(config, modelDirs, async (manager) => {
      const hw = await manager.hardware();
      const small = hw.totalMemoryBytes < 4 * 1024 ** 3;
      checks.push({
        area: "hardware",
        level: small ? "warn" : "ok",
        summary: `${hw.usableCores} usable core(s) of ${hw.logicalCpus}, ${formatBytes(hw.totalMemoryBytes)} RAM (${formatBytes(hw.freeMemoryBytes)} free), GPU ${hw.gpu.type || "none"}${hw.simd.length ? `, ${hw.simd.join(" ")}` : ""}`,
        ...(small ? { fix: "Under 4 GB of RAM: use small quantized models (1-3B parameters, Q4)." } : {}),
        details: { ...hw },
      });
      const report = await manager.scan();
      const models = manager.list();
      const llm = folder.llmId(config);
      const usable = models.filter((m) => m.status !== "error");
      checks.push({
        area: "models",
        level: report.errors.length ? "warn" : "ok",
        summary: `${usable.length} usable model file(s)${report.errors.length ? `, ${report.errors.length} unusable` : ""} in ${modelDirs.join(", ")}`,
        ...(report.errors.length ? { fix: report.errors.map((e) => e.message).join("; ") } : {}),
        details: { models: models.map((m) => ({ id: m.id, status: m.status, kind: m.info?.kind })) },
      });
      if (llm && !models.some((m) => m.id === llm)) {
        checks.push({ area: "llm", level: "fail", summary: `the configured model '${llm}' is not in any model folder`, fix: `Put ${llm}.gguf in a models folder, \`bear models pull\` it, or change models.llm.` });
      } else if (llm) {
        checks.push({ area: "llm", level: "ok", summary: `answers written by ${llm}` });
      } else {
        const available = usable.some((m) => m.info?.kind === "causal");
        checks.push({ area: "llm", level: "ok", summary: "no model configured: extractive answers (quoted sentences), which need none", ...(available ? { fix: "A model is available: `bear models load <id>` to have answers written by it." } : {}) });
      }
    });
  } catch (error) {
    checks.push({ area: "models", level: "warn", summary: `cannot inspect models: ${BearError.isInstance(error) ? error.message : String(error)}`, fix: "Check the model folders (models.dirs)." });
  }
  return checks;
}

/** Which OCR engine ingest will use for scanned pages (`ocr.engine`), or why none can start. */
async function ocrCheck(config: BearConfig): Promise<HealthCheck> {
  const status = await describeOcr(ocrConfigSchema.parse(config.ocr));
  const details = { ...status };
  if (!status.enabled) return { area: "ocr", level: "warn", summary: "OCR off: scanned PDFs and images are refused", fix: "Set ocr.enabled: true.", details };
  if (status.error) return { area: "ocr", level: "fail", summary: `OCR (${config.ocr.engine}) cannot start: ${status.error.message}`, fix: status.error.hint ?? "Run `npm ci`.", details };
  const faster = status.engine === "tesseract.js" && config.ocr.engine === "auto" ? " (apt-get install tesseract-ocr reads a page with ~1.5x less CPU)" : "";
  return { area: "ocr", level: "ok", summary: `OCR ${status.engine} ${status.version ?? ""}, languages ${status.languages.join("+")}, ${status.workers} worker(s)${faster}`, details };
}

/** How uploaded PDFs (and other parsed files) are contained: reader processes under an address-space cap, or only a heap cap. */
function pdfReaderCheck(): HealthCheck {
  const readers = pdfContainment();
  return {
    area: "pdf-readers",
    level: readers.addressSpaceLimit ? "ok" : "warn",
    summary: readers.summary,
    ...(readers.addressSpaceLimit ? {} : { fix: "Install util-linux's prlimit (apt-get install util-linux) so a hostile upload's decoders cannot take more memory than the cap; see the rag README." }),
    details: { ...readers },
  };
}

async function pluginChecks(folder: WorkspaceFolder, config: BearConfig): Promise<HealthCheck[]> {
  const sandbox = pluginContainment();
  const full = sandbox.level === "full";
  const sandboxCheck: HealthCheck = {
    area: "sandbox",
    level: full ? "ok" : "warn",
    summary: sandbox.summary,
    ...(full
      ? {}
      : {
          fix: sandbox.networkNamespace
            ? "Install Debian's bubblewrap (apt-get install bubblewrap) so each plugin also gets its own mount namespace; see the plugins README."
            : "Allow unprivileged user namespaces (or run as root) and install bubblewrap (or util-linux unshare) and prlimit; see the plugins README.",
        }),
    details: { ...sandbox },
  };
  const leftovers = setAsidePlugins(folder.paths);
  const leftoverChecks = leftovers.length ? [setAsidePluginsCheck(leftovers, folder.paths.plugins)] : [];
  try {
    const found = await discoverWorkspacePlugins(folder.paths, config);
    const refused = found.problems.length;
    return [{ area: "plugins", level: refused ? "warn" : "ok", summary: `${found.valid} valid plugin(s)${refused ? `, ${refused} refused` : ""}`, ...(refused ? { fix: found.problems.join("; ") } : {}) }, ...leftoverChecks, sandboxCheck];
  } catch (error) {
    return [{ area: "plugins", level: "warn", summary: `cannot scan plugin folders: ${String(error)}` }, ...leftoverChecks, sandboxCheck];
  }
}

/**
 * Plugin versions an interrupted `plugins install --force` left in tmp/: harmless copies when the
 * plugin is installed, the only copy when it is not (the crash came between setting the old version
 * aside and installing the new one). Nothing removes or restores them on its own.
 */
export function setAsidePluginsCheck(leftovers: readonly SetAsidePlugin[], pluginsDir: string): HealthCheck {
  const shown = leftovers.map((l) => `${l.folder} (${l.plugin}${l.version ? ` ${l.version}` : ""}${l.installed ? "" : ", not installed: the only copy"})`);
  const fixes = leftovers.map((l) => (l.installed ? `rm -r '${l.folder}'` : `mv '${l.folder}' '${path.join(pluginsDir, l.plugin)}' (to restore it; or rm -r it)`));
  return {
    area: "plugins",
    level: "warn",
    summary: `${leftovers.length} plugin version(s) set aside by an interrupted \`bear plugins install --force\`: ${shown.join(", ")}`,
    fix: `Unless an install is running now: ${fixes.join("; ")}.`,
    details: { setAside: leftovers.map((l) => ({ ...l })) },
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** One line on the cache: where L2 lives and the hit rate over every process's lookups. */
function cacheSummary(stats: Awaited<ReturnType<Workspace["cacheStats"]>>): string {
  const l2 = stats.l2;
  const mib = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  const where = !l2
    ? "memory only"
    : l2.error
      ? `${l2.backend} L2 unreachable (${l2.error})`
      : `${l2.backend} L2${l2.sealed ? " (sealed)" : ""}: ${l2.entries ?? "?"} entries${l2.bytes === undefined ? "" : `, ${mib(l2.bytes)}`}`;
  const totals = Object.values(stats.lifetime ?? stats.kinds);
  const hits = totals.reduce((n, k) => n + k.l1Hits + k.l2Hits, 0);
  const lookups = hits + totals.reduce((n, k) => n + k.misses, 0);
  return `${where}; L1 ${mib(stats.l1.maxBytes)} cap; ${lookups ? `${Math.round((100 * hits) / lookups)}% hits of ${lookups} lookups` : "no lookups yet"}${stats.lifetime ? " (all processes)" : ""}`;
}
