// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDankuCompetition, ModelDefect} from "./IDankuCompetition.sol";
import {DankuLimits} from "./DankuLimits.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuEvaluator
/// @notice Validation of revealed models and the integer forward pass of docs/protocol.md §4, bit-exact with
/// lib/danku/forward.ts. Models are data, never code: the evaluator only reads their bytes.
/// @dev SWAR design (docs/protocol.md §4.1). At the start of an evaluation transaction the model's weight bytes
/// are expanded so that the eight bytes of one (group g, input i) record become one 256-bit word of eight
/// 32-bit lanes; neuron 8g+k sits in lane 7−k (bits 32(7−k) … 32(7−k)+31). One MUL by an activation byte then
/// performs eight multiply-accumulates. Lanes are signed (the stored +128 is subtracted at expansion): the
/// word arithmetic is exact modulo 2^256, and once the bias word (B + 2^31 per lane) is added every lane holds
/// z + 2^31 ∈ (0, 2^32) — |Σ w·a| < 2^25 and |B| ≤ 2^30 — so the base-2^32 digits of the sum are exactly the
/// eight pre-activations, whatever borrows happened on the way. ReLU, shift and saturation then run on all
/// eight lanes at once. Activations are one byte each: the input layer reads the data point's bytes in place;
/// hidden layers write one lane word per group (activation in the low byte of its lane).
///
/// Points are processed layer by layer in batches of up to MAX_BATCH, so per-layer setup is paid once per batch.
///
/// Prepared model layout in memory, returned by {prepare} (32-byte words):
///   m+0x00 layer count L · m+0x20 activation stride S (one lane word per group of the widest layer) ·
///   m+0x40 activation buffer A · m+0x60 activation buffer B · m+0x80 batch size
///   m+0xa0+0x140·l: record of weight layer l+1: block pointer, unrolled-loop weight bytes, tail inputs, lane
///   groups, shift, saturation constant, shift keep-mask, fan-out, input stride, point size.
///   Each group's block: its bias word, then its fan-in lane words (fan-in padded with zero words to a
///   multiple of 2 for the input layer, 8 otherwise, so the unrolled loops need no per-input tail).
library DankuEvaluator {
    uint256 private constant RECORD_SIZE = 0x140;
    uint256 private constant HEADER_SIZE = 0xa0;
    /// @dev Points per batch: as many as fit BATCH_BYTES of activations per buffer, at most MAX_BATCH.
    uint256 private constant BATCH_BYTES = 16384;
    uint256 private constant MAX_BATCH = 64;
    /// @dev Bias of a padding lane, and the lane offset that keeps z + 2^31 non-negative.
    uint256 private constant LANE_HALF = 0x80000000;

    // ------------------------------------------------------------------ validation

    /// @notice Reverts with {IDankuCompetition.InvalidModel} unless `model` is a well-formed model for a dataset
    /// with `featureCount` features and `classCount` classes (docs/protocol.md §4.1).
    function validate(bytes calldata model, uint256 featureCount, uint256 classCount) internal pure {
        uint256 len = model.length;
        if (len < 2) revert IDankuCompetition.InvalidModel(ModelDefect.TooShort, len);
        if (len > DankuLimits.MAX_MODEL_BYTES) revert IDankuCompetition.InvalidModel(ModelDefect.TooLarge, len);
        if (uint8(model[0]) != DankuLimits.MODEL_FORMAT_VERSION) {
            revert IDankuCompetition.InvalidModel(ModelDefect.Version, uint8(model[0]));
        }
        uint256 depth = uint8(model[1]);
        if (depth == 0 || depth > DankuLimits.MAX_LAYERS) revert IDankuCompetition.InvalidModel(ModelDefect.LayerCount, depth);
        uint256 at = 2 + 2 * (depth + 1);
        if (len < at) revert IDankuCompetition.InvalidModel(ModelDefect.TooShort, len);

        // Widths, lane words and the exact length.
        uint256 expected = at;
        uint256 words;
        uint256 fanIn = _u16(model, 2);
        if (fanIn == 0 || fanIn > DankuLimits.MAX_LAYER_WIDTH) revert IDankuCompetition.InvalidModel(ModelDefect.Width, 0);
        if (fanIn != featureCount) revert IDankuCompetition.InvalidModel(ModelDefect.InputWidth, fanIn);
        for (uint256 l = 1; l <= depth; ++l) {
            uint256 fanOut = _u16(model, 2 + 2 * l);
            if (fanOut == 0 || fanOut > DankuLimits.MAX_LAYER_WIDTH) revert IDankuCompetition.InvalidModel(ModelDefect.Width, l);
            uint256 groups = (fanOut + 7) >> 3;
            words += fanIn * groups;
            expected += 1 + 4 * fanOut + 8 * fanIn * groups;
            fanIn = fanOut;
        }
        if (fanIn != classCount) revert IDankuCompetition.InvalidModel(ModelDefect.OutputWidth, fanIn);
        if (words > DankuLimits.MAX_LANE_WORDS) revert IDankuCompetition.InvalidModel(ModelDefect.LaneWords, words);
        if (expected != len) revert IDankuCompetition.InvalidModel(ModelDefect.Length, expected);

        // Shifts, bias range and padding lanes.
        fanIn = featureCount;
        for (uint256 l = 1; l <= depth; ++l) {
            uint256 fanOut = _u16(model, 2 + 2 * l);
            at = _validateLayer(model, at, l, l == depth, fanIn, fanOut);
            fanIn = fanOut;
        }
    }

    /// @dev Checks weight layer `l` starting at byte `at`; returns the offset after it.
    function _validateLayer(bytes calldata model, uint256 at, uint256 l, bool isOutput, uint256 fanIn, uint256 fanOut)
        private
        pure
        returns (uint256)
    {
        uint256 shift = uint8(model[at]);
        if (shift > DankuLimits.MAX_SHIFT) revert IDankuCompetition.InvalidModel(ModelDefect.Shift, l);
        if (isOutput && shift != 0) revert IDankuCompetition.InvalidModel(ModelDefect.OutputShift, l);
        ++at;
        uint256 bad = _findBadBias(model, at, fanOut);
        if (bad != type(uint256).max) revert IDankuCompetition.InvalidModel(ModelDefect.Bias, bad);
        at += 4 * fanOut;
        uint256 groups = (fanOut + 7) >> 3;
        if (fanOut & 7 != 0) {
            bad = _findBadPadding(model, at + 8 * fanIn * (groups - 1), fanIn, fanOut & 7);
            if (bad != type(uint256).max) revert IDankuCompetition.InvalidModel(ModelDefect.Padding, bad);
        }
        return at + 8 * fanIn * groups;
    }

    function _u16(bytes calldata model, uint256 offset) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(240, calldataload(add(model.offset, offset)))
        }
    }

    /// @dev Byte offset of the first int32 bias with |b| > 2^30 among `count` at `offset`, or type(uint256).max.
    function _findBadBias(bytes calldata model, uint256 offset, uint256 count) private pure returns (uint256 bad) {
        bad = type(uint256).max;
        assembly ("memory-safe") {
            let p := add(model.offset, offset)
            let end := add(p, shl(2, count))
            for {} lt(p, end) { p := add(p, 4) } {
                // b + 2^30 must lie in 0 … 2^31 (as a signed 32-bit value sign-extended to 256 bits).
                let b := signextend(3, shr(224, calldataload(p)))
                if gt(add(b, 0x40000000), 0x80000000) {
                    bad := sub(p, model.offset)
                    break
                }
            }
        }
    }

    /// @dev Byte offset of the first 8-byte weight record, among `count` at `offset`, whose lanes `used`..7 are
    /// not 128 (weight 0), or type(uint256).max.
    function _findBadPadding(bytes calldata model, uint256 offset, uint256 count, uint256 used)
        private
        pure
        returns (uint256 bad)
    {
        bad = type(uint256).max;
        assembly ("memory-safe") {
            let mask := sub(shl(shl(3, sub(8, used)), 1), 1)
            let want := and(0x8080808080808080, mask)
            let p := add(model.offset, offset)
            let end := add(p, shl(3, count))
            for {} lt(p, end) { p := add(p, 8) } {
                if iszero(eq(and(shr(192, calldataload(p)), mask), want)) {
                    bad := sub(p, model.offset)
                    break
                }
            }
        }
    }

    // ------------------------------------------------------------------ preparation

    /// @notice Copies a validated model from its data contracts and expands it for {run}.
    /// @param chunks The model's data contracts in order (BlobStore).
    /// @return m Memory pointer of the prepared model (layout in the contract documentation).
    function prepare(address[] calldata chunks) internal view returns (uint256 m) {
        uint256 total;
        for (uint256 c; c < chunks.length; ++c) total += BlobStore.size(chunks[c]);
        uint256 raw;
        assembly ("memory-safe") {
            raw := mload(0x40)
            mstore(0x40, add(raw, and(add(total, 63), not(31))))
        }
        uint256 dest = raw;
        for (uint256 c; c < chunks.length; ++c) {
            uint256 size = BlobStore.size(chunks[c]);
            BlobStore.readInto(chunks[c], 0, size, dest);
            dest += size;
        }
        assembly ("memory-safe") {
            let depth := byte(1, mload(raw))
            m := and(add(add(raw, total), 63), not(31))
            // Pass 1: sizes. Fan-in is padded with zero weight words to a multiple of 2 (input layer) or 8
            // (hidden inputs: one lane word), so the unrolled dot products need no per-input tail.
            let words := 0
            let widest := 0
            for { let l := 1 } iszero(gt(l, depth)) { l := add(l, 1) } {
                let fanIn := shr(240, mload(add(raw, shl(1, l))))
                let fanOut := shr(240, mload(add(raw, add(shl(1, l), 2))))
                let padded := and(add(fanIn, 7), not(7))
                if eq(l, 1) { padded := and(add(fanIn, 1), not(1)) }
                words := add(words, mul(add(padded, 1), shr(3, add(fanOut, 7))))
                if gt(fanOut, widest) { widest := fanOut }
            }
            // Activation buffers: BATCH points × one lane word per group of eight neurons (the stride S).
            let stride := shl(5, shr(3, add(widest, 7)))
            let batch := div(BATCH_BYTES, stride)
            if gt(batch, MAX_BATCH) { batch := MAX_BATCH }
            if iszero(batch) { batch := 1 }
            let weights := add(add(m, HEADER_SIZE), mul(depth, RECORD_SIZE))
            let bufA := add(weights, shl(5, words))
            let bufB := add(bufA, mul(batch, stride))
            mstore(m, depth)
            mstore(add(m, 0x20), stride)
            mstore(add(m, 0x40), bufA)
            mstore(add(m, 0x60), bufB)
            mstore(add(m, 0x80), batch)
            mstore(0x40, add(bufB, mul(batch, stride)))

            // Pass 2: records and group blocks (the group's bias word, then its padded fan-in lane words).
            let pointSize := add(shr(240, mload(add(raw, 2))), 1)
            let at := add(raw, add(2, shl(1, add(depth, 1))))
            let rec := add(m, HEADER_SIZE)
            for { let l := 1 } iszero(gt(l, depth)) { l := add(l, 1) } {
                let fanIn := shr(240, mload(add(raw, shl(1, l))))
                let fanOut := shr(240, mload(add(raw, add(shl(1, l), 2))))
                let groups := shr(3, add(fanOut, 7))
                let shift := byte(0, mload(at))
                at := add(at, 1)
                let biasAt := at
                at := add(at, shl(2, fanOut))
                let padded := 0
                mstore(rec, weights)
                switch l
                case 1 {
                    padded := and(add(fanIn, 1), not(1))
                    // Unrolled 64-input blocks, then 32/16/8/4/2 tail blocks.
                    mstore(add(rec, 0x20), shl(11, shr(6, padded)))
                    mstore(add(rec, 0x40), and(padded, 63))
                    mstore(add(rec, 0x100), pointSize)
                }
                default {
                    padded := and(add(fanIn, 7), not(7))
                    // Unrolled 16-input blocks, then an 8-input tail block.
                    mstore(add(rec, 0x20), shl(9, shr(4, padded)))
                    mstore(add(rec, 0x40), and(padded, 8))
                    mstore(add(rec, 0x100), stride)
                }
                mstore(add(rec, 0x60), groups)
                mstore(add(rec, 0x80), shift)
                // z⁺ ≥ 256·2^shift ⇔ bit 31 of z⁺ + 2^31 − 256·2^shift (z⁺ < 2^31: no saturation from shift 23 on).
                let saturate := 0
                if lt(shift, 23) { saturate := mul(0x0000000100000001000000010000000100000001000000010000000100000001, sub(0x80000000, shl(add(shift, 8), 1))) }
                mstore(add(rec, 0xa0), saturate)
                // Clears the low `shift` bits of every lane so the word-wide shift cannot carry bits between lanes.
                mstore(add(rec, 0xc0), not(mul(0x0000000100000001000000010000000100000001000000010000000100000001, sub(shl(shift, 1), 1))))
                mstore(add(rec, 0xe0), fanOut)
                mstore(add(rec, 0x120), pointSize)
                // Bias lanes: B + 2^31; padding lanes 2^31 in hidden layers (z = 0 → activation 0), 0 in the
                // output layer (never the argmax).
                let padLane := mul(LANE_HALF, lt(l, depth))
                for { let g := 0 } lt(g, groups) { g := add(g, 1) } {
                    let word := 0
                    for { let k := 0 } lt(k, 8) { k := add(k, 1) } {
                        let j := add(shl(3, g), k)
                        let lane := padLane
                        if lt(j, fanOut) {
                            lane := add(signextend(3, shr(224, mload(add(biasAt, shl(2, j))))), LANE_HALF)
                        }
                        word := or(word, shl(sub(224, shl(5, k)), lane))
                    }
                    mstore(weights, word)
                    weights := add(weights, 0x20)
                    // Signed lane words: spread the record's 8 bytes (byte k → lane 7−k), subtract 128 per lane.
                    let src := add(at, shl(3, mul(g, fanIn)))
                    for { let end := add(weights, shl(5, fanIn)) } lt(weights, end) { weights := add(weights, 0x20) } {
                        let x := shr(192, mload(src))
                        x := and(or(x, shl(96, x)), 0x000000000000000000000000ffffffff000000000000000000000000ffffffff)
                        x := and(or(x, shl(48, x)), 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff)
                        x := and(or(x, shl(24, x)), 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff)
                        mstore(weights, sub(x, 0x0000008000000080000000800000008000000080000000800000008000000080))
                        src := add(src, 8)
                    }
                    for { let end := add(weights, shl(5, sub(padded, fanIn))) } lt(weights, end) { weights := add(weights, 0x20) } {
                        mstore(weights, 0)
                    }
                }
                at := add(at, shl(3, mul(fanIn, groups)))
                rec := add(rec, RECORD_SIZE)
            }
        }
    }

    // ------------------------------------------------------------------ forward pass

    /// @notice Runs the prepared model `m` on `count` points of `pointSize` bytes at memory `data` and returns
    /// how many it classifies correctly (prediction == label byte). The 32 bytes after the last point must be
    /// readable memory.
    /// @dev Layer-major in batches of up to BATCH points: each layer runs over the whole batch, so per-layer
    /// setup is paid once per batch rather than once per point.
    function run(uint256 m, uint256 data, uint256 count, uint256 pointSize) internal pure returns (uint256 correct) {
        assembly ("memory-safe") {
            // Scratch: 0x00 bit 31 of every lane (as a PUSH32 inside the loops the optimizer would turn it into
            // a CODECOPY, ≈ 30 gas per use); 0x20 the activation-buffer stride S.
            mstore(0x00, 0x8000000080000000800000008000000080000000800000008000000080000000)
            mstore(0x20, mload(add(m, 0x20)))

            /// First layer, hidden: fed by the data points' feature bytes.
            /// Points from `ap` (stride: record field 0x100) up to `apEnd`; writes each point's lane words (one per group of
            /// eight neurons, activation in the low byte of its lane — nothing else is read) from `out` (stride S).
            function hiddenFromBytes(rec, ap, out, apEnd) {
                let tail := mload(add(rec, 0x40))
                let shift := mload(add(rec, 0x80))
                let saturate := mload(add(rec, 0xa0))
                let keep := mload(add(rec, 0xc0))
                for {} lt(ap, apEnd) {
                    ap := add(ap, mload(add(rec, 0x100)))
                    out := add(out, mload(0x20))
                } {
                    let wp := mload(rec)
                    for { let o := out let oEnd := add(out, shl(5, mload(add(rec, 0x60)))) } lt(o, oEnd) { o := add(o, 0x20) } {
                        // The group's bias word comes first, then its lane words.
                        let acc := mload(wp)
                        wp := add(wp, 0x20)
                        {
                            let a := ap
                            for { let e := add(wp, mload(add(rec, 0x20))) } lt(wp, e) {} {
                                let v := mload(a)
                                let v2 := mload(add(a, 0x20))
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), add(mul(mload(add(wp, 0x1e0)), byte(15, v)), add(mul(mload(add(wp, 0x200)), byte(16, v)), add(mul(mload(add(wp, 0x220)), byte(17, v)), add(mul(mload(add(wp, 0x240)), byte(18, v)), add(mul(mload(add(wp, 0x260)), byte(19, v)), add(mul(mload(add(wp, 0x280)), byte(20, v)), add(mul(mload(add(wp, 0x2a0)), byte(21, v)), add(mul(mload(add(wp, 0x2c0)), byte(22, v)), add(mul(mload(add(wp, 0x2e0)), byte(23, v)), add(mul(mload(add(wp, 0x300)), byte(24, v)), add(mul(mload(add(wp, 0x320)), byte(25, v)), add(mul(mload(add(wp, 0x340)), byte(26, v)), add(mul(mload(add(wp, 0x360)), byte(27, v)), add(mul(mload(add(wp, 0x380)), byte(28, v)), add(mul(mload(add(wp, 0x3a0)), byte(29, v)), add(mul(mload(add(wp, 0x3c0)), byte(30, v)), mul(mload(add(wp, 0x3e0)), byte(31, v))))))))))))))))))))))))))))))))))
                                acc := add(acc, add(mul(mload(add(wp, 0x400)), byte(0, v2)), add(mul(mload(add(wp, 0x420)), byte(1, v2)), add(mul(mload(add(wp, 0x440)), byte(2, v2)), add(mul(mload(add(wp, 0x460)), byte(3, v2)), add(mul(mload(add(wp, 0x480)), byte(4, v2)), add(mul(mload(add(wp, 0x4a0)), byte(5, v2)), add(mul(mload(add(wp, 0x4c0)), byte(6, v2)), add(mul(mload(add(wp, 0x4e0)), byte(7, v2)), add(mul(mload(add(wp, 0x500)), byte(8, v2)), add(mul(mload(add(wp, 0x520)), byte(9, v2)), add(mul(mload(add(wp, 0x540)), byte(10, v2)), add(mul(mload(add(wp, 0x560)), byte(11, v2)), add(mul(mload(add(wp, 0x580)), byte(12, v2)), add(mul(mload(add(wp, 0x5a0)), byte(13, v2)), add(mul(mload(add(wp, 0x5c0)), byte(14, v2)), add(mul(mload(add(wp, 0x5e0)), byte(15, v2)), add(mul(mload(add(wp, 0x600)), byte(16, v2)), add(mul(mload(add(wp, 0x620)), byte(17, v2)), add(mul(mload(add(wp, 0x640)), byte(18, v2)), add(mul(mload(add(wp, 0x660)), byte(19, v2)), add(mul(mload(add(wp, 0x680)), byte(20, v2)), add(mul(mload(add(wp, 0x6a0)), byte(21, v2)), add(mul(mload(add(wp, 0x6c0)), byte(22, v2)), add(mul(mload(add(wp, 0x6e0)), byte(23, v2)), add(mul(mload(add(wp, 0x700)), byte(24, v2)), add(mul(mload(add(wp, 0x720)), byte(25, v2)), add(mul(mload(add(wp, 0x740)), byte(26, v2)), add(mul(mload(add(wp, 0x760)), byte(27, v2)), add(mul(mload(add(wp, 0x780)), byte(28, v2)), add(mul(mload(add(wp, 0x7a0)), byte(29, v2)), add(mul(mload(add(wp, 0x7c0)), byte(30, v2)), mul(mload(add(wp, 0x7e0)), byte(31, v2))))))))))))))))))))))))))))))))))
                                a := add(a, 0x40)
                                wp := add(wp, 0x800)
                            }
                            let v := mload(a)
                            // Tail blocks: the padded fan-in's remainder below 64, in powers of two.
                            if gt(tail, 7) {
                                if and(tail, 32) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), add(mul(mload(add(wp, 0x1e0)), byte(15, v)), add(mul(mload(add(wp, 0x200)), byte(16, v)), add(mul(mload(add(wp, 0x220)), byte(17, v)), add(mul(mload(add(wp, 0x240)), byte(18, v)), add(mul(mload(add(wp, 0x260)), byte(19, v)), add(mul(mload(add(wp, 0x280)), byte(20, v)), add(mul(mload(add(wp, 0x2a0)), byte(21, v)), add(mul(mload(add(wp, 0x2c0)), byte(22, v)), add(mul(mload(add(wp, 0x2e0)), byte(23, v)), add(mul(mload(add(wp, 0x300)), byte(24, v)), add(mul(mload(add(wp, 0x320)), byte(25, v)), add(mul(mload(add(wp, 0x340)), byte(26, v)), add(mul(mload(add(wp, 0x360)), byte(27, v)), add(mul(mload(add(wp, 0x380)), byte(28, v)), add(mul(mload(add(wp, 0x3a0)), byte(29, v)), add(mul(mload(add(wp, 0x3c0)), byte(30, v)), mul(mload(add(wp, 0x3e0)), byte(31, v))))))))))))))))))))))))))))))))))
                                    v := mload(add(a, 0x20))
                                    wp := add(wp, 0x400)
                                }
                                if and(tail, 16) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), mul(mload(add(wp, 0x1e0)), byte(15, v))))))))))))))))))
                                    v := shl(128, v)
                                    wp := add(wp, 0x200)
                                }
                                if and(tail, 8) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), mul(mload(add(wp, 0xe0)), byte(7, v))))))))))
                                    v := shl(64, v)
                                    wp := add(wp, 0x100)
                                }
                            }
                            if and(tail, 4) {
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), mul(mload(add(wp, 0x60)), byte(3, v))))))
                                v := shl(32, v)
                                wp := add(wp, 0x80)
                            }
                            if and(tail, 2) {
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), mul(mload(add(wp, 0x20)), byte(1, v))))
                                wp := add(wp, 0x40)
                            }
                        }
                        // Lanes: z + 2^31 ∈ (0, 2^32).
                        // ReLU: keep the lanes with bit 31 set (z ≥ 0), without that bit.
                        acc := and(acc, mul(shr(31, and(acc, mload(0x00))), 0x7fffffff))
                        // Shift without borrowing bits from the next lane; lanes ≥ 256·2^shift saturate to 0xff.
                        mstore(o, or(shr(shift, and(acc, keep)), mul(shr(31, and(add(acc, saturate), mload(0x00))), 0xff)))
                    }
                }
            }

            /// Hidden layer fed by the previous layer's lane words.
            /// Points from `ap` (stride: record field 0x100) up to `apEnd`; writes each point's lane words (one per group of
            /// eight neurons, activation in the low byte of its lane — nothing else is read) from `out` (stride S).
            function hiddenFromLanes(rec, ap, out, apEnd) {
                let tail := mload(add(rec, 0x40))
                let shift := mload(add(rec, 0x80))
                let saturate := mload(add(rec, 0xa0))
                let keep := mload(add(rec, 0xc0))
                for {} lt(ap, apEnd) {
                    ap := add(ap, mload(add(rec, 0x100)))
                    out := add(out, mload(0x20))
                } {
                    let wp := mload(rec)
                    for { let o := out let oEnd := add(out, shl(5, mload(add(rec, 0x60)))) } lt(o, oEnd) { o := add(o, 0x20) } {
                        // The group's bias word comes first, then its lane words.
                        let acc := mload(wp)
                        wp := add(wp, 0x20)
                        {
                            let a := ap
                            for { let e := add(wp, mload(add(rec, 0x20))) } lt(wp, e) {} {
                                let v := mload(a)
                                let v2 := mload(add(a, 0x20))
                                acc := add(acc, add(mul(mload(wp), byte(3, v)), add(mul(mload(add(wp, 0x20)), byte(7, v)), add(mul(mload(add(wp, 0x40)), byte(11, v)), add(mul(mload(add(wp, 0x60)), byte(15, v)), add(mul(mload(add(wp, 0x80)), byte(19, v)), add(mul(mload(add(wp, 0xa0)), byte(23, v)), add(mul(mload(add(wp, 0xc0)), byte(27, v)), add(mul(mload(add(wp, 0xe0)), byte(31, v)), add(mul(mload(add(wp, 0x100)), byte(3, v2)), add(mul(mload(add(wp, 0x120)), byte(7, v2)), add(mul(mload(add(wp, 0x140)), byte(11, v2)), add(mul(mload(add(wp, 0x160)), byte(15, v2)), add(mul(mload(add(wp, 0x180)), byte(19, v2)), add(mul(mload(add(wp, 0x1a0)), byte(23, v2)), add(mul(mload(add(wp, 0x1c0)), byte(27, v2)), mul(mload(add(wp, 0x1e0)), byte(31, v2))))))))))))))))))
                                a := add(a, 0x40)
                                wp := add(wp, 0x200)
                            }
                            if tail {
                                let v := mload(a)
                                acc := add(acc, add(mul(mload(wp), byte(3, v)), add(mul(mload(add(wp, 0x20)), byte(7, v)), add(mul(mload(add(wp, 0x40)), byte(11, v)), add(mul(mload(add(wp, 0x60)), byte(15, v)), add(mul(mload(add(wp, 0x80)), byte(19, v)), add(mul(mload(add(wp, 0xa0)), byte(23, v)), add(mul(mload(add(wp, 0xc0)), byte(27, v)), mul(mload(add(wp, 0xe0)), byte(31, v))))))))))
                                wp := add(wp, 0x100)
                            }
                        }
                        // Lanes: z + 2^31 ∈ (0, 2^32).
                        // ReLU: keep the lanes with bit 31 set (z ≥ 0), without that bit.
                        acc := and(acc, mul(shr(31, and(acc, mload(0x00))), 0x7fffffff))
                        // Shift without borrowing bits from the next lane; lanes ≥ 256·2^shift saturate to 0xff.
                        mstore(o, or(shr(shift, and(acc, keep)), mul(shr(31, and(add(acc, saturate), mload(0x00))), 0xff)))
                    }
                }
            }

            /// Single-layer model: output layer fed by the feature bytes.
            /// Points from `ap` (stride: record field 0x100) up to `apEnd`, labels from `label` (stride: the point
            /// size). Returns how many predictions (argmax_j z_j, ties to the lowest j) equal the label. Lanes hold
            /// z + 2^31 > 0; padding lanes hold 0 and never win.
            function outputFromBytes(rec, ap, apEnd, label) -> hits {
                let tail := mload(add(rec, 0x40))
                let fanOut := mload(add(rec, 0xe0))
                for {} lt(ap, apEnd) {
                    ap := add(ap, mload(add(rec, 0x100)))
                    label := add(label, mload(add(rec, 0x120)))
                } {
                    let wp := mload(rec)
                    let best := 0
                    let arg := 0
                    for { let j := 0 } lt(j, fanOut) { j := add(j, 8) } {
                        // The group's bias word comes first, then its lane words.
                        let acc := mload(wp)
                        wp := add(wp, 0x20)
                        {
                            let a := ap
                            for { let e := add(wp, mload(add(rec, 0x20))) } lt(wp, e) {} {
                                let v := mload(a)
                                let v2 := mload(add(a, 0x20))
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), add(mul(mload(add(wp, 0x1e0)), byte(15, v)), add(mul(mload(add(wp, 0x200)), byte(16, v)), add(mul(mload(add(wp, 0x220)), byte(17, v)), add(mul(mload(add(wp, 0x240)), byte(18, v)), add(mul(mload(add(wp, 0x260)), byte(19, v)), add(mul(mload(add(wp, 0x280)), byte(20, v)), add(mul(mload(add(wp, 0x2a0)), byte(21, v)), add(mul(mload(add(wp, 0x2c0)), byte(22, v)), add(mul(mload(add(wp, 0x2e0)), byte(23, v)), add(mul(mload(add(wp, 0x300)), byte(24, v)), add(mul(mload(add(wp, 0x320)), byte(25, v)), add(mul(mload(add(wp, 0x340)), byte(26, v)), add(mul(mload(add(wp, 0x360)), byte(27, v)), add(mul(mload(add(wp, 0x380)), byte(28, v)), add(mul(mload(add(wp, 0x3a0)), byte(29, v)), add(mul(mload(add(wp, 0x3c0)), byte(30, v)), mul(mload(add(wp, 0x3e0)), byte(31, v))))))))))))))))))))))))))))))))))
                                acc := add(acc, add(mul(mload(add(wp, 0x400)), byte(0, v2)), add(mul(mload(add(wp, 0x420)), byte(1, v2)), add(mul(mload(add(wp, 0x440)), byte(2, v2)), add(mul(mload(add(wp, 0x460)), byte(3, v2)), add(mul(mload(add(wp, 0x480)), byte(4, v2)), add(mul(mload(add(wp, 0x4a0)), byte(5, v2)), add(mul(mload(add(wp, 0x4c0)), byte(6, v2)), add(mul(mload(add(wp, 0x4e0)), byte(7, v2)), add(mul(mload(add(wp, 0x500)), byte(8, v2)), add(mul(mload(add(wp, 0x520)), byte(9, v2)), add(mul(mload(add(wp, 0x540)), byte(10, v2)), add(mul(mload(add(wp, 0x560)), byte(11, v2)), add(mul(mload(add(wp, 0x580)), byte(12, v2)), add(mul(mload(add(wp, 0x5a0)), byte(13, v2)), add(mul(mload(add(wp, 0x5c0)), byte(14, v2)), add(mul(mload(add(wp, 0x5e0)), byte(15, v2)), add(mul(mload(add(wp, 0x600)), byte(16, v2)), add(mul(mload(add(wp, 0x620)), byte(17, v2)), add(mul(mload(add(wp, 0x640)), byte(18, v2)), add(mul(mload(add(wp, 0x660)), byte(19, v2)), add(mul(mload(add(wp, 0x680)), byte(20, v2)), add(mul(mload(add(wp, 0x6a0)), byte(21, v2)), add(mul(mload(add(wp, 0x6c0)), byte(22, v2)), add(mul(mload(add(wp, 0x6e0)), byte(23, v2)), add(mul(mload(add(wp, 0x700)), byte(24, v2)), add(mul(mload(add(wp, 0x720)), byte(25, v2)), add(mul(mload(add(wp, 0x740)), byte(26, v2)), add(mul(mload(add(wp, 0x760)), byte(27, v2)), add(mul(mload(add(wp, 0x780)), byte(28, v2)), add(mul(mload(add(wp, 0x7a0)), byte(29, v2)), add(mul(mload(add(wp, 0x7c0)), byte(30, v2)), mul(mload(add(wp, 0x7e0)), byte(31, v2))))))))))))))))))))))))))))))))))
                                a := add(a, 0x40)
                                wp := add(wp, 0x800)
                            }
                            let v := mload(a)
                            // Tail blocks: the padded fan-in's remainder below 64, in powers of two.
                            if gt(tail, 7) {
                                if and(tail, 32) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), add(mul(mload(add(wp, 0x1e0)), byte(15, v)), add(mul(mload(add(wp, 0x200)), byte(16, v)), add(mul(mload(add(wp, 0x220)), byte(17, v)), add(mul(mload(add(wp, 0x240)), byte(18, v)), add(mul(mload(add(wp, 0x260)), byte(19, v)), add(mul(mload(add(wp, 0x280)), byte(20, v)), add(mul(mload(add(wp, 0x2a0)), byte(21, v)), add(mul(mload(add(wp, 0x2c0)), byte(22, v)), add(mul(mload(add(wp, 0x2e0)), byte(23, v)), add(mul(mload(add(wp, 0x300)), byte(24, v)), add(mul(mload(add(wp, 0x320)), byte(25, v)), add(mul(mload(add(wp, 0x340)), byte(26, v)), add(mul(mload(add(wp, 0x360)), byte(27, v)), add(mul(mload(add(wp, 0x380)), byte(28, v)), add(mul(mload(add(wp, 0x3a0)), byte(29, v)), add(mul(mload(add(wp, 0x3c0)), byte(30, v)), mul(mload(add(wp, 0x3e0)), byte(31, v))))))))))))))))))))))))))))))))))
                                    v := mload(add(a, 0x20))
                                    wp := add(wp, 0x400)
                                }
                                if and(tail, 16) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), add(mul(mload(add(wp, 0xe0)), byte(7, v)), add(mul(mload(add(wp, 0x100)), byte(8, v)), add(mul(mload(add(wp, 0x120)), byte(9, v)), add(mul(mload(add(wp, 0x140)), byte(10, v)), add(mul(mload(add(wp, 0x160)), byte(11, v)), add(mul(mload(add(wp, 0x180)), byte(12, v)), add(mul(mload(add(wp, 0x1a0)), byte(13, v)), add(mul(mload(add(wp, 0x1c0)), byte(14, v)), mul(mload(add(wp, 0x1e0)), byte(15, v))))))))))))))))))
                                    v := shl(128, v)
                                    wp := add(wp, 0x200)
                                }
                                if and(tail, 8) {
                                    acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), add(mul(mload(add(wp, 0x60)), byte(3, v)), add(mul(mload(add(wp, 0x80)), byte(4, v)), add(mul(mload(add(wp, 0xa0)), byte(5, v)), add(mul(mload(add(wp, 0xc0)), byte(6, v)), mul(mload(add(wp, 0xe0)), byte(7, v))))))))))
                                    v := shl(64, v)
                                    wp := add(wp, 0x100)
                                }
                            }
                            if and(tail, 4) {
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), add(mul(mload(add(wp, 0x20)), byte(1, v)), add(mul(mload(add(wp, 0x40)), byte(2, v)), mul(mload(add(wp, 0x60)), byte(3, v))))))
                                v := shl(32, v)
                                wp := add(wp, 0x80)
                            }
                            if and(tail, 2) {
                                acc := add(acc, add(mul(mload(wp), byte(0, v)), mul(mload(add(wp, 0x20)), byte(1, v))))
                                wp := add(wp, 0x40)
                            }
                        }
                        // Neuron j+k sits in lane 7−k.
                        if eq(fanOut, 2) {
                            arg := gt(and(shr(192, acc), 0xffffffff), shr(224, acc))
                            break
                        }
                        let v := shr(224, acc)
                        if gt(v, best) {
                            best := v
                            arg := j
                        }
                        let e := add(j, 8)
                        if gt(e, fanOut) { e := fanOut }
                        for { let i := add(j, 1) } lt(i, e) { i := add(i, 1) } {
                            acc := shl(32, acc)
                            v := shr(224, acc)
                            if gt(v, best) {
                                best := v
                                arg := i
                            }
                        }
                    }
                    hits := add(hits, eq(arg, byte(0, mload(label))))
                }
            }

            /// Output layer fed by the last hidden layer's lane words.
            /// Points from `ap` (stride: record field 0x100) up to `apEnd`, labels from `label` (stride: the point
            /// size). Returns how many predictions (argmax_j z_j, ties to the lowest j) equal the label. Lanes hold
            /// z + 2^31 > 0; padding lanes hold 0 and never win.
            function outputFromLanes(rec, ap, apEnd, label) -> hits {
                let tail := mload(add(rec, 0x40))
                let fanOut := mload(add(rec, 0xe0))
                for {} lt(ap, apEnd) {
                    ap := add(ap, mload(add(rec, 0x100)))
                    label := add(label, mload(add(rec, 0x120)))
                } {
                    let wp := mload(rec)
                    let best := 0
                    let arg := 0
                    for { let j := 0 } lt(j, fanOut) { j := add(j, 8) } {
                        // The group's bias word comes first, then its lane words.
                        let acc := mload(wp)
                        wp := add(wp, 0x20)
                        {
                            let a := ap
                            for { let e := add(wp, mload(add(rec, 0x20))) } lt(wp, e) {} {
                                let v := mload(a)
                                let v2 := mload(add(a, 0x20))
                                acc := add(acc, add(mul(mload(wp), byte(3, v)), add(mul(mload(add(wp, 0x20)), byte(7, v)), add(mul(mload(add(wp, 0x40)), byte(11, v)), add(mul(mload(add(wp, 0x60)), byte(15, v)), add(mul(mload(add(wp, 0x80)), byte(19, v)), add(mul(mload(add(wp, 0xa0)), byte(23, v)), add(mul(mload(add(wp, 0xc0)), byte(27, v)), add(mul(mload(add(wp, 0xe0)), byte(31, v)), add(mul(mload(add(wp, 0x100)), byte(3, v2)), add(mul(mload(add(wp, 0x120)), byte(7, v2)), add(mul(mload(add(wp, 0x140)), byte(11, v2)), add(mul(mload(add(wp, 0x160)), byte(15, v2)), add(mul(mload(add(wp, 0x180)), byte(19, v2)), add(mul(mload(add(wp, 0x1a0)), byte(23, v2)), add(mul(mload(add(wp, 0x1c0)), byte(27, v2)), mul(mload(add(wp, 0x1e0)), byte(31, v2))))))))))))))))))
                                a := add(a, 0x40)
                                wp := add(wp, 0x200)
                            }
                            if tail {
                                let v := mload(a)
                                acc := add(acc, add(mul(mload(wp), byte(3, v)), add(mul(mload(add(wp, 0x20)), byte(7, v)), add(mul(mload(add(wp, 0x40)), byte(11, v)), add(mul(mload(add(wp, 0x60)), byte(15, v)), add(mul(mload(add(wp, 0x80)), byte(19, v)), add(mul(mload(add(wp, 0xa0)), byte(23, v)), add(mul(mload(add(wp, 0xc0)), byte(27, v)), mul(mload(add(wp, 0xe0)), byte(31, v))))))))))
                                wp := add(wp, 0x100)
                            }
                        }
                        // Neuron j+k sits in lane 7−k.
                        if eq(fanOut, 2) {
                            arg := gt(and(shr(192, acc), 0xffffffff), shr(224, acc))
                            break
                        }
                        let v := shr(224, acc)
                        if gt(v, best) {
                            best := v
                            arg := j
                        }
                        let e := add(j, 8)
                        if gt(e, fanOut) { e := fanOut }
                        for { let i := add(j, 1) } lt(i, e) { i := add(i, 1) } {
                            acc := shl(32, acc)
                            v := shr(224, acc)
                            if gt(v, best) {
                                best := v
                                arg := i
                            }
                        }
                    }
                    hits := add(hits, eq(arg, byte(0, mload(label))))
                }
            }

            let bufA := mload(add(m, 0x40))
            let flip := xor(bufA, mload(add(m, 0x60)))
            let first := add(m, HEADER_SIZE)
            let last := add(first, mul(sub(mload(m), 1), RECORD_SIZE))
            for {} count {} {
                let n := mload(add(m, 0x80))
                if lt(count, n) { n := count }
                let dataEnd := add(data, mul(n, pointSize))
                switch eq(first, last)
                case 1 { correct := add(correct, outputFromBytes(first, data, dataEnd, add(data, sub(pointSize, 1)))) }
                default {
                    hiddenFromBytes(first, data, bufA, dataEnd)
                    let ap := bufA
                    for { let rec := add(first, RECORD_SIZE) } lt(rec, last) { rec := add(rec, RECORD_SIZE) } {
                        hiddenFromLanes(rec, ap, xor(ap, flip), add(ap, mul(n, mload(0x20))))
                        ap := xor(ap, flip)
                    }
                    correct := add(correct, outputFromLanes(last, ap, add(ap, mul(n, mload(0x20))), add(data, sub(pointSize, 1))))
                }
                data := dataEnd
                count := sub(count, n)
            }
        }
    }
}
