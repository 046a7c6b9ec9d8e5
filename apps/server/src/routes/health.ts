import type { FastifyInstance } from "fastify";
import { isOfflineEnforced } from "@bear/core";

export function registerHealthRoutes(app: FastifyInstance, version: string): void {
  app.get(
    "/api/v1/health",
    {
      schema: {
        response: {
          200: {
            type: "object",
            required: ["status", "version", "offline", "uptimeSeconds"],
            properties: {
              status: { type: "string", enum: ["ok"] },
              version: { type: "string" },
              offline: { type: "boolean" },
              uptimeSeconds: { type: "number" },
            },
          },
        },
      },
    },
    async () => ({ status: "ok" as const, version, offline: isOfflineEnforced(), uptimeSeconds: process.uptime() }),
  );
}
