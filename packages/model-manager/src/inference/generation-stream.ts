import type { GenerateChunk, GenerateRequest, GenerateResult } from "@bear/core";
import { Observable } from "rxjs";

/** What a streaming Observable emits: text pieces, then the final result. */
export type GenerationEvent = { readonly type: "chunk"; readonly text: string } | { readonly type: "result"; readonly result: GenerateResult };

type Runner = (request: GenerateRequest, onChunk: (text: string) => void) => Promise<GenerateResult>;

/** Links an outer signal (optional) to a controller we can also abort ourselves. */
function linkedController(outer: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (!outer) return { controller, unlink: () => undefined };
  if (outer.aborted) controller.abort(outer.reason);
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener("abort", onAbort, { once: true });
  return { controller, unlink: () => outer.removeEventListener("abort", onAbort) };
}

/**
 * Turns a callback-based generation into an async generator. Leaving the loop early (break,
 * return, throw) aborts the generation, so no model time is spent on text nobody reads.
 */
export async function* streamGeneration(run: Runner, request: GenerateRequest): AsyncGenerator<GenerateChunk, GenerateResult, undefined> {
  const { controller, unlink } = linkedController(request.signal);
  const pending: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  let result: GenerateResult | undefined;
  const done = run({ ...request, signal: controller.signal }, (text) => {
    pending.push(text);
    wake?.();
  }).then(
    (r) => {
      result = r;
    },
    (error: unknown) => {
      failure = { error };
    },
  ).finally(() => {
    finished = true;
    wake?.();
  });
  try {
    for (;;) {
      while (pending.length > 0) yield { text: pending.shift() as string };
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    await done;
    if (failure) throw failure.error;
    return result as GenerateResult;
  } finally {
    if (!finished) {
      controller.abort(new Error("stream closed by the consumer"));
      await done;
    }
    unlink();
  }
}

/** The same as an rxjs Observable; unsubscribing aborts the generation. */
export function observeGeneration(run: Runner, request: GenerateRequest): Observable<GenerationEvent> {
  return new Observable<GenerationEvent>((subscriber) => {
    const { controller, unlink } = linkedController(request.signal);
    run({ ...request, signal: controller.signal }, (text) => subscriber.next({ type: "chunk", text })).then(
      (result) => {
        subscriber.next({ type: "result", result });
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      unlink();
      if (!controller.signal.aborted) controller.abort(new Error("unsubscribed"));
    };
  });
}
