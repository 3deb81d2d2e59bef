// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {DaimonLimits} from "./DaimonLimits.sol";

/// @title DaimonMath
/// @notice The fixed-point arithmetic of DaiMoN (docs/daimon.md §3–§4), mirrored bit for bit by
/// lib/daimon/fixedPoint.ts: the paper's modified cosine distance between packed int16 vectors and the reward
/// R(d, d_c) = I_{1−d}(a, ½) − I_{1−d_c}(a, ½) through its closed form for integer a. Every value is a WAD
/// (1e18 = 1); all arithmetic is checked.
library DaimonMath {
    /// @notice 1 in the fixed-point format of distances and rewards.
    uint256 internal constant WAD = 1e18;
    /// @notice Internal scale of the reward series (1e36 = 1), so the a terms lose nothing visible at WAD.
    uint256 internal constant FINE = 1e36;
    /// @dev WAD², the scale under the square root of ‖y1‖²‖y2‖².
    uint256 private constant WAD_SQUARED = 1e36;
    /// @dev √(d · 1e54) is √d with d a WAD, in FINE.
    uint256 private constant ROOT_SCALE = 1e54;

    /// @notice Dot product and squared norms of two vectors of `n` big-endian int16 entries at memory `p1`, `p2`.
    /// @dev |entry| ≤ 2^15 and n ≤ 256 bound every sum by 2^38. EVM MUL/ADD on two's complement words give the
    /// exact signed results. Reads up to 30 bytes past each vector; only the top two bytes of each load are used.
    function dotAndNorms(uint256 p1, uint256 p2, uint256 n)
        internal
        pure
        returns (int256 dot, uint256 norm1, uint256 norm2)
    {
        assembly ("memory-safe") {
            let end := add(p1, mul(n, 2))
            for {} lt(p1, end) {
                p1 := add(p1, 2)
                p2 := add(p2, 2)
            } {
                let a := signextend(1, shr(240, mload(p1)))
                let b := signextend(1, shr(240, mload(p2)))
                dot := add(dot, mul(a, b))
                norm1 := add(norm1, mul(a, a))
                norm2 := add(norm2, mul(b, b))
            }
        }
    }

    /// @notice d(y1, y2) = 1 − y1·y2 / (‖y1‖‖y2‖) if y1·y2 > 0, else 1 (the paper's value at y1·y2 = 0 is 1 too).
    /// Both norms must be non-zero. The denominator √(‖y1‖²‖y2‖²·WAD²) is rounded up and the quotient down, so the
    /// result is never below the exact distance and exceeds it by at most 2·10⁻¹⁸.
    function cosineDistance(int256 dot, uint256 norm1, uint256 norm2) internal pure returns (uint256) {
        if (dot <= 0) return WAD;
        uint256 denominator = Math.sqrt(norm1 * norm2 * WAD_SQUARED, Math.Rounding.Ceil);
        // Cauchy–Schwarz: dot ≤ √(norm1·norm2), hence the quotient is at most WAD.
        return WAD - (uint256(dot) * WAD_SQUARED) / denominator;
    }

    /// @notice The aggregate distance of a proof over its tuples: the mean of the per-tuple distances, rounded up.
    function meanRoundedUp(uint256 sum, uint256 count) internal pure returns (uint256) {
        return (sum + count - 1) / count;
    }

    /// @notice G_a(d) = 1 − I_{1−d}(a, ½) = √d · Σ_{j=0}^{a−1} c_j (1 − d)^j with c_0 = 1, c_j = c_{j−1}(2j − 1)/(2j)
    /// (= C(2j, j)/4^j), a WAD rounded down. The series runs in 1e36 units, each term rounded down.
    /// @param d A distance in WAD, 0 ≤ d ≤ 1e18.
    /// @param a The reward shape, a positive integer.
    function upperTail(uint256 d, uint256 a) internal pure returns (uint256) {
        uint256 x = WAD - d;
        uint256 term = FINE;
        uint256 sum = FINE;
        for (uint256 j = 1; j < a; ++j) {
            term = (term * x * (2 * j - 1)) / (2 * j * WAD);
            sum += term;
        }
        return (sum * Math.sqrt(d * ROOT_SCALE)) / ROOT_SCALE;
    }

    /// @notice R(d, d_c) = I_{1−d}(a, ½) − I_{1−d_c}(a, ½) = G_a(d_c) − G_a(d) in WAD; exactly 0 whenever d ≥ d_c or the
    /// rounded tails are not in order, so it is never negative and never wraps.
    function reward(uint256 d, uint256 dc, uint256 a) internal pure returns (uint256) {
        if (d >= dc) return 0;
        uint256 high = upperTail(dc, a);
        uint256 low = upperTail(d, a);
        return high > low ? high - low : 0;
    }

    /// @notice Token amount of reward `r` (WAD) at `rewardScale` base units per unit: ⌊rewardScale · r / WAD⌋.
    function scaleReward(uint256 r, uint256 rewardScale) internal pure returns (uint256) {
        return (rewardScale * r) / WAD;
    }

    /// @notice Each of the `voteCount` votes on a committed proof receives ⌊⌊improverReward / 4⌋ / voteCount⌋, the same
    /// for the first and the last voter (docs/daimon.md §4, §14.4); 0 when there is no vote.
    function validatorShare(uint256 improverReward, uint256 voteCount) internal pure returns (uint256) {
        return voteCount == 0 ? 0 : improverReward / DaimonLimits.VALIDATOR_POOL_DIVISOR / voteCount;
    }
}
