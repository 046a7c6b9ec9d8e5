/** What an actor check reads of a step's or a tool call's context. */
export interface ActorContext {
  readonly actor?: string | undefined;
  readonly runId?: string | undefined;
}

/**
 * Who a step's or a tool call's act is audited as: whoever started its run (the authenticated
 * principal, `cli`; StartRunOptions.actor, carried into nested runs and to cluster workers), else —
 * a run its starter named nobody for — the run itself, `workflow:<runId>` (`workflow:direct` outside a run).
 */
export function actorOf(context: ActorContext): string {
  return context.actor ?? `workflow:${context.runId ?? "direct"}`;
}
