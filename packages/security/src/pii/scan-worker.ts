// The worker script of PiiScanPool's own pool (built as dist/scan-worker.js).
import { serveWorkerTasks } from "@bear/core";
import { piiScanTaskHandlers } from "./scan-task";

serveWorkerTasks(piiScanTaskHandlers);
