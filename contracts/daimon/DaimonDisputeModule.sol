// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LabelDispute, OutputClaim, ProofBinding, VoidReason} from "./IDaimonProblem.sol";
import {DaimonDelEvaluator} from "./DaimonDelEvaluator.sol";
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
    /// @notice The stateless f_q evaluator that output disputes recompute one step with (docs/daimon.md §14.3.1).
    DaimonDelEvaluator public immutable delEvaluator;

    /// @dev This module's own address: a call that runs here outside a DELEGATECALL has `address(this) == _self`.
    address private immutable _self;

    /// @notice A dispute function was called on the module itself rather than through a problem.
    error OnlyDelegateCall();

    /// @param judge_ The judge every problem's disputes use (deployed on its own: its init code does not fit in the
    /// factory's under EIP-3860).
    /// @param delEvaluator_ The f_q evaluator every problem's output disputes use (deployed once, before the module).
    constructor(DaimonModelJudge judge_, DaimonDelEvaluator delEvaluator_) {
        judge = judge_;
        delEvaluator = delEvaluator_;
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
    // `disputeOutput` / `disputeOutputLayer` (f(labels) ≠ outputs, one step of the quantized DEL function f_q,
    // {delEvaluator}), is below: the problem's fallback reaches it without a new entry point.

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
    /// t·m + i of the bytes; leaf t·mp + i of the tree, mp = 2^⌈log₂ m⌉) whose root the judge recomputes as labelsRoot; they are published in {LabelsPosted}. Same window as
    /// {postModel}. ≈ 200 gas per label: k·m ≤ ≈ 65,000 labels fit one transaction.
    /// @param proofId The proof.
    /// @param labels The packed labels.
    function postLabels(uint256 proofId, bytes calldata labels) external onlyDelegateCall {
        (ProofRecord storage p, ProofBinding storage b) = _postable(proofId, true);
        bytes32 root = judge.labelsRootOf(labels, _targets.length, _config.testSetSize);
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
    /// against the tuple's inputsRoot, the claimed label against the proof's labelsRoot (leaf tuple · mp + index),
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

    /// @notice Disputes segment `s.j` of tuple `c.tuple`'s f_q checkpoints: the evaluator recomputes c_{j+1} from
    /// c_j's state (c_0 = f.b1Hash), the K labels of segment j (against the tuple's labels root, itself proven
    /// against the proof's labelsRoot) and the W1 rows they gather (against f, checked against the tuple's delRoot).
    /// If the result differs from the proof's c_{j+1}, the proof is voided and the caller receives its bond; if not,
    /// the call reverts {OutputCorrect}. A bad argument reverts the evaluator's error. Until the round ends.
    /// @param proofId The proof.
    /// @param c The tuple, its f, the proof's outputs and checkpoints, the tuple's labels root and path.
    /// @param s The segment (lib/daimon/delQuantized.ts `segmentArgs`).
    function disputeOutput(uint256 proofId, OutputClaim calldata c, DaimonDelEvaluator.Segment calldata s)
        external
        onlyDelegateCall
    {
        (bytes32 delRoot, uint256 at, uint256 segments) = _outputClaim(proofId, c);
        if (segments == 0) return;
        if (s.j >= segments) revert DaimonDelEvaluator.SegmentOutOfRange(s.j, segments);
        bytes32 labelsRoot = _tupleLabelsRoot(proofId, c);
        bytes32 before = s.j == 0 ? c.f.b1Hash : _checkpoint(c.checkpoints, at, s.j);
        bytes32 next = delEvaluator.segment(c.f, delRoot, labelsRoot, before, s);
        if (next == _checkpoint(c.checkpoints, at, s.j + 1)) revert OutputCorrect(proofId, c.tuple, s.j);
        _void(proofId, msg.sender, VoidReason.WrongOutput, c.tuple, s.j, 0);
    }

    /// @notice Disputes the output step of tuple `c.tuple`: the evaluator recomputes y from c_S's state, B2 and W2
    /// (against f, checked against the tuple's delRoot). If y differs from the proof's outputs for that tuple, the
    /// proof is voided and the caller receives its bond; if not, the call reverts {OutputCorrect} (step S). Until the
    /// round ends.
    /// @param proofId The proof.
    /// @param c The tuple, its f, the proof's outputs and checkpoints (labels root and path unused: pass any).
    /// @param state c_S's preimage: H big-endian int32.
    /// @param b2 B2 as n big-endian int64.
    /// @param w2 W2 as H rows of n int8.
    function disputeOutputLayer(
        uint256 proofId,
        OutputClaim calldata c,
        bytes calldata state,
        bytes calldata b2,
        bytes calldata w2
    ) external onlyDelegateCall {
        (bytes32 delRoot, uint256 at, uint256 segments) = _outputClaim(proofId, c);
        if (segments == 0) return;
        bytes32 computed =
            keccak256(delEvaluator.output(c.f, delRoot, _checkpoint(c.checkpoints, at, segments), state, b2, w2));
        if (computed == _outputsHash(c)) revert OutputCorrect(proofId, c.tuple, segments);
        _void(proofId, msg.sender, VoidReason.WrongOutput, c.tuple, segments, 0);
    }

    /// @dev keccak256 of the proof's output vector for tuple `c.tuple` (2n bytes of `c.outputs`).
    function _outputsHash(OutputClaim calldata c) private view returns (bytes32) {
        uint256 size = 2 * uint256(_config.embeddingSize);
        uint256 from = c.tuple * size;
        return keccak256(c.outputs[from:from + size]);
    }

    /// @dev What both output steps check first: a live proof in its dispute window, outputs and checkpoints that are
    /// the proof's, a tuple whose delRoot f hashes to and whose shape is the problem's. Returns the delRoot, where
    /// tuple `c.tuple`'s checkpoints start (its count word) and S. When the checkpoints are not laid out for f
    /// ({_laidOut}) the proof is wrong and voided here (returns S = 0: nothing more to check).
    function _outputClaim(uint256 proofId, OutputClaim calldata c)
        private
        returns (bytes32 delRoot, uint256 at, uint256 segments)
    {
        _enterCompetition();
        (ProofRecord storage p, ProofBinding storage b) = _live(proofId);
        uint256 closesAt = _roundStart(uint256(p.round) + 1);
        if (block.number >= closesAt) revert DisputeClosed(proofId, closesAt);
        if (keccak256(abi.encode(keccak256(c.outputs), keccak256(c.checkpoints))) != b.claimHash) {
            revert ClaimMismatch(proofId);
        }
        uint256 count = _delRoots.length;
        if (c.tuple >= count) revert UnknownTuple(c.tuple, count);
        delRoot = _delRoots[c.tuple];
        bytes32 computed = delEvaluator.fRoot(c.f);
        if (computed != delRoot) revert DelRootMismatch(c.tuple, computed, delRoot);
        if (c.f.m != _config.testSetSize || c.f.classCount != _config.classCount || c.f.n != _config.embeddingSize) {
            revert DelShapeMismatch(c.tuple);
        }
        segments = delEvaluator.segmentCount(c.f);
        if (!_laidOut(c, segments)) {
            _void(proofId, msg.sender, VoidReason.WrongOutput, c.tuple, type(uint256).max, 0);
            return (delRoot, 0, 0);
        }
        at = _tupleOffset(c.checkpoints, c.tuple);
    }

    /// @dev Where tuple `t`'s count word starts: after t runs of (count, hashes). Callers checked {_laidOut}.
    function _tupleOffset(bytes calldata checkpoints, uint256 t) private pure returns (uint256 at) {
        for (uint256 u; u < t; ++u) at += 32 * (uint256(bytes32(checkpoints[at:at + 32])) + 1);
    }

    /// @dev Whether the checkpoints hold, up to tuple `c.tuple`, runs of a count word and that many hashes, each
    /// count at most m (S = ⌈m / K⌉ ≤ m for every f), and tuple `c.tuple`'s count is f's S. An honest proof's are;
    /// a proof whose are not is wrong whatever the tuples' f (at most 8 tuples: the loop is bounded).
    function _laidOut(OutputClaim calldata c, uint256 segments) private view returns (bool) {
        bytes calldata checkpoints = c.checkpoints;
        uint256 m = _config.testSetSize;
        uint256 at;
        for (uint256 t; t <= c.tuple; ++t) {
            if (at + 32 > checkpoints.length) return false;
            uint256 count = uint256(bytes32(checkpoints[at:at + 32]));
            if (count > m || (t == c.tuple && count != segments)) return false;
            at += 32 * (count + 1);
            if (at > checkpoints.length) return false;
        }
        return true;
    }

    /// @dev Checkpoint c_j (j ≥ 1) of the tuple whose count word is at `at`.
    function _checkpoint(bytes calldata checkpoints, uint256 at, uint256 j) private pure returns (bytes32) {
        uint256 from = at + 32 * j;
        return bytes32(checkpoints[from:from + 32]);
    }

    /// @dev The root of tuple `c.tuple`'s m labels, proven against the proof's labelsRoot: each tuple's labels are the
    /// aligned subtree t of it (leaf t·mp + i, mp = 2^⌈log₂ m⌉), so the path climbs ⌈log₂ k⌉ levels from it (node
    /// keccak256(0x01 ‖ left ‖ right), as lib/danku/claims.ts); with one tuple it is labelsRoot itself.
    function _tupleLabelsRoot(uint256 proofId, OutputClaim calldata c) private view returns (bytes32 node) {
        uint256 count = _delRoots.length;
        node = c.tupleLabelsRoot;
        uint256 levels;
        while ((1 << levels) < count) ++levels;
        if (c.tupleLabelsPath.length != levels) revert BadTupleLabelsProof(c.tuple);
        uint256 index = c.tuple;
        for (uint256 l; l < levels; ++l) {
            bytes32 sibling = c.tupleLabelsPath[l];
            node = index & 1 == 0
                ? keccak256(abi.encodePacked(bytes1(0x01), node, sibling))
                : keccak256(abi.encodePacked(bytes1(0x01), sibling, node));
            index >>= 1;
        }
        if (node != _bindings[proofId].labelsRoot) revert BadTupleLabelsProof(c.tuple);
        node = c.tupleLabelsRoot;
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
