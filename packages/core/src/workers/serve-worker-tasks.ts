// The worker-thread side of a WorkerPool: a worker script calls serveWorkerTasks with its handlers.
import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { enforceOffline } from "../offline/offline-guard";
import { serializeError, type FromWorker, type ToWorker, type WorkerTask } from "./worker-protocol";

/** What a handler can do besides computing: ask the thread that started the task for something. */
export interface WorkerTaskTools {
  /** Sends `payload` to the pool's `onCall` and resolves with its answer. */
  call(payload: unknown): Promise<unknown>;
}

export type WorkerTaskHandler = (task: WorkerTask & Record<string, unknown>, tools: WorkerTaskTools) => unknown;

/**
 * Lowers this thread's CPU priority (Linux keeps a nice value per thread): when the cores are busy,
 * the thread answering requests runs first and heavy work takes what is left. Best effort.
 */
function lowerThreadPriority(nice: number): void {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: the thread keeps the process's priority
  }
}

/**
 * Answers a WorkerPool's tasks in this worker thread, one at a time, with the handler registered for
 * each task's `kind`. Run at `nice` (default 10) so the starting thread's event loop comes first.
 */
export function serveWorkerTasks(handlers: Readonly<Record<string, WorkerTaskHandler>>, options: { readonly nice?: number } = {}): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorkerTasks runs in a worker thread only");
  lowerThreadPriority(options.nice ?? 10);
  // the starting thread's offline guard does not reach this realm: here a stricter one (heavy work needs no socket)
  if ((workerData as { bearOffline?: boolean } | null)?.bearOffline === true) enforceOffline({ allowLoopback: false });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextCall = 0;
  port.on("message", (message: ToWorker) => {
    if (message.type === "call-result") {
      const waiting = pending.get(message.callId);
      pending.delete(message.callId);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }));
      return;
    }
    const { id, task } = message;
    const tools: WorkerTaskTools = {
      call: (payload) =>
        new Promise((resolve, reject) => {
          const callId = nextCall++;
          pending.set(callId, { resolve, reject });
          port.postMessage({ type: "call", id, callId, payload } satisfies FromWorker);
        }),
    };
    void (async () => {
      let reply: FromWorker;
      try {
        const handler = handlers[task.kind];
        if (!handler) throw new Error(`this worker has no handler for '${task.kind}' tasks`);
        reply = { type: "done", id, value: await handler(task as WorkerTask & Record<string, unknown>, tools) };
      } catch (error) {
        reply = { type: "failed", id, error: serializeError(error) };
      }
      port.postMessage(reply);
    })();
  });
}
