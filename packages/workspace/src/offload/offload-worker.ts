// The worker script of the workspace's WorkerPool (built as dist/offload-worker.js): PII scans (the scan tasks of
// @bear/security's PiiScanPool) and contract reviews. A review with a model reaches back to the parent thread, which
// owns the model, through the pool's calls.
import { serveWorkerTasks, type GenerateChunk, type GenerateRequest, type GenerateResult, type Llm, type WorkerTaskTools } from "@bear/core";
import { reviewContract } from "@bear/legal";
import { piiScanTaskHandlers } from "@bear/security";
import { REVIEW_TASK, type LlmCall, type ReviewTask } from "./offload-tasks";

/** The parent's model, as the review sees it: every call travels to the parent thread and back. */
function remoteLlm(id: string, contextSize: number, tools: WorkerTaskTools): Llm {
  const generate = async (request: GenerateRequest): Promise<GenerateResult> => {
    const { signal, ...rest } = request;
    signal?.throwIfAborted();
    return (await tools.call({ method: "generate", request: rest } satisfies LlmCall)) as GenerateResult;
  };
  return {
    id,
    contextSize,
    countTokens: async (text) => (await tools.call({ method: "countTokens", text } satisfies LlmCall)) as number,
    generate,
    async *stream(request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
      const result = await generate(request);
      yield { text: result.text };
      return result;
    },
  };
}

serveWorkerTasks({
  ...piiScanTaskHandlers,
  [REVIEW_TASK]: (t, tools) => {
    const task = t as unknown as ReviewTask;
    return reviewContract(task.text, {
      ...(task.playbook === undefined ? {} : { playbook: task.playbook }),
      ...(task.documentName === undefined ? {} : { documentName: task.documentName }),
      ...(task.title === undefined ? {} : { title: task.title }),
      ...(task.llm ? { llm: remoteLlm(task.llm.id, task.llm.contextSize, tools) } : {}),
    });
  },
});
