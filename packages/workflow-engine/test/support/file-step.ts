// One file_operations step run outside an engine, as the handler's unit and integration tests need it.
import { silentLogger } from "@bear/core";
import type { JsonValue } from "../../src/execution/json-value";
import { fileOperationsHandler, fileOperationsParameters, type FileOperationsOptions } from "../../src/steps/file-operations-handler";

/** Runs one `file_operations` step with `params` (parsed as the engine parses them), in `matter` and for `actor` when given. */
export function runFileStep(options: FileOperationsOptions, params: Record<string, unknown>, matter?: string, actor?: string): Promise<JsonValue> {
  return fileOperationsHandler(options).execute({
    runId: "r1",
    stepId: "files",
    type: "file_operations",
    agent: undefined,
    ...(matter === undefined ? {} : { matter }),
    ...(actor === undefined ? {} : { actor }),
    parameters: fileOperationsParameters.parse(params),
    attempt: 1,
    item: undefined,
    index: undefined,
    signal: new AbortController().signal,
    progress: () => undefined,
    logger: silentLogger,
  });
}
