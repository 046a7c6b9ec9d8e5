import { AccessDeniedError, type AccessControl, type Action, type Principal, type Resource } from "@bear/security";
import type { ApiCaller } from "./api-operation";
import { HttpError } from "./http-error";

/** Matters a principal may see: undefined means every matter (admins). */
export function visibleMatters(principal: Principal): readonly string[] | undefined {
  return principal.roles.includes("admin") ? undefined : principal.matters;
}

/** The caller of one request, deciding through @bear/security's single decision point (which audits refusals). */
export function apiCaller(access: AccessControl, principal: Principal | undefined): ApiCaller {
  const known = (): Principal => {
    if (!principal) throw new HttpError(401, "AUTHENTICATION_FAILED", "this route needs an API key and the request has none");
    return principal;
  };
  const authorize = async (action: Action, resource: Resource = {}): Promise<Principal> => {
    const p = known();
    const decision = await access.authorize(p, action, resource);
    if (!decision.allowed) throw new AccessDeniedError(p.id, action, resource.document ?? resource.matter ?? "*", decision.reason);
    return p;
  };
  return {
    get principal() {
      return known();
    },
    authorize,
    async authorizeInMatter(action, resource, notFound) {
      try {
        return await authorize(action, resource);
      } catch (error) {
        const visible = visibleMatters(known());
        if (visible !== undefined && !visible.includes(resource.matter)) throw notFound();
        throw error;
      }
    },
    visibleMatters: () => visibleMatters(known()),
  };
}
