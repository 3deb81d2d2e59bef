// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuEvaluator} from "../danku/DankuEvaluator.sol";
import {BlobStore} from "../danku/BlobStore.sol";

/// @title EvaluatorHarness
/// @notice Test-only: exposes DankuEvaluator on raw bytes, for differential tests against lib/danku/forward.ts
/// and for gas profiling. Never deployed by the app.
contract EvaluatorHarness {
    /// @notice Validates `model` for a dataset of `featureCount` features and `classCount` classes (reverts like revealModel).
    function validate(bytes calldata model, uint256 featureCount, uint256 classCount) external pure {
        DankuEvaluator.validate(model, featureCount, classCount);
    }

    /// @notice Stores `model` as data contracts (as revealModel does) and returns their addresses.
    function store(bytes calldata model) external returns (address[] memory chunks) {
        uint256 len = model.length;
        chunks = new address[]((len + BlobStore.MAX_CHUNK - 1) / BlobStore.MAX_CHUNK);
        uint256 data;
        assembly ("memory-safe") {
            data := add(mload(0x40), 32)
            mstore(0x40, add(data, and(add(len, 63), not(31))))
            calldatacopy(data, model.offset, len)
        }
        for (uint256 c; c < chunks.length; ++c) {
            uint256 at = c * BlobStore.MAX_CHUNK;
            chunks[c] = BlobStore.writeMemory(data + at, len - at < BlobStore.MAX_CHUNK ? len - at : BlobStore.MAX_CHUNK);
        }
    }

    /// @notice Writes `data` as one data contract (BlobStore.writeMemory), for testing its bounds.
    function writeBlob(bytes calldata data) external returns (address pointer) {
        uint256 len = data.length;
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(mload(0x40), 32)
            mstore(0x40, add(ptr, and(add(len, 63), not(31))))
            calldatacopy(ptr, data.offset, len)
        }
        pointer = BlobStore.writeMemory(ptr, len);
    }

    /// @notice Runs the stored model on `points` (each `featureCount` bytes + label); returns the correct count
    /// and the gas spent preparing the model and running the points.
    function evaluate(address[] calldata chunks, bytes calldata points, uint256 featureCount)
        external
        view
        returns (uint256 correct, uint256 prepareGas, uint256 runGas)
    {
        uint256 pointSize = featureCount + 1;
        uint256 g0 = gasleft();
        uint256 m = DankuEvaluator.prepare(chunks);
        uint256 g1 = gasleft();
        uint256 data;
        uint256 len = points.length;
        assembly ("memory-safe") {
            data := mload(0x40)
            mstore(0x40, add(data, and(add(len, 63), not(31))))
            calldatacopy(data, points.offset, len)
        }
        uint256 g2 = gasleft();
        correct = DankuEvaluator.run(m, data, len / pointSize, pointSize);
        uint256 g3 = gasleft();
        prepareGas = g0 - g1;
        runGas = g2 - g3;
    }
}
