import { randomUUID } from "node:crypto";
import { ACT_RUN_PREFIX, RawJson, type Executor, type JsonObject, type JsonValue, type StepProgress } from "@bear/workflow-engine";
import { ClusterError, RemoteStepError } from "../errors";
import type { PayloadStore } from "../payloads/payload-store";

/** Options of one step sent outside any workflow run. */
export interface OneOffStepOptions {
  /** The matter the work is for: written into the job and its payload files, checked by the worker. */
  readonly matter: string | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
  /** Attempts when a worker's error says a retry may help (default 2). */
  readonly attempts?: number;
}

/**
 * Steps an API instance sends to the workers for its own acts (a redaction, the preparation of an
 * ingested file), not for a workflow run: each gets a run id of its own (`act-<uuid>`), goes
 * through the same queues, balancer, payload files and matter checks as a run's steps, and its
 * payload files are removed once it settles. Nothing is recorded in the workflow database.
 */
export class OneOffSteps {
  constructor(
    private readonly executor: () => Executor,
    private readonly payloads: PayloadStore,
    /** Called with the act's run id once it settles (the balancer forgets the run's home worker). */
    private readonly settled: (runId: string) => void = () => undefined,
  ) {}

  async run(type: string, parameters: JsonObject, options: OneOffStepOptions): Promise<JsonValue> {
    const runId = `${ACT_RUN_PREFIX}${randomUUID()}`;
    const signal = options.signal ?? new AbortController().signal;
    const attempts = Math.max(1, options.attempts ?? 2);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const output = await this.executor().execute({ runId, stepId: "act", type, parameters, attempt, ...(options.matter === null ? {} : { matter: options.matter }) }, { signal, onProgress: options.onProgress ?? (() => undefined) });
          // the act executor parses its outputs (it is made with `acts`); a RawJson from another executor is parsed here
          return RawJson.isInstance(output) ? output.value : output;
        } catch (error) {
          const retry = error instanceof RemoteStepError && error.retryable && attempt < attempts && !signal.aborted;
          if (!retry) throw error;
        }
      }
    } finally {
      if (!this.payloads.inline) this.payloads.removeRun(runId);
      this.settled(runId);
    }
  }
}

/** The executor of one-off steps never runs anything in-process: every type goes to a worker. */
export const refuseLocal: Executor = {
  execute: (task) => Promise.reject(new ClusterError("NO_CAPABLE_WORKER", `step type '${task.type}' is not run in the API instance`, { retryable: false })),
};
