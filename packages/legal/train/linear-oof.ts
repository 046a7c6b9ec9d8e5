// Fills the linear reader's out-of-fold cache on its own (so network members can run beside it):
//   nice -n 10 npx tsx train/linear-oof.ts [--typed=1]
// --typed=1: the reader also reads typed cues (ExperimentOptions.typed).
import { DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { stage1OutOfFold } from "./stage1-oof";

const typed = process.argv.includes("--typed=1");
stage1OutOfFold({ ...DEFAULT_EXPERIMENT, ...(typed ? { typed } : {}) }, (l) => process.stdout.write(`${l}\n`));
