import type { AgentTool } from "@bear/core";
import { legalTools } from "@bear/legal";
import { searchTool } from "@bear/rag";
import { redactTool } from "@bear/security";
import { requireMatter } from "../runs/require-matter";
import { actorOf } from "../runs/run-actor";
import type { Workspace } from "../workspace";

/**
 * The opened workspace, for the tools: they act through its audited acts (search, review,
 * redact), exactly as the CLI and the server do. Set when the Workspace is constructed.
 */
export class WorkspaceActs {
  current: Workspace | undefined;
  get(): Workspace {
    if (!this.current) throw new Error("the workspace's tools were called before the workspace was opened");
    return this.current;
  }
}

/**
 * The tools the packages contribute, bound to this workspace: rag's `search` (inside the run's
 * matter), legal's `review` and `extract_key_terms`, security's `redact` (with the plugins'
 * recognizers). Plugins' tools join them when loaded.
 */
export function workspaceTools(acts: WorkspaceActs): AgentTool[] {
  return [
    // the tool searches its run's matter only (rag's tool narrows to it); a call with none is refused, never a search of every matter
    searchTool((query, options, context) => {
      requireMatter(context, "tool 'search'");
      return acts.get().search(query, options, actorOf(context));
    }),
    ...legalTools((text, options, context) =>
      acts.get().review(text, { actor: actorOf(context), resource: `run:${context.runId ?? "direct"}`, ...(options.signal ? { signal: options.signal } : {}), ...(options.documentName ? { documentName: options.documentName } : {}) }),
    ),
    redactTool(async (text, options, context) => (await acts.get().redact(text, { actor: actorOf(context), ...(options.policy ? { policy: options.policy } : {}) })).result),
  ];
}
