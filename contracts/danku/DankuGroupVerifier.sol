// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {DankuCompetitionState} from "./DankuCompetitionState.sol";

/// @title DankuGroupVerifier
/// @notice The verification of revealed data groups (docs/protocol.md §2.2), shared by both reveal paths: the
/// on-chain mode's {DankuRevealModule}, which keeps the verified points as data contracts, and the claim mode's
/// {DankuClaimModule}, which keeps only the labels and a Merkle root of the points (docs/protocol.md §11). One
/// decoder, so both modes reject exactly the same reveals.
/// @dev In claim mode the verifier processes the call group by group in one reused buffer: after a group passed
/// every check, each point's Merkle leaf keccak256(0x00 ‖ point) is pushed onto a streaming tree (one pending node
/// per level, O(log n) memory) and its label byte appended to a label buffer. Memory therefore grows with the largest
/// group, not with the whole call (memory cost is quadratic in its size).
abstract contract DankuGroupVerifier is DankuCompetitionState {
    using SafeCast for uint256;

    // Reveal working set in memory (byte offsets): flags and dimensions, the two group-hash data contracts,
    // the revealed and training bitmaps, and the first failure found (code + three arguments).
    uint256 private constant CTX_TRAINING = 0x00;
    uint256 private constant CTX_GROUPS = 0x20;
    uint256 private constant CTX_FEATURES = 0x40;
    uint256 private constant CTX_POINT_SIZE = 0x60;
    uint256 private constant CTX_CLASSES = 0x80;
    uint256 private constant CTX_HASH_CHUNKS = 0xa0;
    uint256 private constant CTX_REVEALED = 0xe0;
    uint256 private constant CTX_TRAINING_BITS = 0x160;
    uint256 private constant CTX_ERROR = 0x1e0;
    uint256 private constant CTX_LABEL_MASKS = 0x260;
    uint256 private constant CTX_NEXT_FREE = 0x280;
    // Claim mode only: the flag, the label write pointer, the tree's leaf count, a 65-byte node preimage buffer
    // (0x01 ‖ left ‖ right) and the tree's pending node per level.
    uint256 internal constant CTX_CLAIM = 0x2a0;
    uint256 internal constant CTX_LABELS = 0x2c0;
    uint256 internal constant CTX_TREE_COUNT = 0x2e0;
    uint256 internal constant CTX_NODE = 0x300;
    uint256 internal constant CTX_TREE = 0x360;
    /// @dev Tree levels the context holds: 2^32 leaves, far more than any reveal call (counts are uint32).
    uint256 internal constant TREE_LEVELS = 32;
    uint256 private constant CTX_SIZE = 0x360 + 0x20 * 32;
    uint256 private constant ERR_RANGE = 1;
    uint256 private constant ERR_KIND = 2;
    uint256 private constant ERR_REPEAT = 3;
    uint256 private constant ERR_LENGTH = 4;
    uint256 private constant ERR_HASH = 5;
    uint256 private constant ERR_LABEL = 6;
    uint256 private constant ERR_SIZE = 7;
    uint256 private constant ERR_MALFORMED = 8;

    /// @dev Builds the reveal working set (layout above) and returns its memory address.
    /// @param claimMode Whether the call keeps only labels and a Merkle root (docs/protocol.md §11); then the caller
    /// sets the label buffer with {_setLabelBuffer} before verifying.
    function _revealContext(bool training, bool claimMode) internal view returns (uint256 ctx) {
        ctx = _alloc(CTX_SIZE);
        uint256 groups = _state.groupCount;
        uint256 featureCount = _config.featureCount;
        uint256 classCount = _config.classCount;
        address hashes0 = _hashChunks[0];
        address hashes1 = _hashChunks.length > 1 ? _hashChunks[1] : address(0);
        assembly ("memory-safe") {
            mstore(add(ctx, CTX_TRAINING), training)
            mstore(add(ctx, CTX_GROUPS), groups)
            mstore(add(ctx, CTX_FEATURES), featureCount)
            mstore(add(ctx, CTX_POINT_SIZE), add(featureCount, 1))
            mstore(add(ctx, CTX_CLASSES), classCount)
            mstore(add(ctx, CTX_HASH_CHUNKS), hashes0)
            mstore(add(ctx, add(CTX_HASH_CHUNKS, 0x20)), hashes1)
            mstore(add(ctx, CTX_ERROR), 0)
            mstore(add(ctx, CTX_LABEL_MASKS), 0)
            mstore(add(ctx, CTX_CLAIM), claimMode)
            mstore(add(ctx, CTX_TREE_COUNT), 0)
            mstore8(add(ctx, CTX_NODE), 1)
        }
        if (featureCount < 31) {
            // SWAR label check (see labelsOk): for every residue r mod pointSize, 0x01 at the bytes b ∈ [1, 31]
            // of a word with b ≡ r.
            uint256 pointSize = featureCount + 1;
            uint256 masks = _alloc(pointSize * 32);
            assembly ("memory-safe") {
                for { let r := 0 } lt(r, pointSize) { r := add(r, 1) } { mstore(add(masks, shl(5, r)), 0) }
                for { let b := 1 } lt(b, 32) { b := add(b, 1) } {
                    let at := add(masks, shl(5, mod(b, pointSize)))
                    mstore(at, or(mload(at), shl(shl(3, sub(31, b)), 1)))
                }
                mstore(add(ctx, CTX_LABEL_MASKS), masks)
            }
        }
        uint256 words = (groups + 255) >> 8;
        for (uint256 w; w < 4; ++w) {
            uint256 revealedWord = w < words ? _revealedBitmap[w] : 0;
            uint256 trainingWord = w < words ? _trainingBitmap[w] : 0;
            assembly ("memory-safe") {
                mstore(add(ctx, add(CTX_REVEALED, shl(5, w))), revealedWord)
                mstore(add(ctx, add(CTX_TRAINING_BITS, shl(5, w))), trainingWord)
            }
        }
    }

    /// @dev Checks every group (index in range, right kind, not yet revealed, whole points, committed hash,
    /// labels < classCount) and copies the verified points to memory from `data` on; returns the end of the
    /// copied data. Stops at the first failure and records it in the context for {_failOnError}.
    /// The loop reads the ABI-encoded calldata directly; whatever an offset points to, only bytes whose
    /// keccak256 (with the nonce) equals the committed group hash pass.
    function _verifyGroups(
        uint256 ctx,
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces,
        uint256 data
    ) internal view returns (uint256 end) {
        uint256 indexAt;
        uint256 pointsAt;
        uint256 noncesAt;
        assembly ("memory-safe") {
            indexAt := groupIndices.offset
            pointsAt := groupPoints.offset
            noncesAt := nonces.offset
        }
        end = _verifyGroupsAt(ctx, indexAt, groupIndices.length, pointsAt, noncesAt, data);
    }

    function _verifyGroupsAt(uint256 ctx, uint256 indexAt, uint256 count, uint256 pointsAt, uint256 noncesAt, uint256 pos)
        private
        view
        returns (uint256)
    {
        assembly ("memory-safe") {
            function fail(c, code, a, b, d) {
                mstore(add(c, CTX_ERROR), code)
                mstore(add(c, add(CTX_ERROR, 0x20)), a)
                mstore(add(c, add(CTX_ERROR, 0x40)), b)
                mstore(add(c, add(CTX_ERROR, 0x60)), d)
            }
            /// Marks group g revealed; records a failure (range, kind, repeat) and returns 0 if it may not be.
            function claim(c, g) -> ok {
                if iszero(lt(g, mload(add(c, CTX_GROUPS)))) {
                    fail(c, ERR_RANGE, g, mload(add(c, CTX_GROUPS)), 0)
                    leave
                }
                let bit := shl(and(g, 255), 1)
                let isTraining := iszero(iszero(and(mload(add(c, add(CTX_TRAINING_BITS, shl(5, shr(8, g))))), bit)))
                if iszero(eq(isTraining, mload(add(c, CTX_TRAINING)))) {
                    fail(c, ERR_KIND, g, isTraining, 0)
                    leave
                }
                let at := add(c, add(CTX_REVEALED, shl(5, shr(8, g))))
                if and(mload(at), bit) {
                    fail(c, ERR_REPEAT, g, 0, 0)
                    leave
                }
                mstore(at, or(mload(at), bit))
                ok := 1
            }
            /// The committed hash of group g, read from the group-record data contracts together with its point
            /// count (36 bytes into scratch memory 0x00–0x23: the count stays readable at 0x20 until the next call).
            function committed(c, g) -> h {
                extcodecopy(
                    mload(add(c, add(CTX_HASH_CHUNKS, shl(5, div(g, RECORDS_PER_CHUNK))))),
                    0,
                    add(1, mul(mod(g, RECORDS_PER_CHUNK), GROUP_RECORD_SIZE)),
                    GROUP_RECORD_SIZE
                )
                h := mload(0)
            }
            /// Records a failure and returns 0 unless every label of the len bytes of points at p is a class.
            /// Points of fewer than 32 bytes: SWAR over 31-byte windows — mask the label bytes, add 256 − C to
            /// each, and a carry into the (masked-out) byte above a label means label ≥ C. The failing point is
            /// located only on failure.
            function labelsOk(c, g, p, len) -> ok {
                let pointSize := mload(add(c, CTX_POINT_SIZE))
                let classCount := mload(add(c, CTX_CLASSES))
                let end := add(p, len)
                let masks := mload(add(c, CTX_LABEL_MASKS))
                if masks {
                    // The nonce after the group is no longer needed: zero it so the last window sees no labels there.
                    mstore(end, 0)
                    let bad := 0
                    let lift := sub(256, classCount)
                    // Window at a: label bytes b ≡ 1 + F (mod pointSize) for a = p − 1; each step moves 31 bytes.
                    let r := mod(add(1, mload(add(c, CTX_FEATURES))), pointSize)
                    let step := mul(31, sub(pointSize, 1))
                    for { let a := sub(p, 1) } lt(a, sub(end, 1)) { a := add(a, 31) } {
                        let ones := mload(add(masks, shl(5, r)))
                        bad := or(bad, and(add(and(mload(a), mul(ones, 0xff)), mul(ones, lift)), shl(8, ones)))
                        r := mod(add(r, step), pointSize)
                    }
                    if iszero(bad) {
                        ok := 1
                        leave
                    }
                }
                for { let q := add(p, mload(add(c, CTX_FEATURES))) } lt(q, end) { q := add(q, pointSize) } {
                    if iszero(lt(byte(0, mload(q)), classCount)) {
                        fail(c, ERR_LABEL, g, div(sub(q, p), pointSize), byte(0, mload(q)))
                        leave
                    }
                }
                ok := 1
            }

            /// Streaming Merkle tree: the pending node of every level whose bit is set in the leaf count; a new
            /// leaf merges upwards while the count's low bits are set (node = keccak256(0x01 ‖ left ‖ right)).
            function pushLeaf(c, leaf) {
                let n := mload(add(c, CTX_TREE_COUNT))
                let h := leaf
                let level := 0
                for {} and(shr(level, n), 1) { level := add(level, 1) } {
                    let nodeAt := add(c, CTX_NODE)
                    mstore(add(nodeAt, 1), mload(add(c, add(CTX_TREE, shl(5, level)))))
                    mstore(add(nodeAt, 33), h)
                    h := keccak256(nodeAt, 65)
                }
                mstore(add(c, add(CTX_TREE, shl(5, level))), h)
                mstore(add(c, CTX_TREE_COUNT), add(n, 1))
            }

            // Reserve memory for the points before writing them. Every element must lie after the previous one
            // in calldata (no overlap, no reuse), so the bytes copied add up to less than calldatasize, and the
            // reservation (plus the nonce written after the last group) bounds everything written. Reserving costs
            // nothing; only memory actually written is paid for.
            mstore(0x40, and(add(add(pos, calldatasize()), 95), not(31)))
            // The first element may start right after the array's offset table.
            mstore(add(ctx, CTX_NEXT_FREE), add(pointsAt, shl(5, count)))
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                let g := calldataload(add(indexAt, shl(5, i)))
                if iszero(claim(ctx, g)) { break }
                let len
                {
                    // Element i of the bytes[]: its offset counts from the start of the array's offset table.
                    let start := calldataload(add(pointsAt, shl(5, i)))
                    if gt(start, calldatasize()) {
                        fail(ctx, ERR_MALFORMED, i, 0, 0)
                        break
                    }
                    start := add(pointsAt, start)
                    if or(lt(start, mload(add(ctx, CTX_NEXT_FREE))), gt(add(start, 32), calldatasize())) {
                        fail(ctx, ERR_MALFORMED, i, 0, 0)
                        break
                    }
                    len := calldataload(start)
                    start := add(start, 32)
                    if or(gt(len, calldatasize()), gt(add(start, len), calldatasize())) {
                        fail(ctx, ERR_MALFORMED, i, 0, 0)
                        break
                    }
                    mstore(add(ctx, CTX_NEXT_FREE), add(start, len))
                    if or(iszero(len), mod(len, mload(add(ctx, CTX_POINT_SIZE)))) {
                        fail(ctx, ERR_LENGTH, g, len, mload(add(ctx, CTX_POINT_SIZE)))
                        break
                    }
                    calldatacopy(pos, start, len)
                }
                mstore(add(pos, len), calldataload(add(noncesAt, shl(5, i))))
                let h := committed(ctx, g)
                if iszero(eq(mul(shr(224, mload(32)), mload(add(ctx, CTX_POINT_SIZE))), len)) {
                    fail(ctx, ERR_SIZE, g, div(len, mload(add(ctx, CTX_POINT_SIZE))), shr(224, mload(32)))
                    break
                }
                if iszero(eq(keccak256(pos, add(len, 32)), h)) {
                    fail(ctx, ERR_HASH, g, 0, 0)
                    break
                }
                if iszero(labelsOk(ctx, g, pos, len)) { break }
                switch mload(add(ctx, CTX_CLAIM))
                case 0 { pos := add(pos, len) }
                default {
                    // Claim mode: the group is verified; hash each point into the tree and keep its label, then
                    // reuse the buffer for the next group. The byte before a point (scratch before the buffer, or
                    // the previous point's label, already kept) is overwritten with the leaf prefix 0x00.
                    let pointSize := mload(add(ctx, CTX_POINT_SIZE))
                    let featureCount := mload(add(ctx, CTX_FEATURES))
                    let labels := mload(add(ctx, CTX_LABELS))
                    for { let q := pos } lt(q, add(pos, len)) { q := add(q, pointSize) } {
                        mstore8(labels, byte(0, mload(add(q, featureCount))))
                        labels := add(labels, 1)
                        mstore8(sub(q, 1), 0)
                        pushLeaf(ctx, keccak256(sub(q, 1), add(pointSize, 1)))
                    }
                    mstore(add(ctx, CTX_LABELS), labels)
                }
            }
            // Free memory starts right after what was written (the points and the nonce word after them).
            mstore(0x40, and(add(pos, 63), not(31)))
        }
        return pos;
    }

    /// @dev Where claim-mode verification appends the labels (one byte per point, in reveal order).
    function _setLabelBuffer(uint256 ctx, uint256 labels) internal pure {
        assembly ("memory-safe") {
            mstore(add(ctx, CTX_LABELS), labels)
        }
    }

    /// @dev The end of the labels appended so far (claim mode).
    function _labelsEnd(uint256 ctx) internal pure returns (uint256 end) {
        assembly ("memory-safe") {
            end := mload(add(ctx, CTX_LABELS))
        }
    }

    /// @dev Root and depth of the streaming tree over the `n` leaves pushed (n ≥ 1): padded on the right with
    /// bytes32(0) leaves to 2^depth, depth = ceil(log2 n). A pending node at level l is a left child; what lies
    /// right of it is the merged remainder or, where nothing remains, a padding subtree of level l.
    function _treeRoot(uint256 ctx) internal pure returns (bytes32 root, uint256 depth, uint256 n) {
        assembly ("memory-safe") {
            n := mload(add(ctx, CTX_TREE_COUNT))
        }
        while ((uint256(1) << depth) < n) ++depth;
        bytes32 zero; // padding subtree of the current level: bytes32(0), then node(zero, zero) upwards
        bool carrying;
        bytes32 carry;
        for (uint256 level; level < depth; ++level) {
            if ((n >> level) & 1 == 1) {
                carry = _node(_pendingNode(ctx, level), carrying ? carry : zero);
                carrying = true;
            } else if (carrying) {
                carry = _node(carry, zero);
            }
            zero = _node(zero, zero);
        }
        // A power of two merged completely into the pending node of level `depth`.
        root = carrying ? carry : _pendingNode(ctx, depth);
    }

    function _pendingNode(uint256 ctx, uint256 level) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := mload(add(ctx, add(CTX_TREE, shl(5, level))))
        }
    }

    /// @dev An inner node of the reveal tree: keccak256(0x01 ‖ left ‖ right) (leaves are keccak256(0x00 ‖ point)).
    function _node(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(bytes1(0x01), left, right));
    }

    /// @dev Writes the revealed bitmap the verification updated in memory back to storage (changed words only).
    function _storeRevealedBitmap(uint256 ctx) internal {
        uint256 words = (_state.groupCount + 255) >> 8;
        for (uint256 w; w < words; ++w) {
            uint256 bits;
            assembly ("memory-safe") {
                bits := mload(add(ctx, add(CTX_REVEALED, shl(5, w))))
            }
            if (bits != _revealedBitmap[w]) _revealedBitmap[w] = bits;
        }
    }

    /// @dev Reverts with the custom error recorded by {_verifyGroups}, if any.
    function _failOnError(uint256 ctx) internal pure {
        uint256 code;
        uint256 a;
        uint256 b;
        uint256 c;
        uint256 classCount;
        assembly ("memory-safe") {
            classCount := mload(add(ctx, CTX_CLASSES))
            code := mload(add(ctx, CTX_ERROR))
            a := mload(add(ctx, add(CTX_ERROR, 0x20)))
            b := mload(add(ctx, add(CTX_ERROR, 0x40)))
            c := mload(add(ctx, add(CTX_ERROR, 0x60)))
        }
        if (code == 0) return;
        if (code == ERR_RANGE) revert GroupOutOfRange(a, b);
        if (code == ERR_KIND) revert WrongGroupKind(a, b != 0);
        if (code == ERR_REPEAT) revert GroupAlreadyRevealed(a);
        if (code == ERR_LENGTH) revert BadGroupLength(a, b, c);
        if (code == ERR_HASH) revert GroupHashMismatch(a);
        if (code == ERR_SIZE) revert GroupSizeMismatch(a, b, c);
        if (code == ERR_MALFORMED) revert MalformedReveal(a);
        revert LabelOutOfRange(a, b, c, classCount);
    }

    /// @dev Updates the reveal counters and detects completion of the training or test data.
    function _recordReveal(bool training, uint256 groups, uint256 newPoints) internal {
        State memory st = _state;
        if (training) {
            uint256 pointsAfter = st.trainingPoints + newPoints;
            st.trainingPoints = pointsAfter.toUint32();
            st.revealedTrainingGroups += uint16(groups);
            if (st.revealedTrainingGroups == st.trainingGroupCount) {
                st.trainingCompletedBlock = uint64(block.number);
                emit TrainingDataComplete(block.number, pointsAfter);
            }
        } else {
            uint256 pointsAfter = st.testPoints + newPoints;
            st.testPoints = pointsAfter.toUint32();
            st.revealedTestGroups += uint16(groups);
            if (st.revealedTestGroups == st.groupCount - st.trainingGroupCount) {
                st.testCompleted = true;
                emit TestDataComplete(block.number, pointsAfter);
            }
        }
        _state = st;
    }
}
