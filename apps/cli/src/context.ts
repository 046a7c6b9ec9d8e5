import type { Command } from "commander";
import { createPinoLogger, workspaceLayout, type BearConfig, type LoadedBearConfig, type LogLevel, type WorkspaceLayout } from "@bear/core";
import type { OpenWorkspaceOptions, Workspace, WorkspaceFolder } from "@bear/workspace";
import { loadCliConfig, type GlobalFlags } from "./cli-config";
import { emit, note } from "./output";
import { readPassphrase } from "./passphrase";

/** What a command may choose when it opens the workspace (the rest is the CLI's: config, logger, passphrase prompt). */
export type OpenOptions = Omit<OpenWorkspaceOptions, "config" | "logger" | "passphrase" | "owner">;

/** The local user holding the workspace keys: the actor of the CLI's acts in the audit trail. */
export const CLI_ACTOR = "cli";

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
    const loaded = loadCliConfig(flags);
    // said on every command, JSON or not: the user should know a folder's file tried to move their data or run code
    for (const { file, settings } of loaded.ignoredFolderSettings) {
      process.stderr.write(`warning: ${file} may not set ${settings.join(", ")}; ignored (set them in ~/.bear/config.yaml, BEAR_* variables or flags)\n`);
    }
    return new CommandContext(flags, loaded);
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

  #folder: WorkspaceFolder | undefined;
  /** The workspace folder, without opening anything (the workspace package is loaded here, lazily). */
  async folder(): Promise<WorkspaceFolder> {
    if (!this.#folder) {
      const { WorkspaceFolder } = await import("@bear/workspace");
      this.#folder = WorkspaceFolder.at(this.config.dataDir);
    }
    return this.#folder;
  }

  /** The folder, or WORKSPACE_NOT_INITIALISED (exit 2) before a command does any work. */
  async requireWorkspace(): Promise<WorkspaceFolder> {
    const folder = await this.folder();
    folder.requireManifest();
    return folder;
  }

  /** Opens the workspace (asking for the passphrase if its keys are sealed), runs `fn`, and always disposes it. */
  async withWorkspace<T>(options: OpenOptions, fn: (workspace: Workspace) => Promise<T>): Promise<T> {
    const { openWorkspace } = await import("@bear/workspace");
    const workspace = await openWorkspace({
      resumeWorkflows: false, // a CLI command runs one workflow; interrupted runs are listed, not silently resumed
      offload: { workers: 0 }, // one act per process: a worker thread would only add its start-up
      ...options,
      config: this.config,
      logger: createPinoLogger({ level: this.logLevel, name: "bear" }),
      passphrase: () => readPassphrase(`Passphrase for ${this.layout.root}: `),
      owner: CLI_ACTOR,
    });
    try {
      return await fn(workspace);
    } finally {
      await workspace.dispose();
    }
  }

  /** The search mode's default: the configured one when an embedder is set, else lexical. */
  async embedderId(): Promise<string | undefined> {
    return (await this.folder()).embedderId(this.config);
  }
}
