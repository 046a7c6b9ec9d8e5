// The peer for bench/scale-out.ts: a bare BullMQ worker (no BEAR) answering no-op jobs, in its own
// process like BEAR's workers, so the bench can show what BullMQ itself costs per job on this machine.
import { Worker } from "bullmq";
import { bullConnection } from "../src/connection/redis-connection";
import { parseRedisUrl } from "../src/index";

const [url, queueName] = process.argv.slice(2) as [string, string];
const worker = new Worker(queueName, async () => null, { connection: bullConnection(parseRedisUrl(url)), prefix: "bear-raw", concurrency: 1 });
await worker.waitUntilReady();
process.stdout.write("ready\n");
process.on("SIGTERM", () => void worker.close().then(() => process.exit(0)));
