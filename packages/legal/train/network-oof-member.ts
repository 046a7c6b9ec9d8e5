// One network reader's out-of-fold scores, computed and cached on their own, so that on a 2-core
// machine a second process can fill the cache of seed +k while `npm run train` / bench/cuad-cv.ts
// works through the linear reader and the first network (they then read it from the cache):
//   nice -n 10 npx tsx train/network-oof-member.ts --member=1 [--hidden=64] [--sections=1] [--typed=1]
// --hidden: the member's hidden units (default: the shipped width of member k, DEFAULT_EXPERIMENT).
// --positive-weight-cap=4: rare categories' positives weigh up to 4 times (BagNetworkOptions.positiveWeightCap; default: as shipped).
// --positive-repeat-cap=4: their sentences are visited up to 4 times per epoch instead (positiveRepeatCap).
// --hashes=1|2: buckets per feature (BagNetworkOptions.bucketHashes; default: as shipped).
import { DEFAULT_EXPERIMENT } from "./clause-model-experiment";
import { loadCuad } from "./cuad-data";
import { networkOutOfFold } from "./network-oof-cache";
import { buildDataset } from "./sentence-dataset";
import { contextOptions, networkMemberOptions } from "./stage1-oof";
import { TrainingError } from "./training-options";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const member = Number(arg("member") ?? "1");
if (!Number.isInteger(member) || member < 0) throw new TrainingError(`--member must be a whole number (0 for the first reader), not '${arg("member")}'`, "Pass --member=1 for the second reader (seed + 1).");
const sections = arg("sections") === "1";
// --typed=1: the readers also read typed cues (ExperimentOptions.typed).
const typed = arg("typed") === "1";
const widths = Array.from({ length: member + 1 }, (_, k) => DEFAULT_EXPERIMENT.memberHidden?.[k] ?? DEFAULT_EXPERIMENT.network.hidden);
const hidden = Number(arg("hidden") ?? widths[member]);
if (!Number.isInteger(hidden) || hidden < 1) throw new TrainingError(`--hidden must be a whole number of units, not '${arg("hidden")}'`, "Pass --hidden=20, or leave it out for the shipped width.");
widths[member] = hidden;
const cap = arg("positive-weight-cap") === undefined ? DEFAULT_EXPERIMENT.network.positiveWeightCap : Number(arg("positive-weight-cap"));
const repeat = arg("positive-repeat-cap") === undefined ? DEFAULT_EXPERIMENT.network.positiveRepeatCap : Number(arg("positive-repeat-cap"));
const hashes = Number(arg("hashes") ?? DEFAULT_EXPERIMENT.network.bucketHashes ?? 1);
if (hashes !== 1 && hashes !== 2) throw new TrainingError(`--hashes must be 1 or 2, not '${arg("hashes")}'`, "Pass --hashes=2 to read each feature through two buckets, or leave it out for the shipped setting.");
const { bucketHashes: _shipped, ...shippedNetwork } = DEFAULT_EXPERIMENT.network;
const network = { ...shippedNetwork, ...(hashes === 2 ? { bucketHashes: 2 as const } : {}), ...(cap ? { positiveWeightCap: cap } : {}), ...(repeat ? { positiveRepeatCap: repeat } : {}) };
const opts = { ...DEFAULT_EXPERIMENT, network, sections, ...(typed ? { typed } : {}), memberHidden: widths };
const contracts = loadCuad();
networkOutOfFold(networkMemberOptions(opts, member), contracts, () => buildDataset(contracts, opts.hashBits, contextOptions(opts)), (l) => process.stdout.write(`${l}\n`));
