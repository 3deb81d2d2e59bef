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
    uint256 internal constant MIN_TRAINING_BPS = 1000;
    uint256 internal constant MAX_TRAINING_BPS = 9000;
    uint256 internal constant BPS = 10_000;
    /// @notice SWAR lanes per 256-bit word.
    uint256 internal constant LANES = 8;
    /// @notice Offset added to each int8 weight in the model bytes.
    uint256 internal constant WEIGHT_OFFSET = 128;
    uint256 internal constant MODEL_FORMAT_VERSION = 1;
}
