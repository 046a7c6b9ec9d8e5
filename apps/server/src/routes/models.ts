import type { FastifyInstance } from "fastify";
import { modelActionFromRequest, modelActionMessage, modelView, type ModelActionRequest } from "@bear/workspace";
import { HttpError, invalidField, toHttpError } from "../http/http-errors";
import type { RouteContext } from "../http/route-context";
import { errorResponses, idParams, ID_PATTERN, securityRequirement } from "../http/schemas";

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

interface GenerateBody {
  readonly prompt: string;
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly stop_sequences?: string[];
  readonly seed?: number;
  readonly stream?: boolean;
}

export function registerModelRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { services } = ctx;

  app.get<{ Querystring: { status?: string; envelope: boolean } }>(
    "/api/v1/models",
    {
      schema: {
        tags: ["models"],
        summary: "Local models (GGUF / ONNX) found in the model folders, and the ones loaded now: `{ models, loaded }`, or the seed's bare array of models with `envelope=false`",
        security: securityRequirement,
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
    },
    async (request) => {
      await ctx.authorize(request, USE_MODELS);
      const { status, envelope } = request.query;
      const models = services.models.list().filter((m) => status === undefined || m.status === status).map(modelView);
      return envelope ? { models, loaded: services.models.loaded() } : models;
    },
  );

  app.post<{ Body: ModelActionRequest }>(
    "/api/v1/models",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["models"],
        summary:
          "Load, unload or download a model (admins). Ours: `{ action, id?, contextSize?, source?, sha256?, fileName? }`; the seed's: `{ model_id, action, config }` (for a download model_id is the URL or hf: reference). Downloads are refused unless the server allows them, and then run inside the offline guard's one scoped exception",
        security: securityRequirement,
        body: {
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
              },
            },
          },
        },
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
    },
    async (request) => {
      const principal = await ctx.authorize(request, MANAGE_MODELS);
      const body = modelActionFromRequest(request.body);
      if (body.action === "download") {
        if (!body.source) throw invalidField("body.source", "is required to download a model (or a model_id that is a URL or hf: reference)");
        if (!ctx.allowModelDownloads) {
          throw new HttpError(403, "DOWNLOADS_DISABLED", "model downloads are disabled on this server", {
            hint: "Copy the .gguf file into the models folder, or start the server with model downloads allowed.",
          });
        }
        const record = await services.models.pull(body.source, {
          allowNetwork: true,
          ...(body.sha256 ? { sha256: body.sha256 } : {}),
          ...(body.fileName ? { fileName: body.fileName } : {}),
        });
        await services.audit.record({ action: "model.download", outcome: "success", actor: principal.id, resource: record.id });
        return { action: "download", model: modelView(record), ...modelActionMessage("download", record.id, { record }) };
      }
      if (!body.id) throw invalidField("body.id", `is required to ${body.action} a model (or body.model_id)`);
      if (body.action === "load") {
        const loaded = await services.models.load(body.id, {
          ...(body.contextSize ? { contextSize: body.contextSize } : {}),
          ...(services.config.models.threads ? { threads: services.config.models.threads } : {}),
        });
        return { action: "load", loaded, ...modelActionMessage("load", body.id, { loaded }) };
      }
      services.models.registry.get(body.id); // 404 for an unknown id
      const unloaded = await services.models.unload(body.id);
      return { action: "unload", unloaded, ...modelActionMessage("unload", body.id, { unloaded }) };
    },
  );

  app.post<{ Params: { id: string }; Body: GenerateBody }>(
    "/api/v1/models/:id/generate",
    {
      config: { rateCost: 5 },
      schema: {
        tags: ["models"],
        summary: "Generate text with a local model; `stream: true` sends server-sent events (`token`… then `done` or `error`)",
        security: securityRequirement,
        params: idParams,
        body: {
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
        },
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
    },
    async (request, reply) => {
      await ctx.authorize(request, USE_MODELS);
      const { id } = request.params;
      const body = request.body;
      services.models.registry.get(id); // 404 before any stream starts
      const generateRequest = {
        prompt: body.prompt,
        ...(body.max_tokens === undefined ? {} : { maxTokens: body.max_tokens }),
        ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
        ...(body.stop_sequences ? { stop: body.stop_sequences } : {}),
        ...(body.seed === undefined ? {} : { seed: body.seed }),
      };
      const dto = (r: { text: string; tokensUsed: number; promptTokens: number; generationTime: number; tokensPerSecond: number; finishReason: string }) => ({
        model: id,
        text: r.text,
        tokens_used: r.tokensUsed,
        prompt_tokens: r.promptTokens,
        generation_time: r.generationTime,
        tokens_per_second: r.tokensPerSecond,
        finish_reason: r.finishReason,
      });
      if (!body.stream) {
        const controller = new AbortController();
        reply.raw.once("close", () => controller.abort()); // a client that leaves stops the generation
        return dto(await services.models.generate(id, { ...generateRequest, signal: controller.signal }));
      }
      const sse = ctx.streams.start(reply);
      try {
        const iterator = services.models.stream(id, { ...generateRequest, signal: sse.signal });
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            sse.send("done", dto(next.value));
            break;
          }
          sse.send("token", { text: next.value.text });
        }
      } catch (error) {
        sse.send("error", toHttpError(error).body.error);
      } finally {
        sse.end();
      }
      return reply;
    },
  );
}
