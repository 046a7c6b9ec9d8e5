import Fastify, { type FastifyInstance } from "fastify";
import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { enforceOffline, isLoopbackHost, isOfflineEnforced, type BearConfig, type Logger } from "@bear/core";
import { ApiKeyAuth, errorResponse, HttpError, openServerServices, openWorkspace, sharedSchemas, validationError, workspaceApi, type BearServices, type OffloadOptions, type PassphraseSource, type Role, type WorkspaceClusterOptions } from "@bear/workspace";
import { registerOperations } from "./http/operation-routes";
import { RequestMetrics } from "./http/request-metrics";
import { refuseCrossOrigin } from "./http/request-origin";
import { SseStreams } from "./http/sse";
import { registerUiRoutes } from "./routes/ui";

/** A principal to create at start; its API key is returned once in `BearServer.apiKeys`. */
export interface ServerPrincipal {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly matters?: readonly string[];
  /** When the principal already exists (principals persist in the workspace): issue it a new key. */
  readonly rotate?: boolean;
}

export interface ServerOptions {
  readonly config: BearConfig;
  readonly version?: string;
  /** API-key principals that must exist: created (key in `apiKeys`) when new, else kept as they are unless `rotate`. */
  readonly principals?: readonly ServerPrincipal[];
  /**
   * The workspace passphrase (or how to ask for it), when its keys are sealed. The server uses the
   * workspace `bear init` made under `config.dataDir` (its keys, audit chain and principals); a
   * folder holding none becomes a new, unencrypted workspace.
   */
  readonly passphrase?: PassphraseSource;
  /** Token bucket per principal (default 120 burst, 20/s). */
  readonly rateLimit?: { readonly capacity: number; readonly refillPerSecond: number };
  /** Largest JSON body in bytes (default 1 MiB). Uploads are limited by `config.rag.maxFileSizeMb`. */
  readonly jsonBodyLimitBytes?: number;
  /** Let `POST /api/v1/models {action:"download"}` open the network (inside allowNetwork). Default false. */
  readonly allowModelDownloads?: boolean;
  /** Serve the web UI at `/` (default true). */
  readonly ui?: boolean;
  /**
   * How long an upload or a delete waits while another process (a `bear ingest`) writes to the
   * index, before answering 503 with Retry-After. Default 30 s.
   */
  readonly indexLockWaitMs?: number;
  /**
   * Run as one of several API instances of this workspace (`bear serve --redis`): step work goes
   * to `bear worker`s through BullMQ on this Redis, runs are shared through leases. Default: none,
   * everything runs in this process.
   */
  readonly cluster?: Omit<WorkspaceClusterOptions, "role">;
  readonly logger?: Logger;
  /** Worker threads for redaction and review (default: the workspace's, one per core but one). */
  readonly offload?: OffloadOptions;
}

/** The running parts: the Fastify app, the composed packages and the API keys issued at start. */
export interface BearServer {
  readonly app: FastifyInstance;
  readonly services: BearServices;
  /** principal id → API key, for `options.principals` (shown once; only hashes are kept). */
  readonly apiKeys: Readonly<Record<string, string>>;
  /** Listens on the configured loopback address and returns the URL. */
  listen(): Promise<string>;
  /** Graceful shutdown: stops accepting, ends event streams, drains requests, leaves workflows resumable, releases models. */
  close(): Promise<void>;
}

const DOCS_PREFIX = "/api/v1/docs";

/** `127.0.0.1:4141`, `[::1]:4141`, `localhost` → true; any other name → false. */
function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return isLoopbackHost(new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/** Composes the packages behind the REST API; holds no business logic of its own. */
export async function createServer(options: ServerOptions): Promise<BearServer> {
  const { config } = options;
  // BEAR never reaches the network; the one exception (a model download the user asks for) runs inside allowNetwork().
  if (config.offline.enforce && !isOfflineEnforced()) enforceOffline();
  const workspace = await openWorkspace({
    config,
    create: true,
    rateLimit: options.rateLimit ?? { capacity: 120, refillPerSecond: 20 },
    // An HTTP request should not hang for minutes behind a `bear ingest`.
    indexLockWaitMs: options.indexLockWaitMs ?? 30_000,
    ...(options.cluster ? { cluster: { ...options.cluster, role: "instance" as const } } : {}),
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.offload ? { offload: options.offload } : {}),
  });
  let services: BearServices | undefined;
  try {
    services = await openServerServices(workspace);
    // A plugin copied into (or removed from) a plugin folder takes effect without a restart.
    workspace.watchPlugins((error) => {
      if (error) options.logger?.warn({ code: (error as { code?: string }).code }, "plugin reload failed");
    });
    const apiKeys: Record<string, string> = {};
    const access = services.access;
    for (const p of options.principals ?? []) {
      if (!access.has(p.id)) apiKeys[p.id] = (await access.addApiKey(p.id, p.roles, p.matters ?? [])).apiKey;
      else if (p.rotate) apiKeys[p.id] = await access.rotateApiKey(p.id);
    }
    const app = await buildApp(services, options);
    return {
      app,
      services,
      apiKeys,
      listen: () => app.listen({ host: config.server.host, port: config.server.port }),
      close: () => app.close(),
    };
  } catch (error) {
    await workspace.dispose();
    throw error;
  }
}

async function buildApp(services: BearServices, options: ServerOptions): Promise<FastifyInstance> {
  const version = options.version ?? "0.1.0";
  const app = Fastify({
    logger: false,
    bodyLimit: options.jsonBodyLimitBytes ?? 1024 * 1024,
    return503OnClosing: true,
    requestTimeout: 300_000,
    forceCloseConnections: "idle",
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allErrors: false } },
  });
  const auth = new ApiKeyAuth({ access: services.access, limiter: services.limiter, audit: services.audit });
  const metrics = new RequestMetrics();
  const streams = new SseStreams();
  const operations = workspaceApi({
    services,
    host: {
      version,
      allowModelDownloads: options.allowModelDownloads ?? false,
      requestMetrics: () => metrics.snapshot(),
      openEventStreams: () => streams.size,
      forgetVerifiedKeys: () => auth.clearCache(),
    },
  });

  app.decorateRequest("principal", undefined);
  for (const schema of sharedSchemas) app.addSchema(schema);

  app.addHook("onRoute", (route) => {
    // Public: health (declared on the route), the API docs and the web UI's static files. Everything else under /api, and /metrics, needs a key.
    if (route.url.startsWith(DOCS_PREFIX) || route.url === "/api/v1/openapi.json" || (!route.url.startsWith("/api/") && route.url !== "/metrics")) route.config = { ...route.config, public: true };
  });

  // Authentication and rate limiting come first, before any body is read.
  app.addHook("onRequest", async (request) => {
    // DNS rebinding: a page on another site whose name now resolves to 127.0.0.1 still sends its own Host.
    if (!isLoopbackHostHeader(request.headers.host)) {
      throw new HttpError(421, "HOST_NOT_ALLOWED", "this server answers only requests addressed to a loopback host (127.0.0.1, ::1 or localhost)", {
        hint: "Open the URL the server printed, e.g. http://127.0.0.1:4141/.",
      });
    }
    if (request.is404 || request.routeOptions.config?.public) return;
    // A page of another site: refused before it can spend a login budget or use a key.
    refuseCrossOrigin({ protocol: request.protocol, host: request.headers.host, origin: request.headers.origin, secFetchSite: header(request.headers["sec-fetch-site"]) });
    const principal = await auth.authenticate({
      authorization: request.headers.authorization,
      apiKeyHeader: typeof request.headers["x-api-key"] === "string" ? request.headers["x-api-key"] : undefined,
      ip: request.ip,
      route: request.routeOptions.url ?? "unknown",
    });
    request.principal = principal;
    await auth.consume(principal, request.routeOptions.config?.rateCost ?? 1, request.routeOptions.url ?? "unknown");
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    if (!request.url.startsWith(DOCS_PREFIX)) {
      reply.header("content-security-policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }
  });

  app.addHook("onResponse", async (request, reply) => {
    metrics.record(request.method, request.is404 ? "(not found)" : (request.routeOptions.url ?? "(unknown)"), reply.statusCode, reply.elapsedTime);
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    const e = error as { code?: string; statusCode?: number };
    const unparsable = e.statusCode === 400 && typeof e.code === "string" && e.code.startsWith("FST_ERR_CTP_");
    const { status, body, headers } = errorResponse(unparsable ? validationError("body", [{ keyword: "parse", message: "is not valid JSON" }]) : error);
    // A package error with no HTTP status answers the generic 500: its own code is logged here.
    if (status >= 500) options.logger?.error({ code: e.code ?? body.error.code, name: (error as Error)?.name }, "request failed");
    return reply.status(status).headers(headers).send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { name: "HttpError", code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}`, hint: "See /api/v1/openapi.json for the routes." } }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "BEAR AI Legal API", version, description: "The offline legal AI workbench: documents, search, cited answers, redaction, audit, models, workflows and agents. Loopback only." },
      servers: [{ url: "/" }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "A BEAR API key (bear_<id>_<secret>) as a bearer token." },
          apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: "list" }, staticCSP: false });
  await app.register(multipart, {
    preservePath: true, // see the client's file name as sent, so a traversal attempt is refused rather than silently trimmed
    limits: { fileSize: services.config.rag.maxFileSizeMb * 1024 * 1024, files: 1, fields: 4, parts: 5, fieldSize: 1024, headerPairs: 100 },
  });

  app.get("/api/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerOperations(app, operations, services.access, streams);
  if (options.ui ?? true) await registerUiRoutes(app);

  app.addHook("preClose", async () => streams.abortAll());
  app.addHook("onClose", async () => {
    await auth.flush(); // the last window of failed-login counts
    await services.workspace.dispose();
  });
  await app.ready();
  return app;
}
