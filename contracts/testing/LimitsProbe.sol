// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuLimits} from "../danku/DankuLimits.sol";
import {BlobStore} from "../danku/BlobStore.sol";

/// @title LimitsProbe
/// @notice Test-only: exposes the protocol constants so a test can compare them with lib/danku/constants.ts.
contract LimitsProbe {
    /// @notice Every DankuLimits constant, by name.
    function limits() external pure returns (string[] memory names, uint256[] memory values) {
        names = new string[](35);
        values = new uint256[](35);
        (names[0], values[0]) = ("MAX_FEATURES", DankuLimits.MAX_FEATURES);
        (names[1], values[1]) = ("MAX_CLASSES", DankuLimits.MAX_CLASSES);
        (names[2], values[2]) = ("MIN_CLASSES", DankuLimits.MIN_CLASSES);
        (names[3], values[3]) = ("MAX_LAYER_WIDTH", DankuLimits.MAX_LAYER_WIDTH);
        (names[4], values[4]) = ("MAX_LAYERS", DankuLimits.MAX_LAYERS);
        (names[5], values[5]) = ("MAX_LANE_WORDS", DankuLimits.MAX_LANE_WORDS);
        (names[6], values[6]) = ("MAX_MODEL_BYTES", DankuLimits.MAX_MODEL_BYTES);
        (names[7], values[7]) = ("MAX_BIAS_MAGNITUDE", DankuLimits.MAX_BIAS_MAGNITUDE);
        (names[8], values[8]) = ("MAX_SHIFT", DankuLimits.MAX_SHIFT);
        (names[9], values[9]) = ("MIN_GROUPS", DankuLimits.MIN_GROUPS);
        (names[10], values[10]) = ("MAX_GROUPS", DankuLimits.MAX_GROUPS);
        (names[11], values[11]) = ("MIN_PERIOD", DankuLimits.MIN_PERIOD);
        (names[12], values[12]) = ("MAX_PERIOD", DankuLimits.MAX_PERIOD);
        (names[13], values[13]) = ("MIN_INIT2_WINDOW", DankuLimits.MIN_INIT2_WINDOW);
        (names[14], values[14]) = ("MAX_INIT2_WINDOW", DankuLimits.MAX_INIT2_WINDOW);
        (names[15], values[15]) = ("MIN_TRAINING_BPS", DankuLimits.MIN_TRAINING_BPS);
        (names[16], values[16]) = ("MAX_TRAINING_BPS", DankuLimits.MAX_TRAINING_BPS);
        (names[17], values[17]) = ("BPS", DankuLimits.BPS);
        (names[18], values[18]) = ("LANES", DankuLimits.LANES);
        (names[19], values[19]) = ("WEIGHT_OFFSET", DankuLimits.WEIGHT_OFFSET);
        (names[20], values[20]) = ("MODEL_FORMAT_VERSION", DankuLimits.MODEL_FORMAT_VERSION);
        (names[21], values[21]) = ("MIN_SPLIT_DELAY", DankuLimits.MIN_SPLIT_DELAY);
        (names[22], values[22]) = ("MAX_SPLIT_DELAY", DankuLimits.MAX_SPLIT_DELAY);
        (names[23], values[23]) = ("MAX_TOTAL_POINTS", DankuLimits.MAX_TOTAL_POINTS);
        (names[24], values[24]) = ("EVALUATION_TX_GAS", DankuLimits.EVALUATION_TX_GAS);
        (names[25], values[25]) = ("MAX_EVALUATION_SETUP_GAS", DankuLimits.MAX_EVALUATION_SETUP_GAS);
        (names[26], values[26]) = ("MAX_EVALUATION_GAS_PER_POINT", DankuLimits.MAX_EVALUATION_GAS_PER_POINT);
        (names[27], values[27]) = ("EVALUATION_PERIOD_FACTOR", DankuLimits.EVALUATION_PERIOD_FACTOR);
        (names[28], values[28]) = ("MAX_CLAIM_MODE_POINTS", DankuLimits.MAX_CLAIM_MODE_POINTS);
        (names[29], values[29]) = ("CLAIM_BOND_GAS", DankuLimits.CLAIM_BOND_GAS);
        (names[30], values[30]) = ("MIN_CHALLENGE_WINDOW", DankuLimits.MIN_CHALLENGE_WINDOW);
        (names[31], values[31]) = ("MAX_CHALLENGE_WINDOW", DankuLimits.MAX_CHALLENGE_WINDOW);
        (names[32], values[32]) = ("MIN_BOND_GAS_PRICE", DankuLimits.MIN_BOND_GAS_PRICE);
        (names[33], values[33]) = ("MAX_BOND_GAS_PRICE", DankuLimits.MAX_BOND_GAS_PRICE);
        (names[34], values[34]) = ("MAX_CLAIM_MODE_MODEL_BYTES", DankuLimits.MAX_CLAIM_MODE_MODEL_BYTES);
    }

    /// @notice BlobStore's data bytes per data contract.
    function maxChunk() external pure returns (uint256) {
        return BlobStore.MAX_CHUNK;
    }
}
