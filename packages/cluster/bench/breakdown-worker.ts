// bench/step-breakdown.ts's worker: the review worker (review-worker.ts) with the probe's stamps
// (probe.ts: Redis commands and replies) plus BullMQ's steps from a job's fetch to its processor,
// the lock keeper's hold, the handler, and payload reads and writes.
import { Worker } from "bullmq";
import { InProcessExecutor } from "@bear/workflow-engine";
import { probeMethod } from "./probe";
import { FilePayloads } from "../src/index";
import { LockKeeper } from "../src/workers/lock-keeper";

probeMethod(Worker.prototype, "nextJobFromJobData", "bull.nextJobFromJobData");
probeMethod(Worker.prototype, "processJob", "bull.processJob");
probeMethod(Worker.prototype, "callProcessJob", "bull.callProcessJob");
probeMethod(LockKeeper.prototype, "hold", "keeper.hold");
probeMethod(InProcessExecutor.prototype, "execute", "handler");
probeMethod(FilePayloads.prototype, "get", "payload.get");
probeMethod(FilePayloads.prototype, "put", "payload.put");
await import("./review-worker");
