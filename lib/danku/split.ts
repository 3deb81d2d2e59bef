/**
 * The train/test split of docs/protocol.md §3, reproduced off chain so the organizer knows which groups to reveal
 * first and anyone can check the contract's choice. Must match `selectTrainingGroups()` in the contract bit for bit.
 */
import { encodeAbiParameters, isHex, keccak256, type Address, type Hex } from "viem";
import { groupHashesDigest } from "./encoding";
import { trainingGroupCount } from "./groups";

/**
 * The split seed is the hash of block init1 + splitDelay, unknown when the organizer commits. On a proof-of-stake chain
 * 64 blocks (two epochs of 32 slots) is beyond the proposer lookahead, so nobody knows who will produce the seed block.
 */
export const PUBLIC_CHAIN_SPLIT_DELAY = 64;
/** A local development chain (Hardhat, Anvil: 31337) mines on demand: a short delay; clients mine the blocks themselves. */
export const LOCAL_CHAIN_SPLIT_DELAY = 2;
export const LOCAL_CHAIN_ID = 31337;

/** The split delay clients propose on this chain. */
export function defaultSplitDelay(chainId: number): number {
  return chainId === LOCAL_CHAIN_ID ? LOCAL_CHAIN_SPLIT_DELAY : PUBLIC_CHAIN_SPLIT_DELAY;
}

export interface SplitSeedInput {
  /** blockhash(init1Block + splitDelay): the hash of the split's seed block (docs/protocol.md §3). */
  readonly blockHash: Hex;
  readonly competition: Address;
  /** The committed group hashes, in order. */
  readonly groupHashes: readonly Hex[];
}

export interface SplitResult {
  readonly seed: Hex;
  /** Training group indices in selection order (order[0..nTrain−1]). */
  readonly training: number[];
  /** Test group indices, ascending. */
  readonly test: number[];
  /** isTraining[g] ⇔ group g is a training group. */
  readonly isTraining: boolean[];
}

function checkBytes32(value: Hex, what: string): void {
  if (!isHex(value, { strict: true }) || value.length !== 66) throw new RangeError(`${what} must be 32 bytes of hex, got ${value}`);
}

/** seed = keccak256(abi.encode(bytes32 blockHash, address competition, bytes32 keccak256(abi.encodePacked(groupHashes)))). */
export function splitSeed(input: SplitSeedInput): Hex {
  checkBytes32(input.blockHash, "the block hash");
  input.groupHashes.forEach((hash, g) => checkBytes32(hash, `group hash ${g}`));
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }],
      [input.blockHash, input.competition, groupHashesDigest(input.groupHashes)],
    ),
  );
}

/**
 * Partial forward Fisher–Yates from a seed: for t = 0 … nTrain−1, r = uint256(keccak256(abi.encode(seed, t))) mod (G − t),
 * swap order[t] and order[t + r]. Exposed separately so a client holding the seed (e.g. read from an event) can use it.
 */
export function selectTrainingGroupsFromSeed(seed: Hex, groupCount: number, trainingBps: number): SplitResult {
  checkBytes32(seed, "the seed");
  const nTrain = trainingGroupCount(groupCount, trainingBps);
  const order = Array.from({ length: groupCount }, (_, g) => g);
  for (let t = 0; t < nTrain; t++) {
    const word = BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [seed, BigInt(t)])));
    const j = t + Number(word % BigInt(groupCount - t));
    const tmp = order[t] as number;
    order[t] = order[j] as number;
    order[j] = tmp;
  }
  const training = order.slice(0, nTrain);
  const isTraining = new Array<boolean>(groupCount).fill(false);
  for (const g of training) isTraining[g] = true;
  const test = isTraining.flatMap((train, g) => (train ? [] : [g]));
  return { seed, training, test, isTraining };
}

/** The split the contract's init2 computes for this competition (docs/protocol.md §3). */
export function selectTrainingGroups(input: SplitSeedInput & { readonly trainingBps: number }): SplitResult {
  return selectTrainingGroupsFromSeed(splitSeed(input), input.groupHashes.length, input.trainingBps);
}

/** The contract's storage form: bit g of word ⌊g/256⌋ set ⇔ group g is a training group. */
export function trainingBitmap(isTraining: readonly boolean[]): bigint[] {
  const words = new Array<bigint>(Math.ceil(isTraining.length / 256)).fill(0n);
  isTraining.forEach((train, g) => {
    if (train) words[g >> 8] = (words[g >> 8] as bigint) | (1n << BigInt(g & 255));
  });
  return words;
}
