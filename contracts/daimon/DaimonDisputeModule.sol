// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LabelDispute, ProofBinding, VoidReason} from "./IDaimonProblem.sol";
import {DaimonLimits} from "./DaimonLimits.sol";
import {DaimonModelJudge} from "./DaimonModelJudge.sol";
import {DaimonProblemState} from "./DaimonProblemState.sol";

/// @title DaimonDisputeModule
/// @notice The disputes of DaiMoN proofs (docs/daimon.md §14.3): availability (the model and labels a proof is bound
/// to must be posted when challenged), label disputes decided by the DanKu integer evaluator ({judge}), the bond's
/// return, and the binding view. Its code runs only by DELEGATECALL from {DaimonProblem}'s fallback, on the
/// problem's storage ({DaimonProblemState}); called directly, every function reverts ({OnlyDelegateCall}).
/// @dev Declares no state variables. The only contract it calls is the stateless judge (to store a posted model, to
/// recompute a labels root and to run a label dispute); it pays bonds from the problem's balance.
contract DaimonDisputeModule is DaimonProblemState {
    /// @notice The DanKu integer evaluator that validates posted models and runs them in label disputes.
    DaimonModelJudge public immutable judge;

    /// @dev This module's own address: a call that runs here outside a DELEGATECALL has `address(this) == _self`.
    address private immutable _self;

    /// @notice A dispute function was called on the module itself rather than through a problem.
    error OnlyDelegateCall();

    /// @param judge_ The judge every problem's disputes use (deployed on its own: its init code does not fit in the
    /// factory's under EIP-3860).
    constructor(DaimonModelJudge judge_) {
        judge = judge_;
        _self = address(this);
    }

    /// @dev Disputes change a problem's storage; on the module itself there is no problem to change.
    modifier onlyDelegateCall() {
        if (address(this) == _self) revert OnlyDelegateCall();
        _;
    }

    // =================================================================== disputes (docs/daimon.md §14.3)
    //
    // A proof is disputable from its submission until its round ends; proofs are accepted only before the round's
    // last W blocks (`disputeWindow`), so each has at least W blocks. A proof that loses a dispute is voided: it takes
    // no more votes, is never committed, and its bond goes to the challenger. The third kind of dispute,
    // `disputeOutput` (f(labels) ≠ outputs, segment by segment on the quantized DEL function), is added to this
    // module by contracts/daimon/DaimonDelEvaluator.sol's integration (the problem's fallback reaches it without a
    // new entry point): it voids through {_void} like the two below.

    /// @notice Disputes proof `proofId`'s availability, with a bond of exactly `AVAILABILITY_BOND` wei: its model
    /// bytes (matching modelHash, valid DanKu v1 for this problem) must be posted ({postModel}) within T_a blocks,
    /// or anyone may void the proof with {claimUnavailable}. Open until 2·T_a blocks before the round ends.
    /// @param proofId The proof whose model the caller wants on chain.
    function disputeAvailability(uint256 proofId) external payable onlyDelegateCall {
        _enterCompetition();
        if (msg.value != DaimonLimits.AVAILABILITY_BOND) {
            revert WrongBond(msg.value, DaimonLimits.AVAILABILITY_BOND);
        }
        (ProofRecord storage p, ProofBinding storage b) = _live(proofId);
        uint256 period = DaimonLimits.availabilityPeriod(_config.competitionPeriod);
        uint256 closesAt = _roundStart(uint256(p.round) + 1) - 2 * period;
        if (block.number >= closesAt) revert DisputeClosed(proofId, closesAt);
        if (b.modelPosted && b.labelsPosted) revert ModelAlreadyPosted(proofId);
        if (b.availabilityChallenger != address(0)) revert AlreadyChallenged(proofId, b.availabilityChallenger);
        b.availabilityChallenger = msg.sender;
        uint256 deadline = block.number + period;
        b.availabilityDeadline = uint64(deadline);
        emit AvailabilityDisputed(proofId, msg.sender, deadline);
    }

    /// @notice Posts proof `proofId`'s model (anyone who has the bytes; normally the improver): keccak256(model)
    /// must be the proof's modelHash and the model a valid DanKu v1 model with the problem's input width and class
    /// count; it is stored as data contracts (one transaction: ≤ 65,536 bytes, as DanKu's model reveal). Before the
    /// round ends and, after an availability dispute, by its deadline; the dispute's bond then goes to the improver.
    /// @param proofId The proof.
    /// @param model The model bytes (docs/protocol.md §4.1).
    function postModel(uint256 proofId, bytes calldata model) external onlyDelegateCall {
        (ProofRecord storage p, ProofBinding storage b) = _postable(proofId, false);
        bytes32 given = keccak256(model);
        if (given != b.modelHash) revert ModelHashMismatch(proofId, given, b.modelHash);
        address[] memory chunks = judge.store(model, _featureCount(), _config.classCount);
        b.modelPosted = true;
        _modelChunks[proofId] = chunks;
        emit ModelPosted(proofId, msg.sender, chunks);
        _answered(p, b);
    }

    /// @notice Posts proof `proofId`'s labels (anyone; normally the improver), the other half of availability: a
    /// challenger needs them for the labels' Merkle paths. They must be the 2 · k · m bytes (uint16 big-endian, leaf
    /// t·m + i) whose root the judge recomputes as labelsRoot; they are published in {LabelsPosted}. Same window as
    /// {postModel}. ≈ 200 gas per label: k·m ≤ ≈ 65,000 labels fit one transaction.
    /// @param proofId The proof.
    /// @param labels The packed labels.
    function postLabels(uint256 proofId, bytes calldata labels) external onlyDelegateCall {
        (ProofRecord storage p, ProofBinding storage b) = _postable(proofId, true);
        bytes32 root = judge.labelsRootOf(labels, _targets.length * _config.testSetSize);
        if (root != b.labelsRoot) revert LabelsMismatch(proofId, root, b.labelsRoot);
        b.labelsPosted = true;
        emit LabelsPosted(proofId, labels);
        _answered(p, b);
    }

    /// @dev The checks both postings share: a live proof, before its round's end or its availability deadline, and
    /// the half being posted (`labels` or the model) not posted yet.
    function _postable(uint256 proofId, bool labels)
        private
        returns (ProofRecord storage p, ProofBinding storage b)
    {
        _enterCompetition();
        (p, b) = _live(proofId);
        uint256 closesAt = _roundStart(uint256(p.round) + 1);
        if (b.availabilityChallenger != address(0)) closesAt = uint256(b.availabilityDeadline) + 1;
        if (block.number >= closesAt) revert DisputeClosed(proofId, closesAt);
        if (labels ? b.labelsPosted : b.modelPosted) revert ModelAlreadyPosted(proofId);
    }

    /// @dev Once model and labels are both on chain, an availability dispute is answered: its bond is the improver's.
    function _answered(ProofRecord storage p, ProofBinding storage b) private {
        if (b.availabilityChallenger != address(0) && b.modelPosted && b.labelsPosted) {
            _pay(p.improver, DaimonLimits.AVAILABILITY_BOND);
        }
    }

    /// @notice Voids proof `proofId` whose model was not posted by its availability deadline (anyone; the
    /// challenger receives the proof's bond and his availability bond back). Also after the round ended: such a
    /// proof is never committed either way.
    /// @param proofId The proof.
    function claimUnavailable(uint256 proofId) external onlyDelegateCall {
        _proof(proofId);
        ProofBinding storage b = _bindings[proofId];
        if (b.voided) revert Voided(proofId);
        address challenger = b.availabilityChallenger;
        if (challenger == address(0)) revert NotChallenged(proofId);
        if (b.modelPosted && b.labelsPosted) revert ModelAlreadyPosted(proofId);
        if (block.number <= b.availabilityDeadline) revert AvailabilityPending(proofId, b.availabilityDeadline);
        _void(proofId, challenger, VoidReason.Unavailable, 0, 0, DaimonLimits.AVAILABILITY_BOND);
    }

    /// @notice Disputes the label proof `proofId` claims for test point `d.index` of tuple `d.tuple`: Z_i is proven
    /// against the tuple's inputsRoot, the claimed label against the proof's labelsRoot (leaf tuple · m + index),
    /// and the posted model is run on Z_i by the DanKu integer evaluator. If its prediction differs, the proof is
    /// voided and the caller receives its bond; if not, the call reverts {LabelCorrect}. Until the round ends.
    /// @param proofId The proof.
    /// @param d The point, its features and label, and both Merkle paths (lib/daimon/disputes.ts `labelDispute`).
    function disputeLabel(uint256 proofId, LabelDispute calldata d) external onlyDelegateCall {
        _enterCompetition();
        (ProofRecord storage p, ProofBinding storage b) = _live(proofId);
        uint256 closesAt = _roundStart(uint256(p.round) + 1);
        if (block.number >= closesAt) revert DisputeClosed(proofId, closesAt);
        if (!b.modelPosted) revert ModelNotPosted(proofId);
        if (_labelIsRight(proofId, b.labelsRoot, d)) revert LabelCorrect(proofId, d.tuple, d.index, d.label);
        _void(proofId, msg.sender, VoidReason.WrongLabel, d.tuple, d.index, 0);
    }

    /// @dev Whether the posted model predicts the label `d` claims (the judge checks both Merkle paths first).
    function _labelIsRight(uint256 proofId, bytes32 labelsRoot, LabelDispute calldata d) private view returns (bool) {
        uint256 count = _targets.length;
        if (d.tuple >= count) revert UnknownTuple(d.tuple, count);
        return judge.labelIsRight(
            d,
            DaimonModelJudge.Trees({
                inputsRoot: _inputsRoots[d.tuple],
                labelsRoot: labelsRoot,
                testSetSize: _config.testSetSize,
                tupleCount: count,
                classCount: _config.classCount,
                featureCount: _featureCount()
            }),
            _modelChunks[proofId]
        );
    }

    /// @notice Returns proof `proofId`'s bond to its improver once its round is over, unless it was voided (or its
    /// model is still owed after an availability dispute). Anyone may call it; the improver receives the bond.
    /// @param proofId The proof.
    function returnBond(uint256 proofId) external onlyDelegateCall {
        // A proof exists only once the competition started, so `_roundAt` is defined; nothing needs settling here.
        ProofRecord storage p = _proof(proofId);
        ProofBinding storage b = _bindings[proofId];
        if (
            _roundAt(block.number) <= p.round || b.voided || b.bondReturned
                || (b.availabilityChallenger != address(0) && !(b.modelPosted && b.labelsPosted))
        ) revert BondNotReturnable(proofId);
        b.bondReturned = true;
        emit BondReturned(proofId, p.improver, DaimonLimits.PROOF_BOND);
        _pay(p.improver, DaimonLimits.PROOF_BOND);
    }

    /// @notice Pays the caller back the `VOTE_BOND` of his vote on proof `proofId` once the proof's round is over,
    /// unless the proof was voided (its vote bonds went to the challenger) or its model is still owed after an
    /// availability dispute ({claimUnavailable} may still void it). Once per vote; a pull payment to the voter.
    /// @param proofId The proof the caller voted for.
    function withdrawVoteBond(uint256 proofId) external onlyDelegateCall {
        // A proof exists only once the competition started, so `_roundAt` is defined.
        ProofRecord storage p = _proof(proofId);
        ProofBinding storage b = _bindings[proofId];
        VoteRecord storage v = _votes[proofId][msg.sender];
        if (
            v.position == 0 || v.bondWithdrawn || _roundAt(block.number) <= p.round || b.voided
                || (b.availabilityChallenger != address(0) && !(b.modelPosted && b.labelsPosted))
        ) revert VoteBondNotWithdrawable(proofId, msg.sender);
        v.bondWithdrawn = true;
        p.withdrawnVotes += 1;
        emit VoteBondWithdrawn(proofId, msg.sender, DaimonLimits.VOTE_BOND);
        _pay(msg.sender, DaimonLimits.VOTE_BOND);
    }

    // =================================================================== views

    /// @notice Proof `proofId`'s model binding and dispute state.
    function bindingOf(uint256 proofId) external view onlyDelegateCall returns (ProofBinding memory) {
        _proof(proofId);
        return _bindings[proofId];
    }
}
