/** Pub/sub channel on which API instances ask workers to abort a job (its step was cancelled or timed out). */
export const CANCEL_CHANNEL = "bear:step-cancel";
