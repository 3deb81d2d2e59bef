// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDaimonProblem, ImprovementBlock, PendingRound, Phase, ProblemConfig, ProofBinding, VoidReason} from "./IDaimonProblem.sol";
import {DaimonLimits} from "./DaimonLimits.sol";
import {DaimonMath} from "./DaimonMath.sol";
import {ProblemToken} from "./ProblemToken.sol";

/// @title DaimonProblemState
/// @notice The storage of a DaiMoN problem and the rules every part of it reads (the phase, the rounds, the lazy
/// settlement that keeps d_c current, a live proof, voiding and paying). Inherited by {DaimonProblem} and by
/// {DaimonDisputeModule}, which runs by DELEGATECALL in the problem's context: both see exactly this layout because
/// neither declares a state variable of its own (docs/daimon.md §14.3).
/// @dev Only structs, state variables and internal helpers live here. A contract that derives from this one must not
/// declare state variables (immutables and constants are fine: they live in code). The order of the variables is
/// the one DaimonProblem had before the split, so nothing moved in storage.
abstract contract DaimonProblemState is IDaimonProblem {
    /// @dev Lifecycle values packed into one slot.
    struct State {
        uint64 createdBlock;
        uint64 definitionEnd;
        /// d_c in WAD; 1e18 until the first Improvement block.
        uint64 bestDistance;
        bool problemBlockCommitted;
    }

    /// @dev Storage form of a proof (4 slots). `superseded` ("dead": a superseded copy or a voided proof, see
    /// `_bindings[id].voided`) shares the first slot with what every vote reads anyway,
    /// so the check costs votes nothing; a round number fits 56 bits (it is below the block number).
    struct ProofRecord {
        address improver;
        uint56 round;
        uint32 voteCount;
        bool superseded;
        uint64 distance;
        /// 1 + the id of the proof that took this proof's outputs or CID away (0: none), docs/daimon.md §7.
        uint64 supersededBy;
        /// Votes whose bond was withdrawn (only after the round, when no dispute can void the proof any more).
        uint32 withdrawnVotes;
        bytes32 proofHash;
        bytes32 votesDigest;
    }

    /// @dev Who owns a CID or an outputs vector (docs/daimon.md §7), one slot: the proof that holds it and the block
    /// of that improver's registration for it, which decides priority (the earliest registration owns it).
    struct Claim {
        address improver;
        uint48 proofId;
        uint48 registeredBlock;
    }

    /// @dev A validator's vote on one proof.
    struct VoteRecord {
        uint32 position;
        bool claimed;
        /// Whether the vote's `VOTE_BOND` was withdrawn.
        bool bondWithdrawn;
    }

    /// @dev Storage form of an Improvement block (2 slots; its hash lives in `_blockHashes`).
    struct ImprovementRecord {
        uint64 proofId;
        uint64 round;
        uint64 distance;
        uint64 previousDistance;
        uint128 improverReward;
        uint32 voteCount;
    }

    ProblemToken internal _token;
    address internal _creator;
    State internal _state;
    ProblemConfig internal _config;
    PendingRound internal _pending;
    bytes32 internal _definitionHash;
    bytes32 internal _tuplesDigest;
    uint32[] internal _inputShape;
    string internal _metadataCid;
    /// @dev Data contracts (BlobStore) holding each tuple's packed y_t.
    address[] internal _targets;
    ProofRecord[] internal _proofs;
    /// @dev Block hashes of the problem's chain: [0] is the Problem block.
    bytes32[] internal _blockHashes;
    mapping(uint256 blockNumber => ImprovementRecord) internal _improvements;
    mapping(bytes32 registration => uint256 blockNumber) internal _registeredAt;
    mapping(bytes32 cidHash => Claim) internal _cidOwner;
    mapping(bytes32 outputsHash => Claim) internal _outputsOwner;
    mapping(uint256 proofId => mapping(address validator => VoteRecord)) internal _votes;
    /// @dev Each tuple's inputsRoot (Merkle root of Z in DanKu feature bytes), by tuple index.
    bytes32[] internal _inputsRoots;
    mapping(uint256 proofId => ProofBinding) internal _bindings;
    mapping(uint256 proofId => address[]) internal _modelChunks;
    /// @dev Each tuple's delRoot (fRoot of its quantized DEL function f_q), by tuple index.
    bytes32[] internal _delRoots;

    // =================================================================== internals

    function _phase() internal view returns (Phase) {
        if (block.number < _state.definitionEnd) return Phase.Definition;
        return _targets.length == 0 ? Phase.Dead : Phase.Competition;
    }

    function _requirePhase(Phase required) internal view {
        Phase current = _phase();
        if (current != required) revert WrongPhase(current, required);
    }

    function _roundStart(uint256 round) internal view returns (uint256) {
        return uint256(_state.definitionEnd) + round * _config.competitionPeriod;
    }

    /// @dev Block `b` ≥ definitionEnd lies in round ⌊(b − definitionEnd) / T_b⌋.
    function _roundAt(uint256 b) internal view returns (uint256) {
        return (b - _state.definitionEnd) / _config.competitionPeriod;
    }

    /// @dev Start of every competition action: commits the Problem block if due and settles the previous round if it
    /// is over, so d_c is current. Returns the current round.
    function _enterCompetition() internal returns (uint256 round) {
        _requirePhase(Phase.Competition);
        if (!_state.problemBlockCommitted) _commitProblemBlock();
        round = _roundAt(block.number);
        PendingRound memory pending = _pending;
        if (pending.open && pending.round < round) _settle(pending);
    }

    /// @dev A proof that can still be disputed or posted: exists, not voided, not a superseded copy.
    function _live(uint256 proofId) internal view returns (ProofRecord storage p, ProofBinding storage b) {
        p = _proof(proofId);
        b = _bindings[proofId];
        if (b.voided) revert Voided(proofId);
        if (p.superseded) revert Superseded(proofId, p.supersededBy - 1);
    }

    /// @dev Voids a proof that lost a dispute: dead for votes and settlement, its bond (plus `extra` held for the
    /// challenger) and the bonds of its votes (slashed, docs/daimon.md §14.4) paid to `challenger`. O(1): the votes
    /// are counted, not visited. Bonds are withdrawn only after the round, when no dispute can void the proof, so
    /// `withdrawnVotes` is 0 here; it is subtracted anyway.
    function _void(uint256 proofId, address challenger, VoidReason reason, uint256 tuple, uint256 index, uint256 extra)
        internal
    {
        _bindings[proofId].voided = true;
        ProofRecord storage p = _proofs[proofId];
        p.superseded = true;
        uint256 votes = uint256(p.voteCount) - p.withdrawnVotes;
        uint256 slashed = votes * DaimonLimits.VOTE_BOND;
        uint256 paid = DaimonLimits.PROOF_BOND + extra + slashed;
        if (votes != 0) emit VoteBondsSlashed(proofId, challenger, votes, slashed);
        emit ProofVoided(proofId, challenger, reason, tuple, index, paid);
        _pay(challenger, paid);
    }

    function _pay(address to, uint256 amount) internal {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    /// @dev F: the number of input values per test point (the product of the input shape, ≤ 8 dimensions).
    function _featureCount() internal view returns (uint256 f) {
        uint32[] storage shape = _inputShape;
        f = 1;
        for (uint256 i; i < shape.length; ++i) f *= shape[i];
    }

    function _commitProblemBlock() internal {
        _state.problemBlockCommitted = true;
        uint256 count = _targets.length;
        bytes32 digest = _tuplesDigest;
        bytes32 blockHash = keccak256(abi.encode(uint256(0), bytes32(0), _definitionHash, count, digest));
        _blockHashes.push(blockHash);
        emit ProblemBlockCommitted(blockHash, _definitionHash, count, digest, msg.sender);
    }

    /// @dev Closes `pending` (the caller checked it is over). Commits the leader if it qualifies; mints last.
    function _settle(PendingRound memory pending) internal returns (bool committed) {
        delete _pending;
        address improver;
        uint256 amount;
        ProofRecord storage p = _proofs[pending.leader];
        // A superseded leader is a copy of a proof registered earlier (§7), a voided one lost a dispute, and one
        // whose model was owed after an availability dispute and not posted loses it (§14.3): none is committed.
        ProofBinding storage b = _bindings[pending.leader];
        bool unavailable = b.availabilityChallenger != address(0) && !(b.modelPosted && b.labelsPosted);
        if (pending.leaderVotes >= _config.minVotes && !p.superseded && !unavailable) {
            uint256 best = _state.bestDistance;
            // Re-checked at commit (it cannot fail while every action settles first, but the reward below must
            // never be computed for a distance that does not improve on d_c).
            if (uint256(p.distance) + _config.margin < best) {
                committed = true;
                improver = p.improver;
                amount = DaimonMath.scaleReward(
                    DaimonMath.reward(p.distance, best, _config.rewardShape), _config.rewardScale
                );
                _appendImprovement(pending, p, best, amount);
            }
        }
        emit RoundSettled(pending.round, committed, pending.leader, pending.leaderVotes);
        // The token is this problem's own OpenZeppelin ERC20 (no hooks, no callbacks into anyone).
        if (amount != 0) _token.mint(improver, amount);
    }

    function _appendImprovement(PendingRound memory pending, ProofRecord storage p, uint256 best, uint256 amount)
        internal
    {
        uint256 number = _blockHashes.length;
        ImprovementRecord memory r = ImprovementRecord({
            proofId: pending.leader,
            round: pending.round,
            distance: p.distance,
            previousDistance: uint64(best),
            improverReward: uint128(amount),
            voteCount: p.voteCount
        });
        _improvements[number] = r;
        bytes32 parentHash = _blockHashes[number - 1];
        bytes32 blockHash = keccak256(
            abi.encode(
                number,
                parentHash,
                uint256(r.round),
                uint256(r.proofId),
                p.proofHash,
                uint256(r.distance),
                best,
                uint256(r.voteCount),
                p.votesDigest
            )
        );
        _blockHashes.push(blockHash);
        _state.bestDistance = r.distance;
        emit ImprovementBlockCommitted(number, blockHash, p.improver, _improvementBlock(number, r), msg.sender);
    }

    function _improvementBlock(uint256 number, ImprovementRecord memory r)
        internal
        view
        returns (ImprovementBlock memory b)
    {
        ProofRecord storage p = _proofs[r.proofId];
        b.blockNumber = uint64(number);
        b.blockHash = number < _blockHashes.length ? _blockHashes[number] : bytes32(0);
        b.parentHash = _blockHashes[number - 1];
        b.round = r.round;
        b.proofId = r.proofId;
        b.improver = p.improver;
        b.proofHash = p.proofHash;
        b.distance = r.distance;
        b.previousDistance = r.previousDistance;
        b.voteCount = r.voteCount;
        b.votesDigest = p.votesDigest;
        b.improverReward = r.improverReward;
    }

    function _proof(uint256 proofId) internal view returns (ProofRecord storage) {
        if (proofId >= _proofs.length) revert UnknownProof(proofId, _proofs.length);
        return _proofs[proofId];
    }
}
