// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuLimits} from "./DankuLimits.sol";
import {BlobStore} from "./BlobStore.sol";

/// @notice Why a version-2 (convolutional) model is rejected, in the order of their codes (docs/cnn.md §3); the same
/// names and codes as CNN_MODEL_DEFECTS in lib/danku/cnn/encoding.ts.
enum CnnModelDefect {
    TooShort,
    Version,
    LayerCount,
    InputShape,
    InputFeatures,
    Kind,
    Order,
    UnusedField,
    Kernel,
    Stride,
    Padding,
    Channels,
    Shift,
    OutputShift,
    EmptyOutput,
    Activations,
    OutputWidth,
    Work,
    Length,
    Bias,
    PaddingLane,
    TooLarge
}

/// @title DankuCnnEvaluator
/// @notice Validation of convolutional models (format version 2, docs/cnn.md) and the integer forward pass of one
/// point, bit-exact with lib/danku/cnn/forward.ts. A generic interpreter over the model's descriptor table: the
/// model is data, never code.
/// @dev Lanes as in DankuEvaluator (docs/cnn.md §7): a conv2d or dense layer's 8-byte weight record (group g, input
/// i) is expanded into one 256-bit word of eight signed 32-bit lanes (output 8g+k in lane 7−k), so one MUL by an
/// activation byte does eight multiply-accumulates; the bias word holds B + 2^31 per lane, which keeps every lane of
/// the final sum in (0, 2^32) (|z| < 2^31, docs/cnn.md §1), so ReLU, shift and saturation run on eight outputs at
/// once. A dense layer is run as a 1×1 convolution of its 1×1×n input (the flatten is free: HWC is the dense
/// order). Activations are bytes in HWC order in two alternating buffers; weights are expanded one layer at a time
/// into one region, so memory grows with the largest layer, not the whole model. Padding is handled by clipping the
/// receptive field's rows and columns: each clipped row is one run of consecutive input bytes and weight words.
library DankuCnnEvaluator {
    /// @notice A version-2 model is malformed; `index` locates the defect as docs/cnn.md §3 says.
    error InvalidCnnModel(CnnModelDefect reason, uint256 index);

    /// @notice Limits of docs/cnn.md §3, mirroring lib/danku/cnn/model.ts (a test compares them).
    uint256 internal constant FORMAT_VERSION = 2;
    uint256 internal constant MAX_LAYERS = 16;
    uint256 internal constant MAX_KERNEL = 8;
    uint256 internal constant MAX_STRIDE = 8;
    uint256 internal constant MAX_CHANNELS = 64;
    uint256 internal constant MAX_SIDE = 1024;
    uint256 internal constant MAX_ACTIVATIONS = 8192;
    uint256 internal constant MAX_DENSE_WIDTH = 1024;
    /// @notice Work units per point (docs/cnn.md §3): the interpreter's gas per step, with the weights below. At
    /// ≤ 1.0 measured gas per unit plus ≤ 2.4 M of fixed dispute costs a one-point dispute stays ≥ 10 % under the
    /// 16,777,216-gas transaction cap.
    uint256 internal constant MAX_WORK = 12_000_000;

    /// @dev Units per interpreter step (CNN_WORK_WEIGHTS in lib/danku/cnn/model.ts, fitted in docs/cnn.md §7).
    uint256 private constant W_LAYER = 15_000;
    uint256 private constant W_OUTPUT_ROW = 250;
    uint256 private constant W_POSITION = 500;
    uint256 private constant W_GROUP = 600;
    uint256 private constant W_ROW = 400;
    uint256 private constant W_WORD = 48;
    uint256 private constant W_BIAS_WORD = 400;
    uint256 private constant W_EXPAND_WORD = 240;
    uint256 private constant W_POOL_POSITION = 160;
    uint256 private constant W_POOL_VALUE = 210;
    uint256 private constant W_POOL_ROW = 100;
    uint256 private constant W_POOL_READ = 100;

    uint256 private constant HEADER_BYTES = 8;
    uint256 private constant DESCRIPTOR_BYTES = 10;
    uint256 private constant KIND_CONV = 1;
    uint256 private constant KIND_MAXPOOL = 2;
    uint256 private constant KIND_AVGPOOL = 3;
    uint256 private constant KIND_FLATTEN = 4;
    uint256 private constant KIND_DENSE = 5;
    /// @dev Bias of a padding lane in a hidden layer, and the lane offset that keeps z + 2^31 positive.
    uint256 private constant LANE_HALF = 0x80000000;
    /// @dev Bit 31 of every lane.
    uint256 private constant LANE_SIGNS = 0x8000000080000000800000008000000080000000800000008000000080000000;
    /// @dev One in every lane.
    uint256 private constant LANE_ONES = 0x0000000100000001000000010000000100000001000000010000000100000001;
    /// @dev An activation buffer: the largest tensor plus 32 bytes, since an output group's 8 bytes are stored with
    /// one MSTORE whose 24 trailing bytes the next store overwrites (or that land in this slack): MAX_ACTIVATIONS + 32.
    /// @dev Offsets of {Layer}'s fields in memory, for the assembly that reads them.
    uint256 private constant F_KH = 0x20;
    uint256 private constant F_KW = 0x40;
    uint256 private constant F_PH = 0xa0;
    uint256 private constant F_PW = 0xc0;
    uint256 private constant F_INH = 0x100;
    uint256 private constant F_INW = 0x120;
    uint256 private constant F_INC = 0x140;
    uint256 private constant F_SH = 0x60;
    uint256 private constant F_SW = 0x80;
    uint256 private constant F_OUTH = 0x160;
    uint256 private constant F_OUTW = 0x180;
    uint256 private constant F_OUTC = 0x1a0;
    uint256 private constant BUFFER_BYTES = 8224;

    /// @notice One layer as the interpreter sees it: the descriptor, its input and output shapes, and where its
    /// parameters start in the model bytes. A dense layer is kh = kw = sh = sw = 1 on a 1×1×n input.
    struct Layer {
        uint256 kind;
        uint256 kh;
        uint256 kw;
        uint256 sh;
        uint256 sw;
        uint256 ph;
        uint256 pw;
        uint256 shift;
        uint256 inH;
        uint256 inW;
        uint256 inC;
        uint256 outH;
        uint256 outW;
        uint256 outC;
        /// @dev Byte offset of the layer's int32 biases (conv2d and dense; 0 otherwise).
        uint256 params;
    }

    // ------------------------------------------------------------------ validation

    /// @notice Reverts with {InvalidCnnModel} unless `model` is a well-formed version-2 model for points of
    /// `featureCount` bytes and `classCount` classes; the checks and their order are docs/cnn.md §3's, the same as
    /// decodeCnnModel in lib/danku/cnn/encoding.ts.
    function validate(bytes memory model, uint256 featureCount, uint256 classCount) internal pure {
        _validated(model, featureCount, classCount);
    }

    /// @dev {validate}, returning the layer table.
    function _validated(bytes memory model, uint256 featureCount, uint256 classCount)
        private
        pure
        returns (Layer[] memory layers)
    {
        layers = _layers(model, featureCount, classCount);
        for (uint256 l; l < layers.length; ++l) {
            Layer memory layer = layers[l];
            if (layer.kind != KIND_CONV && layer.kind != KIND_DENSE) continue;
            uint256 fanIn = layer.kh * layer.kw * layer.inC;
            uint256 bad = _findBadBias(model, layer.params, layer.outC);
            if (bad != type(uint256).max) revert InvalidCnnModel(CnnModelDefect.Bias, bad);
            uint256 used = layer.outC & 7;
            if (used != 0) {
                uint256 lastGroup = layer.params + 4 * layer.outC + 8 * fanIn * (layer.outC >> 3);
                bad = _findBadPadding(model, lastGroup, fanIn, used);
                if (bad != type(uint256).max) revert InvalidCnnModel(CnnModelDefect.PaddingLane, bad);
            }
        }
    }

    /// @dev The header and descriptor checks of docs/cnn.md §3, in its order, and the layer table they imply.
    /// `classCount` 0 accepts any class count the format allows.
    function _layers(bytes memory model, uint256 featureCount, uint256 classCount)
        private
        pure
        returns (Layer[] memory layers)
    {
        uint256 units;
        uint256 length;
        (layers, units, length) = _shapes(model, featureCount, classCount);
        if (units > MAX_WORK) revert InvalidCnnModel(CnnModelDefect.Work, units);
        if (length > DankuLimits.MAX_MODEL_BYTES) revert InvalidCnnModel(CnnModelDefect.TooLarge, length);
        if (model.length != length) revert InvalidCnnModel(CnnModelDefect.Length, length);
    }

    /// @notice The work units of one point of `model` (docs/cnn.md §3), the figure validation compares with
    /// MAX_WORK; reverts with {InvalidCnnModel} for a defect found before the work check.
    function work(bytes memory model, uint256 featureCount, uint256 classCount) internal pure returns (uint256 units) {
        (, units,) = _shapes(model, featureCount, classCount);
    }

    /// @dev The checks of docs/cnn.md §3 up to the output width, the layer table, the work units and the exact length.
    function _shapes(bytes memory model, uint256 featureCount, uint256 classCount)
        private
        pure
        returns (Layer[] memory layers, uint256 units, uint256 length)
    {
        if (model.length < HEADER_BYTES) revert InvalidCnnModel(CnnModelDefect.TooShort, model.length);
        if (model.length > DankuLimits.MAX_MODEL_BYTES) revert InvalidCnnModel(CnnModelDefect.TooLarge, model.length);
        if (uint8(model[0]) != FORMAT_VERSION) revert InvalidCnnModel(CnnModelDefect.Version, uint8(model[0]));
        uint256 count = uint8(model[1]);
        if (count < 2 || count > MAX_LAYERS) revert InvalidCnnModel(CnnModelDefect.LayerCount, count);
        if (model.length < HEADER_BYTES + DESCRIPTOR_BYTES * count) {
            revert InvalidCnnModel(CnnModelDefect.TooShort, model.length);
        }
        uint256 h = _u16(model, 2);
        uint256 w = _u16(model, 4);
        uint256 c = _u16(model, 6);
        if (h == 0 || h > MAX_SIDE) revert InvalidCnnModel(CnnModelDefect.InputShape, 0);
        if (w == 0 || w > MAX_SIDE) revert InvalidCnnModel(CnnModelDefect.InputShape, 1);
        if (c == 0 || c > MAX_CHANNELS) revert InvalidCnnModel(CnnModelDefect.InputShape, 2);
        if (h * w * c > DankuLimits.MAX_FEATURES || h * w * c != featureCount) {
            revert InvalidCnnModel(CnnModelDefect.InputFeatures, h * w * c);
        }
        layers = new Layer[](count);
        bool flattened;
        length = HEADER_BYTES + DESCRIPTOR_BYTES * count;
        for (uint256 l; l < count; ++l) {
            Layer memory layer = layers[l];
            // The descriptor's `out` field goes to outC until the output shape replaces it.
            _readDescriptor(model, HEADER_BYTES + DESCRIPTOR_BYTES * l, layer);
            _checkDescriptor(layer, l, l == count - 1, flattened);
            (layer.inH, layer.inW, layer.inC) = (h, w, c);
            if (layer.kind == KIND_FLATTEN) {
                flattened = true;
                (h, w, c) = (1, 1, h * w * c);
            } else if (layer.kind == KIND_DENSE) {
                // Run as a 1×1 convolution of the 1×1×n vector the flatten made.
                (layer.kh, layer.kw, layer.sh, layer.sw) = (1, 1, 1, 1);
                c = layer.outC;
            } else {
                h = _windowOutput(h, layer.kh, layer.sh, layer.ph);
                w = _windowOutput(w, layer.kw, layer.sw, layer.pw);
                if (layer.kind == KIND_CONV) c = layer.outC;
                if (h == 0 || w == 0) revert InvalidCnnModel(CnnModelDefect.EmptyOutput, l);
            }
            if (h * w * c > MAX_ACTIVATIONS) revert InvalidCnnModel(CnnModelDefect.Activations, l);
            (layer.outH, layer.outW, layer.outC) = (h, w, c);
            units += _layerWork(layer);
            if (layer.kind == KIND_CONV || layer.kind == KIND_DENSE) {
                layer.params = length;
                length += 4 * c + ((c + 7) & ~uint256(7)) * layer.kh * layer.kw * layer.inC;
            }
        }
        if (c < DankuLimits.MIN_CLASSES || c > DankuLimits.MAX_CLASSES || (classCount != 0 && c != classCount)) {
            revert InvalidCnnModel(CnnModelDefect.OutputWidth, c);
        }
    }

    /// @dev Work units of one layer with its shapes set (docs/cnn.md §3, layerWork in lib/danku/cnn/model.ts): what
    /// the interpreter spends per layer, output row, position, lane group, receptive-field row, lane word and
    /// expanded parameter word (conv2d, dense), or per position, value, window row and byte read (pools). Unclipped
    /// windows: clipping only removes rows and lane words.
    function _layerWork(Layer memory layer) private pure returns (uint256) {
        uint256 positions = layer.outH * layer.outW;
        if (layer.kind == KIND_CONV || layer.kind == KIND_DENSE) {
            uint256 groups = (layer.outC + 7) >> 3;
            uint256 perGroup = W_GROUP + layer.kh * (W_ROW + layer.kw * layer.inC * W_WORD);
            uint256 expansion = groups * (W_BIAS_WORD + layer.kh * layer.kw * layer.inC * W_EXPAND_WORD);
            return W_LAYER + layer.outH * W_OUTPUT_ROW + positions * (W_POSITION + groups * perGroup) + expansion;
        }
        if (layer.kind == KIND_FLATTEN) return W_LAYER;
        return W_LAYER
            + positions * (W_POOL_POSITION + layer.outC * (W_POOL_VALUE + layer.kh * (W_POOL_ROW + layer.kw * W_POOL_READ)));
    }

    /// @dev Fills `layer`'s descriptor fields from the 10 bytes at `at` (the `out` field into outC).
    function _readDescriptor(bytes memory model, uint256 at, Layer memory layer) private pure {
        uint256 d;
        assembly ("memory-safe") {
            d := shr(176, mload(add(add(model, 0x20), at)))
        }
        layer.kind = d >> 72;
        layer.kh = (d >> 64) & 0xff;
        layer.kw = (d >> 56) & 0xff;
        layer.sh = (d >> 48) & 0xff;
        layer.sw = (d >> 40) & 0xff;
        layer.ph = (d >> 32) & 0xff;
        layer.pw = (d >> 24) & 0xff;
        layer.shift = (d >> 16) & 0xff;
        layer.outC = d & 0xffff;
    }

    /// @dev The per-descriptor checks of docs/cnn.md §3 that need no shapes: kind, order, unused fields, kernel,
    /// stride, padding, channels, shift, output shift.
    function _checkDescriptor(Layer memory d, uint256 l, bool isLast, bool flattened) private pure {
        uint256 kind = d.kind;
        uint256 out = d.outC;
        if (kind == 0 || kind > KIND_DENSE) revert InvalidCnnModel(CnnModelDefect.Kind, l);
        bool windowed = kind <= KIND_AVGPOOL;
        if (
            (windowed && flattened) || (kind == KIND_FLATTEN && flattened) || (kind == KIND_DENSE && !flattened)
                || (isLast && kind != KIND_DENSE)
        ) revert InvalidCnnModel(CnnModelDefect.Order, l);
        bool unused = (!windowed && (d.kh | d.kw | d.sh | d.sw) != 0) || (kind != KIND_CONV && (d.ph | d.pw) != 0)
            || (kind != KIND_CONV && kind != KIND_DENSE && (d.shift | out) != 0);
        if (unused) revert InvalidCnnModel(CnnModelDefect.UnusedField, l);
        if (windowed) {
            if (d.kh == 0 || d.kh > MAX_KERNEL || d.kw == 0 || d.kw > MAX_KERNEL) {
                revert InvalidCnnModel(CnnModelDefect.Kernel, l);
            }
            if (d.sh == 0 || d.sh > MAX_STRIDE || d.sw == 0 || d.sw > MAX_STRIDE) {
                revert InvalidCnnModel(CnnModelDefect.Stride, l);
            }
            if (d.ph >= d.kh || d.pw >= d.kw) revert InvalidCnnModel(CnnModelDefect.Padding, l);
        }
        if (kind == KIND_CONV && (out == 0 || out > MAX_CHANNELS)) revert InvalidCnnModel(CnnModelDefect.Channels, l);
        if (kind == KIND_DENSE && (out == 0 || out > MAX_DENSE_WIDTH)) {
            revert InvalidCnnModel(CnnModelDefect.Channels, l);
        }
        if (d.shift > DankuLimits.MAX_SHIFT) revert InvalidCnnModel(CnnModelDefect.Shift, l);
        if (isLast && d.shift != 0) revert InvalidCnnModel(CnnModelDefect.OutputShift, l);
    }

    /// @dev floor((size + 2·pad − kernel) / stride) + 1, or 0 when the window does not fit.
    function _windowOutput(uint256 size, uint256 kernel, uint256 stride, uint256 pad) private pure returns (uint256) {
        if (size + 2 * pad < kernel) return 0;
        return (size + 2 * pad - kernel) / stride + 1;
    }

    function _u16(bytes memory model, uint256 offset) private pure returns (uint256 value) {
        assembly ("memory-safe") {
            value := shr(240, mload(add(add(model, 0x20), offset)))
        }
    }

    /// @dev Byte offset of the first int32 bias with |b| > 2^30 among `count` at `offset`, or type(uint256).max.
    function _findBadBias(bytes memory model, uint256 offset, uint256 count) private pure returns (uint256 bad) {
        bad = type(uint256).max;
        assembly ("memory-safe") {
            let base := add(model, 0x20)
            let p := add(base, offset)
            for { let end := add(p, shl(2, count)) } lt(p, end) { p := add(p, 4) } {
                // b + 2^30 must lie in 0 … 2^31 (b sign-extended from 32 bits).
                if gt(add(signextend(3, shr(224, mload(p))), 0x40000000), 0x80000000) {
                    bad := sub(p, base)
                    break
                }
            }
        }
    }

    /// @dev Byte offset of the first of `count` 8-byte records at `offset` whose lanes `used`..7 are not 128, or
    /// type(uint256).max.
    function _findBadPadding(bytes memory model, uint256 offset, uint256 count, uint256 used)
        private
        pure
        returns (uint256 bad)
    {
        bad = type(uint256).max;
        assembly ("memory-safe") {
            let mask := sub(shl(shl(3, sub(8, used)), 1), 1)
            let want := and(0x8080808080808080, mask)
            let base := add(model, 0x20)
            let p := add(base, offset)
            for { let end := add(p, shl(3, count)) } lt(p, end) { p := add(p, 8) } {
                if iszero(eq(and(shr(192, mload(p)), mask), want)) {
                    bad := sub(p, base)
                    break
                }
            }
        }
    }

    // ------------------------------------------------------------------ model bytes from data contracts

    /// @notice The bytes of a model stored as BlobStore data contracts (as revealModel stores models), in order.
    function load(address[] memory chunks) internal view returns (bytes memory model) {
        uint256 total;
        for (uint256 i; i < chunks.length; ++i) total += BlobStore.size(chunks[i]);
        model = new bytes(total);
        uint256 dest;
        assembly ("memory-safe") {
            dest := add(model, 0x20)
        }
        for (uint256 i; i < chunks.length; ++i) {
            uint256 size = BlobStore.size(chunks[i]);
            BlobStore.readInto(chunks[i], 0, size, dest);
            dest += size;
        }
    }

    // ------------------------------------------------------------------ forward pass

    /// @notice The class `model` predicts for one point's `features` (H·W·Ch bytes, HWC): argmax of the logits,
    /// ties to the lowest index, exactly as cnnPredict in lib/danku/cnn/forward.ts. Validates the model first
    /// (descriptors, biases, padding lanes) for points of `features.length` bytes, so it never runs on bytes the
    /// format rejects.
    /// @param classCount The competition's class count, or 0 for any.
    function predict(bytes memory model, bytes memory features, uint256 classCount)
        internal
        pure
        returns (uint256 prediction)
    {
        // A model that does not read exactly this many bytes is refused with InputFeatures (its H·W·Ch).
        Layer[] memory layers = _validated(model, features.length, classCount);

        // Two activation buffers, then the weight region of the largest layer (one block per group of eight
        // outputs: the bias word, then one lane word per input of the receptive field).
        uint256 largest;
        for (uint256 l; l < layers.length; ++l) {
            Layer memory layer = layers[l];
            uint256 words = ((layer.outC + 7) >> 3) * (1 + layer.kh * layer.kw * layer.inC);
            if ((layer.kind == KIND_CONV || layer.kind == KIND_DENSE) && words > largest) largest = words;
        }
        uint256 a;
        uint256 b;
        uint256 region;
        assembly ("memory-safe") {
            a := mload(0x40)
            b := add(a, BUFFER_BYTES)
            region := add(b, BUFFER_BYTES)
            mstore(0x40, add(region, shl(5, largest)))
            mcopy(a, add(features, 0x20), mload(features))
        }
        for (uint256 l; l < layers.length; ++l) {
            Layer memory layer = layers[l];
            bool last = l == layers.length - 1;
            if (layer.kind == KIND_CONV || layer.kind == KIND_DENSE) {
                _expand(model, layer, region, last);
                // The output layer's ≤ 32 lane words go to the free buffer (8,224 bytes).
                if (last) return _outputLayer(layer, region, a, b);
                _convLayer(layer, region, a, b, false);
            } else if (layer.kind == KIND_MAXPOOL || layer.kind == KIND_AVGPOOL) {
                _poolLayer(layer, a, b);
            } else {
                // flatten: HWC already is the dense order; nothing moves.
                continue;
            }
            (a, b) = (b, a);
        }
    }

    /// @dev Expands `layer`'s parameters into lane words at `region`: per group its bias word (B + 2^31 per lane;
    /// padding lanes 2^31 in a hidden layer, so z = 0 and the activation is 0, and 0 in the output layer, so they
    /// never win the argmax), then one signed lane word per input (byte k of a record → lane 7−k, minus 128).
    function _expand(bytes memory model, Layer memory layer, uint256 region, bool isOutput) private pure {
        uint256 fanIn = layer.kh * layer.kw * layer.inC;
        uint256 fanOut = layer.outC;
        uint256 biasAt;
        assembly ("memory-safe") {
            biasAt := add(model, 0x20)
        }
        biasAt += layer.params;
        uint256 padLane = isOutput ? 0 : LANE_HALF;
        assembly ("memory-safe") {
            let groups := shr(3, add(fanOut, 7))
            let src := add(biasAt, shl(2, fanOut))
            let dst := region
            for { let g := 0 } lt(g, groups) { g := add(g, 1) } {
                let word := 0
                for { let k := 0 } lt(k, 8) { k := add(k, 1) } {
                    let j := add(shl(3, g), k)
                    let lane := padLane
                    if lt(j, fanOut) { lane := add(signextend(3, shr(224, mload(add(biasAt, shl(2, j))))), LANE_HALF) }
                    word := or(word, shl(sub(224, shl(5, k)), lane))
                }
                mstore(dst, word)
                dst := add(dst, 0x20)
                for { let end := add(dst, shl(5, fanIn)) } lt(dst, end) { dst := add(dst, 0x20) } {
                    let x := shr(192, mload(src))
                    x := and(or(x, shl(96, x)), 0x000000000000000000000000ffffffff000000000000000000000000ffffffff)
                    x := and(or(x, shl(48, x)), 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff)
                    x := and(or(x, shl(24, x)), 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff)
                    mstore(dst, sub(x, 0x0000008000000080000000800000008000000080000000800000008000000080))
                    src := add(src, 8)
                }
            }
        }
    }

    /// @dev A conv2d or dense layer from the bytes at `input`. Hidden: per output position and group of eight
    /// channels, the bias plus the clipped receptive field, then ReLU, shift and saturation on the lane word, whose
    /// eight bytes are stored at once at `output` (HWC). Output layer (one position): the raw lane words, one per
    /// group, at `output`. All in one assembly loop; the work units of docs/cnn.md §3 charge each of its steps (per
    /// position, group, row and lane word) with its measured gas.
    function _convLayer(Layer memory layer, uint256 region, uint256 input, uint256 output, bool isOutput) private pure {
        uint256[16] memory k = _constants(layer, region, input, isOutput);
        assembly ("memory-safe") {
            /// acc + Σ_{t<n} lane word (wp + 32t) · byte (ap + t): eight multiply-accumulates per input, four
            /// inputs per step while four remain, then one at a time.
            function dot(sum, wp, ap, n) -> r {
                r := sum
                let end := add(ap, n)
                for { let end4 := sub(end, and(n, 3)) } lt(ap, end4) {
                    ap := add(ap, 4)
                    wp := add(wp, 0x80)
                } {
                    let v := mload(ap)
                    r := add(r, add(
                        add(mul(mload(wp), byte(0, v)), mul(mload(add(wp, 0x20)), byte(1, v))),
                        add(mul(mload(add(wp, 0x40)), byte(2, v)), mul(mload(add(wp, 0x60)), byte(3, v)))
                    ))
                }
                for {} lt(ap, end) {
                    ap := add(ap, 1)
                    wp := add(wp, 0x20)
                } { r := add(r, mul(mload(wp), byte(0, mload(ap)))) }
            }

            /// The lane word of group block `blk` at the current output position: the bias plus the clipped
            /// receptive field, `rows` runs of `run` consecutive input bytes and weight words (K slots 10–14, set
            /// once per output row and column below).
            function group(K, blk) -> acc {
                acc := mload(blk)
                let wp := add(add(blk, 0x20), mload(add(K, 0x1a0)))
                let ap := mload(add(K, 0x1c0))
                let run := mload(add(K, 0x1e0))
                for { let rows := mload(add(K, 0x140)) } rows { rows := sub(rows, 1) } {
                    acc := dot(acc, wp, ap, run)
                    wp := add(wp, mload(add(K, 0xa0)))
                    ap := add(ap, mload(add(K, 0xc0)))
                }
            }

            /// Rows ky ∈ [ky, kyEnd) of the window starting at input row y0 − ph that lie inside 0..inH−1 (zero
            /// padding: the rest contributes nothing; a window always overlaps its input since padding < kernel).
            /// K[10] = their count, K[11] = the first one's input row (y0 + ky − ph), K[12] = ky.
            function rowsOf(K, L, y0) {
                let ph := mload(add(L, F_PH))
                let ky := 0
                if gt(ph, y0) { ky := sub(ph, y0) }
                let kyEnd := sub(add(mload(add(L, F_INH)), ph), y0)
                if gt(kyEnd, mload(add(L, F_KH))) { kyEnd := mload(add(L, F_KH)) }
                mstore(add(K, 0x140), sub(kyEnd, ky))
                mstore(add(K, 0x160), sub(add(y0, ky), ph))
                mstore(add(K, 0x180), ky)
            }

            /// Columns likewise for the window starting at input column x0 − pw: K[13] = the weight offset of
            /// (ky, kx, 0), 32·(ky·kw + kx)·c; K[14] = the input byte of (y0 + ky − ph, x0 + kx − pw, 0); K[15] = the
            /// run length (kxEnd − kx)·c.
            function columnsOf(K, L, x0) {
                let pw := mload(add(L, F_PW))
                let kw := mload(add(L, F_KW))
                let c := mload(add(L, F_INC))
                let kx := 0
                if gt(pw, x0) { kx := sub(pw, x0) }
                let kxEnd := sub(add(mload(add(L, F_INW)), pw), x0)
                if gt(kxEnd, kw) { kxEnd := kw }
                mstore(add(K, 0x1e0), mul(sub(kxEnd, kx), c))
                mstore(add(K, 0x1a0), shl(5, mul(add(mul(mload(add(K, 0x180)), kw), kx), c)))
                let ix := sub(add(x0, kx), pw)
                mstore(add(K, 0x1c0), add(mload(add(K, 0xe0)), mul(add(mul(mload(add(K, 0x160)), mload(add(L, F_INW))), ix), c)))
            }

            /// ReLU, shift and saturation of eight pre-activations (z + 2^31 per lane), stored as eight consecutive
            /// bytes at `at` (lane 7−k → byte k). The store's 24 trailing bytes are overwritten by the next store
            /// (stores go up in memory) or land in the buffer's slack.
            function emit(acc, K, at) {
                // ReLU: keep the lanes with bit 31 set (z ≥ 0), without that bit.
                acc := and(acc, mul(shr(31, and(acc, LANE_SIGNS)), 0x7fffffff))
                // Shift, and 0xff in the low byte of every saturated lane.
                let saturated := mul(shr(31, and(add(acc, mload(add(K, 0x20))), LANE_SIGNS)), 0xff)
                acc := or(shr(mload(K), and(acc, mload(add(K, 0x40)))), saturated)
                // The low byte of each lane into eight consecutive bytes: the inverse of the expansion's spread.
                let x := and(acc, 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff)
                x := and(or(x, shr(24, x)), 0x000000000000ffff000000000000ffff000000000000ffff000000000000ffff)
                x := and(or(x, shr(48, x)), 0x000000000000000000000000ffffffff000000000000000000000000ffffffff)
                x := and(or(x, shr(96, x)), 0xffffffffffffffff)
                mstore(at, shl(192, x))
            }

            let end := mload(add(k, 0x80))
            for { let oy := 0 } lt(oy, mload(add(layer, F_OUTH))) { oy := add(oy, 1) } {
                rowsOf(k, layer, mul(oy, mload(add(layer, F_SH))))
                for { let ox := 0 } lt(ox, mload(add(layer, F_OUTW))) { ox := add(ox, 1) } {
                    columnsOf(k, layer, mul(ox, mload(add(layer, F_SW))))
                    let at := output
                    for { let blk := region } lt(blk, end) { blk := add(blk, mload(add(k, 0x60))) } {
                        let acc := group(k, blk)
                        switch mload(add(k, 0x120))
                        case 0 {
                            emit(acc, k, at)
                            at := add(at, 8)
                        }
                        default {
                            mstore(at, acc)
                            at := add(at, 0x20)
                        }
                    }
                    output := add(output, mload(add(layer, F_OUTC)))
                }
            }
        }
    }

    /// @dev The constants of a conv2d or dense layer's loop: [shift, saturation constant, keep mask, block bytes, end
    /// of the blocks, weight step per row, input step per row, input, layer, is output]. z⁺ ≥ 256·2^shift ⇔ bit 31
    /// of z⁺ + 2^31 − 256·2^shift (z⁺ < 2^31: nothing saturates from shift 23 on); the keep mask clears the low
    /// `shift` bits of every lane so the word-wide shift moves no bits between lanes. Slots 10–15 are the loop's
    /// per-row and per-column window state.
    function _constants(Layer memory layer, uint256 region, uint256 input, bool isOutput)
        private
        pure
        returns (uint256[16] memory k)
    {
        uint256 shift = layer.shift;
        uint256 blockBytes = 32 * (1 + layer.kh * layer.kw * layer.inC);
        k[0] = shift;
        k[1] = shift < 23 ? LANE_ONES * (LANE_HALF - (uint256(1) << (shift + 8))) : 0;
        k[2] = ~(LANE_ONES * ((uint256(1) << shift) - 1));
        k[3] = blockBytes;
        k[4] = region + ((layer.outC + 7) >> 3) * blockBytes;
        k[5] = 32 * layer.kw * layer.inC;
        k[6] = layer.inW * layer.inC;
        k[7] = input;
        uint256 at;
        assembly ("memory-safe") {
            at := layer
        }
        k[8] = at;
        k[9] = isOutput ? 1 : 0;
    }

    /// @dev The output dense layer: its lane words, then the argmax over their lanes (z + 2^31 > 0; padding lanes
    /// hold 0 and never win), ties to the lowest index.
    function _outputLayer(Layer memory layer, uint256 region, uint256 input, uint256 scratch)
        private
        pure
        returns (uint256 arg)
    {
        _convLayer(layer, region, input, scratch, true);
        uint256 groups = (layer.outC + 7) >> 3;
        uint256 best;
        for (uint256 g; g < groups; ++g) {
            uint256 acc;
            assembly ("memory-safe") {
                acc := mload(add(scratch, shl(5, g)))
            }
            for (uint256 j; j < 8; ++j) {
                uint256 v = (acc >> (224 - 32 * j)) & 0xffffffff;
                if (v > best) (best, arg) = (v, 8 * g + j);
            }
        }
    }

    /// @dev maxpool or avgpool (floor of the window sum over kh·kw) from `input` to `output`, per byte.
    function _poolLayer(Layer memory layer, uint256 input, uint256 output) private pure {
        assembly ("memory-safe") {
            let c := mload(add(layer, F_INC))
            let rowBytes := mul(mload(add(layer, F_INW)), c)
            // A window: kh rows of kw·c bytes, rowBytes apart; one channel's values are c bytes apart in a row.
            let window := mul(mload(add(layer, F_KH)), rowBytes)
            let span := mul(mload(add(layer, F_KW)), c)
            let isMax := eq(mload(layer), KIND_MAXPOOL)
            for { let oy := 0 } lt(oy, mload(add(layer, F_OUTH))) { oy := add(oy, 1) } {
                for { let ox := 0 } lt(ox, mload(add(layer, F_OUTW))) { ox := add(ox, 1) } {
                    let corner := add(input, mul(add(mul(mul(oy, mload(add(layer, F_SH))), mload(add(layer, F_INW))), mul(ox, mload(add(layer, F_SW)))), c))
                    for { let ch := 0 } lt(ch, c) { ch := add(ch, 1) } {
                        let acc := 0
                        switch isMax
                        case 1 {
                            for { let r := add(corner, ch) } lt(r, add(add(corner, ch), window)) { r := add(r, rowBytes) } {
                                for { let p := r let end := add(r, span) } lt(p, end) { p := add(p, c) } {
                                    let v := byte(0, mload(p))
                                    if gt(v, acc) { acc := v }
                                }
                            }
                        }
                        default {
                            for { let r := add(corner, ch) } lt(r, add(add(corner, ch), window)) { r := add(r, rowBytes) } {
                                for { let p := r let end := add(r, span) } lt(p, end) { p := add(p, c) } {
                                    acc := add(acc, byte(0, mload(p)))
                                }
                            }
                            // avgpool: the floor of the window sum over kh·kw.
                            acc := div(acc, mul(mload(add(layer, F_KH)), mload(add(layer, F_KW))))
                        }
                        mstore8(output, acc)
                        output := add(output, 1)
                    }
                }
            }
        }
    }
}
