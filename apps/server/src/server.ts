import Fastify, { type FastifyInstance } from "fastify";
import { BearError, type BearConfig } from "@bear/core";
import { registerHealthRoutes } from "./routes/health";

export interface ServerOptions {
  readonly config: BearConfig;
  readonly version?: string;
}

/** Builds the HTTP app; composes the packages and holds no business logic of its own. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.config.server.bodyLimitMb * 1024 * 1024,
  });
  app.setErrorHandler((error: unknown, _request, reply) => {
    if (BearError.isInstance(error)) return reply.status(400).send({ error: error.toJSON() });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    // Never echo internals (or document text inside them) to a client on a 5xx.
    const message = status >= 500 ? "internal error" : (error as Error).message;
    return reply.status(status).send({ error: { code: status >= 500 ? "INTERNAL" : "BAD_REQUEST", message } });
  });
  registerHealthRoutes(app, options.version ?? "0.1.0");
  return app;
}

/** Listens on the configured loopback address only and returns the URL. */
export async function startServer(app: FastifyInstance, config: BearConfig): Promise<string> {
  return app.listen({ host: config.server.host, port: config.server.port });
}
