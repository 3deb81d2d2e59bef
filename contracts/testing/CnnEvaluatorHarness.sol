// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuCnnEvaluator} from "../danku/DankuCnnEvaluator.sol";
import {BlobStore} from "../danku/BlobStore.sol";

/// @title CnnEvaluatorHarness
/// @notice Test-only: exposes DankuCnnEvaluator for differential tests against lib/danku/cnn/ and for gas
/// measurement of the one-point forward pass a dispute runs. Never deployed by the app.
contract CnnEvaluatorHarness {
    /// @notice Validates `model` for points of `featureCount` bytes and `classCount` classes.
    function validate(bytes calldata model, uint256 featureCount, uint256 classCount) external pure {
        DankuCnnEvaluator.validate(model, featureCount, classCount);
    }

    /// @notice The class `model` (from calldata) predicts for `point` (its feature bytes).
    function predict(bytes calldata model, bytes calldata point, uint256 classCount)
        external
        pure
        returns (uint256 prediction)
    {
        prediction = DankuCnnEvaluator.predict(model, point, classCount);
    }

    /// @notice Stores `model` as data contracts, as revealModel stores revealed models, and returns their addresses.
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

    /// @notice What a dispute runs: the model read from its data contracts, one point from calldata.
    function predictStored(address[] calldata chunks, bytes calldata point, uint256 classCount)
        external
        view
        returns (uint256 prediction)
    {
        prediction = DankuCnnEvaluator.predict(DankuCnnEvaluator.load(chunks), point, classCount);
    }

    /// @notice {predictStored} with the gas it spent (gasleft before and after), to profile models that may not fit a
    /// transaction; the library itself never reads gasleft().
    function measureStored(address[] calldata chunks, bytes calldata point, uint256 classCount)
        external
        view
        returns (uint256 prediction, uint256 gasUsed)
    {
        uint256 before = gasleft();
        prediction = DankuCnnEvaluator.predict(DankuCnnEvaluator.load(chunks), point, classCount);
        gasUsed = before - gasleft();
    }

    /// @notice The work units validation charges `model` (to compare with cnnWork in lib/danku/cnn/model.ts).
    function work(bytes calldata model, uint256 featureCount, uint256 classCount) external pure returns (uint256 units) {
        units = DankuCnnEvaluator.work(model, featureCount, classCount);
    }

    /// @notice The limits the contract enforces, to compare with lib/danku/cnn/model.ts.
    function limits() external pure returns (uint256[9] memory values) {
        values = [
            DankuCnnEvaluator.FORMAT_VERSION,
            DankuCnnEvaluator.MAX_LAYERS,
            DankuCnnEvaluator.MAX_KERNEL,
            DankuCnnEvaluator.MAX_STRIDE,
            DankuCnnEvaluator.MAX_CHANNELS,
            DankuCnnEvaluator.MAX_SIDE,
            DankuCnnEvaluator.MAX_ACTIVATIONS,
            DankuCnnEvaluator.MAX_DENSE_WIDTH,
            DankuCnnEvaluator.MAX_WORK
        ];
    }
}
