// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDankuCompetition, Stage, CompetitionConfig} from "./IDankuCompetition.sol";

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

    /// @dev Reserves `size` bytes of memory (rounded up to whole words) and returns their start.
    function _alloc(uint256 size) internal pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }
}
