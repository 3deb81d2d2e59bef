/**
 * DaiMoN chain access through viem: every write a client makes on a problem (create, add tuple, register, submit a
 * proof, vote, commit blocks, claim) and the reads, including the problem's chain of blocks rebuilt from its events
 * and checked link by link with lib/daimon/encoding.ts. Every write is simulated first and fails with a decoded
 * custom error (lib/chain/transactions.ts). Event reading stays behind these functions so an indexer can replace
 * `getLogs` later.
 */
import { bytesToHex, getAddress, parseEventLogs, zeroHash, type Address, type ContractEventName, type GetContractEventsReturnType, type Hex, type PublicClient } from "viem";
import { daimonDelEvaluatorAbi, daimonDelEvaluatorBytecode, daimonDisputeModuleAbi, daimonDisputeModuleBytecode, daimonModelJudgeAbi, daimonModelJudgeBytecode, daimonProblemAbi, problemFactoryAbi, problemFactoryBytecode, problemTokenAbi } from "../generated/abis";
import {
  definitionHash,
  improvementBlockHash,
  nextTuplesDigest,
  nextVotesDigest,
  problemBlockHash,
  registrationHash,
  type ProblemConfig,
  type ProofBinding,
  type ProblemSpec,
  type TestTuple,
} from "../daimon/encoding";
import { DAIMON_LIMITS, packOutputs, registrationUsableFrom, type FixedVector } from "../daimon/fixedPoint";
import type { LabelDisputeArgs } from "../daimon/disputes";
import type { OutputDisputeArgs } from "../daimon/delQuantized";
import type { DankuWallet } from "./danku";
import { sendContractTransaction, type SentTransaction } from "./transactions";
import { scanBlockRanges, type BlockRangeOptions } from "./follow";

/** Any wallet client with an account (the same type the DanKu helpers take). */
export type DaimonWallet = DankuWallet;

/** Mirrors `enum Phase` in contracts/daimon/IDaimonProblem.sol. */
export const PHASES = ["Definition", "Competition", "Dead"] as const;
export type PhaseName = (typeof PHASES)[number];

type ProblemAbiItem = (typeof daimonProblemAbi)[number];
type ErrorItem = Extract<ProblemAbiItem, { type: "error" }>;

/** The factory's ABI plus the problem's errors: `createProblem` reverts with those (they bubble from initialize). */
export const problemFactoryCallAbi = [
  ...problemFactoryAbi,
  ...daimonProblemAbi.filter((item): item is ErrorItem => item.type === "error"),
];

// ------------------------------------------------------------------ writes

export interface FactoryDeployment {
  address: Address;
  deploymentBlock: bigint;
  transactionHash: Hex;
}

/**
 * Deploys the dispute judge, then the dispute module that runs with it (docs/daimon.md §14.3), then the ProblemFactory
 * given the module (it deploys the problem and token implementations): the judge's and the module's init code would
 * push the factory's past EIP-3860, so they come first, as DanKu's claim module and engine do (lib/chain/deploy.ts).
 */
export async function deployProblemFactory(wallet: DaimonWallet, client: PublicClient): Promise<FactoryDeployment> {
  const judge = await deployed(client, "the dispute judge", await wallet.deployContract({ abi: daimonModelJudgeAbi, bytecode: daimonModelJudgeBytecode, account: wallet.account, chain: wallet.chain }));
  const delEvaluator = await deployed(client, "the f_q evaluator", await wallet.deployContract({ abi: daimonDelEvaluatorAbi, bytecode: daimonDelEvaluatorBytecode, account: wallet.account, chain: wallet.chain }));
  const disputeModule = await deployed(client, "the dispute module", await wallet.deployContract({ abi: daimonDisputeModuleAbi, bytecode: daimonDisputeModuleBytecode, args: [judge, delEvaluator], account: wallet.account, chain: wallet.chain }));
  const hash = await wallet.deployContract({
    abi: problemFactoryAbi,
    bytecode: problemFactoryBytecode,
    args: [disputeModule],
    account: wallet.account,
    chain: wallet.chain,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying the problem factory failed in ${hash}`);
  return { address: receipt.contractAddress, deploymentBlock: receipt.blockNumber, transactionHash: hash };
}

/** The address of the contract that creation transaction `hash` deployed. */
async function deployed(client: PublicClient, what: string, hash: Hex): Promise<Address> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying ${what} failed in ${hash}`);
  return receipt.contractAddress;
}

export interface CreatedProblem extends SentTransaction {
  problem: Address;
  token: Address;
  createdBlock: bigint;
  definitionEnd: bigint;
}

/** Creates a problem with its token and, optionally, its first tuples. */
export async function createProblem(
  wallet: DaimonWallet,
  client: PublicClient,
  args: { factory: Address; spec: ProblemSpec; tuples?: readonly TestTuple[] },
): Promise<CreatedProblem> {
  const sent = await sendContractTransaction(wallet, client, {
    address: args.factory,
    abi: problemFactoryCallAbi,
    functionName: "createProblem",
    args: [{ ...args.spec, inputShape: [...args.spec.inputShape] }, [...(args.tuples ?? [])]],
  });
  const [created] = parseEventLogs({ abi: problemFactoryAbi, logs: sent.receipt.logs, eventName: "ProblemCreated" });
  if (!created) throw new Error("the factory did not emit ProblemCreated");
  return {
    ...sent,
    problem: created.args.problem,
    token: created.args.token,
    createdBlock: created.args.createdBlock,
    definitionEnd: created.args.definitionEnd,
  };
}

/** Adds a test dataset tuple during the definition period. */
export async function addTuple(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
  tuple: TestTuple,
): Promise<SentTransaction & { index: bigint; tupleHash: Hex }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "addTuple",
    args: [tuple.inputsCid, tuple.delCid, tuple.inputsRoot, tuple.delRoot, tuple.target],
  });
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: sent.receipt.logs, eventName: "TupleAdded" });
  if (!event) throw new Error("addTuple did not emit TupleAdded");
  return { ...sent, index: event.args.index, tupleHash: event.args.tupleHash };
}

/** Commits block #0 once the definition period is over. */
export async function commitProblemBlock(wallet: DaimonWallet, client: PublicClient, problem: Address): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, { address: problem, abi: daimonProblemAbi, functionName: "commitProblemBlock", args: [] });
}

export interface Registration {
  registration: Hex;
  /** Block the registration was mined in (0: none). */
  registeredAt: bigint;
  /** First block in which its proof is accepted (registeredAt + REGISTRATION_AGE; 0 without a registration). */
  usableFrom: bigint;
}

function packed(outputs: readonly FixedVector[] | Hex): Hex {
  return typeof outputs === "string" ? outputs : bytesToHex(packOutputs(outputs));
}

/** Reads `registrant`'s registration of (cid, outputs) on `problem`. */
export async function readRegistration(
  client: PublicClient,
  problem: Address,
  registrant: Address,
  cid: string,
  outputs: readonly FixedVector[] | Hex,
): Promise<Registration> {
  const registration = registrationHash(problem, registrant, cid, packed(outputs));
  const registeredAt = await client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "registeredAt", args: [registration] });
  return { registration, registeredAt, usableFrom: registeredAt === 0n ? 0n : registrationUsableFrom(registeredAt) };
}

/**
 * Registers a model's CID together with its proof's outputs for the wallet's account, hiding both: call this before
 * the model file or the outputs are published, and submit the proof from `usableFrom` on (docs/daimon.md §7).
 * Anyone may register the same hash first (it names the wallet's account, so that only helps); then nothing is sent
 * and `transaction` is undefined.
 */
export async function registerModel(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
  cid: string,
  outputs: readonly FixedVector[] | Hex,
): Promise<Registration & { transaction?: SentTransaction }> {
  const existing = await readRegistration(client, problem, wallet.account.address, cid, outputs);
  if (existing.registeredAt !== 0n) return existing;
  const transaction = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "register",
    args: [existing.registration],
  });
  const registeredAt = transaction.receipt.blockNumber;
  return { registration: existing.registration, registeredAt, usableFrom: registrationUsableFrom(registeredAt), transaction };
}

export interface RegistrationWait {
  /** Called on every new block while the registration is too young: the chain's latest block and `usableFrom`. */
  onWait?: (latest: bigint, usableFrom: bigint) => void;
  /** Polling interval in ms (default 1,000). */
  pollingIntervalMs?: number;
  /** Aborts the wait (e.g. the page's Cancel). */
  signal?: AbortSignal;
}

/**
 * Resolves once a transaction sent now lands in block `usableFrom` or later (the next block is ≥ usableFrom). The
 * chain must produce blocks by itself (a public chain, or the dev node's interval mining).
 */
export async function waitForBlock(client: PublicClient, usableFrom: bigint, options: RegistrationWait = {}): Promise<void> {
  let reported = -1n;
  for (;;) {
    if (options.signal?.aborted) throw new Error("stopped waiting for the registration to age");
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    if (latest + 1n >= usableFrom) return;
    if (latest !== reported) {
      reported = latest;
      options.onWait?.(latest, usableFrom);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollingIntervalMs ?? 1_000));
  }
}

export interface SubmittedProof extends SentTransaction {
  proofId: bigint;
  round: bigint;
  distance: bigint;
  distances: readonly bigint[];
  proofHash: Hex;
}

/**
 * Submits a proof: the registered CID, its binding to the model bytes, the predicted labels and f_q's checkpoints on
 * them (lib/daimon/disputes.ts `proofBinding`) and y = f(M(Z)) for every tuple (int16 vectors, or already packed), with the proof bond
 * (`PROOF_BOND` wei, back after the round unless a dispute voids the proof). With `waitForRegistration`, it first
 * waits until the registration is `REGISTRATION_AGE` blocks old (a missing registration is refused at once); either
 * way it is simulated first, so a proof that would revert is never sent and its outputs stay private.
 */
export async function submitProof(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
  cid: string,
  binding: ProofBinding,
  outputs: readonly FixedVector[] | Hex,
  options: { waitForRegistration?: RegistrationWait } = {},
): Promise<SubmittedProof> {
  const bytes = packed(outputs);
  if (options.waitForRegistration) {
    const registration = await readRegistration(client, problem, wallet.account.address, cid, bytes);
    if (registration.registeredAt === 0n) {
      throw new Error(`${wallet.account.address} has not registered ${cid} with these outputs: register them first, before publishing either`);
    }
    await waitForBlock(client, registration.usableFrom, options.waitForRegistration);
  }
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "submitProof",
    args: [cid, binding.modelHash, binding.labelsRoot, binding.checkpoints, bytes],
    value: DAIMON_LIMITS.PROOF_BOND,
  });
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: sent.receipt.logs, eventName: "ProofSubmitted" });
  if (!event) throw new Error("submitProof did not emit ProofSubmitted");
  return {
    ...sent,
    proofId: event.args.proofId,
    round: event.args.round,
    distance: event.args.distance,
    distances: event.args.distances,
    proofHash: event.args.proofHash,
  };
}

/**
 * Votes for a proof with the `VOTE_BOND` (docs/daimon.md §14.4: slashed to the challenger if the proof loses a dispute,
 * withdrawable with `withdrawVoteBond` after the round otherwise); `proofHash` must be the hash the validator verified
 * (lib/daimon/encoding.ts `proofHash`).
 */
export async function voteForProof(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
  proofId: bigint,
  proofHash: Hex,
): Promise<SentTransaction & { position: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "vote",
    args: [proofId, proofHash],
    value: DAIMON_LIMITS.VOTE_BOND,
  });
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: sent.receipt.logs, eventName: "VoteCast" });
  if (!event) throw new Error("vote did not emit VoteCast");
  return { ...sent, position: event.args.position };
}

/** Settles the ended round with proofs; `block` is the Improvement block it appended, if any. */
export async function commitImprovementBlock(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
): Promise<SentTransaction & { committed: boolean; block?: ChainImprovementBlock }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "commitImprovementBlock",
    args: [],
  });
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: sent.receipt.logs, eventName: "ImprovementBlockCommitted" });
  return event ? { ...sent, committed: true, block: improvementFromEvent(event.args.info, event.args.committer) } : { ...sent, committed: false };
}

/** Mints the wallet's validator reward for Improvement block `blockNumber`. */
export async function claimValidatorReward(
  wallet: DaimonWallet,
  client: PublicClient,
  problem: Address,
  blockNumber: bigint,
): Promise<SentTransaction & { amount: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonProblemAbi,
    functionName: "claimValidatorReward",
    args: [blockNumber],
  });
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: sent.receipt.logs, eventName: "ValidatorRewardClaimed" });
  if (!event) throw new Error("claimValidatorReward did not emit ValidatorRewardClaimed");
  return { ...sent, amount: event.args.amount };
}

// ------------------------------------------------------------------ disputes (docs/daimon.md §14.3)

// They run in the DaimonDisputeModule by DELEGATECALL through the problem's fallback: called at the problem's address
// with the module's ABI (daimonDisputeModuleAbi), which has every event and error of IDaimonProblem too.

/** Posts a proof's model bytes (DanKu v1, keccak256 = the proof's modelHash): voluntarily, or to answer a dispute. */
export async function postModel(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint, model: Uint8Array): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonDisputeModuleAbi,
    functionName: "postModel",
    args: [proofId, bytesToHex(model)],
  });
}

/** Posts a proof's labels (lib/daimon/disputes.ts `packLabels`; their root must be the proof's labelsRoot): the other half of availability. */
export async function postLabels(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint, labels: Uint8Array): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonDisputeModuleAbi,
    functionName: "postLabels",
    args: [proofId, bytesToHex(labels)],
  });
}

/** Disputes a proof's availability (with the `AVAILABILITY_BOND`): its model and labels must be posted within T_a blocks. */
export async function disputeAvailability(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint): Promise<SentTransaction & { deadline: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonDisputeModuleAbi,
    functionName: "disputeAvailability",
    args: [proofId],
    value: DAIMON_LIMITS.AVAILABILITY_BOND,
  });
  const [event] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: sent.receipt.logs, eventName: "AvailabilityDisputed" });
  if (!event) throw new Error("disputeAvailability did not emit AvailabilityDisputed");
  return { ...sent, deadline: event.args.deadline };
}

/** Voids a proof whose model was not posted by its availability deadline; the challenger is paid. */
export async function claimUnavailable(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint): Promise<SentTransaction & { paid: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonDisputeModuleAbi,
    functionName: "claimUnavailable",
    args: [proofId],
  });
  const [event] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: sent.receipt.logs, eventName: "ProofVoided" });
  if (!event) throw new Error("claimUnavailable did not emit ProofVoided");
  return { ...sent, paid: event.args.paid };
}

/** Disputes one claimed label (lib/daimon/disputes.ts `labelDispute` builds `dispute`); a wrong label voids the proof. */
export async function disputeLabel(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint, dispute: LabelDisputeArgs): Promise<SentTransaction & { paid: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: problem,
    abi: daimonDisputeModuleAbi,
    functionName: "disputeLabel",
    args: [proofId, dispute],
  });
  const [event] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: sent.receipt.logs, eventName: "ProofVoided" });
  if (!event) throw new Error("disputeLabel did not emit ProofVoided");
  return { ...sent, paid: event.args.paid };
}

/**
 * Disputes one step of a proof's f_q claim (lib/daimon/delQuantized.ts `outputDispute` builds `dispute`): a segment
 * (`disputeOutput`) or the output step (`disputeOutputLayer`). A wrong step voids the proof and pays the caller its
 * bond; a right one reverts `OutputCorrect` (simulated first, so it is never sent).
 */
export async function disputeOutput(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint, dispute: OutputDisputeArgs): Promise<SentTransaction & { paid: bigint }> {
  const sent =
    dispute.kind === "segment"
      ? await sendContractTransaction(wallet, client, { address: problem, abi: daimonDisputeModuleAbi, functionName: "disputeOutput", args: [proofId, dispute.claim, dispute.segment] })
      : await sendContractTransaction(wallet, client, {
          address: problem,
          abi: daimonDisputeModuleAbi,
          functionName: "disputeOutputLayer",
          args: [proofId, dispute.claim, dispute.output.state, dispute.output.b2, dispute.output.w2],
        });
  const [event] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: sent.receipt.logs, eventName: "ProofVoided" });
  if (!event) throw new Error("the output dispute did not emit ProofVoided");
  return { ...sent, paid: event.args.paid };
}

/** Pays the wallet back its `VOTE_BOND` on a proof that survived its round (not voided, model not owed), once. */
export async function withdrawVoteBond(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint): Promise<SentTransaction & { amount: bigint }> {
  const sent = await sendContractTransaction(wallet, client, { address: problem, abi: daimonDisputeModuleAbi, functionName: "withdrawVoteBond", args: [proofId] });
  const [event] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: sent.receipt.logs, eventName: "VoteBondWithdrawn" });
  if (!event) throw new Error("withdrawVoteBond did not emit VoteBondWithdrawn");
  return { ...sent, amount: event.args.amount };
}

/** A validator's vote on one proof (`voteOf`): position 0 means no vote. */
export interface VoteState {
  position: bigint;
  claimed: boolean;
  bondWithdrawn: boolean;
}

export async function readVote(client: PublicClient, problem: Address, proofId: bigint, validator: Address): Promise<VoteState> {
  const [position, claimed, bondWithdrawn] = await client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "voteOf", args: [proofId, validator] });
  return { position, claimed, bondWithdrawn };
}

/** Returns a surviving proof's bond to its improver once its round is over (anyone may send it). */
export async function returnBond(wallet: DaimonWallet, client: PublicClient, problem: Address, proofId: bigint): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, { address: problem, abi: daimonDisputeModuleAbi, functionName: "returnBond", args: [proofId] });
}

/** Mirrors `struct ProofBinding`: a proof's binding and where its disputes stand. */
export interface ProofDisputeState extends Omit<ProofBinding, "checkpoints"> {
  /** keccak256(abi.encode(keccak256(outputs), keccak256(checkpoints))) (lib/daimon/encoding.ts `claimHash`). */
  claimHash: Hex;
  availabilityChallenger: Address;
  availabilityDeadline: bigint;
  modelPosted: boolean;
  labelsPosted: boolean;
  voided: boolean;
  bondReturned: boolean;
}

/** A proof's binding and dispute state (`bindingOf`). */
export async function readProofBinding(client: PublicClient, problem: Address, proofId: bigint): Promise<ProofDisputeState> {
  return client.readContract({ address: problem, abi: daimonDisputeModuleAbi, functionName: "bindingOf", args: [proofId] });
}

// ------------------------------------------------------------------ reads

export interface PendingRoundState {
  open: boolean;
  round: bigint;
  leader: bigint;
  leaderVotes: number;
}

export interface ProblemState {
  address: Address;
  phase: PhaseName;
  creator: Address;
  token: Address;
  tokenName: string;
  tokenSymbol: string;
  config: ProblemConfig;
  inputShape: number[];
  metadataCid: string;
  createdBlock: bigint;
  definitionEnd: bigint;
  definitionHash: Hex;
  tupleCount: number;
  tuplesDigest: Hex;
  problemBlockCommitted: boolean;
  bestDistance: bigint;
  pendingRound: PendingRoundState;
  chainLength: number;
  proofCount: number;
  /** The round of `blockNumber`; undefined during the definition period. */
  currentRound?: bigint;
  blockNumber: bigint;
}

/** Reads the whole state of a problem at the latest block. */
export async function readProblem(client: PublicClient, address: Address): Promise<ProblemState> {
  const contract = { address, abi: daimonProblemAbi } as const;
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const at = { blockNumber } as const;
  const [
    phase,
    creator,
    token,
    config,
    inputShape,
    metadataCid,
    createdBlock,
    definitionEnd,
    definition,
    tupleCount,
    digest,
    problemBlockCommitted,
    bestDistance,
    pending,
    chainLength,
    proofCount,
  ] = await Promise.all([
    client.readContract({ ...contract, ...at, functionName: "phase" }),
    client.readContract({ ...contract, ...at, functionName: "creator" }),
    client.readContract({ ...contract, ...at, functionName: "token" }),
    client.readContract({ ...contract, ...at, functionName: "config" }),
    client.readContract({ ...contract, ...at, functionName: "inputShape" }),
    client.readContract({ ...contract, ...at, functionName: "metadataCid" }),
    client.readContract({ ...contract, ...at, functionName: "createdBlock" }),
    client.readContract({ ...contract, ...at, functionName: "definitionEnd" }),
    client.readContract({ ...contract, ...at, functionName: "definitionHash" }),
    client.readContract({ ...contract, ...at, functionName: "tupleCount" }),
    client.readContract({ ...contract, ...at, functionName: "tuplesDigest" }),
    client.readContract({ ...contract, ...at, functionName: "problemBlockCommitted" }),
    client.readContract({ ...contract, ...at, functionName: "bestDistance" }),
    client.readContract({ ...contract, ...at, functionName: "pendingRound" }),
    client.readContract({ ...contract, ...at, functionName: "chainLength" }),
    client.readContract({ ...contract, ...at, functionName: "proofCount" }),
  ]);
  const [tokenName, tokenSymbol] = await Promise.all([
    client.readContract({ address: token, abi: problemTokenAbi, ...at, functionName: "name" }),
    client.readContract({ address: token, abi: problemTokenAbi, ...at, functionName: "symbol" }),
  ]);
  return {
    address: getAddress(address),
    phase: PHASES[phase] ?? "Dead",
    creator,
    token,
    tokenName,
    tokenSymbol,
    config: { ...config },
    inputShape: [...inputShape],
    metadataCid,
    createdBlock,
    definitionEnd,
    definitionHash: definition,
    tupleCount: Number(tupleCount),
    tuplesDigest: digest,
    problemBlockCommitted,
    bestDistance,
    pendingRound: { open: pending.open, round: pending.round, leader: pending.leader, leaderVotes: pending.leaderVotes },
    chainLength: Number(chainLength),
    proofCount: Number(proofCount),
    currentRound: blockNumber >= definitionEnd ? (blockNumber - definitionEnd) / BigInt(config.competitionPeriod) : undefined,
    blockNumber,
  };
}

/** The ERC-20 balance of `account` in a problem token. */
export async function readTokenBalance(client: PublicClient, token: Address, account: Address): Promise<bigint> {
  return client.readContract({ address: token, abi: problemTokenAbi, functionName: "balanceOf", args: [account] });
}

/** What `account` may claim now for voting on Improvement block `blockNumber`. */
export async function readValidatorReward(client: PublicClient, problem: Address, blockNumber: bigint, account: Address): Promise<bigint> {
  return client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "validatorReward", args: [blockNumber, account] });
}

export type ScanOptions = BlockRangeOptions;


export interface ListedProblem {
  address: Address;
  creator: Address;
  token: Address;
  spec: ProblemSpec;
  initialTupleCount: number;
  createdBlock: bigint;
  definitionEnd: bigint;
  transactionHash: Hex;
}

/** All problems a factory created, from its `ProblemCreated` events (the marketplace listing). */
export async function listProblems(client: PublicClient, factory: Address, options: ScanOptions = {}): Promise<ListedProblem[]> {
  const found: ListedProblem[] = [];
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({ address: factory, abi: problemFactoryAbi, eventName: "ProblemCreated", fromBlock, toBlock, strict: true });
    for (const log of logs) {
      const a = log.args;
      found.push({
        address: a.problem,
        creator: a.creator,
        token: a.token,
        spec: { ...a.spec, config: { ...a.spec.config }, inputShape: [...a.spec.inputShape] },
        initialTupleCount: Number(a.initialTupleCount),
        createdBlock: a.createdBlock,
        definitionEnd: a.definitionEnd,
        transactionHash: log.transactionHash,
      });
    }
  });
  return found;
}

export interface ChainTuple extends TestTuple {
  index: number;
  contributor: Address;
  tupleHash: Hex;
}

/** The problem's tuples, from its `TupleAdded` events. */
export async function readTuples(client: PublicClient, problem: Address, options: ScanOptions = {}): Promise<ChainTuple[]> {
  return (await readProblemEvents(client, problem, options)).tuples;
}

export interface ChainProof {
  proofId: bigint;
  round: bigint;
  improver: Address;
  cid: string;
  outputs: Hex;
  distances: readonly bigint[];
  distance: bigint;
  proofHash: Hex;
  blockNumber: bigint;
  transactionHash: Hex;
  /**
   * The proof, registered earlier, that took this one's outputs or CID (`ProofSuperseded`): this one is a copy, takes
   * no votes and is never committed (docs/daimon.md §7). Undefined for a live proof.
   */
  supersededBy?: bigint;
  /** keccak256 of the model bytes (DanKu v1) and the labels' root the proof is bound to (`ProofBound`, §14.3). */
  modelHash: Hex;
  labelsRoot: Hex;
  /** f_q's checkpoints on the labels, per tuple (`ProofCheckpoints`; lib/daimon/delQuantized.ts `unpackCheckpoints`). */
  checkpoints: Hex;
  /** Set once a dispute voided the proof (`ProofVoided`): no votes, never committed, its bond went to `voidedBy`. */
  voided?: { challenger: Address; reason: VoidReasonName; tuple: bigint; index: bigint };
}

/** `VoidReason` by name, in the contract's order. */
export const VOID_REASONS = ["wrong-label", "unavailable", "wrong-output"] as const;
export type VoidReasonName = (typeof VOID_REASONS)[number];

/** The problem's accepted proofs, from its `ProofSubmitted` events, by id. */
export async function readProofs(client: PublicClient, problem: Address, options: ScanOptions = {}): Promise<ChainProof[]> {
  return (await readProblemEvents(client, problem, options)).proofs;
}

export interface ChainVote {
  proofId: bigint;
  round: bigint;
  validator: Address;
  position: bigint;
  votesDigest: Hex;
  blockNumber: bigint;
}

/** Every vote, from `VoteCast` events, in position order per proof. */
export async function readVotes(client: PublicClient, problem: Address, options: ScanOptions = {}): Promise<ChainVote[]> {
  return (await readProblemEvents(client, problem, options)).votes;
}

export interface ValidatorClaim {
  /** The Improvement block the reward is for. */
  blockNumber: bigint;
  validator: Address;
  position: bigint;
  amount: bigint;
}

export interface ChainProblemBlock {
  kind: "problem";
  blockNumber: 0n;
  blockHash: Hex;
  definitionHash: Hex;
  tupleCount: number;
  tuplesDigest: Hex;
  committer: Address;
}

export interface ChainImprovementBlock {
  kind: "improvement";
  blockNumber: bigint;
  blockHash: Hex;
  parentHash: Hex;
  round: bigint;
  proofId: bigint;
  improver: Address;
  proofHash: Hex;
  distance: bigint;
  previousDistance: bigint;
  voteCount: number;
  votesDigest: Hex;
  improverReward: bigint;
  committer: Address;
}

export type ChainBlock = ChainProblemBlock | ChainImprovementBlock;

function improvementFromEvent(
  info: {
    blockNumber: bigint;
    blockHash: Hex;
    parentHash: Hex;
    round: bigint;
    proofId: bigint;
    improver: Address;
    proofHash: Hex;
    distance: bigint;
    previousDistance: bigint;
    voteCount: number;
    votesDigest: Hex;
    improverReward: bigint;
  },
  committer: Address,
): ChainImprovementBlock {
  return { kind: "improvement", ...info, committer };
}

// One parser and one order per event kind (the single-kind reads above are views of the all-events read below).
type ProblemLog<Name extends ContractEventName<typeof daimonProblemAbi>> = GetContractEventsReturnType<typeof daimonProblemAbi, Name, true>[number];

function tupleFromLog({ args: a }: ProblemLog<"TupleAdded">): ChainTuple {
  return { index: Number(a.index), contributor: a.contributor, inputsCid: a.inputsCid, delCid: a.delCid, inputsRoot: a.inputsRoot, delRoot: a.delRoot, target: a.target, tupleHash: a.tupleHash };
}

function proofFromLog(log: ProblemLog<"ProofSubmitted">): ChainProof {
  const a = log.args;
  return {
    proofId: a.proofId,
    round: a.round,
    improver: a.improver,
    cid: a.cid,
    outputs: a.outputs,
    distances: a.distances,
    distance: a.distance,
    proofHash: a.proofHash,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    modelHash: zeroHash,
    labelsRoot: zeroHash,
    checkpoints: "0x",
  };
}

function voteFromLog(log: ProblemLog<"VoteCast">): ChainVote {
  const a = log.args;
  return { proofId: a.proofId, round: a.round, validator: a.validator, position: a.position, votesDigest: a.votesDigest, blockNumber: log.blockNumber };
}

export function claimFromLog({ args: a }: ProblemLog<"ValidatorRewardClaimed">): ValidatorClaim {
  return { blockNumber: a.blockNumber, validator: a.validator, position: a.position, amount: a.amount };
}

const sortTuples = (tuples: ChainTuple[]) => tuples.sort((x, y) => x.index - y.index);
const sortProofs = (proofs: ChainProof[]) => proofs.sort((x, y) => (x.proofId < y.proofId ? -1 : 1));
const sortVotes = (votes: ChainVote[]) =>
  votes.sort((x, y) => (x.proofId !== y.proofId ? (x.proofId < y.proofId ? -1 : 1) : x.position < y.position ? -1 : 1));

/** Everything a problem's own events say, each kind in its order ({@link readProblemEvents}). */
export interface ProblemEvents {
  /** Problem and Improvement blocks, in the order they were committed. */
  blocks: ChainBlock[];
  tuples: ChainTuple[];
  proofs: ChainProof[];
  votes: ChainVote[];
  claims: ValidatorClaim[];
  /** `ProofSuperseded`: proof → the proof that took its outputs or CID (already applied to `proofs`). */
  supersessions: { proofId: bigint; byProofId: bigint }[];
  /** `ProofBound` and `ProofCheckpoints`: each proof's model hash, labels root and checkpoints (already applied to `proofs`). */
  bindings: ({ proofId: bigint } & ProofBinding)[];
  /** `ProofVoided` (already applied to `proofs`). */
  voids: ({ proofId: bigint } & NonNullable<ChainProof["voided"]>)[];
  /** `VoteBondWithdrawn`: validators who took their vote bond back (docs/daimon.md §14.4). */
  voteBondWithdrawals: VoteBondWithdrawal[];
}

export interface VoteBondWithdrawal {
  proofId: bigint;
  validator: Address;
  amount: bigint;
}

/** Marks every superseded proof (the first supersession counts, as in the contract), binds and voids proofs. */
function applySupersessions(events: ProblemEvents): ProblemEvents {
  const by = new Map<bigint, bigint>();
  for (const s of events.supersessions) if (!by.has(s.proofId)) by.set(s.proofId, s.byProofId);
  const bindings = new Map(events.bindings.map((b) => [b.proofId, b]));
  const voids = new Map(events.voids.map((v) => [v.proofId, v]));
  for (const p of events.proofs) {
    const byProofId = by.get(p.proofId);
    if (byProofId !== undefined) p.supersededBy = byProofId;
    const binding = bindings.get(p.proofId);
    if (binding) {
      p.modelHash = binding.modelHash;
      p.labelsRoot = binding.labelsRoot;
      p.checkpoints = binding.checkpoints;
    }
    const voided = voids.get(p.proofId);
    if (voided) p.voided = { challenger: voided.challenger, reason: voided.reason, tuple: voided.tuple, index: voided.index };
  }
  return events;
}

/** All of a problem's events in one `getLogs` per block range (instead of one per event kind). */
export async function readProblemEvents(client: PublicClient, problem: Address, options: ScanOptions = {}): Promise<ProblemEvents> {
  const events: ProblemEvents = { blocks: [], tuples: [], proofs: [], votes: [], claims: [], supersessions: [], bindings: [], voids: [], voteBondWithdrawals: [] };
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({ address: problem, abi: daimonProblemAbi, fromBlock, toBlock, strict: true });
    for (const log of logs) {
      switch (log.eventName) {
        case "ProblemBlockCommitted": {
          const a = log.args;
          events.blocks.push({ kind: "problem", blockNumber: 0n, blockHash: a.blockHash, definitionHash: a.definitionHash, tupleCount: Number(a.tupleCount), tuplesDigest: a.tuplesDigest, committer: a.committer });
          break;
        }
        case "ImprovementBlockCommitted":
          events.blocks.push(improvementFromEvent(log.args.info, log.args.committer));
          break;
        case "TupleAdded":
          events.tuples.push(tupleFromLog(log));
          break;
        case "ProofSubmitted":
          events.proofs.push(proofFromLog(log));
          break;
        case "VoteCast":
          events.votes.push(voteFromLog(log));
          break;
        case "ValidatorRewardClaimed":
          events.claims.push(claimFromLog(log));
          break;
        case "ProofSuperseded":
          events.supersessions.push({ proofId: log.args.proofId, byProofId: log.args.byProofId });
          break;
        case "ProofBound":
          events.bindings.push({ proofId: log.args.proofId, modelHash: log.args.modelHash, labelsRoot: log.args.labelsRoot, checkpoints: "0x" });
          break;
        case "ProofCheckpoints": {
          // Emitted right after the proof's ProofBound, in the same transaction (so in the same scanned range).
          for (let i = events.bindings.length - 1; i >= 0; i--) {
            const bound = events.bindings[i] as (typeof events.bindings)[number];
            if (bound.proofId === log.args.proofId) {
              bound.checkpoints = log.args.checkpoints;
              break;
            }
          }
          break;
        }
        case "ProofVoided": {
          const a = log.args;
          events.voids.push({ proofId: a.proofId, challenger: a.challenger, reason: VOID_REASONS[a.reason] ?? "wrong-output", tuple: a.tuple, index: a.index });
          break;
        }
        case "VoteBondWithdrawn":
          events.voteBondWithdrawals.push({ proofId: log.args.proofId, validator: log.args.validator, amount: log.args.amount });
          break;
      }
    }
  });
  sortTuples(events.tuples);
  sortProofs(events.proofs);
  sortVotes(events.votes);
  return applySupersessions(events);
}

/** `previous` followed by the events of later blocks (an incremental scan's merge). */
export function mergeProblemEvents(previous: ProblemEvents, added: ProblemEvents): ProblemEvents {
  return applySupersessions({
    blocks: [...previous.blocks, ...added.blocks],
    tuples: sortTuples([...previous.tuples, ...added.tuples]),
    proofs: sortProofs([...previous.proofs, ...added.proofs]),
    votes: sortVotes([...previous.votes, ...added.votes]),
    claims: [...previous.claims, ...added.claims],
    supersessions: [...previous.supersessions, ...added.supersessions],
    bindings: [...previous.bindings, ...added.bindings],
    voids: [...previous.voids, ...added.voids],
    voteBondWithdrawals: [...previous.voteBondWithdrawals, ...added.voteBondWithdrawals],
  });
}

export interface RebuiltChain {
  blocks: ChainBlock[];
  /** Every inconsistency found between the events and the hashes they should produce; empty when all links hold. */
  problems: string[];
}

/**
 * Rebuilds the problem's chain of blocks from its events alone and checks it: the Problem block's hash from the
 * definition (recomputed from `ProblemCreated` when `listing` is given) and the tuples, every Improvement block's
 * hash from its proof (recomputed from `ProofSubmitted`) and votes (recomputed from `VoteCast`), and each parent link.
 */
export async function readChain(client: PublicClient, problem: Address, options: ScanOptions & { listing?: ListedProblem } = {}): Promise<RebuiltChain> {
  return checkChain(problem, await readProblemEvents(client, problem, options), options.listing);
}

/** {@link readChain}'s checks over events already read (e.g. by an incremental scan). */
export function checkChain(problem: Address, events: Pick<ProblemEvents, "blocks" | "tuples" | "proofs" | "votes">, listing?: ListedProblem): RebuiltChain {
  const { blocks, tuples, proofs, votes } = events;
  const problems: string[] = [];
  const [first] = blocks;
  if (first) {
    if (first.kind !== "problem") problems.push("block 0 is not the Problem block");
    else {
      const digest = tuples.reduce<Hex>((d, t) => nextTuplesDigest(d, t.tupleHash), zeroHash);
      if (digest !== first.tuplesDigest || tuples.length !== first.tupleCount) problems.push("block 0: the tuples do not match the tuples digest");
      if (listing) {
        const l = listing;
        if (definitionHash(problem, l.token, l.creator, l.spec) !== first.definitionHash) problems.push("block 0: the definition does not match ProblemCreated");
      }
      if (problemBlockHash(first.definitionHash, first.tupleCount, first.tuplesDigest) !== first.blockHash) problems.push("block 0: wrong block hash");
    }
  }
  blocks.forEach((b, i) => {
    if (b.kind !== "improvement") return;
    const parent = blocks[i - 1];
    if (b.blockNumber !== BigInt(i)) problems.push(`block ${i}: numbered ${b.blockNumber}`);
    if (!parent || parent.blockHash !== b.parentHash) problems.push(`block ${i}: parent hash does not link to block ${i - 1}`);
    const proof = proofs.find((p) => p.proofId === b.proofId);
    if (!proof || proof.proofHash !== b.proofHash || proof.distance !== b.distance || proof.round !== b.round) {
      problems.push(`block ${i}: proof ${b.proofId} does not match its ProofSubmitted event`);
    }
    const proofVotes = votes.filter((v) => v.proofId === b.proofId);
    const digest = proofVotes.reduce<Hex>((d, v, s) => nextVotesDigest(d, v.validator, s + 1), zeroHash);
    if (proofVotes.length !== b.voteCount || digest !== b.votesDigest) problems.push(`block ${i}: votes do not match the votes digest`);
    if (improvementBlockHash({ ...b, voteCount: BigInt(b.voteCount) }) !== b.blockHash) problems.push(`block ${i}: wrong block hash`);
  });
  return { blocks, problems };
}
