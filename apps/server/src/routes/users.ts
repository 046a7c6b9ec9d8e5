import type { FastifyInstance } from "fastify";
import { ROLES, type NewUser } from "@bear/workspace";
import type { RouteContext } from "../http/route-context";
import { errorResponses, MATTER_PATTERN, securityRequirement } from "../http/schemas";

const ID_PARAM = { type: "object", required: ["id"], additionalProperties: false, properties: { id: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$" } } } as const;
const userSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    kind: { type: "string", enum: ["api-key", "user"] },
    role: { type: "string", nullable: true },
    matters: { type: "array", items: { type: "string" } },
  },
} as const;
const withKey = { type: "object", properties: { user: userSchema, apiKey: { type: "string", description: "shown once: only its hash is kept" } } } as const;

/** Principals and their API keys (admins only: 'principal.manage'); the logic is the workspace's. */
export function registerUserRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const users = () => ctx.services.workspace.users();
  const tags = ["users"];

  app.get("/api/v1/users", { schema: { tags, summary: "Users and API keys (no secrets)", security: securityRequirement, response: { 200: { type: "object", properties: { users: { type: "array", items: userSchema } } }, ...errorResponses() } } }, async (request) => {
    await ctx.authorize(request, "principal.manage");
    return { users: users().list() };
  });

  app.post<{ Body: NewUser }>(
    "/api/v1/users",
    {
      config: { rateCost: 5 },
      schema: {
        tags,
        summary: "Create a user with an API key, limited to some matters (the key is in this answer only)",
        security: securityRequirement,
        body: {
          type: "object",
          required: ["id", "role"],
          additionalProperties: false,
          properties: {
            id: ID_PARAM.properties.id,
            role: { type: "string", enum: [...ROLES] },
            matters: { type: "array", maxItems: 200, items: { type: "string", pattern: MATTER_PATTERN }, default: [] },
          },
        },
        response: { 201: withKey, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const principal = await ctx.authorize(request, "principal.manage");
      return reply.status(201).send(await users().add(principal.id, request.body));
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/v1/users/:id/key",
    { config: { rateCost: 5 }, schema: { tags, summary: "Issue a new API key for a user; the old one stops working at once", security: securityRequirement, params: ID_PARAM, response: { 200: withKey, ...errorResponses(404) } } },
    async (request) => {
      const principal = await ctx.authorize(request, "principal.manage");
      return users().rotate(principal.id, request.params.id);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/users/:id",
    { schema: { tags, summary: "Revoke a user: its API key stops working at once", security: securityRequirement, params: ID_PARAM, response: { 200: { type: "object", properties: { user: userSchema, revoked: { type: "boolean" } } }, ...errorResponses(404) } } },
    async (request) => {
      const principal = await ctx.authorize(request, "principal.manage");
      const user = await users().revoke(principal.id, request.params.id);
      ctx.auth.clearCache();
      return { user, revoked: true };
    },
  );
}
