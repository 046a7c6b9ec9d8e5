import { terminalSafe } from "@bear/core";
import path from "node:path";
import type { Command } from "commander";
import type { ModelRecord } from "@bear/workspace";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { bold, dim, red } from "../output";
import { formatBytes, formatSeconds, progressBar } from "../progress";

interface PullFlags {
  readonly sha256?: string;
  readonly name?: string;
  readonly force?: boolean;
  readonly progress: boolean;
}

interface LoadFlags {
  readonly contextSize?: string;
}

export function registerModelsCommand(program: Command): void {
  const models = program
    .command("models")
    .description("local models: list, inspect, download, load and unload")
    .addHelpText("after", "\nExamples:\n  bear models list\n  bear models info stories260K\n  bear models pull hf:ggml-org/models/tinyllamas/stories260K.gguf\n  bear models load qwen2.5-1.5b-instruct");

  models
    .command("list")
    .description("every model file in the workspace and configured model folders, with what its header says")
    .addHelpText("after", "\nExamples:\n  bear models list\n  BEAR_MODELS_DIRS=~/models bear models list --json")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      const folder = await ctx.requireWorkspace();
      const { records, errors } = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const report = await workspace.models().scan();
        return { records: workspace.models().list(), errors: report.errors.map((e) => e.toJSON()) };
      });
      const active = { llm: folder.llmId(ctx.config), embedder: folder.embedderId(ctx.config) };
      const dirs = folder.modelDirs(ctx.config);
      ctx.emit({ models: records.map(summary), errors, active, dirs }, () => renderList(records, active, dirs));
    });

  models
    .command("info")
    .description("everything known about one model: architecture, size, quantization, context, checksum, performance")
    .argument("<id>", "model id (file name without extension), see `bear models list`")
    .addHelpText("after", "\nExamples:\n  bear models info stories260K\n  bear models info model2vec-vq128-bge-base --json")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const info = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const manager = workspace.models();
        await manager.scan();
        const record = manager.registry.get(id);
        const sha256 = record.status === "error" ? undefined : await manager.registry.sha256(id);
        return { ...record, ...(sha256 ? { sha256 } : {}), plannedContextSize: record.status === "error" ? undefined : manager.plannedContextSize(id) };
      });
      ctx.emit(info, () => renderInfo(info));
    });

  models
    .command("pull")
    .description("download a model you choose (the only command that uses the network)")
    .argument("<source>", "https://… URL or hf:<owner>/<repo>/<file>")
    .option("--sha256 <hex>", "expected checksum; the file is deleted if it differs")
    .option("--name <file>", "save under this file name (.gguf or .onnx)")
    .option("--force", "replace a model file of the same name (refused otherwise)")
    .option("--no-progress", "no progress bar, even at a terminal")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear models pull hf:ggml-org/models/tinyllamas/stories260K.gguf",
        "  bear models pull https://example.org/m.gguf --sha256 270cba1b…",
        "",
        "An interrupted download is resumed only from the same source and the same file (If-Range); it is",
        "checked (GGUF header and length, sha256 given or announced by Hugging Face, free disk space), saved",
        "to the workspace's models folder without replacing a model (unless --force) and recorded in the",
        "audit log with its sha256. Nothing else is ever sent or fetched.",
      ].join("\n"),
    )
    .action(async (source: string, flags: PullFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const record = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const bar = await progressBar(flags.progress && !ctx.json, " {bar} {percentage}% | {received} | {speed}/s | ETA {etaText}", 100, { received: "0 B", speed: "0 B", etaText: "--" });
        try {
          return await workspace.models().pull(source, {
            allowNetwork: true,
            ...(flags.sha256 ? { sha256: flags.sha256 } : {}),
            ...(flags.name ? { fileName: flags.name } : {}),
            ...(flags.force ? { replace: true } : {}),
            onProgress: (p) => {
              if (!bar) return;
              const pct = p.totalBytes ? Math.floor((100 * p.receivedBytes) / p.totalBytes) : 0;
              bar.update(pct, { received: formatBytes(p.receivedBytes), speed: formatBytes(Math.round(p.bytesPerSecond)), etaText: formatSeconds(p.etaSeconds) });
            },
          });
        } finally {
          bar?.stop();
        }
      });
      ctx.emit(summary(record), () => `Downloaded ${record.id} (${formatBytes(record.sizeBytes)}) to ${record.path}\nNext: \`bear models load ${record.id}\` to answer with it.`);
    });

  models
    .command("load")
    .description("load a model to check it fits this machine, and make it the workspace's model for `bear ask`")
    .argument("<id>", "model id")
    .option("--context-size <n>", "context size to try (default: the largest that fits)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear models load stories260K",
        "  bear models load model2vec-vq128-bge-base     # an embedding model: enables vector/hybrid search",
        "",
        "The CLI runs one command at a time, so a model stays in memory only while a command uses it;",
        "`load` proves it loads (memory, context, threads, load time) and remembers it for later commands.",
      ].join("\n"),
    )
    .action(async (id: string, flags: LoadFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      const folder = await ctx.requireWorkspace();
      const contextSize = flags.contextSize === undefined ? undefined : Number(flags.contextSize);
      if (contextSize !== undefined && (!Number.isInteger(contextSize) || contextSize < 64)) throw new CliError("USAGE", `--context-size must be an integer of at least 64, not '${flags.contextSize}'`);
      const loaded = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const manager = workspace.models();
        await manager.scan();
        const started = performance.now();
        const info = await manager.load(id, contextSize === undefined ? {} : { contextSize });
        return { ...info, loadMs: Math.round(performance.now() - started) };
      });
      const role = loaded.kind === "embedding" ? "embedder" : "llm";
      folder.updateState({ [role]: id });
      const overridden = role === "llm" ? ctx.config.models.llm : ctx.config.models.embedder;
      ctx.emit({ ...loaded, active: role, ...(overridden && overridden !== id ? { overriddenBy: overridden } : {}) }, () =>
        [
          `Loaded ${id} (${loaded.kind}) in ${loaded.loadMs} ms: context ${loaded.contextSize} tokens, ${loaded.threads} thread(s), ${formatBytes(loaded.memoryBytes)}`,
          `It is now the workspace's ${role === "llm" ? "model for `bear ask`" : "embedding model: search now uses its own index (hybrid); run `bear ingest` again to fill it"}.`,
          ...(overridden && overridden !== id ? [`Note: models.${role} = ${overridden} in your configuration takes precedence.`] : []),
        ].join("\n"),
      );
    });

  models
    .command("unload")
    .description("stop using a model: `bear ask` goes back to extractive answers (or search to lexical)")
    .argument("<id>", "model id")
    .addHelpText("after", "\nExamples:\n  bear models unload stories260K\n  bear models unload stories260K --json")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      const folder = await ctx.requireWorkspace();
      const state = folder.state();
      const role = state.llm === id ? "llm" : state.embedder === id ? "embedder" : undefined;
      if (!role) {
        throw new CliError("INPUT_INVALID", `model '${id}' is not loaded in this workspace`, {
          hint: `Loaded: ${[state.llm, state.embedder].filter(Boolean).join(", ") || "none"}. A model set in the configuration (models.llm) is changed there.`,
        });
      }
      folder.updateState({ [role]: undefined });
      ctx.emit({ id, unloaded: true, role }, () => `Unloaded ${id}: ${role === "llm" ? "`bear ask` now answers extractively" : "search uses the lexical index again"}.`);
    });
}

function summary(r: ModelRecord): Record<string, unknown> {
  const info = r.info?.format === "gguf" ? r.info : undefined;
  return {
    id: r.id,
    path: r.path,
    format: r.format,
    kind: r.info?.kind,
    sizeBytes: r.sizeBytes,
    status: r.status,
    ...(info ? { architecture: info.architecture, parameters: info.parameterCount, quantization: info.quantization, contextLength: info.contextLength } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

function renderList(records: readonly ModelRecord[], active: { llm?: string | undefined; embedder?: string | undefined }, dirs: readonly string[]): string {
  if (records.length === 0) {
    return [`No model files in ${dirs.join(", ")}.`, "BEAR works without one (lexical search, extractive answers).", "Add one with `bear models pull <url>` or point BEAR_MODELS_DIRS at a folder of .gguf files."].join("\n");
  }
  const rows = records.map((r) => {
    const s = summary(r);
    const mark = r.id === active.llm ? " (llm)" : r.id === active.embedder ? " (embedder)" : "";
    const what = r.status === "error" ? red(`unusable: ${terminalSafe(r.error?.message ?? "")}`) : [s.kind, s.architecture, s.parameters ? `${formatCount(Number(s.parameters))} params` : undefined, s.quantization].filter(Boolean).join(", ");
    return `  ${bold(`${r.id}${mark}`).padEnd(36)} ${formatBytes(r.sizeBytes).padStart(9)}  ${what}`;
  });
  return [`${records.length} model(s):`, ...rows, dim(`folders: ${dirs.join(", ")}`)].join("\n");
}

function renderInfo(info: ModelRecord & { sha256?: string; plannedContextSize?: number | undefined }): string {
  const lines = [bold(info.id), `  file          ${terminalSafe(info.path)}`, `  size          ${formatBytes(info.sizeBytes)}`, `  status        ${info.status}`];
  if (info.error) lines.push(`  error         ${terminalSafe(info.error.message)}`);
  if (info.info?.format === "gguf") {
    const g = info.info;
    lines.push(
      `  kind          ${g.kind}`,
      `  architecture  ${terminalSafe(`${g.architecture}${g.name ? ` (${g.name})` : ""}`)}`,
      `  parameters    ${formatCount(g.parameterCount)}`,
      `  quantization  ${g.quantization ?? "?"}`,
      `  context       ${g.contextLength ?? "?"} tokens (BEAR will use ${info.plannedContextSize ?? "?"})`,
      `  layers        ${g.layerCount ?? "?"}, embedding ${g.embeddingLength ?? "?"}, vocabulary ${g.vocabularySize ?? "?"}`,
      `  chat template ${g.chatTemplate ? "yes" : "no"}`,
    );
  } else if (info.info?.format === "onnx") {
    lines.push(`  inputs        ${terminalSafe(info.info.inputs.map((i) => i.name).join(", "))}`, `  outputs       ${terminalSafe(info.info.outputs.map((o) => o.name).join(", "))}`);
  }
  if (info.sha256) lines.push(`  sha256        ${info.sha256}`);
  const perf = info.performance.slice(-3);
  if (perf.length > 0) lines.push(`  recent runs   ${perf.map((p) => `${p.kind} ${p.ms} ms${p.generationTokensPerSecond ? ` ${p.generationTokensPerSecond} tok/s` : ""}`).join("; ")}`);
  lines.push(dim(`  folder        ${terminalSafe(path.dirname(info.path))}`));
  return lines.join("\n");
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(n);
}
