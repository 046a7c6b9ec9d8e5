import { BearError, type BearErrorOptions } from "@bear/core";

export type ClusterErrorCode =
  | "REDIS_URL_INVALID"
  | "REDIS_URL_INSECURE"
  | "REDIS_UNREACHABLE"
  | "REDIS_SERVER_INSECURE"
  | "NO_CAPABLE_WORKER"
  | "STEP_PAYLOAD_INVALID"
  | "STEP_MATTER_MISMATCH"
  | "WORKSPACE_CIPHER_MISSING"
  | "STEP_FAILED_REMOTELY"
  | "STEP_LOCK_LOST"
  | "STEP_JOB_FORGED"
  | "STEP_JOB_REPLAYED"
  | "CLUSTER_OPTION_INVALID"
  | "BULLMQ_UNSUPPORTED";

/** Errors of @bear/cluster (a BearError: stable code, message naming the value, hint). */
export class ClusterError extends BearError<ClusterErrorCode> {
  /** False for errors no retry can fix (the engine does not retry them). */
  readonly retryable: boolean;
  constructor(code: ClusterErrorCode, message: string, options: BearErrorOptions & { readonly retryable?: boolean } = {}) {
    super(code, message, options);
    this.retryable = options.retryable ?? true;
  }
}

/** A step that failed on a worker: carries the worker's error code and message (never a stack or document text). */
export class RemoteStepError extends BearError<string> {
  readonly retryable: boolean;
  /** The worker refused the step for what it asks (isStepRefusal): no failure of whoever sent it. */
  readonly refused: boolean;
  constructor(code: string, message: string, retryable: boolean, refused = false) {
    super(code, message);
    this.retryable = retryable;
    this.refused = refused;
  }
}
