// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title DaimonDelEvaluator
/// @notice Stateless recomputation of the quantized DEL function f_q, one bounded step at a time, for the DaiMoN
/// "f(labels) is not y" dispute (docs/daimon.md §14.3.1). Bit-exact with lib/daimon/delQuantized.ts.
///
/// f_q: a_j = B1_j + Σ_i W1[(i·C + x_i)·H + j] (int8 W1, int32 a), h = ReLU(a), z_o = B2_o + Σ_j h_j·W2[j·n + o]
/// (int8 W2 stored as H rows of n, int64 B2), y_o = sign(z_o)·⌊(2|z_o|·32767 + M)/(2M)⌋ with M = max|z| (0 if M = 0).
/// A proof posts checkpoints c_0…c_S, c_j = keccak256(a after points [0, jK)) as H big-endian int32, c_0 = b1Hash.
/// `segment(j)` recomputes c_{j+1} from c_j's state, the K labels of segment j (against labelsRoot) and the K rows
/// of W1 they gather (against w1Root); `output` recomputes y from c_S's state. The caller compares the results with
/// the proof's c_{j+1} and y: the first wrong segment (or the output step) is where a false claim loses.
/// Trees are lib/danku/claims.ts's: leaf = keccak256(0x00 ‖ bytes), node = keccak256(0x01 ‖ left ‖ right),
/// bytes32(0) padding to a power of two. Nothing is stored; every function is pure (call it with STATICCALL).
contract DaimonDelEvaluator {
    /// @notice What fRoot commits to (docs/daimon.md §14.3.1).
    /// @param m Labels per vector; @param classCount C; @param hidden H (a multiple of 32, ≤ 1,024); @param n outputs.
    /// @param k Points per segment (a power of two ≤ 256 and ≤ 2^⌈log2 m⌉).
    /// @param b1Hash keccak256(B1 as H int32) = checkpoint 0.
    /// @param w1Root Root over W1's rows, leaf index i·Cp + c (Cp = C rounded up to a power of two).
    /// @param w2Root Root over W2's H rows (n int8 each).
    /// @param b2Hash keccak256(B2 as n int64).
    struct DelCommit {
        uint256 m;
        uint256 classCount;
        uint256 hidden;
        uint256 n;
        uint256 k;
        bytes32 b1Hash;
        bytes32 w1Root;
        bytes32 w2Root;
        bytes32 b2Hash;
    }

    /// @notice One segment's data: the state of checkpoint j and what the K points gather.
    /// @param j Segment index, 0 … S−1.
    /// @param state The pre-activation after points [0, jK): H big-endian int32.
    /// @param labels The labels of points [jK, min(m, (j+1)K)), uint16 big-endian each.
    /// @param rows Their W1 rows, H int8 each, in point order.
    /// @param rowSiblings log2(Cp) siblings per point inside its Cp rows, from the leaf up.
    /// @param w1Path Siblings of the segment's subtree up to w1Root.
    /// @param labelsPath Siblings of the segment's label subtree up to labelsRoot.
    struct Segment {
        uint256 j;
        bytes state;
        bytes labels;
        bytes rows;
        bytes32[] rowSiblings;
        bytes32[] w1Path;
        bytes32[] labelsPath;
    }

    /// @notice The largest K (16-bit accumulator lanes hold K·255 < 2^16).
    uint256 public constant MAX_SEGMENT = 256;
    /// @notice The largest H (one output step of n·H ≤ 262,144 weights stays below the transaction cap).
    uint256 public constant MAX_HIDDEN = 1024;
    /// @notice The largest n (docs/daimon.md §1).
    uint256 public constant MAX_EMBEDDING = 256;

    /// @notice The commitment does not hash to the fRoot given.
    error CommitMismatch(bytes32 computed, bytes32 fRoot);
    /// @notice The commitment's shape is outside the format (docs/daimon.md §14.3.1).
    error BadShape();
    /// @notice Segment `j` does not exist (S segments).
    error SegmentOutOfRange(uint256 j, uint256 segments);
    /// @notice A calldata argument has the wrong length.
    error WrongLength(uint256 argument, uint256 length, uint256 expected);
    /// @notice The state is not the checkpoint's.
    error CheckpointMismatch(bytes32 computed, bytes32 expected);
    /// @notice A label is not in 0 … C−1.
    error LabelOutOfRange(uint256 point, uint256 label);
    /// @notice The labels do not lead to labelsRoot.
    error LabelsProofInvalid(bytes32 computed, bytes32 labelsRoot);
    /// @notice The W1 rows do not lead to w1Root.
    error WeightsProofInvalid(bytes32 computed, bytes32 w1Root);
    /// @notice W2 does not lead to w2Root, or B2 to b2Hash.
    error OutputLayerMismatch();
    /// @notice A running pre-activation left int32 (impossible for a well-formed f; the claim cannot be recomputed).
    error StateOverflow();

    uint256 private constant ARG_STATE = 0;
    uint256 private constant ARG_LABELS = 1;
    uint256 private constant ARG_ROWS = 2;
    uint256 private constant ARG_ROW_SIBLINGS = 3;
    uint256 private constant ARG_W1_PATH = 4;
    uint256 private constant ARG_LABELS_PATH = 5;
    uint256 private constant ARG_B2 = 6;
    uint256 private constant ARG_W2 = 7;

    /// @notice fRoot = keccak256(abi.encode("DELQ1", m, C, H, n, K, b1Hash, w1Root, w2Root, b2Hash)).
    /// @param f The commitment.
    /// @return The root a tuple's fRoot names.
    function fRoot(DelCommit calldata f) public pure returns (bytes32) {
        string memory domain = "DELQ1";
        return keccak256(abi.encode(domain, f.m, f.classCount, f.hidden, f.n, f.k, f.b1Hash, f.w1Root, f.w2Root, f.b2Hash));
    }

    /// @notice S = ⌈m / K⌉: the number of segments (checkpoints c_0 … c_S).
    /// @param f The commitment.
    /// @return The segment count.
    function segmentCount(DelCommit calldata f) public pure returns (uint256) {
        return (f.m + f.k - 1) / f.k;
    }

    /// @notice Recomputes checkpoint j + 1 from checkpoint j's state (`before` is the proof's c_j).
    /// @param f The commitment; must hash to `root`.
    /// @param root The tuple's fRoot.
    /// @param labelsRoot The proof's root of the m labels.
    /// @param before The proof's checkpoint j; `s.state` must hash to it.
    /// @param s The segment's data.
    /// @return next keccak256 of the state after points [0, min(m, (j+1)K)), to compare with the proof's c_{j+1}.
    function segment(DelCommit calldata f, bytes32 root, bytes32 labelsRoot, bytes32 before, Segment calldata s)
        external
        pure
        returns (bytes32 next)
    {
        _checkCommit(f, root);
        uint256 segments = segmentCount(f);
        if (s.j >= segments) revert SegmentOutOfRange(s.j, segments);
        uint256 count = (s.j + 1) * f.k > f.m ? f.m - s.j * f.k : f.k;
        _checkState(f.hidden, s.state, before);
        uint256 levelsAbove = _log2(_nextPow2(f.m)) - _log2(f.k);
        _expectLength(ARG_LABELS, s.labels.length, 2 * count);
        _expectLength(ARG_ROWS, s.rows.length, count * f.hidden);
        _expectLength(ARG_ROW_SIBLINGS, s.rowSiblings.length, count * _log2(_nextPow2(f.classCount)));
        _expectLength(ARG_W1_PATH, s.w1Path.length, levelsAbove);
        _expectLength(ARG_LABELS_PATH, s.labelsPath.length, levelsAbove);

        bytes32 labelsComputed = _climb(_labelsSubtree(f, s, count), s.j, s.labelsPath);
        if (labelsComputed != labelsRoot) revert LabelsProofInvalid(labelsComputed, labelsRoot);
        bytes32 w1Computed = _climb(_rowsSubtree(f, s, count), s.j, s.w1Path);
        if (w1Computed != f.w1Root) revert WeightsProofInvalid(w1Computed, f.w1Root);
        next = _accumulate(f.hidden, s.state, s.rows, count);
    }

    /// @notice The output step: y from checkpoint S's state (`before` is the proof's c_S).
    /// @param f The commitment; must hash to `root`.
    /// @param root The tuple's fRoot.
    /// @param before The proof's last checkpoint; `state` must hash to it.
    /// @param state The pre-activation after all m points (H big-endian int32).
    /// @param b2 B2 as n big-endian int64.
    /// @param w2 W2 as H rows of n int8.
    /// @return outputs y as n big-endian int16 (docs/daimon.md §2), to compare with the proof's outputs.
    function output(DelCommit calldata f, bytes32 root, bytes32 before, bytes calldata state, bytes calldata b2, bytes calldata w2)
        external
        pure
        returns (bytes memory outputs)
    {
        _checkCommit(f, root);
        _checkState(f.hidden, state, before);
        _expectLength(ARG_B2, b2.length, 8 * f.n);
        _expectLength(ARG_W2, w2.length, f.hidden * f.n);
        if (keccak256(b2) != f.b2Hash || _w2Root(f.hidden, f.n, w2) != f.w2Root) revert OutputLayerMismatch();
        outputs = _outputs(f.hidden, f.n, state, b2, w2);
    }

    // ------------------------------------------------------------------ checks

    function _checkCommit(DelCommit calldata f, bytes32 root) private pure {
        bytes32 computed = fRoot(f);
        if (computed != root) revert CommitMismatch(computed, root);
        uint256 k = f.k;
        if (
            f.m == 0 || f.m > 1 << 23 || f.classCount < 2 || f.classCount > 65_535 || f.hidden == 0 || f.hidden % 32 != 0
                || f.hidden > MAX_HIDDEN || f.n < 2 || f.n > MAX_EMBEDDING || k == 0 || k > MAX_SEGMENT || k & (k - 1) != 0
                || k > _nextPow2(f.m)
        ) revert BadShape();
    }

    function _checkState(uint256 hidden, bytes calldata state, bytes32 before) private pure {
        _expectLength(ARG_STATE, state.length, 4 * hidden);
        bytes32 computed = keccak256(state);
        if (computed != before) revert CheckpointMismatch(computed, before);
    }

    function _expectLength(uint256 argument, uint256 length, uint256 expected) private pure {
        if (length != expected) revert WrongLength(argument, length, expected);
    }

    // ------------------------------------------------------------------ Merkle

    function _nextPow2(uint256 x) private pure returns (uint256 p) {
        p = 1;
        while (p < x) p <<= 1;
    }

    function _log2(uint256 p) private pure returns (uint256 l) {
        while (p > 1) {
            p >>= 1;
            ++l;
        }
    }

    /// @dev keccak256(0x01 ‖ left ‖ right) in the scratch words at `buf` (65 bytes).
    function _node(uint256 buf, bytes32 left, bytes32 right) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore8(buf, 1)
            mstore(add(buf, 1), left)
            mstore(add(buf, 33), right)
            h := keccak256(buf, 65)
        }
    }

    function _alloc(uint256 size) private pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }

    /// @dev Reduces `count` words at `nodes` (a power of two) to their root, in place.
    function _reduce(uint256 nodes, uint256 count, uint256 buf) private pure returns (bytes32 root) {
        while (count > 1) {
            for (uint256 i; i < count; i += 2) {
                bytes32 l;
                bytes32 r;
                assembly ("memory-safe") {
                    l := mload(add(nodes, shl(5, i)))
                    r := mload(add(nodes, shl(5, add(i, 1))))
                }
                bytes32 h = _node(buf, l, r);
                assembly ("memory-safe") {
                    mstore(add(nodes, shl(4, i)), h)
                }
            }
            count >>= 1;
        }
        assembly ("memory-safe") {
            root := mload(nodes)
        }
    }

    /// @dev From the node at `index` of its level up through `path`.
    function _climb(bytes32 node, uint256 index, bytes32[] calldata path) private pure returns (bytes32) {
        uint256 buf = _alloc(65);
        for (uint256 l; l < path.length; ++l) {
            node = (index >> l) & 1 == 1 ? _node(buf, path[l], node) : _node(buf, node, path[l]);
        }
        return node;
    }

    /// @dev The root of the segment's K label leaves (bytes32(0) beyond m); checks every label < C.
    function _labelsSubtree(DelCommit calldata f, Segment calldata s, uint256 count) private pure returns (bytes32) {
        uint256 k = f.k;
        uint256 nodes = _alloc(32 * k);
        uint256 buf = _alloc(65);
        bytes calldata labels = s.labels;
        uint256 offset;
        assembly ("memory-safe") {
            offset := labels.offset
        }
        for (uint256 p; p < k; ++p) {
            bytes32 leaf;
            if (p < count) {
                uint256 label;
                assembly ("memory-safe") {
                    label := shr(240, calldataload(add(offset, shl(1, p))))
                    mstore(buf, shl(232, label)) // 0x00 ‖ uint16
                    leaf := keccak256(buf, 3)
                }
                if (label >= f.classCount) revert LabelOutOfRange(s.j * k + p, label);
            }
            assembly ("memory-safe") {
                mstore(add(nodes, shl(5, p)), leaf)
            }
        }
        return _reduce(nodes, k, buf);
    }

    /// @dev The root of the segment's K·Cp W1 leaves from the given rows, each climbed through its Cp rows by its label.
    function _rowsSubtree(DelCommit calldata f, Segment calldata s, uint256 count) private pure returns (bytes32) {
        uint256 k = f.k;
        uint256 nodes = _alloc(32 * k);
        uint256 buf = _alloc(f.hidden + 65);
        uint256 ctx = _context(s, f.hidden, _log2(_nextPow2(f.classCount)), count);
        _paddingPoints(nodes, buf, ctx, k);
        _pointNodes(ctx, nodes, buf);
        return _reduce(nodes, k, buf);
    }

    /// @dev [rows.offset, labels.offset, rowSiblings.offset, H, lc, count] in memory, for the assembly loops.
    function _context(Segment calldata s, uint256 hidden, uint256 lc, uint256 count) private pure returns (uint256 ctx) {
        ctx = _alloc(192);
        bytes calldata rows = s.rows;
        bytes calldata labels = s.labels;
        bytes32[] calldata siblings = s.rowSiblings; // length count·lc, checked by segment()
        assembly ("memory-safe") {
            mstore(ctx, rows.offset)
            mstore(add(ctx, 32), labels.offset)
            mstore(add(ctx, 64), siblings.offset)
            mstore(add(ctx, 96), hidden)
            mstore(add(ctx, 128), lc)
            mstore(add(ctx, 160), count)
        }
    }

    /// @dev nodes[p] for the padding points p ≥ count: the root of Cp zero leaves.
    function _paddingPoints(uint256 nodes, uint256 buf, uint256 ctx, uint256 k) private pure {
        uint256 lc;
        uint256 count;
        assembly ("memory-safe") {
            lc := mload(add(ctx, 128))
            count := mload(add(ctx, 160))
        }
        bytes32 zero;
        for (uint256 l; l < lc; ++l) zero = _node(buf, zero, zero);
        for (uint256 p = count; p < k; ++p) {
            assembly ("memory-safe") {
                mstore(add(nodes, shl(5, p)), zero)
            }
        }
    }

    /// @dev Every real point's row leaf, climbed through its log2(Cp) siblings by the bits of its label, into nodes[p].
    function _pointNodes(uint256 ctx, uint256 nodes, uint256 buf) private pure {
        assembly ("memory-safe") {
            let hidden := mload(add(ctx, 96))
            let lc := mload(add(ctx, 128))
            let count := mload(add(ctx, 160))
            for { let p := 0 } lt(p, count) { p := add(p, 1) } {
                mstore8(buf, 0)
                calldatacopy(add(buf, 1), add(mload(ctx), mul(p, hidden)), hidden)
                let h := keccak256(buf, add(hidden, 1))
                let label := shr(240, calldataload(add(mload(add(ctx, 32)), shl(1, p))))
                let at := add(mload(add(ctx, 64)), shl(5, mul(p, lc)))
                mstore8(buf, 1)
                for { let l := 0 } lt(l, lc) { l := add(l, 1) } {
                    let sibling := calldataload(add(at, shl(5, l)))
                    switch and(shr(l, label), 1)
                    case 1 {
                        mstore(add(buf, 1), sibling)
                        mstore(add(buf, 33), h)
                    }
                    default {
                        mstore(add(buf, 1), h)
                        mstore(add(buf, 33), sibling)
                    }
                    h := keccak256(buf, 65)
                }
                mstore(add(nodes, shl(5, p)), h)
            }
        }
    }

    /// @dev The root over W2's H rows of n bytes, padded to a power of two.
    function _w2Root(uint256 hidden, uint256 n, bytes calldata w2) private pure returns (bytes32) {
        uint256 leaves = _nextPow2(hidden);
        uint256 nodes = _alloc(32 * leaves);
        uint256 buf = _alloc(n + 65);
        uint256 offset;
        assembly ("memory-safe") {
            offset := w2.offset
        }
        for (uint256 j; j < leaves; ++j) {
            bytes32 leaf;
            if (j < hidden) {
                assembly ("memory-safe") {
                    mstore8(buf, 0)
                    calldatacopy(add(buf, 1), add(offset, mul(j, n)), n)
                    leaf := keccak256(buf, add(n, 1))
                }
            }
            assembly ("memory-safe") {
                mstore(add(nodes, shl(5, j)), leaf)
            }
        }
        return _reduce(nodes, leaves, buf);
    }

    // ------------------------------------------------------------------ arithmetic

    /// @dev state + Σ rows, as packed additions: each calldata word of 32 int8 weights, biased by +128 (xor 0x80),
    /// is split into its odd and even bytes and added into two words of sixteen 16-bit lanes per 32 hidden units
    /// (≤ 256 · 255 < 2^16 per lane); then a_j += lane − 128·count. Returns keccak256 of the new state.
    function _accumulate(uint256 hidden, bytes calldata state, bytes calldata rows, uint256 count)
        private
        pure
        returns (bytes32 next)
    {
        uint256 words = hidden >> 5;
        uint256 acc = _alloc(64 * words);
        uint256 out = _alloc(4 * hidden);
        bool overflow;
        assembly ("memory-safe") {
            calldatacopy(acc, calldatasize(), mul(64, words)) // zero the lanes
            let bias := 0x8080808080808080808080808080808080808080808080808080808080808080
            let mask := 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff
            let rowsOffset := rows.offset
            for { let p := 0 } lt(p, count) { p := add(p, 1) } {
                let row := add(rowsOffset, mul(p, hidden))
                for { let w := 0 } lt(w, words) { w := add(w, 1) } {
                    let word := xor(calldataload(add(row, shl(5, w))), bias)
                    let e := add(acc, shl(6, w))
                    mstore(e, add(mload(e), and(word, mask)))
                    let o := add(e, 32)
                    mstore(o, add(mload(o), and(shr(8, word), mask)))
                }
            }
            let offsetSum := mul(128, count)
            let stateOffset := state.offset
            for { let w := 0 } lt(w, words) { w := add(w, 1) } {
                let odd := mload(add(acc, shl(6, w))) // bytes 1, 3, …, 31 of the word: byte b in lane (31 − b)/2
                let even := mload(add(acc, add(shl(6, w), 32))) // bytes 0, 2, …, 30: byte b in lane (30 − b)/2
                for { let t := 0 } lt(t, 4) { t := add(t, 1) } {
                    let packed := 0
                    for { let i := 0 } lt(i, 8) { i := add(i, 1) } {
                        let b := add(shl(3, t), i)
                        let lane := 0
                        switch and(b, 1)
                        case 1 { lane := and(shr(shl(4, shr(1, sub(31, b))), odd), 0xffff) }
                        default { lane := and(shr(shl(4, shr(1, sub(30, b))), even), 0xffff) }
                        let unit := add(shl(5, w), b)
                        let a := signextend(3, shr(224, calldataload(add(stateOffset, shl(2, unit)))))
                        a := sub(add(a, lane), offsetSum)
                        if or(slt(a, sub(0, 0x80000000)), sgt(a, 0x7fffffff)) { overflow := 1 }
                        packed := or(shl(32, packed), and(a, 0xffffffff))
                    }
                    mstore(add(out, shl(5, add(shl(2, w), t))), packed)
                }
            }
            next := keccak256(out, shl(2, hidden))
        }
        if (overflow) revert StateOverflow();
    }

    /// @dev h = ReLU(a); z = B2 + Σ_j h_j · W2 row j as packed products: each calldata word of 32 int8 weights,
    /// biased by +128, is spread into eight words of four 64-bit lanes and multiplied by h_j ≥ 0 (each lane sums
    /// ≤ H · 255 · h_max < 2^50); z_o = B2_o + lane_o − 128·Σh. Then the integer rule of the contract's header.
    function _outputs(uint256 hidden, uint256 n, bytes calldata state, bytes calldata b2, bytes calldata w2)
        private
        pure
        returns (bytes memory outputs)
    {
        uint256 words = (n + 31) >> 5;
        uint256 acc = _alloc(256 * words);
        uint256 hSum = _products(hidden, n, words, state, w2, acc);
        (int256[] memory z, uint256 maxAbs) = _z(n, acc, hSum, b2);
        outputs = new bytes(2 * n);
        if (maxAbs == 0) return outputs;
        for (uint256 o; o < n; ++o) {
            int256 zo = z[o];
            uint256 abs = zo < 0 ? uint256(-zo) : uint256(zo);
            uint256 y = (2 * abs * 32_767 + maxAbs) / (2 * maxAbs);
            uint16 word = zo < 0 ? uint16(65_536 - y) : uint16(y);
            outputs[2 * o] = bytes1(uint8(word >> 8));
            outputs[2 * o + 1] = bytes1(uint8(word));
        }
    }

    /// @dev The packed lanes Σ_j h_j · (W2[j, ·] + 128) at `acc` (8 words of 4 lanes per 32 outputs); returns Σ_j h_j.
    function _products(uint256 hidden, uint256 n, uint256 words, bytes calldata state, bytes calldata w2, uint256 acc)
        private
        pure
        returns (uint256 hSum)
    {
        assembly ("memory-safe") {
            calldatacopy(acc, calldatasize(), shl(8, words)) // zero the lanes
            let bias := 0x8080808080808080808080808080808080808080808080808080808080808080
            let mask := 0x00000000000000ff00000000000000ff00000000000000ff00000000000000ff
            for { let j := 0 } lt(j, hidden) { j := add(j, 1) } {
                let h := signextend(3, shr(224, calldataload(add(state.offset, shl(2, j)))))
                if sgt(h, 0) {
                    hSum := add(hSum, h)
                    let row := add(w2.offset, mul(j, n))
                    for { let w := 0 } lt(w, words) { w := add(w, 1) } {
                        let word := xor(calldataload(add(row, shl(5, w))), bias)
                        let base := add(acc, shl(8, w))
                        for { let s := 0 } lt(s, 8) { s := add(s, 1) } {
                            let slot := add(base, shl(5, s))
                            mstore(slot, add(mload(slot), mul(and(shr(shl(3, s), word), mask), h)))
                        }
                    }
                }
            }
        }
    }

    /// @dev z_o = B2_o + lane_o − 128·Σh for every output, and max|z|. Output o is word o/32, and with
    /// r = 31 − (o mod 32), shift s = r mod 8 and 64-bit lane r/8.
    function _z(uint256 n, uint256 acc, uint256 hSum, bytes calldata b2) private pure returns (int256[] memory z, uint256 maxAbs) {
        z = new int256[](n);
        assembly ("memory-safe") {
            let offsetSum := mul(128, hSum)
            for { let o := 0 } lt(o, n) { o := add(o, 1) } {
                let r := sub(31, and(o, 31))
                let slot := add(acc, add(shl(8, shr(5, o)), shl(5, and(r, 7))))
                let lane := and(shr(shl(6, shr(3, r)), mload(slot)), 0xffffffffffffffff)
                let zo := sub(add(signextend(7, shr(192, calldataload(add(b2.offset, shl(3, o))))), lane), offsetSum)
                mstore(add(z, shl(5, add(o, 1))), zo)
                let abs := zo
                if slt(zo, 0) { abs := sub(0, zo) }
                if gt(abs, maxAbs) { maxAbs := abs }
            }
        }
    }
}
