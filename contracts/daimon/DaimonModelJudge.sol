// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BlobStore} from "../danku/BlobStore.sol";
import {DankuEvaluator} from "../danku/DankuEvaluator.sol";
import {IDaimonProblem, LabelDispute} from "./IDaimonProblem.sol";

/// @title DaimonModelJudge
/// @notice The DanKu integer evaluator as DaiMoN's dispute judge (docs/daimon.md §14.3): DanKu's dense one-point
/// forward pass ({DankuEvaluator}, the library {DankuEvaluatorEngine} runs), on the posted model read from its data
/// contracts, is what `disputeLabel` runs on Z_i; plus the validation and storage of a posted model in the DanKu
/// model format v1. It uses the library, not the engine contract: the engine's entry points (on-chain evaluation,
/// the convolutional pass) are DanKu's and would only push this contract past its EIP-170 budget.
/// Stateless; deployed once before the ProblemFactory (its init code would push the factory's past EIP-3860), given
/// to the dispute module and called by every problem's disputes.
contract DaimonModelJudge {
    /// @notice What a label dispute is checked against: the tuple's inputsRoot, the proof's labelsRoot (over
    /// leaf t·mp + i, mp = 2^⌈log₂ m⌉) and the problem's C and F.
    struct Trees {
        bytes32 inputsRoot;
        bytes32 labelsRoot;
        uint256 testSetSize;
        uint256 tupleCount;
        uint256 classCount;
        uint256 featureCount;
    }

    /// @notice Checks a label dispute's Merkle paths (reverting with the problem's errors {IDaimonProblem.PointOutOfRange},
    /// {IDaimonProblem.FeatureLength}, {IDaimonProblem.BadInputsProof}, {IDaimonProblem.BadLabelsProof}) and
    /// returns whether the model in `modelChunks` predicts the claimed label for Z_i (bit-exact DanKu forward pass).
    /// Leaves are keccak256(0x00 ‖ bytes) (features; the label as uint16 big-endian), nodes keccak256(0x01 ‖ l ‖ r),
    /// trees padded with bytes32(0) leaves to 2^⌈log₂ leaves⌉, as lib/danku/claims.ts builds them.
    /// @param d The disputed point, its label and both paths.
    /// @param t The roots and sizes to check against.
    /// @param modelChunks The posted model's data contracts.
    /// @return right Whether the model's prediction is the claimed label (false for a label ≥ C).
    function labelIsRight(LabelDispute calldata d, Trees calldata t, address[] calldata modelChunks)
        external
        view
        returns (bool right)
    {
        if (d.index >= t.testSetSize) revert IDaimonProblem.PointOutOfRange(d.index, t.testSetSize);
        if (d.features.length != t.featureCount) revert IDaimonProblem.FeatureLength(d.features.length, t.featureCount);
        bytes32 leaf = keccak256(abi.encodePacked(bytes1(0x00), d.features));
        if (!_verifyPath(leaf, d.index, t.testSetSize, d.inputsPath, t.inputsRoot)) {
            revert IDaimonProblem.BadInputsProof(d.tuple, d.index);
        }
        uint256 mp = _pow2(t.testSetSize);
        uint256 at = d.tuple * mp + d.index;
        leaf = keccak256(abi.encodePacked(bytes1(0x00), d.label));
        if (!_verifyPath(leaf, at, t.tupleCount * mp, d.labelsPath, t.labelsRoot)) {
            revert IDaimonProblem.BadLabelsProof(at);
        }
        // A label outside 0…C−1 is never a valid model's prediction (its output layer has C neurons).
        if (d.label >= t.classCount) return false;
        if (d.label > type(uint8).max) revert IDaimonProblem.LabelNotDisputable(d.label);
        right = _predictsStored(modelChunks, abi.encodePacked(d.features, uint8(d.label)));
    }

    /// @dev The dense forward pass of {evaluate} on one point (F feature bytes and the label byte to test), the model
    /// read from its data contracts: bit-exact with DanKu's evaluation and with {predicts} on the same bytes.
    function _predictsStored(address[] calldata modelChunks, bytes memory point) private view returns (bool) {
        uint256 m = DankuEvaluator.prepare(modelChunks);
        uint256 len = point.length;
        uint256 buf;
        assembly ("memory-safe") {
            // The point and the 32 readable bytes the forward pass may look past it.
            buf := mload(0x40)
            mstore(0x40, add(buf, and(add(len, 63), not(31))))
            mcopy(buf, add(point, 32), len)
            mstore(add(buf, len), 0)
        }
        return DankuEvaluator.run(m, buf, 1, len) == 1;
    }

    /// @notice The Merkle root of packed labels (uint16 big-endian each, tuple after tuple, m per tuple): leaf
    /// keccak256(0x00 ‖ label) at index t·mp + i (mp = 2^⌈log₂ m⌉, so each tuple's labels are an aligned subtree, the
    /// root of its own m labels: what output disputes check f_q's labels against), node keccak256(0x01 ‖ l ‖ r), the
    /// other leaves bytes32(0) up to 2^⌈log₂ (tupleCount·mp)⌉: what {IDaimonProblem}'s `postLabels` compares with
    /// labelsRoot. Streams the leaves with one stack slot per level, so memory stays O(log n).
    /// @param labels 2 · tupleCount · m bytes ({IDaimonProblem.LabelsLength} otherwise).
    /// @param tupleCount k (≥ 1).
    /// @param m Labels per tuple (≥ 1).
    /// @return root The root (lib/daimon/disputes.ts `labelsRoot`).
    function labelsRootOf(bytes calldata labels, uint256 tupleCount, uint256 m) external pure returns (bytes32 root) {
        uint256 n = tupleCount * m;
        if (labels.length != 2 * n) revert IDaimonProblem.LabelsLength(labels.length, 2 * n);
        uint256 mp = _pow2(m);
        uint256 depth;
        while ((uint256(1) << depth) < tupleCount * mp) ++depth;
        uint256 total = uint256(1) << depth;
        bytes32[] memory stack = new bytes32[](depth + 1);
        assembly ("memory-safe") {
            let slots := add(stack, 32)
            for { let j := 0 } lt(j, total) { j := add(j, 1) } {
                let h := 0
                let t := div(j, mp)
                let i := sub(j, mul(t, mp))
                if and(lt(t, tupleCount), lt(i, m)) {
                    // keccak256(0x00 ‖ two label bytes) in scratch space.
                    let at := add(labels.offset, mul(add(mul(t, m), i), 2))
                    mstore(0, 0)
                    mstore8(1, byte(0, calldataload(at)))
                    mstore8(2, byte(1, calldataload(at)))
                    h := keccak256(0, 3)
                }
                let l := 0
                for {} and(shr(l, j), 1) { l := add(l, 1) } {
                    // keccak256(0x01 ‖ left ‖ right): 65 bytes at the free memory pointer, not kept.
                    let at := mload(0x40)
                    mstore8(at, 1)
                    mstore(add(at, 1), mload(add(slots, mul(l, 32))))
                    mstore(add(at, 33), h)
                    h := keccak256(at, 65)
                }
                mstore(add(slots, mul(l, 32)), h)
            }
            root := mload(add(slots, mul(depth, 32)))
        }
    }

    /// @dev 2^⌈log₂ x⌉ (1 for x ≤ 1).
    function _pow2(uint256 x) private pure returns (uint256 p) {
        p = 1;
        while (p < x) p <<= 1;
    }

    /// @dev Whether `leaf` at position `index` of a tree over `leaves` leaves leads to `root` along `path` (siblings
    /// from the leaf up; the path must have exactly ⌈log₂ leaves⌉ entries).
    function _verifyPath(bytes32 leaf, uint256 index, uint256 leaves, bytes32[] calldata path, bytes32 root)
        private
        pure
        returns (bool)
    {
        uint256 depth;
        while ((uint256(1) << depth) < leaves) ++depth;
        if (path.length != depth) return false;
        bytes32 h = leaf;
        for (uint256 l; l < depth; ++l) {
            h = (index >> l) & 1 == 1
                ? keccak256(abi.encodePacked(bytes1(0x01), path[l], h))
                : keccak256(abi.encodePacked(bytes1(0x01), h, path[l]));
        }
        return h == root;
    }

    /// @notice Validates `model` as a DanKu v1 dense model with `featureCount` inputs and `classCount` outputs
    /// (reverts {IDankuCompetition.InvalidModel} otherwise) and stores it as BlobStore data contracts of at most
    /// {BlobStore.MAX_CHUNK} bytes each, exactly as DanKu's model reveal does.
    /// @param model The model bytes (≤ 65,536, docs/protocol.md §4.1).
    /// @param featureCount F, the problem's input width (product of its input shape).
    /// @param classCount C, the problem's class count.
    /// @return chunks The data contracts holding the model, in order (what {predicts} takes).
    function store(bytes calldata model, uint256 featureCount, uint256 classCount)
        external
        returns (address[] memory chunks)
    {
        DankuEvaluator.validate(model, featureCount, classCount);
        uint256 len = model.length;
        uint256 data;
        assembly ("memory-safe") {
            // 32 bytes before the data: the scratch BlobStore's writer uses for each chunk's creation header.
            data := add(mload(0x40), 32)
            mstore(0x40, add(data, and(add(len, 63), not(31))))
            calldatacopy(data, model.offset, len)
        }
        uint256 count = (len + BlobStore.MAX_CHUNK - 1) / BlobStore.MAX_CHUNK;
        chunks = new address[](count);
        for (uint256 c; c < count; ++c) {
            uint256 at = c * BlobStore.MAX_CHUNK;
            uint256 take = len - at < BlobStore.MAX_CHUNK ? len - at : BlobStore.MAX_CHUNK;
            chunks[c] = BlobStore.writeMemory(data + at, take);
        }
    }
}
