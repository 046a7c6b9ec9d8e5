// A `bear worker` for the cluster-step tests, in its own process: opens the workspace (the built
// package, as `bear worker` does) as a cluster worker and takes the jobs of the capabilities it is given.
import { defaultBearConfig } from "@bear/core";
// eslint-disable-next-line @nx/enforce-module-boundaries -- the worker process runs the built package, as `bear worker` does
import { openWorkspace } from "@bear/workspace";

// a 5th argument: the config's `models` (e.g. an LLM the worker serves), as JSON
const [dataDir, redisUrl, id, capabilities, models] = process.argv.slice(2);
const defaults = defaultBearConfig(dataDir);
const workspace = await openWorkspace({
  config: { ...defaults, log: { level: "error" }, ...(models ? { models: { ...defaults.models, ...JSON.parse(models) } } : {}) },
  cluster: { redisUrl, role: "worker" },
  resumeWorkflows: false,
  // an encrypted workspace's passphrase, as `bear worker` reads BEAR_PASSPHRASE
  ...(process.env.BEAR_TEST_PASSPHRASE ? { passphrase: process.env.BEAR_TEST_PASSPHRASE } : {}),
  offload: { workers: 0 },
});
const worker = await workspace.startWorker({ id, capabilities: capabilities.split(","), concurrency: 2, lockDurationMs: 3_000, stalledIntervalMs: 1_000 });
process.stdout.write(`${JSON.stringify({ worker: worker.id, capabilities: worker.capabilities })}\nready\n`);
const stop = () => void worker.close().then(() => workspace.dispose()).then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
