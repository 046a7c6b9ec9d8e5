// A no-op worker for bench/step-ab.ts, of the package source it is given: serves the bench steps
// until SIGTERM, then prints its CPU and the steps it completed.
import { InProcessExecutor } from "@bear/workflow-engine";
import { contentCipherFromKey as ownKeyCipher } from "@bear/security";
import { reviewRegistry } from "./review-steps";
import type * as Cluster from "../src/index";

const [src, url, payloadDir, id, security] = process.argv.slice(2) as [string, string, string, string, string | undefined];
// another build of @bear/security to seal with (step-ab.ts's --before-security), else this tree's
const keyCipher = security ? ((await import(`${security}/dist/index.js`)) as { contentCipherFromKey: typeof ownKeyCipher }).contentCipherFromKey : ownKeyCipher;
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
