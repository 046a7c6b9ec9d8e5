import { ROLES } from "@bear/security";
import type { NewUser } from "../users/workspace-users";
import type { ApiContext } from "./api-services";
import { created, ok, operation, type ApiOperation } from "./api-operation";
import { errorResponses, MATTER_PATTERN } from "./api-schemas";

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
const MANAGE = "principal.manage" as const;

/** Principals and their API keys (admins only: 'principal.manage'). */
export function userOperations({ services, host }: ApiContext): ApiOperation[] {
  const users = () => services.workspace.users();
  const tags = ["users"];
  return [
    operation({
      method: "GET",
      url: "/api/v1/users",
      tags,
      summary: "Users and API keys (no secrets)",
      schema: { response: { 200: { type: "object", properties: { users: { type: "array", items: userSchema } } }, ...errorResponses() } },
      async handle({ caller }) {
        await caller.authorize(MANAGE);
        return ok({ users: users().list() });
      },
    }),
    operation<unknown, unknown, NewUser>({
      method: "POST",
      url: "/api/v1/users",
      tags,
      rateCost: 5,
      summary: "Create a user with an API key, limited to some matters (the key is in this answer only)",
      schema: {
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
      async handle({ body, caller }) {
        const principal = await caller.authorize(MANAGE);
        return created(await users().add(principal.id, body));
      },
    }),
    operation<{ id: string }>({
      method: "POST",
      url: "/api/v1/users/:id/key",
      tags,
      rateCost: 5,
      summary: "Issue a new API key for a user; the old one stops working at once",
      schema: { params: ID_PARAM, response: { 200: withKey, ...errorResponses(404) } },
      async handle({ params, caller }) {
        const principal = await caller.authorize(MANAGE);
        return ok(await users().rotate(principal.id, params.id));
      },
    }),
    operation<{ id: string }>({
      method: "DELETE",
      url: "/api/v1/users/:id",
      tags,
      summary: "Revoke a user: its API key stops working at once",
      schema: { params: ID_PARAM, response: { 200: { type: "object", properties: { user: userSchema, revoked: { type: "boolean" } } }, ...errorResponses(404) } },
      async handle({ params, caller }) {
        const principal = await caller.authorize(MANAGE);
        const user = await users().revoke(principal.id, params.id);
        host.forgetVerifiedKeys();
        return ok({ user, revoked: true });
      },
    }),
  ];
}
