// bench/step-breakdown.ts's bare BullMQ worker: raw-bullmq-worker.ts with the probe's stamps.
import "./probe";

await import("./raw-bullmq-worker");
