import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as Yaml from "yaml";
import { z } from "zod";
import { loadOnFirstUse } from "../modules/load-on-first-use";
import { ConfigError } from "../errors/core-errors";
import { formatValue } from "../errors/core-errors";
import { redactRedisUrl } from "./redis-url";
import { defaultDataDir } from "../workspace/workspace-layout";
import { bearConfigSchema, defaultBearConfig, type BearConfig } from "./bear-config";

const loadYaml = loadOnFirstUse<typeof Yaml>("yaml");

type Plain = Record<string, unknown>;

/** Deep-partial config, as a file, the environment or a caller may give it. */
export type BearConfigInput = { [K in keyof BearConfig]?: BearConfig[K] extends object ? Partial<BearConfig[K]> : BearConfig[K] };

export interface LoadBearConfigOptions {
  /** Environment to read BEAR_* variables from. The apps pass process.env; nothing is read implicitly. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where to look for bear.config.yaml / bear.config.json. Default: process.cwd(). */
  readonly cwd?: string;
  /** Home directory for ~/.bear/config.yaml and the default data dir. Default: os.homedir(). */
  readonly home?: string;
  /** Highest-precedence values, e.g. from command-line flags. */
  readonly overrides?: BearConfigInput;
}

export interface LoadedBearConfig {
  readonly config: BearConfig;
  /** Which layer set each leaf setting: "default", a file path, "env BEAR_X" or "override". */
  readonly sources: Readonly<Record<string, string>>;
  /** Config files that were read, lowest precedence first. */
  readonly files: readonly string[];
  /** Non-fatal remarks, e.g. a BEAR_* variable that names no setting. */
  readonly warnings: readonly string[];
  /** Settings a folder's bear.config file held that only the user may set (see FOLDER_CONFIG_RESERVED): not applied. */
  readonly ignoredFolderSettings: readonly { readonly file: string; readonly settings: readonly string[] }[];
}

export const WORKSPACE_CONFIG_FILES = ["bear.config.yaml", "bear.config.yml", "bear.config.json"] as const;

/**
 * Settings a folder's `bear.config.*` may not set, because the folder a user runs `bear` in may have come with the
 * documents in it (a client's data room, a synced share, a cloned repository): where data is written (`dataDir`),
 * the offline guard, which code runs (`plugins`, `models.dirs`: model files are parsed by native code), where cached
 * results go (`cache.redisUrl`), how long run history is kept (`workflows.retentionDays`: runs past it are deleted). `security` settings may only be made stricter there (`true`). Only the user's own
 * file, BEAR_* variables and flags set them.
 */
export const FOLDER_CONFIG_RESERVED: readonly string[] = ["dataDir", "offline", "plugins", "models.dirs", "cache.redisUrl", "workflows.retentionDays"];
const FOLDER_CONFIG_STRICTER_ONLY = "security";

/** Settings holding a Redis URL (cache.redisUrl, a cluster's URL): their value is never shown in an error, by name. */
const REDIS_URL_SETTING = /redis/i;

const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Leaf paths of the schema with the kind of value each expects (for BEAR_* parsing). */
type LeafKind = "string" | "number" | "boolean" | "string[]" | "enum";

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
  // .refine() on an object keeps the object as the schema in zod 4; fall back to its def.
  const inner = (s as unknown as { _zod?: { def?: { in?: z.ZodType; innerType?: z.ZodType } } })._zod?.def;
  const next = inner?.in ?? inner?.innerType;
  return next ? objectShape(next) : undefined;
}

function leafKind(schema: z.ZodType): LeafKind {
  const s = unwrap(schema);
  if (s instanceof z.ZodNumber) return "number";
  if (s instanceof z.ZodBoolean) return "boolean";
  if (s instanceof z.ZodArray) return "string[]";
  if (s instanceof z.ZodEnum) return "enum";
  return "string";
}

function collectLeaves(schema: z.ZodType, prefix: string[] = [], out = new Map<string, { path: string[]; kind: LeafKind }>()) {
  const shape = objectShape(schema);
  if (!shape) return out;
  for (const [key, child] of Object.entries(shape)) {
    const childPath = [...prefix, key];
    if (objectShape(child)) collectLeaves(child, childPath, out);
    else out.set(envNameOf(childPath), { path: childPath, kind: leafKind(child) });
  }
  return out;
}

/** ["rag","chunkSize"] -> "BEAR_RAG_CHUNK_SIZE" */
export function envNameOf(configPath: readonly string[]): string {
  return `BEAR_${configPath.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()).join("_")}`;
}

const ENV_LEAVES = collectLeaves(bearConfigSchema);
/** BEAR_HOME is the conventional name for the data directory. */
const ENV_ALIASES: Readonly<Record<string, string>> = { BEAR_HOME: "BEAR_DATA_DIR" };

/** Every BEAR_* variable the loader understands, with the setting it sets. */
export function bearEnvironmentVariables(): ReadonlyArray<{ name: string; path: string }> {
  return [...ENV_LEAVES].map(([name, leaf]) => ({ name, path: leaf.path.join(".") }));
}

function parseEnvValue(raw: string, kind: LeafKind): unknown {
  const value = raw.trim();
  switch (kind) {
    case "number":
      return value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(value)) return true;
      if (/^(false|0|no|off)$/i.test(value)) return false;
      return value;
    case "string[]":
      if (value.startsWith("[")) {
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      }
      return value === "" ? [] : value.split(path.delimiter === ";" ? ";" : /[,:]/).map((s) => s.trim()).filter(Boolean);
    default:
      return value;
  }
}

function setAt(target: Plain, configPath: readonly string[], value: unknown): void {
  let node = target;
  for (const key of configPath.slice(0, -1)) {
    if (!isPlain(node[key])) node[key] = {};
    node = node[key] as Plain;
  }
  node[configPath[configPath.length - 1] as string] = value;
}

function getAt(target: unknown, configPath: readonly (string | number | symbol)[]): unknown {
  let node = target;
  for (const key of configPath) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number | symbol, unknown>)[key];
  }
  return node;
}

/** Deep merge where `layer` wins; arrays are replaced, not concatenated. Records each leaf's source. */
function mergeLayer(base: Plain, layer: Plain, source: string, sources: Record<string, string>, prefix: string[] = []): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const p = [...prefix, key];
    if (isPlain(value) && isPlain(out[key])) {
      out[key] = mergeLayer(out[key] as Plain, value, source, sources, p);
    } else {
      out[key] = value;
      markSources(value, p, source, sources);
    }
  }
  return out;
}

function markSources(value: unknown, p: string[], source: string, sources: Record<string, string>): void {
  if (isPlain(value)) for (const [k, v] of Object.entries(value)) markSources(v, [...p, k], source, sources);
  else sources[p.join(".")] = source;
}

function readConfigFile(file: string): Plain {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError("CONFIG_FILE_UNREADABLE", `cannot read config file '${file}' (${(error as NodeJS.ErrnoException).code})`, {
      hint: "Check the file's permissions, or remove it to use the defaults.",
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = file.endsWith(".json") ? JSON.parse(text) : loadYaml().parse(text);
  } catch (error) {
    throw new ConfigError("CONFIG_FILE_UNREADABLE", `config file '${file}' is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`, {
      hint: "Fix the syntax error at the position given.",
      cause: error,
    });
  }
  if (data === null || data === undefined) return {};
  if (!isPlain(data)) {
    throw new ConfigError("CONFIG_INVALID", `config file '${file}' must hold a mapping of settings, not ${Array.isArray(data) ? "a list" : typeof data}`, {
      hint: "Write settings as keys, e.g. `server:\\n  port: 4141`.",
    });
  }
  return data;
}

function expandHome(p: string, home: string): string {
  return p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value" && "values" in issue) {
    return `allowed: ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (issue.code === "unrecognized_keys" && "keys" in issue) {
    return `unknown setting${(issue.keys as string[]).length > 1 ? "s" : ""} ${(issue.keys as string[]).map((k) => `'${k}'`).join(", ")}`;
  }
  return issue.message;
}

/**
 * Builds the one typed configuration: defaults < ~/.bear/config.yaml < ./bear.config.(yaml|json)
 * < BEAR_* environment variables < explicit overrides. Throws ConfigError naming the key, the
 * offending value, where it came from and what is allowed.
 */
export function loadBearConfig(options: LoadBearConfigOptions = {}): LoadedBearConfig {
  const home = options.home ?? os.homedir();
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? {};
  const sources: Record<string, string> = {};
  const warnings: string[] = [];
  const files: string[] = [];

  let merged = mergeLayer({}, defaultBearConfig(defaultDataDir(home)) as unknown as Plain, "default", sources);

  const userFile = path.join(home, ".bear", "config.yaml");
  if (fs.existsSync(userFile)) {
    merged = mergeLayer(merged, readConfigFile(userFile), userFile, sources);
    files.push(userFile);
  }
  const workspaceFiles = WORKSPACE_CONFIG_FILES.map((f) => path.join(cwd, f)).filter((f) => fs.existsSync(f));
  if (workspaceFiles.length > 1) {
    throw new ConfigError("CONFIG_INVALID", `more than one workspace config file: ${workspaceFiles.join(", ")}`, {
      hint: "Keep exactly one of bear.config.yaml, bear.config.yml or bear.config.json.",
    });
  }
  const ignoredFolderSettings: { file: string; settings: string[] }[] = [];
  for (const file of workspaceFiles) {
    const { layer, reserved } = withoutReservedSettings(readConfigFile(file));
    if (reserved.length > 0) {
      ignoredFolderSettings.push({ file, settings: reserved });
      warnings.push(`${file} may not set ${reserved.join(", ")} (ignored): a folder's config file can come with the documents in it; set ${reserved.length > 1 ? "them" : "it"} in ~/.bear/config.yaml, a BEAR_* variable or a flag`);
    }
    merged = mergeLayer(merged, layer, file, sources);
    files.push(file);
  }

  const envLayer: Plain = {};
  for (const [rawName, raw] of Object.entries(env)) {
    if (!rawName.startsWith("BEAR_") || raw === undefined) continue;
    const name = ENV_ALIASES[rawName] ?? rawName;
    const leaf = ENV_LEAVES.get(name);
    if (!leaf) {
      warnings.push(`environment variable ${rawName} names no BEAR setting and was ignored`);
      continue;
    }
    setAt(envLayer, leaf.path, parseEnvValue(raw, leaf.kind));
    sources[leaf.path.join(".")] = `env ${rawName}`;
  }
  const envSources = { ...sources };
  merged = mergeLayer(merged, envLayer, "env", sources);
  // mergeLayer stamps "env"; restore the precise variable names recorded above.
  for (const [k, v] of Object.entries(envSources)) if (v.startsWith("env ")) sources[k] = v;

  if (options.overrides) merged = mergeLayer(merged, options.overrides as Plain, "override", sources);

  if (typeof merged.dataDir === "string") merged.dataDir = path.resolve(cwd, expandHome(merged.dataDir, home));

  const parsed = bearConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join(".") || "(root)";
      const value = issue.code === "unrecognized_keys" ? undefined : getAt(merged, issue.path as (string | number)[]);
      const from = sources[issue.path.join(".")] ?? (issue.code === "unrecognized_keys" ? undefined : "default");
      // a Redis URL setting is never echoed, whatever its shape (a mangled URL keeps its password in the clear); any other URL's password is never shown
      const valuePart = issue.code === "unrecognized_keys" ? "" : REDIS_URL_SETTING.test(key) ? " = (hidden)" : ` = ${formatValue(typeof value === "string" && value.includes("://") ? redactRedisUrl(value) : value)}`;
      return `${key}${valuePart}${from ? ` (from ${from})` : ""}: ${describeIssue(issue)}`;
    });
    throw new ConfigError("CONFIG_INVALID", `invalid configuration:\n  ${lines.join("\n  ")}`, {
      hint: "Fix the setting where it came from (file, BEAR_* variable or flag); `bear doctor` shows every source.",
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), code: i.code })) },
    });
  }
  return { config: parsed.data, sources, files, warnings, ignoredFolderSettings };
}

/** A folder file's settings without the reserved ones, and the dotted names of those it held. */
function withoutReservedSettings(layer: Plain): { layer: Plain; reserved: string[] } {
  const reserved: string[] = [];
  const kept = structuredClone(layer);
  for (const name of FOLDER_CONFIG_RESERVED) {
    const keys = name.split(".");
    const parent = keys.length === 1 ? kept : getAt(kept, keys.slice(0, -1));
    const last = keys[keys.length - 1] as string;
    if (isPlain(parent) && Object.hasOwn(parent, last)) {
      delete parent[last];
      reserved.push(name);
    }
  }
  const security = kept[FOLDER_CONFIG_STRICTER_ONLY];
  if (isPlain(security)) {
    for (const [key, value] of Object.entries(security)) {
      if (value === true) continue;
      delete security[key];
      reserved.push(`${FOLDER_CONFIG_STRICTER_ONLY}.${key}`);
    }
  }
  return { layer: kept, reserved };
}
