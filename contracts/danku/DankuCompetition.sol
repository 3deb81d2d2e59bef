// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {
    IDankuCompetition, Stage, CompetitionConfig, CompetitionSummary, Deadlines, Submission
} from "./IDankuCompetition.sol";
import {DankuConfig} from "./DankuConfig.sol";
import {DankuEvaluator} from "./DankuEvaluator.sol";
import {DankuEvaluatorEngine} from "./DankuEvaluatorEngine.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuCompetition
/// @notice One DanKu machine-learning competition (docs/protocol.md): hashed data groups committed at creation,
/// a train/test split drawn from the creation block's hash, training data revealed, models committed and
/// revealed, test data revealed, models evaluated on chain, the best qualified model paid. Deployed as an
/// EIP-1167 clone by {CompetitionFactory}, which initializes it in the same transaction (init1).
/// @dev Revealed data and models are stored as contract code (BlobStore); group hashes too. All payouts are
/// pulled. No function's behaviour depends on `gasleft()`.
contract DankuCompetition is IDankuCompetition, Initializable, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @notice A committed group record: its hash (32 bytes) and its point count (uint32, big-endian).
    uint256 internal constant GROUP_RECORD_SIZE = 36;
    /// @notice Group records per data contract (682 · 36 bytes ≤ BlobStore.MAX_CHUNK).
    uint256 internal constant RECORDS_PER_CHUNK = 682;

    /// @dev One data contract of revealed points: whole points only.
    struct DataChunk {
        address pointer;
        uint32 pointCount;
        uint32 start;
    }

    /// @dev Storage form of a submission (4 slots). `model` is the first data contract of the revealed model;
    /// models longer than one data contract continue in `_extraModelChunks`.
    struct SubmissionRecord {
        address submitter;
        uint64 commitBlock;
        bool revealed;
        bool evaluated;
        bytes32 commitment;
        bytes32 modelHash;
        address model;
        uint32 cursor;
        uint32 correct;
        uint32 chunkIndex;
    }

    /// @dev Lifecycle flags and counters, packed into one slot.
    struct State {
        uint16 groupCount;
        uint16 trainingGroupCount;
        uint16 revealedTrainingGroups;
        uint16 revealedTestGroups;
        uint32 trainingPoints;
        uint32 testPoints;
        uint64 trainingCompletedBlock;
        bool splitDone;
        bool testCompleted;
        bool finalized;
        bool cancelled;
        bool hasWinner;
        bool payoutClaimed;
    }

    /// @dev What the creation committed to beyond the hashes, and the outcomes that take the organizer's choice away.
    struct Commitments {
        uint32 totalPoints;
        uint32 trainingPoints;
        uint32 testPoints;
        uint32 revealedSubmissions;
        address firstRevealer;
        bool rewardForfeited;
        bool testWithheld;
    }

    /// @dev The best evaluated submission so far.
    struct Best {
        bool exists;
        uint64 id;
        uint32 correct;
    }

    /// @notice The factory that deployed this implementation; the only account allowed to initialize clones.
    address public immutable factory;
    /// @notice The stateless forward-pass engine every evaluation calls.
    DankuEvaluatorEngine public immutable evaluator;

    address private _organizer;
    uint64 private _init1Block;
    uint16 private _trainingChunkCount;
    uint16 private _testChunkCount;
    CompetitionConfig private _config;
    State private _state;
    Best private _best;
    address private _winner;
    uint256 private _reward;
    uint256 private _totalDonations;
    bytes32 private _groupHashesDigest;
    address[] private _hashChunks;
    uint256[4] private _trainingBitmap;
    uint256[4] private _revealedBitmap;
    mapping(uint256 index => DataChunk) private _trainingChunks;
    mapping(uint256 index => DataChunk) private _testChunks;
    SubmissionRecord[] private _submissions;
    mapping(uint256 submissionId => address[] chunks) private _extraModelChunks;
    mapping(address donor => uint256 amount) private _donations;
    mapping(address donor => bool refunded) private _donationRefunded;
    string private _metadataCid;
    Commitments private _committed;
    mapping(address submitter => uint256 count) private _revealedBy;
    mapping(address submitter => bool claimed) private _shareClaimed;

    /// @param evaluator_ The forward-pass engine (deployed by the factory).
    constructor(DankuEvaluatorEngine evaluator_) {
        factory = msg.sender;
        evaluator = evaluator_;
        _disableInitializers();
    }

    // =================================================================== init1

    /// @notice init1: called once by the factory right after cloning. Commits the group hashes and takes the reward.
    /// @param organizer_ The account that created the competition.
    /// @param config_ Periods and dataset shape; validated against docs/protocol.md §1.
    /// @param groupHashes keccak256(points ‖ nonce) of every data group, in order.
    /// @param groupPointCounts The number of points of every group, in order: a reveal of another size reverts.
    /// @param metadataCid_ Content identifier of the off-chain metadata (feature mappings, class names…).
    /// @return nTrain The number of training groups.
    /// @return totalPoints The number of points of all groups.
    function initialize(
        address organizer_,
        CompetitionConfig calldata config_,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid_
    ) external payable initializer returns (uint256 nTrain, uint256 totalPoints) {
        if (msg.sender != factory) revert NotFactory(msg.sender, factory);
        if (msg.value == 0) revert ZeroReward();
        nTrain = DankuConfig.validate(config_, groupHashes.length);
        totalPoints = DankuConfig.validateGroupSizes(config_, groupHashes.length, groupPointCounts);
        _committed.totalPoints = uint32(totalPoints);
        _organizer = organizer_;
        _init1Block = uint64(block.number);
        _config = config_;
        _reward = msg.value;
        _state.groupCount = uint16(groupHashes.length);
        _state.trainingGroupCount = uint16(nTrain);
        _metadataCid = metadataCid_;

        _storeGroupRecords(groupHashes, groupPointCounts);
    }

    /// @dev Stores the group records (hash ‖ uint32 count) as data contracts and the digest of the hashes.
    function _storeGroupRecords(bytes32[] calldata groupHashes, uint32[] calldata groupPointCounts) private {
        uint256 groups = groupHashes.length;
        bytes32 digest;
        assembly ("memory-safe") {
            let scratch := mload(0x40)
            calldatacopy(scratch, groupHashes.offset, shl(5, groups))
            digest := keccak256(scratch, shl(5, groups))
        }
        _groupHashesDigest = digest;
        // Records (hash ‖ uint32 count), written front to back: each count's word is overwritten by the next hash.
        uint256 bytesTotal = groups * GROUP_RECORD_SIZE;
        uint256 buf = _alloc(64 + bytesTotal) + 32;
        for (uint256 g; g < groups; ++g) {
            bytes32 h = groupHashes[g];
            uint256 n = groupPointCounts[g];
            assembly ("memory-safe") {
                let at := add(buf, mul(g, GROUP_RECORD_SIZE))
                mstore(at, h)
                mstore(add(at, 32), shl(224, n))
            }
        }
        for (uint256 at; at < bytesTotal; at += RECORDS_PER_CHUNK * GROUP_RECORD_SIZE) {
            uint256 len = bytesTotal - at < RECORDS_PER_CHUNK * GROUP_RECORD_SIZE
                ? bytesTotal - at
                : RECORDS_PER_CHUNK * GROUP_RECORD_SIZE;
            _hashChunks.push(BlobStore.writeMemory(buf + at, len));
        }
    }

    // =================================================================== init2

    /// @notice init2: fixes the train/test split from the hash of the seed block init1Block + splitDelay
    /// (docs/protocol.md §3). Anyone may call it in blocks seedBlock+1 … seedBlock+init2Window; the caller cannot
    /// influence the result. From the seed block on, backing out forfeits the reward (see {cancel}).
    function selectTrainingGroups() external {
        _requireStage(Stage.AwaitingSplit);
        uint256 seedBlock = _seedBlock();
        if (block.number <= seedBlock) revert SplitTooEarly(block.number, seedBlock + 1);
        uint256 groups = _state.groupCount;
        uint256 nTrain = _state.trainingGroupCount;
        bytes32 seed = keccak256(abi.encode(blockhash(seedBlock), address(this), _groupHashesDigest));
        address[] memory hashChunks = _hashChunks;
        uint256 trainingPoints;
        uint256[] memory order = new uint256[](groups);
        for (uint256 g; g < groups; ++g) order[g] = g;
        uint256[4] memory bitmap;
        for (uint256 t; t < nTrain; ++t) {
            uint256 j = t + (uint256(keccak256(abi.encode(seed, t))) % (groups - t));
            uint256 chosen = order[j];
            order[j] = order[t];
            order[t] = chosen;
            bitmap[chosen >> 8] |= 1 << (chosen & 255);
            trainingPoints += _groupPointCount(hashChunks, chosen);
        }
        _committed.trainingPoints = uint32(trainingPoints);
        _committed.testPoints = uint32(_committed.totalPoints - trainingPoints);
        for (uint256 w; w < 4; ++w) {
            if (bitmap[w] != 0) _trainingBitmap[w] = bitmap[w];
        }
        _state.splitDone = true;
        emit TrainingGroupsSelected(seed, nTrain);
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
    ) external {
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
    ) external {
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

    function _groupHash(address[] memory hashChunks, uint256 g) private view returns (bytes32 h) {
        address pointer = hashChunks[g / RECORDS_PER_CHUNK];
        assembly ("memory-safe") {
            extcodecopy(pointer, 0, add(1, mul(mod(g, RECORDS_PER_CHUNK), GROUP_RECORD_SIZE)), 32)
            h := mload(0)
        }
    }

    function _groupPointCount(address[] memory hashChunks, uint256 g) private view returns (uint256 n) {
        address pointer = hashChunks[g / RECORDS_PER_CHUNK];
        assembly ("memory-safe") {
            extcodecopy(pointer, 0, add(33, mul(mod(g, RECORDS_PER_CHUNK), GROUP_RECORD_SIZE)), 4)
            n := shr(224, mload(0))
        }
    }

    // =================================================================== submissions

    /// @notice Commits to a model during the Submission stage.
    /// @param commitment keccak256(abi.encode(address(this), msg.sender, keccak256(model), salt)).
    /// @return submissionId The new submission's id (0, 1, 2, … in commit order).
    function commitModel(bytes32 commitment) external returns (uint256 submissionId) {
        _requireStage(Stage.Submission);
        submissionId = _submissions.length;
        _submissions.push(
            SubmissionRecord({
                submitter: msg.sender,
                commitBlock: uint64(block.number),
                revealed: false,
                evaluated: false,
                commitment: commitment,
                modelHash: bytes32(0),
                model: address(0),
                cursor: 0,
                correct: 0,
                chunkIndex: 0
            })
        );
        emit ModelCommitted(submissionId, msg.sender, commitment);
    }

    /// @notice Reveals a committed model during the ModelReveal stage; only the committer may call. The model is
    /// validated completely (docs/protocol.md §4.1) and stored; an invalid model is rejected.
    /// @param submissionId The id returned by `commitModel`.
    /// @param model The encoded model.
    /// @param salt The 32-byte salt used in the commitment.
    function revealModel(uint256 submissionId, bytes calldata model, bytes32 salt) external {
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

    // =================================================================== evaluation

    /// @notice Evaluates up to `maxPoints` more points of a revealed submission on the test data (Evaluation stage;
    /// anyone may call). Without a complete test reveal there is no evaluation (`TestDataWithheld`, §7.1).
    /// Deterministic: the work done depends only on `maxPoints` and state, never on the gas left.
    /// @param submissionId The submission to advance.
    /// @param maxPoints Upper bound on points processed in this call (> 0).
    function evaluate(uint256 submissionId, uint256 maxPoints) external {
        _requireStage(Stage.Evaluation);
        if (maxPoints == 0) revert ZeroMaxPoints();
        SubmissionRecord storage s = _submission(submissionId);
        if (!s.revealed) revert NotRevealed(submissionId);
        if (s.evaluated) revert AlreadyEvaluated(submissionId);
        if (!_state.testCompleted) revert TestDataWithheld();

        uint256 total = _state.testPoints;
        (uint256 cursor, uint256 correct, uint256 chunkIndex) =
            _run(submissionId, _testChunks, s.cursor, s.correct, s.chunkIndex, total, maxPoints);
        s.cursor = uint32(cursor);
        s.correct = uint32(correct);
        s.chunkIndex = uint32(chunkIndex);
        emit EvaluationProgressed(submissionId, cursor, correct);
        if (cursor == total) {
            s.evaluated = true;
            bool qualified = correct * 10_000 >= uint256(_config.minAccuracyBps) * total;
            Best memory b = _best;
            bool newBest = qualified && (!b.exists || correct > b.correct || (correct == b.correct && submissionId < b.id));
            if (newBest) _best = Best({exists: true, id: uint64(submissionId), correct: uint32(correct)});
            emit SubmissionEvaluated(submissionId, correct, total, qualified, newBest);
        }
    }

    /// @dev Runs the model of `submissionId` on up to `maxPoints` points from `cursor` on, through the evaluator
    /// engine; returns the new progress.
    function _run(
        uint256 submissionId,
        mapping(uint256 => DataChunk) storage chunks,
        uint256 cursor,
        uint256 correct,
        uint256 chunkIndex,
        uint256 total,
        uint256 maxPoints
    ) private view returns (uint256, uint256, uint256) {
        if (maxPoints > total - cursor) maxPoints = total - cursor;
        // Count the data contracts this call touches, then describe the points to take from each.
        uint256 sliceCount;
        for (uint256 left = maxPoints; left != 0; ++sliceCount) {
            DataChunk memory c = chunks[chunkIndex + sliceCount];
            uint256 available = c.pointCount - (sliceCount == 0 ? cursor - c.start : 0);
            left -= available < left ? available : left;
        }
        DankuEvaluatorEngine.Slice[] memory slices = new DankuEvaluatorEngine.Slice[](sliceCount);
        for (uint256 i; i < sliceCount; ++i) {
            DataChunk memory c = chunks[chunkIndex];
            uint256 offset = cursor - c.start;
            uint256 take = c.pointCount - offset;
            if (take > maxPoints) take = maxPoints;
            slices[i] = DankuEvaluatorEngine.Slice({pointer: c.pointer, firstPoint: offset, points: take});
            cursor += take;
            maxPoints -= take;
            if (offset + take == c.pointCount) ++chunkIndex;
        }
        correct += evaluator.evaluate(_modelChunksOf(submissionId), slices, uint256(_config.featureCount) + 1);
        return (cursor, correct, chunkIndex);
    }

    // =================================================================== money

    /// @notice Donations: plain ETH transfers add to the prize pool until finalization or cancellation.
    receive() external payable {
        Stage current = _stage();
        if (current == Stage.Finalized || current == Stage.Cancelled || current == Stage.SetupExpired) {
            revert DonationsClosed(current);
        }
        if (msg.value == 0) revert ZeroDonation();
        _donations[msg.sender] += msg.value;
        uint256 total = _totalDonations + msg.value;
        _totalDonations = total;
        emit DonationReceived(msg.sender, msg.value, total);
    }

    /// @notice Ends the competition once evaluation is over (anyone). Without a qualified submission, refunds open.
    function finalize() external {
        _requireStage(Stage.AwaitingFinalization);
        _state.finalized = true;
        Best memory b = _best;
        if (b.exists) {
            address winner_ = _submissions[b.id].submitter;
            _winner = winner_;
            _state.hasWinner = true;
            emit Finalized(true, b.id, winner_, _reward + _totalDonations);
        } else {
            uint256 revealed = _committed.revealedSubmissions;
            if (!_state.testCompleted && revealed != 0) {
                // The organizer withheld test data: the reward goes to the revealed submissions in equal shares,
                // so withholding can neither pick a winner nor bring the reward back; donors are refunded, so
                // extra submissions (an accomplice's) cannot capture their money either (docs/protocol.md §7.1).
                _committed.testWithheld = true;
                uint256 pool = _reward;
                emit TestWithheldPayout(revealed, pool / revealed, pool);
            }
            emit Finalized(false, 0, address(0), 0);
        }
    }

    /// @notice Cancels the competition: the organizer while the training data is not fully revealed, anyone once
    /// the setup has expired. Refunds open.
    function cancel() external {
        Stage current = _stage();
        if (current == Stage.AwaitingSplit || current == Stage.TrainingReveal) {
            if (msg.sender != _organizer) revert NotOrganizer(msg.sender, _organizer);
        } else if (current != Stage.SetupExpired) {
            revert CancelNotAllowed(current);
        }
        _state.cancelled = true;
        emit Cancelled(msg.sender);
        if (block.number >= _seedBlock()) {
            // The seed block exists: the organizer could see the split, so backing out must cost the reward.
            _committed.rewardForfeited = true;
            emit RewardForfeited(_reward);
        }
    }

    /// @notice Pays everything owed to the caller to the caller.
    function withdraw() external nonReentrant {
        _withdraw(payable(msg.sender));
    }

    /// @notice Pays everything owed to the caller to `recipient` (e.g. when the caller cannot receive ETH).
    /// @param recipient Where the ETH goes; not the zero address.
    function withdrawTo(address payable recipient) external nonReentrant {
        if (recipient == address(0)) revert ZeroRecipient();
        _withdraw(recipient);
    }

    function _withdraw(address payable recipient) private {
        uint256 amount = withdrawable(msg.sender);
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        if (_state.hasWinner) {
            _state.payoutClaimed = true;
        } else if (_committed.testWithheld) {
            _shareClaimed[msg.sender] = true;
            _donationRefunded[msg.sender] = true;
        } else {
            if (msg.sender == _organizer) _state.payoutClaimed = true;
            _donationRefunded[msg.sender] = true;
        }
        emit Withdrawn(msg.sender, recipient, amount);
        Address.sendValue(recipient, amount);
    }

    /// @notice What `account` may withdraw now: the winner `reward + totalDonations` after a finalization with a
    /// winner; after a withheld test reveal each revealed submission's share of the reward and every donor their
    /// donations; in refund mode
    /// (cancelled, or finalized without winner) the organizer the reward (unless forfeited) and every donor
    /// their donations.
    function withdrawable(address account) public view returns (uint256 amount) {
        State memory st = _state;
        if (st.hasWinner) {
            return account == _winner && !st.payoutClaimed ? _reward + _totalDonations : 0;
        }
        Commitments memory cm = _committed;
        if (cm.testWithheld) {
            if (!_shareClaimed[account]) {
                uint256 pool = _reward;
                amount = (pool / cm.revealedSubmissions) * _revealedBy[account];
                if (account == cm.firstRevealer) amount += pool % cm.revealedSubmissions;
            }
            if (!_donationRefunded[account]) amount += _donations[account];
            return amount;
        }
        if (!st.cancelled && !st.finalized) return 0;
        if (account == _organizer && !st.payoutClaimed && !cm.rewardForfeited) amount = _reward;
        if (!_donationRefunded[account]) amount += _donations[account];
    }

    // =================================================================== views

    /// @notice The current stage (docs/protocol.md §6).
    function stage() external view returns (Stage) {
        return _stage();
    }

    /// @notice The account that created the competition.
    function organizer() external view returns (address) {
        return _organizer;
    }

    /// @notice The organizer's reward (wei).
    function reward() external view returns (uint256) {
        return _reward;
    }

    /// @notice Sum of all donations (wei).
    function totalDonations() external view returns (uint256) {
        return _totalDonations;
    }

    /// @notice What `donor` has donated in total (wei).
    function donationOf(address donor) external view returns (uint256) {
        return _donations[donor];
    }

    /// @notice The configuration fixed at creation.
    function config() external view returns (CompetitionConfig memory) {
        return _config;
    }

    /// @notice Content identifier of the competition's metadata.
    function metadataCid() external view returns (string memory) {
        return _metadataCid;
    }

    /// @notice Number of committed data groups.
    function groupCount() external view returns (uint256) {
        return _state.groupCount;
    }

    /// @notice Number of training groups (floor(G · trainingBps / 10000)).
    function trainingGroupCount() external view returns (uint256) {
        return _state.trainingGroupCount;
    }

    /// @notice keccak256(abi.encodePacked(groupHashes)), part of the split seed.
    function groupHashesDigest() external view returns (bytes32) {
        return _groupHashesDigest;
    }

    /// @notice The committed hash of group `g`.
    function groupHashAt(uint256 g) external view returns (bytes32) {
        if (g >= _state.groupCount) revert GroupOutOfRange(g, _state.groupCount);
        return _groupHash(_hashChunks, g);
    }

    /// @notice The committed number of points of group `g`.
    function groupPointCountAt(uint256 g) external view returns (uint256) {
        if (g >= _state.groupCount) revert GroupOutOfRange(g, _state.groupCount);
        return _groupPointCount(_hashChunks, g);
    }

    /// @notice The block whose hash seeds the split: init1Block + splitDelay.
    function splitSeedBlock() external view returns (uint256) {
        return _seedBlock();
    }

    /// @notice Whether group `g` is a training group (false before the split).
    function isTrainingGroup(uint256 g) external view returns (bool) {
        if (g >= _state.groupCount) revert GroupOutOfRange(g, _state.groupCount);
        return _trainingBitmap[g >> 8] & (1 << (g & 255)) != 0;
    }

    /// @notice Whether group `g` has been revealed.
    function isGroupRevealed(uint256 g) external view returns (bool) {
        if (g >= _state.groupCount) revert GroupOutOfRange(g, _state.groupCount);
        return _revealedBitmap[g >> 8] & (1 << (g & 255)) != 0;
    }

    /// @notice The creation block (init1).
    function init1Block() external view returns (uint256) {
        return _init1Block;
    }

    /// @notice Whether init2 has fixed the split.
    function splitDone() external view returns (bool) {
        return _state.splitDone;
    }

    /// @notice Block in which the last training group was revealed (0 before).
    function trainingCompletedBlock() external view returns (uint256) {
        return _state.trainingCompletedBlock;
    }

    /// @notice Whether every test group has been revealed.
    function testCompleted() external view returns (bool) {
        return _state.testCompleted;
    }

    /// @notice Whether evaluation uses the test data (all test groups revealed) rather than the training data.
    function usesTestData() external view returns (bool) {
        return _state.testCompleted;
    }

    /// @notice Stage boundaries as block heights; 0 where not yet known.
    function deadlines() external view returns (Deadlines memory) {
        return _deadlines();
    }

    /// @notice The changing state a listing shows, in one call: stage, donations, deadlines, submissions, best score
    /// and the evaluation data's size.
    function summary() external view returns (CompetitionSummary memory s) {
        Best memory b = _best;
        s.stage = _stage();
        s.totalDonations = _totalDonations;
        s.deadlines = _deadlines();
        s.submissionCount = _submissions.length;
        s.bestExists = b.exists;
        s.bestId = b.id;
        s.bestCorrect = b.correct;
        s.usesTestData = _state.testCompleted;
        s.trainingPoints = _state.trainingPoints;
        s.testPoints = _state.testPoints;
        Commitments memory cm = _committed;
        s.totalCommittedPoints = cm.totalPoints;
        s.committedTrainingPoints = cm.trainingPoints;
        s.committedTestPoints = cm.testPoints;
        s.rewardForfeited = cm.rewardForfeited;
        s.testWithheld = cm.testWithheld;
    }

    function _deadlines() private view returns (Deadlines memory d) {
        CompetitionConfig memory c = _config;
        d.splitSeedBlock = _init1Block + c.splitDelay;
        d.init2Deadline = d.splitSeedBlock + c.init2Window;
        d.trainingRevealDeadline = d.init2Deadline + c.trainingRevealPeriod;
        uint64 t = _state.trainingCompletedBlock;
        if (t != 0) {
            d.submissionEnd = t + c.submissionPeriod;
            d.modelRevealEnd = d.submissionEnd + c.modelRevealPeriod;
            d.testRevealEnd = d.modelRevealEnd + c.testRevealPeriod;
            d.evaluationEnd = d.testRevealEnd + c.evaluationPeriod;
        }
    }

    /// @notice Number of data contracts holding revealed training (`training`) or test points.
    function dataChunkCount(bool training) external view returns (uint256) {
        return training ? _trainingChunkCount : _testChunkCount;
    }

    /// @notice Data contract `i` of the training or test data and the number of whole points it holds.
    function dataChunkAt(bool training, uint256 i) external view returns (address pointer, uint256 pointCount_) {
        uint256 count = training ? _trainingChunkCount : _testChunkCount;
        if (i >= count) revert ChunkOutOfRange(i, count);
        DataChunk memory c = training ? _trainingChunks[i] : _testChunks[i];
        return (c.pointer, c.pointCount);
    }

    /// @notice Revealed training (`training`) or test points.
    function pointCount(bool training) external view returns (uint256) {
        return training ? _state.trainingPoints : _state.testPoints;
    }

    /// @notice Number of committed submissions.
    function submissionCount() external view returns (uint256) {
        return _submissions.length;
    }

    /// @notice Submission `submissionId`.
    function submissionAt(uint256 submissionId) external view returns (Submission memory) {
        SubmissionRecord storage s = _submission(submissionId);
        return Submission({
            submitter: s.submitter,
            commitment: s.commitment,
            modelHash: s.modelHash,
            revealed: s.revealed,
            evaluated: s.evaluated,
            cursor: s.cursor,
            correct: s.correct,
            commitBlock: s.commitBlock
        });
    }

    /// @notice Data contracts holding submission `submissionId`'s revealed model, in order (empty before its reveal).
    function modelChunks(uint256 submissionId) external view returns (address[] memory) {
        return _modelChunksOf(submissionId);
    }

    function _modelChunksOf(uint256 submissionId) private view returns (address[] memory chunks) {
        address first = _submission(submissionId).model;
        if (first == address(0)) return chunks;
        address[] storage extra = _extraModelChunks[submissionId];
        chunks = new address[](1 + extra.length);
        chunks[0] = first;
        for (uint256 i; i < extra.length; ++i) chunks[i + 1] = extra[i];
    }

    /// @notice The best evaluated qualified submission so far.
    function best() external view returns (bool exists, uint256 id, uint256 correct) {
        Best memory b = _best;
        return (b.exists, b.id, b.correct);
    }

    /// @notice The winner after finalization (zero address without one).
    function winner() external view returns (address) {
        return _winner;
    }

    /// @notice Whether `finalize()` has run.
    function finalized() external view returns (bool) {
        return _state.finalized;
    }

    /// @notice Whether the organizer forfeited the reward by backing out after the seed block (§3).
    function rewardForfeited() external view returns (bool) {
        return _committed.rewardForfeited;
    }

    /// @notice Whether the competition ended with a withheld test reveal and the pool is shared (§7.1).
    function testWithheld() external view returns (bool) {
        return _committed.testWithheld;
    }

    /// @notice Whether `cancel()` has run.
    function cancelled() external view returns (bool) {
        return _state.cancelled;
    }

    // =================================================================== internals

    function _stage() internal view returns (Stage) {
        State memory st = _state;
        if (st.cancelled) return Stage.Cancelled;
        if (st.finalized) return Stage.Finalized;
        CompetitionConfig memory c = _config;
        uint256 b = block.number;
        uint256 init2Deadline = uint256(_init1Block) + c.splitDelay + c.init2Window;
        if (!st.splitDone) return b <= init2Deadline ? Stage.AwaitingSplit : Stage.SetupExpired;
        if (st.trainingCompletedBlock == 0) {
            return b <= init2Deadline + c.trainingRevealPeriod ? Stage.TrainingReveal : Stage.SetupExpired;
        }
        uint256 submissionEnd = uint256(st.trainingCompletedBlock) + c.submissionPeriod;
        if (b < submissionEnd) return Stage.Submission;
        uint256 modelRevealEnd = submissionEnd + c.modelRevealPeriod;
        if (b < modelRevealEnd) return Stage.ModelReveal;
        uint256 testRevealEnd = modelRevealEnd + c.testRevealPeriod;
        if (b < testRevealEnd && !st.testCompleted) return Stage.TestReveal;
        if (b < testRevealEnd + c.evaluationPeriod) return Stage.Evaluation;
        return Stage.AwaitingFinalization;
    }

    function _seedBlock() private view returns (uint256) {
        return uint256(_init1Block) + _config.splitDelay;
    }

    function _requireStage(Stage required) private view {
        Stage current = _stage();
        if (current != required) revert WrongStage(current, required);
    }

    function _submission(uint256 submissionId) private view returns (SubmissionRecord storage) {
        if (submissionId >= _submissions.length) revert UnknownSubmission(submissionId, _submissions.length);
        return _submissions[submissionId];
    }

    /// @dev Reserves `size` bytes of memory (rounded up to whole words) and returns their start.
    function _alloc(uint256 size) private pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }
}
