// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Stage, EvaluationMode} from "./IDankuCompetition.sol";
import {DankuGroupVerifier} from "./DankuGroupVerifier.sol";
import {DankuEvaluator} from "./DankuEvaluator.sol";
import {DankuCnnEvaluator} from "./DankuCnnEvaluator.sol";
import {DankuLimits} from "./DankuLimits.sol";
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
contract DankuRevealModule is DankuGroupVerifier {
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
        uint256 pointSize = uint256(_config.featureCount) + 1;
        // Claim mode's training data is read by nothing on chain: verified group by group in the reused buffer of
        // the claim-mode verifier and kept in this transaction's calldata only (docs/protocol.md §11.2).
        bool calldataOnly = training && _evaluationMode == EvaluationMode.Claim;
        uint256 ctx = _revealContext(training, calldataOnly);
        uint256 labels;
        if (calldataOnly) {
            labels = _alloc(32 + msg.data.length / pointSize + 32) + 32;
            _setLabelBuffer(ctx, labels);
        }
        // 32 bytes of writer scratch before the data (BlobStore); {_verifyGroups} reserves the rest.
        uint256 data = _alloc(32) + 32;
        uint256 end = _verifyGroups(ctx, groupIndices, groupPoints, nonces, data);
        _failOnError(ctx);

        _storeRevealedBitmap(ctx);
        uint256 newPoints = calldataOnly ? _labelsEnd(ctx) - labels : (end - data) / pointSize;
        if (!calldataOnly) _storeChunks(training, data, newPoints, pointSize);
        emit GroupsRevealed(training, groupIndices, newPoints);
        _recordReveal(training, count, newPoints);
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
    /// validated completely (docs/protocol.md §4.1, docs/cnn.md §3) and, in the on-chain mode, stored; an invalid model
    /// is rejected. The format version byte chooses the validator: 1 (dense) → {DankuEvaluator-validate}, 2
    /// (convolutional) → {DankuCnnEvaluator-validate}, claim mode only ({CnnNeedsClaimMode} otherwise: a full
    /// evaluation of a CNN does not fit the evaluation-fits rule's transactions). In claim mode the bytes are not
    /// stored: the commitment and `modelHash` bind them, they stay in this transaction's calldata, and a dispute passes
    /// them again (docs/protocol.md §11), so dense models may be up to MAX_CLAIM_MODE_MODEL_BYTES long there.
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
        bool claimMode = _evaluationMode == EvaluationMode.Claim;
        if (model.length != 0 && uint8(model[0]) == DankuCnnEvaluator.FORMAT_VERSION) {
            if (!claimMode) revert CnnNeedsClaimMode(submissionId);
            DankuCnnEvaluator.validate(model, _config.featureCount, _config.classCount);
        } else {
            DankuEvaluator.validate(
                model,
                _config.featureCount,
                _config.classCount,
                claimMode ? DankuLimits.MAX_CLAIM_MODE_MODEL_BYTES : DankuLimits.MAX_MODEL_BYTES
            );
        }
        if (!claimMode) _storeModel(submissionId, s, model);
        s.revealed = true;
        s.modelHash = modelHash;
        ++_revealedBy[msg.sender];
        Commitments memory cm = _committed;
        if (cm.revealedSubmissions == 0) _committed.firstRevealer = msg.sender;
        _committed.revealedSubmissions = cm.revealedSubmissions + 1;
        emit ModelRevealed(submissionId, msg.sender, modelHash);
    }

    /// @dev Stores a validated model as data contracts (the on-chain mode's evaluations read it from there).
    function _storeModel(uint256 submissionId, SubmissionRecord storage s, bytes calldata model) private {
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
    }
}
