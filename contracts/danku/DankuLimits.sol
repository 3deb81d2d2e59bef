// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DankuLimits
/// @notice Protocol constants of docs/protocol.md §1. They mirror lib/danku/constants.ts; a test asserts the two agree.
library DankuLimits {
    /// @notice Input width of a network: 255·255·1024 < 2^31 keeps the evaluator's 32-bit lanes exact.
    uint256 internal constant MAX_FEATURES = 1024;
    /// @notice Labels are one byte.
    uint256 internal constant MAX_CLASSES = 255;
    uint256 internal constant MIN_CLASSES = 2;
    /// @notice Width limit of any layer.
    uint256 internal constant MAX_LAYER_WIDTH = 1024;
    /// @notice Weight layers (hidden + output).
    uint256 internal constant MAX_LAYERS = 8;
    /// @notice Σ over layers of `in × ceil(out / 8)`: bounds the evaluator's memory.
    uint256 internal constant MAX_LANE_WORDS = 16384;
    /// @notice Encoded model length limit: a reveal must fit one transaction under the EIP-7825 gas cap.
    uint256 internal constant MAX_MODEL_BYTES = 65536;
    /// @notice Claim mode: a dense (version-1) model is not stored, only validated from the reveal's calldata and
    /// hashed, so a reveal costs about 16 gas per byte; disputes pass the bytes again (docs/protocol.md §11). Convolutional
    /// models keep MAX_MODEL_BYTES in both modes (their dispute also runs up to MAX_WORK units of forward pass).
    uint256 internal constant MAX_CLAIM_MODE_MODEL_BYTES = 163_840;
    /// @notice |bias| ≤ 2^30 keeps every pre-activation inside ±2^31.
    uint256 internal constant MAX_BIAS_MAGNITUDE = 1 << 30;
    uint256 internal constant MAX_SHIFT = 31;
    uint256 internal constant MIN_GROUPS = 2;
    uint256 internal constant MAX_GROUPS = 1024;
    uint256 internal constant MIN_PERIOD = 10;
    uint256 internal constant MAX_PERIOD = 2_000_000;
    uint256 internal constant MIN_INIT2_WINDOW = 1;
    /// @notice `blockhash` reaches 256 blocks back, so the init1 block's hash is readable for the whole window.
    uint256 internal constant MAX_INIT2_WINDOW = 255;
    /// @notice The split seed is the hash of block init1 + splitDelay (1 ≤ splitDelay ≤ MAX_SPLIT_DELAY).
    uint256 internal constant MIN_SPLIT_DELAY = 1;
    /// @notice init1 + splitDelay + init2Window must stay within blockhash's 256-block reach of the seed block:
    /// the window counts from the seed block, so only the window is bounded by 255; the delay by this.
    uint256 internal constant MAX_SPLIT_DELAY = 1024;
    /// @notice Points of all groups together (counters are uint32).
    uint256 internal constant MAX_TOTAL_POINTS = 4_000_000;
    /// @notice Gas one evaluation transaction is assumed to get (under EIP-7825's 16,777,216 cap, with room for
    /// the intrinsic cost and calldata): the unit of the evaluation-fits rule (docs/protocol.md §7.2).
    uint256 internal constant EVALUATION_TX_GAS = 15_000_000;
    /// @notice Upper bound of one `evaluate` transaction's fixed cost (model copy and expansion, storage, event)
    /// for any model the limits allow; test/danku/evaluationFits.test.ts measures the largest models against it.
    uint256 internal constant MAX_EVALUATION_SETUP_GAS = 2_700_000;
    /// @notice Upper bound of the evaluation gas of one point for any model the limits allow (measured likewise).
    uint256 internal constant MAX_EVALUATION_GAS_PER_POINT = 480_000;
    /// @notice The evaluation period must hold this many times the transactions one worst-case evaluation needs,
    /// one transaction per block: the other half of the blocks is slack for congestion and other submissions.
    uint256 internal constant EVALUATION_PERIOD_FACTOR = 2;
    /// @notice Claim mode: a claim's predictions (one byte per test point) must fit one transaction's calldata,
    /// so all committed points together stay below this (MNIST's 70,000 fit).
    uint256 internal constant MAX_CLAIM_MODE_POINTS = 100_000;
    /// @notice Claim mode: the bond is this many gas at the stated price. It is EIP-7825's per-transaction cap, so no
    /// dispute transaction can cost a challenger more gas than the bond pays for at that price.
    uint256 internal constant CLAIM_BOND_GAS = 16_777_216;
    /// @notice Challenge window bounds (blocks): at least about 2 minutes, at most about 2 weeks at 12 s blocks.
    uint256 internal constant MIN_CHALLENGE_WINDOW = 10;
    uint256 internal constant MAX_CHALLENGE_WINDOW = 100_000;
    /// @notice Bond gas price bounds (wei): 1 gwei … 10,000 gwei (a bond of 0.0168 … 167.8 ETH).
    uint256 internal constant MIN_BOND_GAS_PRICE = 1e9;
    uint256 internal constant MAX_BOND_GAS_PRICE = 1e13;
    uint256 internal constant MIN_TRAINING_BPS = 1000;
    uint256 internal constant MAX_TRAINING_BPS = 9000;
    uint256 internal constant BPS = 10_000;
    /// @notice SWAR lanes per 256-bit word.
    uint256 internal constant LANES = 8;
    /// @notice Offset added to each int8 weight in the model bytes.
    uint256 internal constant WEIGHT_OFFSET = 128;
    uint256 internal constant MODEL_FORMAT_VERSION = 1;
}
