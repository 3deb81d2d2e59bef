// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuEvaluator} from "./DankuEvaluator.sol";
import {DankuCnnEvaluator} from "./DankuCnnEvaluator.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuEvaluatorEngine
/// @notice Stateless host of the forward passes, deployed once (before the factory, which is given it: its init code
/// would push the factory's past EIP-3860) and called (STATICCALL) by every competition, so the competition contract
/// stays well below the EIP-170 code-size limit. {evaluate} reads a validated dense model and revealed points from
/// their data contracts and counts correct predictions (on-chain mode); {predicts} runs a dense (DankuEvaluator) or
/// convolutional (DankuCnnEvaluator) model given as bytes on one point (claim-mode disputes); {evaluatePoints} runs such a
/// model on every point given as bytes (claim mode's full evaluation of one test root).
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

    /// @notice Whether `model` predicts class `point[F]` for the features `point[0..F)`: the one-point entry of
    /// claim-mode disputes (docs/protocol.md §11), given the model bytes themselves (the competition checks them
    /// against the revealed hash; claim mode stores no model code). Dispatches on the format version byte:
    /// 1 runs the dense forward pass of {evaluate} on one point whose label byte is the prediction to test, so it is
    /// bit-exact with the evaluation; 2 runs the convolutional forward pass of {DankuCnnEvaluator} (docs/cnn.md),
    /// which validates the model for points of F bytes and `classCount` classes first.
    /// @param model The revealed model bytes (validated at reveal).
    /// @param point F feature bytes and the class to test (F + 1 bytes, F the model's input width).
    /// @param classCount The competition's class count.
    /// @return hit Whether argmax of the model's outputs (ties to the lowest class) is `point[F]`.
    function predicts(bytes calldata model, bytes calldata point, uint256 classCount) external pure returns (bool hit) {
        uint256 len = point.length;
        if (model.length != 0 && uint8(model[0]) == DankuCnnEvaluator.FORMAT_VERSION) {
            if (len == 0) return false;
            bytes memory features = point[:len - 1];
            return DankuCnnEvaluator.predict(model, features, classCount) == uint8(point[len - 1]);
        }
        uint256 m = DankuEvaluator.prepareCalldata(model);
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

    /// @notice How many of `points` (whole points of `pointSize` bytes: F features and the label) `model` predicts
    /// right: the full-evaluation entry of the claim mode (docs/protocol.md §11.9), given the model bytes (checked by
    /// the competition against the revealed hash) and one test root's points (checked against the root). Dispatches
    /// on the version byte as {predicts} does: 1 runs the dense forward pass of {evaluate} on all points at once
    /// (bit-exact with {predicts} and {evaluate}), 2 runs {DankuCnnEvaluator.predict} point by point.
    /// @param model The revealed model bytes (validated at reveal).
    /// @param points The points, `points.length` a multiple of `pointSize`.
    /// @param pointSize Bytes per point (features + label), at least 2.
    /// @param classCount The competition's class count.
    /// @return correct How many predictions equal their labels.
    function evaluatePoints(bytes calldata model, bytes calldata points, uint256 pointSize, uint256 classCount)
        external
        pure
        returns (uint256 correct)
    {
        uint256 len = points.length;
        uint256 count = len / pointSize;
        if (model.length != 0 && uint8(model[0]) == DankuCnnEvaluator.FORMAT_VERSION) {
            for (uint256 i; i < count; ++i) {
                uint256 at = i * pointSize;
                bytes memory features = points[at:at + pointSize - 1];
                if (DankuCnnEvaluator.predict(model, features, classCount) == uint8(points[at + pointSize - 1])) {
                    ++correct;
                }
            }
            return correct;
        }
        uint256 m = DankuEvaluator.prepareCalldata(model);
        uint256 buf;
        assembly ("memory-safe") {
            // The points and the 32 readable bytes the forward pass may look past the last one.
            buf := mload(0x40)
            mstore(0x40, add(buf, and(add(len, 63), not(31))))
            calldatacopy(buf, points.offset, len)
            mstore(add(buf, len), 0)
        }
        correct = DankuEvaluator.run(m, buf, count, pointSize);
    }
}
