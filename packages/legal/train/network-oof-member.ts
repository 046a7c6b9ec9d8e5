// One network reader's out-of-fold scores, computed and cached on their own, so that on a 2-core
// machine a second process can fill the cache of seed +k while `npm run train` / bench/cuad-cv.ts
// works through the linear reader and the first network (they then read it from the cache):
//   nice -n 10 npx tsx train/network-oof-member.ts --member=1 [--sections=1]
import { DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { loadCuad } from "./cuad-data";
import { networkOutOfFold } from "./network-oof";
import { buildDataset } from "./sentence-dataset";
import { networkMemberOptions } from "./stage1-oof";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const member = Number(arg("member") ?? "1");
if (!Number.isInteger(member) || member < 0 || member >= DEFAULT_EXPERIMENT.networkMembers) throw new Error(`--member must be an integer in [0, ${DEFAULT_EXPERIMENT.networkMembers}), not '${arg("member")}'`);
const sections = arg("sections") === "1";
const opts = { ...DEFAULT_EXPERIMENT, sections };
const contracts = loadCuad();
networkOutOfFold(networkMemberOptions(opts, member), contracts, () => buildDataset(contracts, opts.hashBits, { sections }), (l) => process.stdout.write(`${l}\n`));
