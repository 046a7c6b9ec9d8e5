// @bear/cluster: scale-out on BullMQ and Redis. Step work goes to queues named by capability and
// runs on workers anywhere; several API instances share one workspace through run leases.

export { ClusterNode, clusterModule, type ClusterNodeOptions } from "./cluster-node";
export { StepWorker, type StepWorkerOptions, type StepAuthorizer } from "./workers/step-worker";
export { WorkerDirectory, RemoteWorkerCandidate } from "./workers/worker-directory";
export { liveWorkers, covers, type WorkerReport } from "./workers/worker-presence";
export { QueueExecutor, type QueueExecutorOptions } from "./queue/queue-executor";
export type { OneOffStepOptions } from "./queue/one-off-steps";
export { STEP_STREAM_ID, type StepStreams, type StepStreamReader, type StepStreamWriter } from "./queue/step-streams";
export { STEP_JOB_VERSION, stepJobId, stepQueueName, type StepJobData, type StepJobResult } from "./queue/step-job";
export { RedisWriterGate, type RedisWriterGateOptions } from "./locks/redis-writer-gate";
export { ClusterRuns, type ClusterRunsOptions } from "./runs/cluster-runs";
export { FilePayloads, InlinePayloads, type PayloadStore, type PayloadRef, type PayloadBinding } from "./payloads/payload-store";
export type { PayloadKeyCipher } from "./payloads/payload-key";
export type { WorkspaceCipherOption } from "./payloads/workspace-cipher";
export { parseRedisUrl, redact as redactRedisUrl, isPrivateAddress, type RedisEndpoint } from "./connection/redis-url";
export { checkRedis, connectRedis, redisOptions, type RedisCheck } from "./connection/redis-connection";
export { redisServerWarnings, type Known, type RedisServerSettings, type RedisServerWarning } from "./connection/redis-server-settings";
export { ClusterError, RemoteStepError, type ClusterErrorCode } from "./errors";
