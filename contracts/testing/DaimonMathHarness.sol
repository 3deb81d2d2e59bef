// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DaimonMath} from "../daimon/DaimonMath.sol";
import {DaimonLimits} from "../daimon/DaimonLimits.sol";

/// @title DaimonMathHarness
/// @notice Test-only: exposes DaimonMath in batches so the TypeScript mirror can be compared with it bit for bit.
contract DaimonMathHarness {
    /// @notice Floor and ceiling integer square roots.
    function isqrt(uint256[] calldata xs) external pure returns (uint256[] memory floors, uint256[] memory ceils) {
        floors = new uint256[](xs.length);
        ceils = new uint256[](xs.length);
        for (uint256 i; i < xs.length; ++i) {
            floors[i] = Math.sqrt(xs[i]);
            ceils[i] = Math.sqrt(xs[i], Math.Rounding.Ceil);
        }
    }

    /// @notice The modified cosine distance of each pair of packed int16 vectors (equal lengths, non-zero norms).
    function distances(bytes[] calldata a, bytes[] calldata b) external pure returns (uint256[] memory out) {
        out = new uint256[](a.length);
        for (uint256 i; i < a.length; ++i) out[i] = _distance(a[i], b[i]);
    }

    function _distance(bytes calldata a, bytes calldata b) private pure returns (uint256) {
        bytes memory x = bytes.concat(a, new bytes(32));
        bytes memory y = bytes.concat(b, new bytes(32));
        uint256 px;
        uint256 py;
        assembly ("memory-safe") {
            px := add(x, 32)
            py := add(y, 32)
        }
        (int256 dot, uint256 n1, uint256 n2) = DaimonMath.dotAndNorms(px, py, a.length / 2);
        return DaimonMath.cosineDistance(dot, n1, n2);
    }

    /// @notice G_a(d) = 1 − I_{1−d}(a, ½) for each (d, a).
    function upperTails(uint256[] calldata ds, uint256[] calldata as_) external pure returns (uint256[] memory out) {
        out = new uint256[](ds.length);
        for (uint256 i; i < ds.length; ++i) out[i] = DaimonMath.upperTail(ds[i], as_[i]);
    }

    /// @notice R(d, d_c) for each (d, d_c, a).
    function rewards(uint256[] calldata ds, uint256[] calldata dcs, uint256[] calldata as_)
        external
        pure
        returns (uint256[] memory out)
    {
        out = new uint256[](ds.length);
        for (uint256 i; i < ds.length; ++i) out[i] = DaimonMath.reward(ds[i], dcs[i], as_[i]);
    }

    /// @notice DaimonMath.validatorShare for each (improverReward, voteCount) pair.
    function validatorShares(uint256[] calldata amounts, uint256[] calldata voteCounts)
        external
        pure
        returns (uint256[] memory out)
    {
        out = new uint256[](amounts.length);
        for (uint256 i; i < amounts.length; ++i) out[i] = DaimonMath.validatorShare(amounts[i], voteCounts[i]);
    }

    /// @notice The protocol constants, by name, for the TypeScript mirror's test.
    function limits() external pure returns (string[] memory names, uint256[] memory values) {
        names = new string[](27);
        values = new uint256[](27);
        (names[0], values[0]) = ("WAD", DaimonLimits.WAD);
        (names[1], values[1]) = ("MIN_CLASSES", DaimonLimits.MIN_CLASSES);
        (names[2], values[2]) = ("MAX_CLASSES", DaimonLimits.MAX_CLASSES);
        (names[3], values[3]) = ("MIN_TEST_SET_SIZE", DaimonLimits.MIN_TEST_SET_SIZE);
        (names[4], values[4]) = ("MAX_TEST_SET_SIZE", DaimonLimits.MAX_TEST_SET_SIZE);
        (names[5], values[5]) = ("MIN_EMBEDDING", DaimonLimits.MIN_EMBEDDING);
        (names[6], values[6]) = ("MAX_EMBEDDING", DaimonLimits.MAX_EMBEDDING);
        (names[7], values[7]) = ("MAX_TUPLES", DaimonLimits.MAX_TUPLES);
        (names[8], values[8]) = ("MIN_PERIOD", DaimonLimits.MIN_PERIOD);
        (names[9], values[9]) = ("MAX_PERIOD", DaimonLimits.MAX_PERIOD);
        (names[10], values[10]) = ("MIN_REWARD_SHAPE", DaimonLimits.MIN_REWARD_SHAPE);
        (names[11], values[11]) = ("MAX_REWARD_SHAPE", DaimonLimits.MAX_REWARD_SHAPE);
        (names[12], values[12]) = ("MIN_MIN_VOTES", DaimonLimits.MIN_MIN_VOTES);
        (names[13], values[13]) = ("MAX_MIN_VOTES", DaimonLimits.MAX_MIN_VOTES);
        (names[14], values[14]) = ("MAX_MARGIN", DaimonLimits.MAX_MARGIN);
        (names[15], values[15]) = ("MAX_REWARD_SCALE", DaimonLimits.MAX_REWARD_SCALE);
        (names[16], values[16]) = ("MAX_INPUT_RANK", DaimonLimits.MAX_INPUT_RANK);
        (names[17], values[17]) = ("MAX_NAME_BYTES", DaimonLimits.MAX_NAME_BYTES);
        (names[18], values[18]) = ("MAX_SYMBOL_BYTES", DaimonLimits.MAX_SYMBOL_BYTES);
        (names[19], values[19]) = ("MAX_CID_BYTES", DaimonLimits.MAX_CID_BYTES);
        (names[20], values[20]) = ("REGISTRATION_AGE", DaimonLimits.REGISTRATION_AGE);
        (names[21], values[21]) = ("PROOF_BOND", DaimonLimits.PROOF_BOND);
        (names[22], values[22]) = ("AVAILABILITY_BOND", DaimonLimits.AVAILABILITY_BOND);
        (names[23], values[23]) = ("MIN_DISPUTE_WINDOW", DaimonLimits.MIN_DISPUTE_WINDOW);
        (names[24], values[24]) = ("VOTE_BOND", DaimonLimits.VOTE_BOND);
        (names[25], values[25]) = ("MAX_VOTES", DaimonLimits.MAX_VOTES);
        (names[26], values[26]) = ("VALIDATOR_POOL_DIVISOR", DaimonLimits.VALIDATOR_POOL_DIVISOR);
    }
}
