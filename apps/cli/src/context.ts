import path from "node:path";
import type { Command } from "commander";
import { workspaceLayout, type BearConfig, type LoadedBearConfig, type LogLevel, type WorkspaceLayout } from "@bear/core";
import { loadCliConfig, type GlobalFlags } from "./cli-config";
import { emit, note } from "./output";
import { readPassphrase } from "./workspace/passphrase";
import { readKeys, readState, requireManifest, type CliState, type WorkspaceKeys, type WorkspaceManifest } from "./workspace/workspace-files";

/** What every command handler starts from: the flags, the resolved configuration and the workspace. */
export class CommandContext {
  readonly flags: GlobalFlags;
  readonly json: boolean;
  readonly loaded: LoadedBearConfig;
  readonly layout: WorkspaceLayout;

  private constructor(flags: GlobalFlags, loaded: LoadedBearConfig) {
    this.flags = flags;
    this.json = Boolean(flags.json);
    this.loaded = loaded;
    this.layout = workspaceLayout(loaded.config.dataDir);
  }

  /** From a command's action: global flags come from the program, wherever they were typed. */
  static of(command: Command, override: GlobalFlags = {}): CommandContext {
    const flags = { ...command.optsWithGlobals<GlobalFlags>(), ...override };
    return new CommandContext(flags, loadCliConfig(flags));
  }

  get config(): BearConfig {
    return this.loaded.config;
  }

  /** Log level for the packages: quiet at a terminal unless asked (pino JSON lines go to stderr). */
  get logLevel(): LogLevel {
    if (this.flags.logLevel) return this.flags.logLevel as LogLevel;
    return (this.loaded.sources["log.level"] ?? "default") === "default" ? "error" : (this.config.log.level as LogLevel);
  }

  emit(data: unknown, human: () => string): void {
    emit({ json: this.json }, data, human);
  }

  note(text: string): void {
    note({ json: this.json }, text);
  }

  manifest(): WorkspaceManifest {
    return requireManifest(this.layout);
  }

  state(): CliState {
    return readState(this.layout);
  }

  #keys: Promise<WorkspaceKeys> | undefined;
  keys(): Promise<WorkspaceKeys> {
    this.#keys ??= readKeys(this.layout, this.manifest(), () => readPassphrase(`Passphrase for ${this.layout.root}: `));
    return this.#keys;
  }

  /** The LLM to answer with: the configured one, else the one `bear models load` made active. */
  get llmId(): string | undefined {
    return this.config.models.llm ?? this.state().llm;
  }

  get embedderId(): string | undefined {
    return this.config.models.embedder ?? this.state().embedder;
  }

  /** Model folders: the workspace's own first (downloads land there), then the configured ones. */
  get modelDirs(): string[] {
    return [this.layout.models, ...this.config.models.dirs.map((d) => path.resolve(d))];
  }

  /**
   * The index of the current embedder: an index is built for one embedder (rag refuses another),
   * so each embedding model gets its own, and the lexical-only index is `indexes/default`.
   */
  get indexDir(): string {
    const embedder = this.embedderId;
    return path.join(this.layout.indexes, embedder ? `embedder-${embedder.replace(/[^A-Za-z0-9._-]+/g, "_")}` : "default");
  }
}
