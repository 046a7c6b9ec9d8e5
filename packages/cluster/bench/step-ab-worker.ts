// A no-op worker for bench/step-ab.ts, of the package source it is given: serves the bench steps
// until SIGTERM, then prints its CPU and the steps it completed.
import { InProcessExecutor } from "@bear/workflow-engine";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { reviewRegistry } from "./review-steps";
import type * as Cluster from "../src/index";

const [src, url, payloadDir, id] = process.argv.slice(2) as [string, string, string, string];
const { FilePayloads, StepWorker, parseRedisUrl } = (await import(`${src}/index.ts`)) as typeof Cluster;
const registry = reviewRegistry();
const payloads = new FilePayloads(payloadDir, undefined, { keyCipher });
const worker = new StepWorker({ endpoint: parseRedisUrl(url), executor: new InProcessExecutor(registry), stepTypes: registry.types(), concurrency: 2, payloads, id });
await worker.start();
const start = process.cpuUsage();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage(start);
  process.stdout.write(`cpu ${(cpu.user + cpu.system) / 1000} steps ${worker.report().completed}\n`);
  void worker.close().then(() => process.exit(0));
});
