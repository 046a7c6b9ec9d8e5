import type { JsonValue } from "@bear/workflow-engine";
import { WorkflowAgent, type AgentTask, type AgentTaskContext, type AgentType } from "../../src/index";

/** An agent whose work is a plain function (a test's stand-in for a specialist's real logic). */
export class FunctionAgent extends WorkflowAgent {
  constructor(
    id: string,
    capabilities: string[],
    private readonly fn: (task: AgentTask, ctx: AgentTaskContext) => Promise<JsonValue> | JsonValue,
    options: { type?: AgentType; maxConcurrentTasks?: number } = {},
  ) {
    super({ id, type: options.type ?? "specialist", capabilities, maxConcurrentTasks: options.maxConcurrentTasks ?? 2 });
  }
  protected override async perform(task: AgentTask, ctx: AgentTaskContext): Promise<JsonValue> {
    return this.fn(task, ctx);
  }
}

/** Resolves after `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** A deferred promise, for tests that control when an agent finishes. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
