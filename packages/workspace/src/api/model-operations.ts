import type { ApiContext } from "./api-services";
import { events, ok, operation, type ApiEvent, type ApiOperation } from "./api-operation";
import { errorResponses, idParams, ID_PATTERN } from "./api-schemas";
import { HttpError, invalidField } from "./http-error";
import { modelActionFromRequest, modelActionMessage, modelView, type ModelActionRequest } from "./model-views";

/**
 * Model management has no action of its own in @bear/security's role table; it is an
 * administrator's task, so it is authorized as `matter.manage` (admins only).
 */
const MANAGE_MODELS = "matter.manage" as const;
/** Generation reads no document; any role that may read documents may use a model. */
const USE_MODELS = "document.read" as const;

const modelSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    fileName: { type: "string" },
    format: { type: "string" },
    sizeBytes: { type: "integer" },
    status: { type: "string" },
    kind: { type: "string" },
    architecture: { type: "string" },
    parameterCount: { type: "integer" },
    contextLength: { type: "integer", nullable: true },
    quantization: { type: "string", nullable: true },
    error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } },
    name: { type: "string", description: "the seed's: the GGUF's general.name, else the id" },
    size: { type: "integer", description: "the seed's name for sizeBytes" },
    performance_metrics: { type: "object", additionalProperties: true, description: "the seed's: loads and generations measured on this model" },
  },
} as const;

const FILE_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.(gguf|onnx)$";

const loadedSchema = {
  type: "object",
  properties: {
    modelId: { type: "string" },
    kind: { type: "string" },
    threads: { type: "integer" },
    contextSize: { type: "integer" },
    batchSize: { type: "integer" },
    concurrency: { type: "integer" },
    memoryBytes: { type: "integer" },
    loadMs: { type: "number" },
  },
} as const;

const actionBodySchema = {
  type: "object",
  required: ["action"],
  additionalProperties: false,
  properties: {
    action: { type: "string", enum: ["load", "unload", "download"] },
    id: { type: "string", pattern: ID_PATTERN },
    contextSize: { type: "integer", minimum: 128, maximum: 131072 },
    source: { type: "string", minLength: 1, maxLength: 2048, pattern: "^(https?://|hf:)" },
    sha256: { type: "string", pattern: "^[a-fA-F0-9]{64}$" },
    fileName: { type: "string", pattern: FILE_NAME },
    replace: { type: "boolean", description: "replace a model file of the same name (a download refuses to otherwise)" },
    model_id: { type: "string", minLength: 1, maxLength: 2048, anyOf: [{ pattern: ID_PATTERN }, { pattern: "^(https?://|hf:)" }], description: "the seed's: the model (or, to download, its URL or hf: reference)" },
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        context_size: { type: "integer", minimum: 128, maximum: 131072 },
        contextSize: { type: "integer", minimum: 128, maximum: 131072 },
        source: { type: "string", minLength: 1, maxLength: 2048, pattern: "^(https?://|hf:)" },
        sha256: { type: "string", pattern: "^[a-fA-F0-9]{64}$" },
        file_name: { type: "string", pattern: FILE_NAME },
        fileName: { type: "string", pattern: FILE_NAME },
        replace: { type: "boolean" },
      },
    },
  },
} as const;

const generateBodySchema = {
  type: "object",
  required: ["prompt"],
  additionalProperties: false,
  properties: {
    prompt: { type: "string", minLength: 1, maxLength: 100_000 },
    max_tokens: { type: "integer", minimum: 1, maximum: 8192, default: 100, description: "the seed's default, 100" },
    temperature: { type: "number", minimum: 0, maximum: 2, default: 0.7, description: "the seed's default, 0.7" },
    stop_sequences: { type: "array", maxItems: 16, items: { type: "string", minLength: 1, maxLength: 200 } },
    seed: { type: "integer", minimum: 0, maximum: 4294967295 },
    stream: { type: "boolean", default: false },
  },
} as const;

interface GenerateBody {
  readonly prompt: string;
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly stop_sequences?: string[];
  readonly seed?: number;
  readonly stream?: boolean;
}

interface Generation {
  readonly text: string;
  readonly tokensUsed: number;
  readonly promptTokens: number;
  readonly generationTime: number;
  readonly tokensPerSecond: number;
  readonly finishReason: string;
}

/** A completion as the API answers it (the seed's field names). */
function generationView(model: string, r: Generation) {
  return {
    model,
    text: r.text,
    tokens_used: r.tokensUsed,
    prompt_tokens: r.promptTokens,
    generation_time: r.generationTime,
    tokens_per_second: r.tokensPerSecond,
    finish_reason: r.finishReason,
  };
}

/** Local models: list, load / unload / download (admins), generate (JSON or a token stream). */
export function modelOperations({ services, host }: ApiContext): ApiOperation[] {
  const tags = ["models"];
  const models = services.models;

  async function* tokenEvents(id: string, iterator: AsyncGenerator<{ readonly text: string }, Generation, undefined>): AsyncGenerator<ApiEvent> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        yield { event: "done", data: generationView(id, next.value) };
        return;
      }
      yield { event: "token", data: { text: next.value.text } };
    }
  }

  return [
    operation<unknown, { status?: string; envelope: boolean }>({
      method: "GET",
      url: "/api/v1/models",
      tags,
      summary: "Local models (GGUF / ONNX) found in the model folders, and the ones loaded now: `{ models, loaded }`, or the seed's bare array of models with `envelope=false`",
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            status: { type: "string", enum: ["loaded", "available", "downloading", "loading", "error"] },
            envelope: { type: "boolean", default: true, description: "false: the models as a bare array, as the seed documents" },
          },
        },
        response: { 200: { anyOf: [{ type: "object", properties: { models: { type: "array", items: modelSchema }, loaded: { type: "array", items: loadedSchema } } }, { type: "array", items: modelSchema }] }, ...errorResponses() },
      },
      async handle({ query, caller }) {
        await caller.authorize(USE_MODELS);
        const { status, envelope } = query;
        const list = models.list().filter((m) => status === undefined || m.status === status).map(modelView);
        return ok(envelope ? { models: list, loaded: models.loaded() } : list);
      },
    }),
    operation<unknown, unknown, ModelActionRequest>({
      method: "POST",
      url: "/api/v1/models",
      tags,
      rateCost: 5,
      summary:
        "Load, unload or download a model (admins). Ours: `{ action, id?, contextSize?, source?, sha256?, fileName?, replace? }`; the seed's: `{ model_id, action, config }` (for a download model_id is the URL or hf: reference). Downloads are refused unless the server allows them, and then run inside the offline guard's one scoped exception",
      schema: {
        body: actionBodySchema,
        response: {
          200: {
            type: "object",
            properties: {
              action: { type: "string" },
              model: modelSchema,
              loaded: loadedSchema,
              unloaded: { type: "boolean" },
              model_id: { type: "string" },
              status: { type: "string" },
              message: { type: "string" },
            },
          },
          ...errorResponses(404, 422, 502, 503),
        },
      },
      async handle({ body: request, caller }) {
        const principal = await caller.authorize(MANAGE_MODELS);
        const body = modelActionFromRequest(request);
        if (body.action === "download") {
          if (!body.source) throw invalidField("body.source", "is required to download a model (or a model_id that is a URL or hf: reference)");
          if (!host.allowModelDownloads) {
            throw new HttpError(403, "DOWNLOADS_DISABLED", "model downloads are disabled on this server", {
              hint: "Copy the .gguf file into the models folder, or start the server with model downloads allowed.",
            });
          }
          const record = await models.pull(body.source, {
            allowNetwork: true,
            ...(body.sha256 ? { sha256: body.sha256 } : {}),
            ...(body.fileName ? { fileName: body.fileName } : {}),
            ...(body.replace ? { replace: true } : {}),
          });
          await services.audit.record({ action: "model.download", outcome: "success", actor: principal.id, resource: record.id });
          return ok({ action: "download", model: modelView(record), ...modelActionMessage("download", record.id, { record }) });
        }
        if (!body.id) throw invalidField("body.id", `is required to ${body.action} a model (or body.model_id)`);
        if (body.action === "load") {
          const loaded = await models.load(body.id, {
            ...(body.contextSize ? { contextSize: body.contextSize } : {}),
            ...(services.config.models.threads ? { threads: services.config.models.threads } : {}),
          });
          return ok({ action: "load", loaded, ...modelActionMessage("load", body.id, { loaded }) });
        }
        models.registry.get(body.id); // 404 for an unknown id
        const unloaded = await models.unload(body.id);
        return ok({ action: "unload", unloaded, ...modelActionMessage("unload", body.id, { unloaded }) });
      },
    }),
    operation<{ id: string }, unknown, GenerateBody>({
      method: "POST",
      url: "/api/v1/models/:id/generate",
      tags,
      rateCost: 5,
      summary: "Generate text with a local model; `stream: true` sends server-sent events (`token`… then `done` or `error`)",
      schema: {
        params: idParams,
        body: generateBodySchema,
        response: {
          200: {
            description: "The completion (application/json), or with `stream: true` a text/event-stream of `token` events then `done`",
            type: "object",
            properties: {
              model: { type: "string" },
              text: { type: "string" },
              tokens_used: { type: "integer" },
              prompt_tokens: { type: "integer" },
              generation_time: { type: "number", description: "milliseconds" },
              tokens_per_second: { type: "number" },
              finish_reason: { type: "string" },
            },
          },
          ...errorResponses(404, 503),
        },
      },
      async handle({ params, body, caller, signal }) {
        await caller.authorize(USE_MODELS);
        const { id } = params;
        // in-process, or on a cluster's workers; 404 before any stream starts
        const generator = await services.workspace.generator(id);
        const request = {
          prompt: body.prompt,
          ...(body.max_tokens === undefined ? {} : { maxTokens: body.max_tokens }),
          ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
          ...(body.stop_sequences ? { stop: body.stop_sequences } : {}),
          ...(body.seed === undefined ? {} : { seed: body.seed }),
        };
        // a client that leaves stops the generation
        if (!body.stream) return ok(generationView(id, await generator.generate({ ...request, signal })));
        return events((streamSignal) => tokenEvents(id, generator.stream({ ...request, signal: streamSignal })));
      },
    }),
  ];
}
