// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {
    Stage, CompetitionConfig, CompetitionSummary, Deadlines, Submission, EvaluationMode
} from "./IDankuCompetition.sol";
import {DankuCompetitionState} from "./DankuCompetitionState.sol";
import {DankuEvaluatorEngine} from "./DankuEvaluatorEngine.sol";
import {DankuRevealModule} from "./DankuRevealModule.sol";
import {DankuClaimModule} from "./DankuClaimModule.sol";
import {BlobStore} from "./BlobStore.sol";

/// @title DankuCompetition
/// @notice One DanKu machine-learning competition (docs/protocol.md): hashed data groups committed at creation,
/// a train/test split drawn from the creation block's hash, training data revealed, models committed and
/// revealed, test data revealed, models evaluated on chain, the best qualified model paid. Deployed as an
/// EIP-1167 clone by {CompetitionFactory}, which initializes it in the same transaction (init1).
/// @dev Revealed data and models are stored as contract code (BlobStore); group hashes too. All payouts are
/// pulled. No function's behaviour depends on `gasleft()`.
/// The competition is split along its concerns to stay well below EIP-170 (docs/protocol.md §10): this contract
/// holds the lifecycle, submissions, evaluation bookkeeping, money and views; the reveals (data groups and models:
/// decoding, verification, storage) run in {DankuRevealModule} by DELEGATECALL on the same storage
/// ({DankuCompetitionState}); the forward pass runs in the stateless {DankuEvaluatorEngine} by STATICCALL.
contract DankuCompetition is DankuCompetitionState, Initializable, ReentrancyGuardTransient {
    /// @notice The factory that deployed this implementation; the only account allowed to initialize clones.
    address public immutable factory;
    /// @notice The stateless forward-pass engine every evaluation calls.
    DankuEvaluatorEngine public immutable evaluator;
    /// @notice The reveal code every competition of this implementation runs by DELEGATECALL. Created by this
    /// implementation's constructor, so it is always the module compiled with it (same storage layout) and nobody
    /// can point a competition at other code.
    DankuRevealModule public immutable revealModule;
    /// @notice The claim-mode code (docs/protocol.md §11), run by DELEGATECALL like {revealModule}: claim-mode
    /// creation and test reveal, claims, disputes, settlement and their views. Deployed on its own (its init code
    /// would push the factory's past EIP-3860) and given to the factory, which passes it here; fixed for ever. Calls to
    /// functions this contract does not have reach it through {fallback}; its ABI is the claim part of the
    /// competition's.
    DankuClaimModule public immutable claimModule;

    /// @param evaluator_ The forward-pass engine (deployed before the factory and given to it).
    /// @param claimModule_ The claim-mode module (deployed before the factory, docs/protocol.md §10).
    constructor(DankuEvaluatorEngine evaluator_, DankuClaimModule claimModule_) {
        factory = msg.sender;
        evaluator = evaluator_;
        revealModule = new DankuRevealModule();
        claimModule = claimModule_;
        _disableInitializers();
    }

    // =================================================================== init1

    /// @notice init1: called once by the factory right after cloning. Commits the group hashes and takes the reward.
    /// For a claim-mode competition the factory has called {DankuClaimModule-chooseClaimMode} just before, and
    /// the claim-mode bounds apply (docs/protocol.md §11).
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
        return _init1(organizer_, config_, groupHashes, groupPointCounts, metadataCid_, _evaluationMode == EvaluationMode.Claim);
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

    // =================================================================== reveals (DankuRevealModule)

    /// @notice Reveals training groups (TrainingReveal stage). Anyone may call: each group is checked against its
    /// committed hash, its committed size, its length and its labels; only verified bytes are stored.
    /// Runs {DankuRevealModule-revealTrainingGroups}.
    /// @param groupIndices Training group indices, each not yet revealed.
    /// @param groupPoints The groups' point bytes (F feature bytes + 1 label byte per point).
    /// @param nonces The groups' 32-byte nonces.
    function revealTrainingGroups(
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) external {
        (groupIndices, groupPoints, nonces); // read by the module, from the same calldata
        _delegate(address(revealModule));
    }

    /// @notice Reveals test groups (TestReveal stage, after the model reveal has ended). Same checks as training.
    /// Runs {DankuRevealModule-revealTestGroups}.
    /// @param groupIndices Test group indices, each not yet revealed.
    /// @param groupPoints The groups' point bytes.
    /// @param nonces The groups' 32-byte nonces.
    function revealTestGroups(
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) external {
        (groupIndices, groupPoints, nonces); // read by the module, from the same calldata
        // Claim mode keeps labels and a Merkle root instead of the points (docs/protocol.md §11).
        _delegate(_evaluationMode == EvaluationMode.Claim ? address(claimModule) : address(revealModule));
    }

    /// @notice Reveals a committed model during the ModelReveal stage; only the committer may call. The model is
    /// validated completely (docs/protocol.md §4.1) and stored; an invalid model is rejected.
    /// Runs {DankuRevealModule-revealModel}.
    /// @param submissionId The id returned by `commitModel`.
    /// @param model The encoded model.
    /// @param salt The 32-byte salt used in the commitment.
    function revealModel(uint256 submissionId, bytes calldata model, bytes32 salt) external {
        (submissionId, model, salt); // read by the module, from the same calldata
        _delegate(address(revealModule));
    }

    /// @notice Everything of the claim mode that this contract does not declare (claimScore, disputeClaim,
    /// settleClaim, chooseClaimMode, the claim views) runs in {claimModule}, which reverts on anything else.
    fallback() external payable {
        _delegate(address(claimModule));
    }

    /// @dev Runs the current call (same calldata: a module's functions have the selectors they are called by) in
    /// `module` on this contract's storage and ends with its result: its return data, or its revert data (the
    /// custom errors of {IDankuCompetition}, which this contract's ABI decodes). Both modules are fixed code created
    /// by the constructor; the reveal module calls no other contract, the claim module only the evaluator engine.
    function _delegate(address module) private {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
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
        if (_evaluationMode == EvaluationMode.Claim) revert ClaimModeCompetition();

        uint256 total = _state.testPoints;
        (uint256 cursor, uint256 correct, uint256 chunkIndex) =
            _run(submissionId, _testChunks, s.cursor, s.correct, s.chunkIndex, total, maxPoints);
        s.cursor = uint32(cursor);
        s.correct = uint32(correct);
        s.chunkIndex = uint32(chunkIndex);
        emit EvaluationProgressed(submissionId, cursor, correct);
        if (cursor == total) _recordEvaluated(s, submissionId, correct, total);
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
    /// In claim mode only from evaluation end + 2 challenge windows: the last claim's window, then as long again to
    /// settle it, so an early finalizer cannot cut off a surviving claim (docs/protocol.md §11).
    function finalize() external {
        _requireStage(Stage.AwaitingFinalization);
        if (_evaluationMode == EvaluationMode.Claim) {
            uint256 first = _deadlines().evaluationEnd + 2 * uint256(_claimTerms.challengeWindow);
            if (block.number < first) revert FinalizeTooEarly(block.number, first);
        }
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
        uint256 bonds = _bondCredits[msg.sender];
        uint256 share = _poolShare(msg.sender);
        uint256 amount = share + bonds;
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        if (bonds != 0) _bondCredits[msg.sender] = 0;
        // The pool flags mark only a pool share as paid: a challenger or claimant withdrawing a bond must not
        // mark the winner's payout claimed.
        if (share != 0) _markShareClaimed();
        emit Withdrawn(msg.sender, recipient, amount);
        Address.sendValue(recipient, amount);
    }

    function _markShareClaimed() private {
        if (_state.hasWinner) {
            _state.payoutClaimed = true;
        } else if (_committed.testWithheld) {
            _shareClaimed[msg.sender] = true;
            _donationRefunded[msg.sender] = true;
        } else {
            if (msg.sender == _organizer) _state.payoutClaimed = true;
            _donationRefunded[msg.sender] = true;
        }
    }

    /// @notice What `account` may withdraw now: the winner `reward + totalDonations` after a finalization with a
    /// winner; after a withheld test reveal each revealed submission's share of the reward and every donor their
    /// donations; in refund mode
    /// (cancelled, or finalized without winner) the organizer the reward (unless forfeited) and every donor
    /// their donations.
    /// Plus, in claim mode, the claim bonds credited to `account` (docs/protocol.md §11).
    function withdrawable(address account) public view returns (uint256) {
        return _poolShare(account) + _bondCredits[account];
    }

    function _poolShare(address account) private view returns (uint256 amount) {
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

}
