// The peer for bench/scale-out.ts: a bare BullMQ worker (no BEAR) answering no-op jobs, in its own
// process like BEAR's workers, so the bench can show what BullMQ itself costs per job on this machine.
import { Worker } from "bullmq";
import { bullConnection } from "../src/connection/redis-connection";
import { parseRedisUrl } from "../src/index";

const [url, queueName, concurrency] = process.argv.slice(2) as [string, string, string | undefined];
const worker = new Worker(queueName, async () => null, { connection: bullConnection(parseRedisUrl(url)), prefix: "bear-raw", concurrency: Number(concurrency ?? 1) });
await worker.waitUntilReady();
const startCpu = process.cpuUsage();
process.stdout.write("ready\n");
let jobs = 0;
worker.on("completed", () => jobs++);
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage(startCpu);
  process.stdout.write(`${JSON.stringify({ jobs, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
  void worker.close().then(() => process.exit(0));
});
