// The worker-thread side of a WorkerPool: a worker script calls serveWorkerTasks with its handlers.
import fs from "node:fs";
import os from "node:os";
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { enforceOffline } from "../offline/offline-guard";
import { isTransferred, serializeError, type FromWorker, type ToWorker, type WorkerTask } from "./worker-protocol";

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
 * Answers a WorkerPool's tasks in this worker thread, one at a time in the order they came, with the handler
 * registered for each task's `kind`. A pool may hand a task ahead (sent while the one before it still runs): it waits
 * here and starts the moment the one before it ends, unless the pool withdraws it first. Run at `nice` (default 10)
 * so the starting thread's event loop comes first.
 */
export function serveWorkerTasks(handlers: Readonly<Record<string, WorkerTaskHandler>>, options: { readonly nice?: number } = {}): void {
  const port = parentPort;
  if (!port) throw new Error("serveWorkerTasks runs in a worker thread only");
  lowerThreadPriority(options.nice ?? 10);
  // the starting thread's offline guard does not reach this realm: here a stricter one (heavy work needs no socket)
  if ((workerData as { bearOffline?: boolean } | null)?.bearOffline === true) enforceOffline({ allowLoopback: false });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextCall = 0;
  const waiting: { readonly id: number; readonly task: WorkerTask }[] = [];
  let running = false;
  const post = (message: FromWorker): void => port.postMessage(message);
  const toolsFor = (id: number): WorkerTaskTools => ({
    call: (payload) =>
      new Promise((resolve, reject) => {
        const callId = nextCall++;
        pending.set(callId, { resolve, reject });
        post({ type: "call", id, callId, payload });
      }),
  });
  const runOne = (id: number, task: WorkerTask): unknown => {
    const handler = handlers[task.kind];
    if (!handler) throw new Error(`this worker has no handler for '${task.kind}' tasks`);
    return handler(task as WorkerTask & Record<string, unknown>, toolsFor(id));
  };
  // Runs the waiting tasks in order. Between two, the messages already here are read first (a withdraw must reach a
  // task before it starts); a synchronous handler's next task then starts without a turn of the event loop.
  const drain = async (): Promise<void> => {
    running = true;
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      try {
        const returned = runOne(next.id, next.task);
        const value = isThenable(returned) ? await returned : returned;
        // a value packed into buffers moves them to the starting thread; posting it can fail (a buffer detached already)
        if (isTransferred(value)) port.postMessage({ type: "done", id: next.id, value: value.value } satisfies FromWorker, value.transfer);
        else post({ type: "done", id: next.id, value });
      } catch (error) {
        post({ type: "failed", id: next.id, error: serializeError(error) });
      }
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) onMessage(m.message as ToWorker);
    }
    running = false;
  };
  const onMessage = (message: ToWorker): void => {
    switch (message.type) {
      case "call-result": {
        const answer = pending.get(message.callId);
        pending.delete(message.callId);
        if (message.ok) answer?.resolve(message.value);
        else answer?.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }));
        return;
      }
      case "withdraw": {
        const at = waiting.findIndex((w) => w.id === message.id);
        if (at >= 0) waiting.splice(at, 1);
        post({ type: "withdrawn", id: message.id, withdrawn: at >= 0 });
        return;
      }
      case "task":
        waiting.push({ id: message.id, task: message.task });
        if (!running) void drain();
    }
  };
  port.on("message", onMessage);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
