import { InvalidArgumentError } from "@bear/core";

/**
 * What may name who started a run (an audit record's actor): a principal id (`alice`, `svc.ingest`),
 * `cli`, `system`, `workflow:<run>`… 1-200 of letters, digits, '.', '_', ':', '@' or '-', starting
 * with a letter or digit: no spaces, control characters or quotes that could forge a log line.
 */
export const RUN_ACTOR = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;

/** Whether `value` is a well-formed actor (a string matching RUN_ACTOR), e.g. one read from a message or a file. */
export function isRunActor(value: unknown): value is string {
  return typeof value === "string" && RUN_ACTOR.test(value);
}

/** Throws InvalidArgumentError unless `actor` is undefined or matches RUN_ACTOR. */
export function assertRunActor(actor: unknown): asserts actor is string | undefined {
  if (actor !== undefined && !isRunActor(actor)) {
    throw new InvalidArgumentError("actor", actor, "1-200 letters, digits, '.', '_', ':', '@' or '-', starting with a letter or digit");
  }
}
