// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuConfig} from "./DankuConfig.sol";
import {BlobStore} from "./BlobStore.sol";
import {IDankuCompetition, Stage, CompetitionConfig, EvaluationMode, ClaimTerms, TestRoot, ScoreClaim} from "./IDankuCompetition.sol";

/// @title DankuCompetitionState
/// @notice The storage of a DanKu competition and the few rules every part of it reads (the stage, the seed block).
/// Inherited by {DankuCompetition} and by {DankuRevealModule}, which runs by DELEGATECALL in the competition's
/// context: both see exactly this layout because neither declares a state variable of its own.
/// @dev Only constants, structs, state variables and internal helpers live here. A contract that derives from this
/// one must not declare state variables (immutables and constants are fine: they live in code).
abstract contract DankuCompetitionState is IDankuCompetition {
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

    address internal _organizer;
    uint64 internal _init1Block;
    uint16 internal _trainingChunkCount;
    uint16 internal _testChunkCount;
    CompetitionConfig internal _config;
    State internal _state;
    Best internal _best;
    address internal _winner;
    uint256 internal _reward;
    uint256 internal _totalDonations;
    bytes32 internal _groupHashesDigest;
    address[] internal _hashChunks;
    uint256[4] internal _trainingBitmap;
    uint256[4] internal _revealedBitmap;
    mapping(uint256 index => DataChunk) internal _trainingChunks;
    mapping(uint256 index => DataChunk) internal _testChunks;
    SubmissionRecord[] internal _submissions;
    mapping(uint256 submissionId => address[] chunks) internal _extraModelChunks;
    mapping(address donor => uint256 amount) internal _donations;
    mapping(address donor => bool refunded) internal _donationRefunded;
    string internal _metadataCid;
    Commitments internal _committed;
    mapping(address submitter => uint256 count) internal _revealedBy;
    mapping(address submitter => bool claimed) internal _shareClaimed;
    // Claim mode (docs/protocol.md §11): appended, so the layout above is unchanged.
    EvaluationMode internal _evaluationMode;
    ClaimTerms internal _claimTerms;
    TestRoot[] internal _testRoots;
    ScoreClaim[] internal _claims;
    /// @dev Claim bonds owed (returned to surviving claimants, won by challengers), pulled through `withdraw`.
    mapping(address account => uint256 amount) internal _bondCredits;
    // Claim mode's full evaluation (docs/protocol.md §11.9): appended. Per submission, which test roots were
    // evaluated (bit r of word r >> 8); the points and correct predictions so far live in the record's `cursor` and
    // `correct`, as in the on-chain mode. The account whose call completed the evaluation (zero until then).
    mapping(uint256 submissionId => mapping(uint256 word => uint256 bits)) internal _evaluatedRoots;
    mapping(uint256 submissionId => address evaluator) internal _fullEvaluator;

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

    function _seedBlock() internal view returns (uint256) {
        return uint256(_init1Block) + _config.splitDelay;
    }

    function _requireStage(Stage required) internal view {
        Stage current = _stage();
        if (current != required) revert WrongStage(current, required);
    }

    function _submission(uint256 submissionId) internal view returns (SubmissionRecord storage) {
        if (submissionId >= _submissions.length) revert UnknownSubmission(submissionId, _submissions.length);
        return _submissions[submissionId];
    }

    /// @dev init1 of both modes (docs/protocol.md §1, §11): validates the configuration and the committed sizes
    /// (the evaluation-fits rule of §7.2 in the on-chain mode, the claim-mode point bound otherwise), takes the
    /// reward and stores the group records.
    function _init1(
        address organizer_,
        CompetitionConfig calldata config_,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid_,
        bool claimMode
    ) internal returns (uint256 nTrain, uint256 totalPoints) {
        if (msg.value == 0) revert ZeroReward();
        nTrain = DankuConfig.validate(config_, groupHashes.length);
        totalPoints = DankuConfig.validateGroupSizes(config_, groupHashes.length, groupPointCounts, claimMode);
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

    /// @dev Records a complete score (a finished `evaluate` or a settled claim, docs/protocol.md §7, §11): the
    /// submission is evaluated, qualifies with correct / total ≥ minAccuracyBps, and becomes the best if it beats it
    /// (ties go to the lower id).
    function _recordEvaluated(SubmissionRecord storage s, uint256 submissionId, uint256 correct, uint256 total) internal {
        s.evaluated = true;
        s.correct = uint32(correct);
        bool qualified = correct * 10_000 >= uint256(_config.minAccuracyBps) * total;
        Best memory b = _best;
        bool newBest = qualified && (!b.exists || correct > b.correct || (correct == b.correct && submissionId < b.id));
        if (newBest) _best = Best({exists: true, id: uint64(submissionId), correct: uint32(correct)});
        emit SubmissionEvaluated(submissionId, correct, total, qualified, newBest);
    }

    function _modelChunksOf(uint256 submissionId) internal view returns (address[] memory chunks) {
        address first = _submission(submissionId).model;
        if (first == address(0)) return chunks;
        address[] storage extra = _extraModelChunks[submissionId];
        chunks = new address[](1 + extra.length);
        chunks[0] = first;
        for (uint256 i; i < extra.length; ++i) chunks[i + 1] = extra[i];
    }

    /// @dev Reserves `size` bytes of memory (rounded up to whole words) and returns their start.
    function _alloc(uint256 size) internal pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }
}
