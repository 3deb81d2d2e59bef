/**
 * The DaiMoN hashes, as contracts/daimon/DaimonProblem.sol computes them (docs/daimon.md §6): registration, proof,
 * tuple and vote digests, the definition hash and the two kinds of block hash. Anyone can rebuild a problem's
 * chain from its events and check every link with these functions.
 */
import { encodeAbiParameters, keccak256, parseAbiParameters, toBytes, zeroHash, type Address, type Hex } from "viem";

/** Mirrors `struct ProblemConfig` in contracts/daimon/IDaimonProblem.sol. */
export interface ProblemConfig {
  classCount: number;
  testSetSize: number;
  embeddingSize: number;
  definitionPeriod: number;
  competitionPeriod: number;
  rewardShape: number;
  minVotes: number;
  openTuples: boolean;
  /** δ in WAD. */
  margin: bigint;
  /** Token base units for R = 1. */
  rewardScale: bigint;
}

/** Mirrors `struct ProblemSpec`. */
export interface ProblemSpec {
  config: ProblemConfig;
  inputShape: readonly number[];
  name: string;
  symbol: string;
  metadataCid: string;
}

/**
 * Mirrors `struct TestTuple`: CIDs of Z and f, Z's Merkle root in DanKu feature bytes (lib/daimon/disputes.ts
 * `inputsRoot`, what label disputes prove Z_i against), f_q's root (`delRoot`, what output disputes check f against) and
 * y_t packed as int16 (lib/daimon/fixedPoint.ts `packVector`).
 */
export interface TestTuple {
  inputsCid: string;
  delCid: string;
  inputsRoot: Hex;
  /** fRoot of the tuple's quantized DEL function f_q (lib/daimon/delQuantized.ts `delqRoot`), what output disputes check f against. */
  delRoot: Hex;
  target: Hex;
}

const SPEC_COMPONENTS =
  "((uint16 classCount, uint32 testSetSize, uint16 embeddingSize, uint32 definitionPeriod, uint32 competitionPeriod, uint8 rewardShape, uint16 minVotes, bool openTuples, uint64 margin, uint128 rewardScale) config, uint32[] inputShape, string name, string symbol, string metadataCid)";

/** keccak256(abi.encode(problem, token, creator, spec)): the definition in the Problem block. */
export function definitionHash(problem: Address, token: Address, creator: Address, spec: ProblemSpec): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters(`address, address, address, ${SPEC_COMPONENTS}`), [
      problem,
      token,
      creator,
      { ...spec, inputShape: [...spec.inputShape] },
    ]),
  );
}

/** keccak256(abi.encode(inputsCid, delCid, inputsRoot, delRoot, target)). */
export function tupleHash(tuple: TestTuple): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("string, string, bytes32, bytes32, bytes"), [tuple.inputsCid, tuple.delCid, tuple.inputsRoot, tuple.delRoot, tuple.target]),
  );
}

/** t_{i+1} = keccak256(abi.encode(t_i, tupleHash_i)), t_0 = 0. */
export function nextTuplesDigest(previous: Hex, hash: Hex): Hex {
  return keccak256(encodeAbiParameters(parseAbiParameters("bytes32, bytes32"), [previous, hash]));
}

/** The tuples digest of a list of tuples, in order. */
export function tuplesDigest(tuples: readonly TestTuple[]): Hex {
  return tuples.reduce<Hex>((digest, t) => nextTuplesDigest(digest, tupleHash(t)), zeroHash);
}

/** Block #0: keccak256(abi.encode(0, bytes32(0), definitionHash, tupleCount, tuplesDigest)). */
export function problemBlockHash(definition: Hex, tupleCount: number, digest: Hex): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("uint256, bytes32, bytes32, uint256, bytes32"), [
      0n,
      zeroHash,
      definition,
      BigInt(tupleCount),
      digest,
    ]),
  );
}

/**
 * keccak256(abi.encode(problem, registrant, cid, keccak256(outputs))): what `register` takes. It hides the CID and the
 * outputs and commits to both, so a registration made after a failed proof leaked them is younger than the author's
 * and becomes usable `REGISTRATION_AGE` blocks after it (docs/daimon.md §7).
 */
export function registrationHash(problem: Address, registrant: Address, cid: string, outputs: Hex): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("address, address, string, bytes32"), [problem, registrant, cid, outputsHash(outputs)]),
  );
}

/** keccak256(bytes(cid)): the key under which the contract records a CID's owner. */
export function cidHash(cid: string): Hex {
  return keccak256(toBytes(cid));
}

/**
 * keccak256(outputs): the key of the copy rule (docs/daimon.md §7). The outputs cover every tuple, so equal keys mean
 * equal predictions' DEL vectors on the whole test data; they belong to the account with the oldest registration for
 * them among those who submitted them (`outputsOwner`).
 */
export function outputsHash(outputs: Hex): Hex {
  return keccak256(outputs);
}

/**
 * What binds a proof to its model and its f_q claim (docs/daimon.md §14.3, §14.3.1): keccak256 of the DanKu v1 model
 * bytes, the labels' root and the checkpoints of every tuple's f_q on those labels (lib/daimon/delQuantized.ts
 * `packCheckpoints`: per tuple S_t as a 32-byte word, then c_1 … c_{S_t}).
 */
export interface ProofBinding {
  modelHash: Hex;
  labelsRoot: Hex;
  checkpoints: Hex;
}

/** keccak256(abi.encode(keccak256(outputs), keccak256(checkpoints))): the binding's `claimHash`, what output disputes check. */
export function claimHash(outputs: Hex, checkpoints: Hex): Hex {
  return keccak256(encodeAbiParameters(parseAbiParameters("bytes32, bytes32"), [keccak256(outputs), keccak256(checkpoints)]));
}

/** keccak256(abi.encode(problem, improver, cid, modelHash, labelsRoot, keccak256(checkpoints), outputs)): what a vote must name. */
export function proofHash(problem: Address, improver: Address, cid: string, binding: ProofBinding, outputs: Hex): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("address, address, string, bytes32, bytes32, bytes32, bytes"), [
      problem,
      improver,
      cid,
      binding.modelHash,
      binding.labelsRoot,
      keccak256(binding.checkpoints),
      outputs,
    ]),
  );
}

/** v_s = keccak256(abi.encode(v_{s−1}, validator, s)), v_0 = 0. */
export function nextVotesDigest(previous: Hex, validator: Address, position: number | bigint): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("bytes32, address, uint256"), [previous, validator, BigInt(position)]),
  );
}

/** The votes digest of validators in position order. */
export function votesDigest(validators: readonly Address[]): Hex {
  return validators.reduce<Hex>((digest, v, i) => nextVotesDigest(digest, v, i + 1), zeroHash);
}

/** The fields an Improvement block's hash covers. */
export interface ImprovementBlockFields {
  blockNumber: bigint;
  parentHash: Hex;
  round: bigint;
  proofId: bigint;
  proofHash: Hex;
  distance: bigint;
  previousDistance: bigint;
  voteCount: bigint;
  votesDigest: Hex;
}

/** keccak256(abi.encode(number, parent, round, proofId, proofHash, distance, previousDistance, votes, votesDigest)). */
export function improvementBlockHash(b: ImprovementBlockFields): Hex {
  return keccak256(
    encodeAbiParameters(
      parseAbiParameters("uint256, bytes32, uint256, uint256, bytes32, uint256, uint256, uint256, bytes32"),
      [b.blockNumber, b.parentHash, b.round, b.proofId, b.proofHash, b.distance, b.previousDistance, b.voteCount, b.votesDigest],
    ),
  );
}
