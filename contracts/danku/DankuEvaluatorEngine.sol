// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuEvaluator} from "./DankuEvaluator.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuEvaluatorEngine
/// @notice Stateless host of the DankuEvaluator forward pass, deployed once by the factory and called (STATICCALL)
/// by every competition, so the competition contract stays well below the EIP-170 code-size limit.
/// It reads a validated model and revealed points from their data contracts and counts correct predictions.
contract DankuEvaluatorEngine {
    /// @notice `points` whole points of `pointSize` bytes starting at point `firstPoint` of data contract `pointer`.
    struct Slice {
        address pointer;
        uint256 firstPoint;
        uint256 points;
    }

    /// @notice Runs the model stored in `modelChunks` (validated at reveal) on every slice, in order.
    /// @param modelChunks The model's data contracts, in order.
    /// @param slices Revealed points to evaluate.
    /// @param pointSize Bytes per point (features + label).
    /// @return correct How many predictions equal their labels.
    function evaluate(address[] calldata modelChunks, Slice[] calldata slices, uint256 pointSize)
        external
        view
        returns (uint256 correct)
    {
        uint256 m = DankuEvaluator.prepare(modelChunks);
        uint256 largest;
        for (uint256 i; i < slices.length; ++i) {
            if (slices[i].points > largest) largest = slices[i].points;
        }
        // One buffer for every slice, with the 32 readable bytes the forward pass may look past the last point.
        uint256 buf;
        uint256 size = largest * pointSize + 32;
        assembly ("memory-safe") {
            buf := mload(0x40)
            mstore(0x40, add(buf, and(add(size, 31), not(31))))
        }
        for (uint256 i; i < slices.length; ++i) {
            Slice calldata s = slices[i];
            BlobStore.readInto(s.pointer, s.firstPoint * pointSize, s.points * pointSize, buf);
            correct += DankuEvaluator.run(m, buf, s.points, pointSize);
        }
    }

    /// @notice Whether the model stored in `modelChunks` predicts class `point[F]` for the features `point[0..F)`:
    /// the one-point entry of claim-mode disputes (docs/protocol.md §11). It runs the same forward pass as
    /// {evaluate} on one point whose label byte is the prediction to test, so it is bit-exact with the evaluation.
    /// @param modelChunks The model's data contracts, in order.
    /// @param point F feature bytes and the class to test (F + 1 bytes, F the model's input width).
    /// @return hit Whether argmax of the model's outputs (ties to the lowest class) is `point[F]`.
    function predicts(address[] calldata modelChunks, bytes calldata point) external view returns (bool hit) {
        uint256 m = DankuEvaluator.prepare(modelChunks);
        uint256 len = point.length;
        uint256 buf;
        assembly ("memory-safe") {
            // The point and the 32 readable bytes the forward pass may look past it.
            buf := mload(0x40)
            mstore(0x40, add(buf, and(add(len, 63), not(31))))
            calldatacopy(buf, point.offset, len)
            mstore(add(buf, len), 0)
        }
        hit = DankuEvaluator.run(m, buf, 1, len) == 1;
    }
}
