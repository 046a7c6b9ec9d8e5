import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { apiCaller, securityRequirement, toHttpError, type AccessControl, type ApiOperation, type ApiRequest, type ApiResult, type Principal } from "@bear/workspace";
import type { SseStreams } from "./sse";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller (set by the auth hook on every non-public route). */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** No authentication (health, docs, the web UI). */
    public?: boolean;
    /** Tokens this route takes from the caller's rate-limit bucket (default 1). */
    rateCost?: number;
  }
}

/** The workspace's view of one HTTP request; `signal` aborts when the client goes away. */
function apiRequest(request: FastifyRequest, reply: FastifyReply, access: AccessControl): ApiRequest {
  const controller = new AbortController();
  reply.raw.once("close", () => controller.abort());
  return {
    params: request.params,
    query: request.query,
    body: request.body,
    caller: apiCaller(access, request.principal),
    signal: controller.signal,
    multipart: { isMultipart: request.isMultipart(), file: () => request.file() },
  };
}

async function send(reply: FastifyReply, result: ApiResult, streams: SseStreams): Promise<FastifyReply> {
  if (result.kind === "json") return reply.status(result.status).send(result.body);
  if (result.kind === "content") return reply.headers(result.headers).send(result.body);
  const sse = streams.start(reply);
  try {
    for await (const e of result.events(sse.signal)) {
      if (sse.signal.aborted) break;
      sse.send(e.event, e.data);
    }
  } catch (error) {
    sse.send("error", toHttpError(error).body.error);
  } finally {
    sse.end();
  }
  return reply;
}

/** One Fastify route per workspace API operation: its schema, its rate cost, its handler. */
export function registerOperations(app: FastifyInstance, operations: readonly ApiOperation[], access: AccessControl, streams: SseStreams): void {
  for (const op of operations) {
    const { produces, consumes, ...parts } = op.schema;
    app.route({
      method: op.method,
      url: op.url,
      config: { ...(op.rateCost ? { rateCost: op.rateCost } : {}), ...(op.public ? { public: true } : {}) },
      schema: {
        tags: [...op.tags],
        summary: op.summary,
        ...(op.public ? {} : { security: securityRequirement }),
        ...(consumes ? { consumes: [...consumes] } : {}),
        ...(produces ? { produces: [...produces] } : {}),
        ...parts,
      },
      handler: async (request, reply) => send(reply, await op.handle(apiRequest(request, reply, access)), streams),
    });
  }
}
