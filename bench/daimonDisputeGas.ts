/**
 * The label and availability part of DaiMoN's dispute gas (docs/daimon.md §14.3), measured on Hardhat's in-process
 * chain (osaka, the 16,777,216-gas cap): a proof on the largest model the DanKu format v1 allows for 784 inputs and
 * 10 classes (784-80-10, 64,370 bytes), its availability dispute, the model's posting and a label dispute that voids
 * it, at test-set size m. `bench/daimon.ts` puts the result in each configuration entry; the f-evaluation dispute
 * (`disputeOutput`, lib/daimon/delQuantized*) adds its own steps next to these.
 */
import hre from "hardhat";
import { bytesToHex, parseEventLogs, zeroHash, type Address } from "viem";
import { daimonDisputeModuleAbi, daimonProblemAbi, problemFactoryAbi } from "../lib/generated/abis";
import { DAIMON_LIMITS, WAD, packVector, registrationUsableFrom } from "../lib/daimon/fixedPoint";
import { registrationHash } from "../lib/daimon/encoding";
import { inputsTree, labelDispute, packLabels, proofBinding, labelsTree } from "../lib/daimon/disputes";
import { encodeModel, type QuantizedModel } from "../lib/danku/encoding";
import { predict } from "../lib/danku/forward";
import { TX_GAS_CAP } from "../lib/danku/constants";
import { DelRandom } from "../lib/daimon/generateData";

export interface LabelDisputeGas {
  readonly m: number;
  readonly modelBytes: number;
  /** Gas of each transaction, by function. */
  readonly steps: { submitProof: number; disputeAvailability: number; postModel: number; postLabels: number; disputeLabel: number; claimUnavailable: number };
  /** The most expensive of them (postModel of the largest model). */
  readonly maxStepGas: number;
  /**
   * Transactions to void a proof whose labels are not its model's: the challenger's disputeAvailability and
   * disputeLabel, with the improver's postModel and postLabels in between (1, disputeLabel, when he posted both
   * voluntarily); a proof without a model or its labels: disputeAvailability and claimUnavailable.
   */
  readonly transactions: { wrongLabel: number; unavailable: number };
  readonly txGasCap: number;
}

function largestModel(random: DelRandom): QuantizedModel {
  const widths = [784, 80, 10];
  const layers = widths.slice(1).map((fanOut, l) => ({
    shift: l === widths.length - 2 ? 0 : 12,
    biases: Array.from({ length: fanOut }, () => Math.round((random.float() * 2 - 1) * 2000)),
    weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l] as number }, () => Math.round((random.float() * 2 - 1) * 127))),
  }));
  return { widths, layers };
}

/** Measures the label/availability dispute steps at test-set size `m` (784 features, 10 classes, n = 16). */
export async function measureLabelDisputeGas(m: number): Promise<LabelDisputeGas> {
  const random = new DelRandom(17);
  const publicClient = await hre.viem.getPublicClient();
  const testClient = await hre.viem.getTestClient();
  const [creator, improver, watcher, other] = await hre.viem.getWalletClients();
  if (!creator || !improver || !watcher || !other) throw new Error("Hardhat needs four accounts");
  const mineTo = async (block: bigint) => {
    const now = await publicClient.getBlockNumber();
    if (block - 1n > now) await testClient.mine({ blocks: Number(block - 1n - now) });
  };
  const gasOf = async (hash: `0x${string}`) => {
    const r = await publicClient.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`transaction ${hash} failed`);
    return r;
  };

  const points = Array.from({ length: m }, () => Uint8Array.from({ length: 784 }, () => random.below(256)));
  const inputs = inputsTree(points);
  const target = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 20_000 : -10_000));
  // As lib/chain/daimon.ts deploys them: the judge, the dispute module given it, the factory given the module.
  const judge = await hre.viem.deployContract("DaimonModelJudge", []);
  const delEvaluator = await hre.viem.deployContract("DaimonDelEvaluator", []);
  const disputeModule = await hre.viem.deployContract("DaimonDisputeModule", [judge.address, delEvaluator.address]);
  const factory = await hre.viem.deployContract("ProblemFactory", [disputeModule.address]);
  const config = { classCount: 10, testSetSize: m, embeddingSize: 16, definitionPeriod: 10, competitionPeriod: 40, rewardShape: 3, minVotes: 1, openTuples: true, margin: 0n, rewardScale: WAD };
  const created = await gasOf(
    await creator.writeContract({
      address: factory.address,
      abi: problemFactoryAbi,
      functionName: "createProblem",
      args: [
        { config, inputShape: [784], name: "Dispute gas", symbol: "DGAS", metadataCid: "bafkreidisputegas" },
        [{ inputsCid: "bafy-z", delCid: "bafy-f", inputsRoot: inputs.root, delRoot: zeroHash, target: bytesToHex(packVector(target)) }],
      ],
    }),
  );
  const [event] = parseEventLogs({ abi: problemFactoryAbi, logs: created.logs, eventName: "ProblemCreated" });
  if (!event) throw new Error("no ProblemCreated");
  const problem: Address = event.args.problem;
  await mineTo(event.args.definitionEnd);

  const model = largestModel(random);
  const bytes = encodeModel(model);
  const disputed = m - 1;
  const claimed = [new Array<number>(m).fill(0)];
  claimed[0]![disputed] = (predict(model, points[disputed]!) + 1) % 10;
  const binding = proofBinding(bytes, claimed, "0x");
  const outputs = bytesToHex(packVector(target.map((v, i) => (i === 0 ? v - 3000 : v))));
  // The disputes run in the dispute module through the problem's fallback: its functions join the problem's ABI.
  const problemAbi = [...daimonProblemAbi, ...daimonDisputeModuleAbi.filter((item) => item.type === "function")];
  const write = (wallet: typeof improver, functionName: string, args: readonly unknown[], value?: bigint) =>
    wallet.writeContract({ address: problem, abi: problemAbi, functionName, args, ...(value === undefined ? {} : { value }) } as Parameters<typeof wallet.writeContract>[0]);

  const registered = await gasOf(await write(improver, "register", [registrationHash(problem, improver.account.address, "bafy-large", outputs)]));
  await mineTo(registrationUsableFrom(registered.blockNumber));
  const submitted = await gasOf(await write(improver, "submitProof", ["bafy-large", binding.modelHash, binding.labelsRoot, binding.checkpoints, outputs], DAIMON_LIMITS.PROOF_BOND));
  const asked = await gasOf(await write(watcher, "disputeAvailability", [0n], DAIMON_LIMITS.AVAILABILITY_BOND));
  const posted = await gasOf(await write(improver, "postModel", [0n, bytesToHex(bytes)]));
  const labelled = await gasOf(await write(improver, "postLabels", [0n, bytesToHex(packLabels(claimed))]));
  const dispute = labelDispute({ tuple: 0, index: disputed, points, inputs, claimedLabels: claimed, labels: labelsTree(claimed) });
  const won = await gasOf(await write(watcher, "disputeLabel", [0n, dispute]));

  // A second proof without a model: its availability dispute goes unanswered and is claimed.
  const outputs2 = bytesToHex(packVector(target.map((v, i) => (i === 1 ? v + 3000 : v))));
  const registered2 = await gasOf(await write(other, "register", [registrationHash(problem, other.account.address, "bafy-none", outputs2)]));
  await mineTo(registrationUsableFrom(registered2.blockNumber));
  await gasOf(await write(other, "submitProof", ["bafy-none", binding.modelHash, binding.labelsRoot, binding.checkpoints, outputs2], DAIMON_LIMITS.PROOF_BOND));
  const asked2 = await gasOf(await write(watcher, "disputeAvailability", [1n], DAIMON_LIMITS.AVAILABILITY_BOND));
  const [disputedEvent] = parseEventLogs({ abi: daimonProblemAbi, logs: asked2.logs, eventName: "AvailabilityDisputed" });
  await mineTo(disputedEvent!.args.deadline + 1n);
  const claimedUnavailable = await gasOf(await write(watcher, "claimUnavailable", [1n]));

  const steps = {
    submitProof: Number(submitted.gasUsed),
    disputeAvailability: Number(asked.gasUsed),
    postModel: Number(posted.gasUsed),
    postLabels: Number(labelled.gasUsed),
    disputeLabel: Number(won.gasUsed),
    claimUnavailable: Number(claimedUnavailable.gasUsed),
  };
  const maxStepGas = Math.max(...Object.values(steps));
  if (maxStepGas >= TX_GAS_CAP) throw new Error(`a dispute step needs ${maxStepGas} gas, over the ${TX_GAS_CAP} cap`);
  return { m, modelBytes: bytes.length, steps, maxStepGas, transactions: { wrongLabel: 4, unavailable: 2 }, txGasCap: TX_GAS_CAP };
}
