// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Stage} from "./IDankuCompetition.sol";
import {DankuCompetitionState} from "./DankuCompetitionState.sol";
import {DankuEvaluator} from "./DankuEvaluator.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuRevealModule
/// @notice The reveals of a DanKu competition (docs/protocol.md §2, §4.1, §5): test and training groups checked
/// against their committed hashes, sizes and labels, models against their commitments and the model format, and
/// the verified bytes stored as data contracts. Its code runs only by DELEGATECALL from {DankuCompetition}, which
/// creates this module in its constructor and forwards the three reveal calls to it unchanged, so state, events,
/// errors, `msg.sender` and the data contracts' creator are the competition's, exactly as if the code were its own.
/// @dev Split off the competition to keep it well below EIP-170's 24,576 bytes. It declares no state variables (the
/// layout is {DankuCompetitionState}'s) and calls no other contract: the only code it runs besides its own is the
/// fixed init code of the data contracts it creates (BlobStore). Called directly, every function reverts.
contract DankuRevealModule is DankuCompetitionState {
    using SafeCast for uint256;

    /// @dev This module's own address: a call that runs here outside a DELEGATECALL has `address(this) == _self`.
    address private immutable _self;

    /// @notice A reveal function was called on the module itself rather than through a competition.
    error OnlyDelegateCall();

    constructor() {
        _self = address(this);
    }

    /// @dev Reveals change a competition's storage; on the module itself there is no competition to change.
    modifier onlyDelegateCall() {
        if (address(this) == _self) revert OnlyDelegateCall();
        _;
    }

    // =================================================================== data reveals

    /// @notice Reveals training groups (TrainingReveal stage). Anyone may call: each group is checked against its
    /// committed hash, its length and its labels; only verified bytes are stored.
    /// @param groupIndices Training group indices, each not yet revealed.
    /// @param groupPoints The groups' point bytes (F feature bytes + 1 label byte per point).
    /// @param nonces The groups' 32-byte nonces.
    function revealTrainingGroups(
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) external onlyDelegateCall {
        _requireStage(Stage.TrainingReveal);
        _reveal(true, groupIndices, groupPoints, nonces);
    }

    /// @notice Reveals test groups (TestReveal stage, after the model reveal has ended). Same checks as training.
    /// @param groupIndices Test group indices, each not yet revealed.
    /// @param groupPoints The groups' point bytes.
    /// @param nonces The groups' 32-byte nonces.
    function revealTestGroups(
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) external onlyDelegateCall {
        _requireStage(Stage.TestReveal);
        _reveal(false, groupIndices, groupPoints, nonces);
    }

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
    uint256 private constant CTX_SIZE = 0x2a0;
    uint256 private constant ERR_RANGE = 1;
    uint256 private constant ERR_KIND = 2;
    uint256 private constant ERR_REPEAT = 3;
    uint256 private constant ERR_LENGTH = 4;
    uint256 private constant ERR_HASH = 5;
    uint256 private constant ERR_LABEL = 6;
    uint256 private constant ERR_SIZE = 7;
    uint256 private constant ERR_MALFORMED = 8;

    function _reveal(
        bool training,
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) private {
        uint256 count = groupIndices.length;
        if (count == 0 || groupPoints.length != count || nonces.length != count) {
            revert BadRevealArrays(count, groupPoints.length, nonces.length);
        }
        uint256 ctx = _revealContext(training);
        // 32 bytes of writer scratch before the data (BlobStore); {_verifyGroups} reserves the rest.
        uint256 data = _alloc(32) + 32;
        uint256 end = _verifyGroups(ctx, groupIndices, groupPoints, nonces, data);
        _failOnError(ctx);

        uint256 words = (_state.groupCount + 255) >> 8;
        for (uint256 w; w < words; ++w) {
            uint256 bits;
            assembly ("memory-safe") {
                bits := mload(add(ctx, add(CTX_REVEALED, shl(5, w))))
            }
            if (bits != _revealedBitmap[w]) _revealedBitmap[w] = bits;
        }
        uint256 pointSize = uint256(_config.featureCount) + 1;
        uint256 newPoints = (end - data) / pointSize;
        _storeChunks(training, data, newPoints, pointSize);
        emit GroupsRevealed(training, groupIndices, newPoints);
        _recordReveal(training, count, newPoints);
    }

    /// @dev Builds the reveal working set (layout above) and returns its memory address.
    function _revealContext(bool training) private view returns (uint256 ctx) {
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
    ) private view returns (uint256 end) {
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
                pos := add(pos, len)
            }
            // Free memory starts right after what was written (the points and the nonce word after them).
            mstore(0x40, and(add(pos, 63), not(31)))
        }
        return pos;
    }

    /// @dev Reverts with the custom error recorded by {_verifyGroups}, if any.
    function _failOnError(uint256 ctx) private pure {
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
    function _recordReveal(bool training, uint256 groups, uint256 newPoints) private {
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

    /// @dev Stores `pointTotal` verified points at memory `data` as data contracts of whole points.
    function _storeChunks(bool training, uint256 data, uint256 pointTotal, uint256 pointSize) private {
        mapping(uint256 => DataChunk) storage chunks = training ? _trainingChunks : _testChunks;
        uint256 index = training ? _trainingChunkCount : _testChunkCount;
        uint256 start = training ? _state.trainingPoints : _state.testPoints;
        uint256 perChunk = BlobStore.MAX_CHUNK / pointSize;
        for (uint256 done; done < pointTotal; done += perChunk) {
            uint256 n = pointTotal - done < perChunk ? pointTotal - done : perChunk;
            address pointer = BlobStore.writeMemory(data + done * pointSize, n * pointSize);
            chunks[index] = DataChunk({pointer: pointer, pointCount: uint32(n), start: (start + done).toUint32()});
            emit DataChunkStored(training, index, pointer, n);
            ++index;
        }
        if (training) _trainingChunkCount = index.toUint16();
        else _testChunkCount = index.toUint16();
    }

    /// @notice Reveals a committed model during the ModelReveal stage; only the committer may call. The model is
    /// validated completely (docs/protocol.md §4.1) and stored; an invalid model is rejected.
    /// @param submissionId The id returned by `commitModel`.
    /// @param model The encoded model.
    /// @param salt The 32-byte salt used in the commitment.
    function revealModel(uint256 submissionId, bytes calldata model, bytes32 salt) external onlyDelegateCall {
        _requireStage(Stage.ModelReveal);
        SubmissionRecord storage s = _submission(submissionId);
        if (s.submitter != msg.sender) revert NotSubmitter(msg.sender, s.submitter);
        if (s.revealed) revert AlreadyRevealed(submissionId);
        bytes32 modelHash = keccak256(model);
        if (keccak256(abi.encode(address(this), msg.sender, modelHash, salt)) != s.commitment) {
            revert CommitmentMismatch(submissionId);
        }
        DankuEvaluator.validate(model, _config.featureCount, _config.classCount);

        uint256 len = model.length;
        uint256 data = _alloc(len + 32) + 32;
        assembly ("memory-safe") {
            calldatacopy(data, model.offset, len)
        }
        s.model = BlobStore.writeMemory(data, len < BlobStore.MAX_CHUNK ? len : BlobStore.MAX_CHUNK);
        for (uint256 at = BlobStore.MAX_CHUNK; at < len; at += BlobStore.MAX_CHUNK) {
            _extraModelChunks[submissionId].push(
                BlobStore.writeMemory(data + at, len - at < BlobStore.MAX_CHUNK ? len - at : BlobStore.MAX_CHUNK)
            );
        }
        s.revealed = true;
        s.modelHash = modelHash;
        ++_revealedBy[msg.sender];
        Commitments memory cm = _committed;
        if (cm.revealedSubmissions == 0) _committed.firstRevealer = msg.sender;
        _committed.revealedSubmissions = cm.revealedSubmissions + 1;
        emit ModelRevealed(submissionId, msg.sender, modelHash);
    }
}
