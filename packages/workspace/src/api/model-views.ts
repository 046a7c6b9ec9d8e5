import type { LoadedModelInfo, ModelRecord } from "@bear/model-manager";
import { BearWorkspaceError } from "../errors";

type Sample = ModelRecord["performance"][number];

function mean(values: readonly number[]): number | null {
  return values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : null;
}

/** The seed's `performance_metrics`: what the model manager measured on this model (loads, generations). */
export function modelPerformance(samples: readonly Sample[]) {
  const loads = samples.filter((s) => s.kind === "load");
  const generations = samples.filter((s) => s.kind === "generate");
  return {
    loads: loads.length,
    last_load_ms: loads.at(-1)?.ms ?? null,
    generations: generations.length,
    mean_generation_ms: mean(generations.map((s) => s.ms)),
    generation_tokens_per_second: mean(generations.flatMap((s) => (s.generationTokensPerSecond === undefined ? [] : [s.generationTokensPerSecond]))),
    prompt_tokens_per_second: mean(generations.flatMap((s) => (s.promptTokensPerSecond === undefined ? [] : [s.promptTokensPerSecond]))),
  };
}

/** A model as the REST API lists it: ours (fileName, format, sizeBytes, GGUF facts) and the seed's (name, size, performance_metrics). */
export function modelView(m: ModelRecord) {
  const info = m.info;
  return {
    id: m.id,
    fileName: m.fileName,
    format: m.format,
    sizeBytes: m.sizeBytes,
    status: m.status,
    ...(info ? { kind: info.kind } : {}),
    ...(info?.format === "gguf"
      ? { architecture: info.architecture, parameterCount: info.parameterCount, contextLength: info.contextLength ?? null, quantization: info.quantization ?? null }
      : {}),
    ...(m.error ? { error: { code: m.error.code, message: m.error.message } } : {}),
    name: (info?.format === "gguf" ? info.name : undefined) ?? m.id,
    size: m.sizeBytes,
    performance_metrics: modelPerformance(m.performance),
  };
}

/** POST /api/v1/models in either shape: ours (`id`, `contextSize`, `source`, `sha256`, `fileName`) or the seed's (`model_id`, `config`). */
export interface ModelActionRequest {
  readonly action: "load" | "unload" | "download";
  readonly id?: string;
  readonly model_id?: string;
  readonly contextSize?: number;
  readonly source?: string;
  readonly sha256?: string;
  readonly fileName?: string;
  /** Replace a model file of the same name (a download refuses to otherwise). */
  readonly replace?: boolean;
  readonly config?: { readonly context_size?: number; readonly contextSize?: number; readonly source?: string; readonly sha256?: string; readonly file_name?: string; readonly fileName?: string; readonly replace?: boolean };
}

export interface ModelAction {
  readonly action: "load" | "unload" | "download";
  /** The model to load or unload. */
  readonly id?: string;
  readonly contextSize?: number;
  /** Where to download from (`https://…` or `hf:…`). */
  readonly source?: string;
  readonly sha256?: string;
  readonly fileName?: string;
  readonly replace?: boolean;
}

const DOWNLOAD_SOURCE = /^(https?:\/\/|hf:)/;

/** Reads either shape. For a download the seed's `model_id` is where it comes from (a URL or `hf:` reference) unless `config.source` says. */
export function modelActionFromRequest(body: ModelActionRequest): ModelAction {
  if (body.id !== undefined && body.model_id !== undefined && body.id !== body.model_id) {
    throw new BearWorkspaceError("INPUT_INVALID", `body.id ('${body.id}') and body.model_id ('${body.model_id}') name different models`, { hint: "Send one of the two.", details: { field: "body.model_id" } });
  }
  const config = body.config ?? {};
  const contextSize = body.contextSize ?? config.contextSize ?? config.context_size;
  const sha256 = body.sha256 ?? config.sha256;
  const fileName = body.fileName ?? config.fileName ?? config.file_name;
  const named = body.id ?? body.model_id;
  if (body.action === "download") {
    const source = body.source ?? config.source ?? (named !== undefined && DOWNLOAD_SOURCE.test(named) ? named : undefined);
    const replace = body.replace ?? config.replace;
    return { action: "download", ...(source ? { source } : {}), ...(sha256 ? { sha256: sha256.toLowerCase() } : {}), ...(fileName ? { fileName } : {}), ...(replace ? { replace: true } : {}) };
  }
  return { action: body.action, ...(named !== undefined ? { id: named } : {}), ...(contextSize ? { contextSize } : {}) };
}

/** The seed's answer fields for a model action: `model_id`, `status`, `message`. */
export function modelActionMessage(action: ModelAction["action"], modelId: string, outcome: { loaded?: LoadedModelInfo; unloaded?: boolean; record?: ModelRecord }) {
  if (action === "load" && outcome.loaded) {
    const l = outcome.loaded;
    return { model_id: modelId, status: "loaded", message: `model '${modelId}' loaded in ${Math.round(l.loadMs)} ms (${l.threads} threads, context ${l.contextSize})` };
  }
  if (action === "unload") return { model_id: modelId, status: "available", message: outcome.unloaded ? `model '${modelId}' unloaded` : `model '${modelId}' was not loaded` };
  return { model_id: modelId, status: outcome.record?.status ?? "available", message: `model '${modelId}' downloaded (${outcome.record?.sizeBytes ?? 0} bytes)` };
}
