import type { ApiOperation } from "./api-operation";
import type { ApiContext } from "./api-services";
import { agentOperations } from "./agent-operations";
import { conversationOperations } from "./conversation-operations";
import { documentOperations } from "./document-operations";
import { modelOperations } from "./model-operations";
import { redactReviewOperations } from "./redact-review-operations";
import { searchOperations } from "./search-operations";
import { auditOperations, cacheOperations, healthOperations } from "./system-operations";
import { userOperations } from "./user-operations";
import { workflowOperations } from "./workflow-operations";

/**
 * Every operation of the REST API `/api/v1`, in the order OpenAPI lists them. A server maps each
 * one to a route: validates the request against `schema`, authenticates the caller, calls
 * `handle` and writes its result.
 */
export function workspaceApi(context: ApiContext): readonly ApiOperation[] {
  return [
    ...healthOperations(context),
    ...documentOperations(context),
    ...searchOperations(context),
    ...conversationOperations(context),
    ...redactReviewOperations(context),
    ...auditOperations(context),
    ...cacheOperations(context),
    ...modelOperations(context),
    ...workflowOperations(context),
    ...agentOperations(context),
    ...userOperations(context),
  ];
}
