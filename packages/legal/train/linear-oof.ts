// Fills the linear reader's out-of-fold cache on its own (so network members can run beside it):
//   nice -n 10 npx tsx train/linear-oof.ts
import { DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { stage1OutOfFold } from "./stage1-oof";

stage1OutOfFold(DEFAULT_EXPERIMENT, (l) => process.stdout.write(`${l}\n`));
