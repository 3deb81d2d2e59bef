/**
 * Protocol constants shared by every client. They mirror `contracts/danku/DankuLimits.sol`; a test asserts the two agree.
 * See docs/protocol.md §1 for why each bound has the value it has.
 */
export const MAX_FEATURES = 1024;
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 255;
export const MAX_LAYER_WIDTH = 1024;
export const MAX_LAYERS = 8;
export const MAX_LANE_WORDS = 16384;
/**
 * Encoded model length limit: revealing stores the bytes as contract code (≈ 225 gas per byte), and the reveal must fit
 * one transaction under the EIP-7825 cap. In practice this, not MAX_LANE_WORDS, bounds the model size.
 */
export const MAX_MODEL_BYTES = 65_536;
/**
 * Claim mode (docs/protocol.md §11): a dense model is validated from the reveal's calldata and only its hash is kept
 * (≈ 16 gas per byte instead of ≈ 225), and a dispute passes the bytes again, so dense models may be this long there.
 * Convolutional (version-2) models keep MAX_MODEL_BYTES in both modes.
 */
export const MAX_CLAIM_MODE_MODEL_BYTES = 163_840;
export const MAX_BIAS_MAGNITUDE = 2 ** 30;
export const MAX_SHIFT = 31;
export const MIN_GROUPS = 2;
export const MAX_GROUPS = 1024;
export const MIN_PERIOD = 10;
export const MAX_PERIOD = 2_000_000;
export const MIN_INIT2_WINDOW = 1;
export const MAX_INIT2_WINDOW = 255;
/** The split seed is the hash of block init1 + splitDelay (docs/protocol.md §3). */
export const MIN_SPLIT_DELAY = 1;
export const MAX_SPLIT_DELAY = 1024;
/** Points of all groups together. */
export const MAX_TOTAL_POINTS = 4_000_000;
/** Gas one evaluation transaction is assumed to get: the unit of the evaluation-fits rule (docs/protocol.md §7.2). */
export const EVALUATION_TX_GAS = 15_000_000;
/** Upper bound of one evaluate transaction's fixed cost for any model the limits allow (measured by a test). */
export const MAX_EVALUATION_SETUP_GAS = 2_700_000;
/** Upper bound of the evaluation gas of one point for any model the limits allow (measured by a test). */
export const MAX_EVALUATION_GAS_PER_POINT = 480_000;
/** The evaluation period must hold this many times the transactions one worst-case evaluation needs. */
export const EVALUATION_PERIOD_FACTOR = 2;
/** Claim mode (docs/protocol.md §11): committed points at most, so a claim's predictions fit one transaction. */
export const MAX_CLAIM_MODE_POINTS = 100_000;
/** The claim bond is this many gas (EIP-7825's cap: no dispute can cost more) at the competition's bond gas price. */
export const CLAIM_BOND_GAS = 16_777_216;
export const MIN_CHALLENGE_WINDOW = 10;
export const MAX_CHALLENGE_WINDOW = 100_000;
/** Bond gas price bounds in wei (1 gwei … 10,000 gwei). */
export const MIN_BOND_GAS_PRICE = 1_000_000_000;
export const MAX_BOND_GAS_PRICE = 10_000_000_000_000;
export const MIN_TRAINING_BPS = 1000;
export const MAX_TRAINING_BPS = 9000;
export const BPS = 10_000;
/** SWAR lanes per 256-bit word: eight 32-bit accumulators. */
export const LANES = 8;
/** Offset added to each int8 weight so every lane stays non-negative (docs/protocol.md §4.1). */
export const WEIGHT_OFFSET = 128;
export const MODEL_FORMAT_VERSION = 1;
/** EIP-7825 per-transaction gas cap, enforced by Hardhat's default hardfork (osaka). */
export const TX_GAS_CAP = 16_777_216;
