// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {BlobStore} from "../danku/BlobStore.sol";
import {
    IDaimonProblem,
    ImprovementBlock,
    LabelDispute,
    PendingRound,
    Phase,
    ProblemConfig,
    ProblemSpec,
    Proof,
    ProofBinding,
    TestTuple,
    VoidReason
} from "./IDaimonProblem.sol";
import {DaimonLimits} from "./DaimonLimits.sol";
import {DaimonMath} from "./DaimonMath.sol";
import {DaimonModelJudge} from "./DaimonModelJudge.sol";
import {ProblemToken} from "./ProblemToken.sol";

/// @title DaimonProblem
/// @notice One DaiMoN problem chain (docs/daimon.md): a definition period T_p in which test dataset tuples
/// (Z, f, y_t) are added, the Problem block, then competition rounds of T_b blocks in which model improvers register
/// and submit proofs-of-improvement, validators vote on them, and the proof with the most votes is committed as an
/// Improvement block that mints the problem's token to its improver and, on claim, to its validators.
/// @dev Every function does a bounded amount of work: no loop runs over an array that users can grow (the loops
/// are over ≤ 8 tuples, ≤ 256 vector entries and ≤ 32 series terms). The round that has proofs is settled lazily by
/// the first action of a later round, so the best distance is always current when a proof is checked.
contract DaimonProblem is IDaimonProblem, Initializable {
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

    /// @notice The factory that deployed this implementation; the only account allowed to initialize clones.
    address public immutable factory;
    /// @notice The DanKu integer evaluator that validates posted models and runs them in label disputes.
    DaimonModelJudge public immutable judge;

    ProblemToken private _token;
    address private _creator;
    State private _state;
    ProblemConfig private _config;
    PendingRound private _pending;
    bytes32 private _definitionHash;
    bytes32 private _tuplesDigest;
    uint32[] private _inputShape;
    string private _metadataCid;
    /// @dev Data contracts (BlobStore) holding each tuple's packed y_t.
    address[] private _targets;
    ProofRecord[] private _proofs;
    /// @dev Block hashes of the problem's chain: [0] is the Problem block.
    bytes32[] private _blockHashes;
    mapping(uint256 blockNumber => ImprovementRecord) private _improvements;
    mapping(bytes32 registration => uint256 blockNumber) private _registeredAt;
    mapping(bytes32 cidHash => Claim) private _cidOwner;
    mapping(bytes32 outputsHash => Claim) private _outputsOwner;
    mapping(uint256 proofId => mapping(address validator => VoteRecord)) private _votes;
    /// @dev Each tuple's inputsRoot (Merkle root of Z in DanKu feature bytes), by tuple index.
    bytes32[] private _inputsRoots;
    mapping(uint256 proofId => ProofBinding) private _bindings;
    mapping(uint256 proofId => address[]) private _modelChunks;

    /// @param judge_ The DanKu-evaluator judge every clone uses (deployed by the factory).
    constructor(DaimonModelJudge judge_) {
        factory = msg.sender;
        judge = judge_;
        _disableInitializers();
    }

    // =================================================================== creation and definition period

    /// @notice Called once by the factory right after cloning: fixes the definition and adds the initial tuples.
    /// @param creator_ The account that created the problem (contributor of the initial tuples).
    /// @param token_ The problem's token clone, already initialized with this problem as its minter.
    /// @param spec The definition; bounds in docs/daimon.md §1.
    /// @param initialTuples Test dataset tuples added at creation (0…8).
    function initialize(
        address creator_,
        ProblemToken token_,
        ProblemSpec calldata spec,
        TestTuple[] calldata initialTuples
    ) external initializer {
        if (msg.sender != factory) revert NotFactory(msg.sender, factory);
        DaimonLimits.validate(
            spec.config,
            spec.inputShape,
            bytes(spec.name).length,
            bytes(spec.symbol).length,
            bytes(spec.metadataCid).length,
            initialTuples.length
        );
        _token = token_;
        _creator = creator_;
        _config = spec.config;
        _inputShape = spec.inputShape;
        _metadataCid = spec.metadataCid;
        _state = State({
            createdBlock: uint64(block.number),
            definitionEnd: uint64(block.number + spec.config.definitionPeriod),
            bestDistance: uint64(DaimonMath.WAD),
            problemBlockCommitted: false
        });
        _definitionHash = keccak256(abi.encode(address(this), address(token_), creator_, spec));
        for (uint256 i; i < initialTuples.length; ++i) {
            TestTuple calldata t = initialTuples[i];
            _addTuple(creator_, t.inputsCid, t.delCid, t.inputsRoot, t.target);
        }
    }

    /// @notice Adds a test dataset tuple (Definition phase; anyone if `openTuples`, else the creator).
    /// @param inputsCid CID of the test inputs Z.
    /// @param delCid CID of the DEL function f (an ONNX file).
    /// @param inputsRoot Merkle root of Z's points in DanKu feature bytes (lib/daimon/disputes.ts `inputsRoot`).
    /// @param target y_t = f(x_t) as `embeddingSize` big-endian int16 values, not all zero.
    function addTuple(string calldata inputsCid, string calldata delCid, bytes32 inputsRoot, bytes calldata target)
        external
    {
        _requirePhase(Phase.Definition);
        if (!_config.openTuples && msg.sender != _creator) revert NotCreator(msg.sender, _creator);
        _addTuple(msg.sender, inputsCid, delCid, inputsRoot, target);
    }

    /// @notice Commits block #0 (the definition and all tuples). Anyone, once T_p is over; also done lazily by the
    /// first action of the competition.
    function commitProblemBlock() external {
        _requirePhase(Phase.Competition);
        if (_state.problemBlockCommitted) revert ProblemBlockAlreadyCommitted();
        _commitProblemBlock();
    }

    // =================================================================== proofs-of-improvement

    /// @notice Registers a model and its proof's outputs before either is published: `registration` =
    /// keccak256(abi.encode(problem, msg.sender, cid, keccak256(outputs))) hides both and binds them to the
    /// registrant, so nobody can hold a registration for outputs he has not seen. The proof is accepted from
    /// `REGISTRATION_AGE` blocks later on. Allowed from creation on (not on a dead problem).
    /// @param registration The registration hash (lib/daimon/encoding.ts `registrationHash`).
    function register(bytes32 registration) external {
        Phase current = _phase();
        if (current == Phase.Dead) revert WrongPhase(current, Phase.Competition);
        if (current == Phase.Competition) _enterCompetition();
        if (_registeredAt[registration] != 0) revert AlreadyRegistered(registration);
        _registeredAt[registration] = block.number;
        emit ModelRegistered(registration, msg.sender);
    }

    /// @notice Submits a proof-of-improvement: the model's CID and y = f(M(Z)) for every tuple, registered together
    /// by the caller at least `REGISTRATION_AGE` blocks before, bound to the model bytes (`modelHash`) and the
    /// predicted labels (`labelsRoot`), with a bond of exactly `PROOF_BOND` wei that a winning challenger takes.
    /// Accepted only before the round's dispute window, if the aggregate distance d satisfies
    /// d + δ < d_c and neither the CID nor the outputs belong to another account whose registration is older
    /// ({CidTaken}, {CopiedOutputs}); a proof whose registration is older than the current owner's takes them over
    /// and supersedes the owner's proof ({ProofSuperseded}).
    /// @param cid The model's IPFS CID (the digest of the paper's PROVE).
    /// @param modelHash keccak256 of the model in the DanKu integer format v1 (what {postModel} must match).
    /// @param labelsRoot Merkle root of the predicted labels (lib/daimon/disputes.ts `labelsRoot`).
    /// @param outputs The proof's vectors, one per tuple in tuple order, each `embeddingSize` big-endian int16.
    /// @return proofId The new proof's id (0, 1, 2, … over the problem's life).
    function submitProof(string calldata cid, bytes32 modelHash, bytes32 labelsRoot, bytes calldata outputs)
        external
        payable
        returns (uint256 proofId)
    {
        uint256 round = _enterCompetition();
        if (msg.value != DaimonLimits.PROOF_BOND) revert WrongBond(msg.value, DaimonLimits.PROOF_BOND);
        {
            uint256 closesAt = _roundStart(round + 1) - DaimonLimits.disputeWindow(_config.competitionPeriod);
            if (block.number >= closesAt) revert SubmissionsClosed(round, closesAt);
        }
        _checkCid(cid);
        proofId = _proofs.length;
        {
            uint256 registeredBlock = _requireRegistration(cid, outputs);
            _claim(_cidOwner, keccak256(bytes(cid)), proofId, registeredBlock, false);
            _claim(_outputsOwner, keccak256(outputs), proofId, registeredBlock, true);
        }
        (uint256[] memory distances, uint256 distance) = _distances(outputs);
        {
            uint256 best = _state.bestDistance;
            uint256 margin = _config.margin;
            if (distance + margin >= best) revert NoImprovement(distance, best, margin);
        }
        bytes32 proofHash = keccak256(abi.encode(address(this), msg.sender, cid, modelHash, labelsRoot, outputs));
        _proofs.push(
            ProofRecord({
                improver: msg.sender,
                round: uint56(round),
                voteCount: 0,
                superseded: false,
                distance: uint64(distance),
                supersededBy: 0,
                proofHash: proofHash,
                votesDigest: bytes32(0)
            })
        );
        _bindings[proofId].modelHash = modelHash;
        _bindings[proofId].labelsRoot = labelsRoot;
        if (!_pending.open) _pending = PendingRound({open: true, round: uint64(round), leader: 0, leaderVotes: 0});
        _emitSubmitted(proofId, round, cid, outputs, distances, distance, proofHash);
        emit ProofBound(proofId, modelHash, labelsRoot, msg.value);
    }

    function _emitSubmitted(
        uint256 proofId,
        uint256 round,
        string calldata cid,
        bytes calldata outputs,
        uint256[] memory distances,
        uint256 distance,
        bytes32 proofHash
    ) private {
        emit ProofSubmitted(proofId, round, msg.sender, cid, outputs, distances, distance, proofHash);
    }

    /// @notice Votes for proof `proofId` (its verification proof): the caller attests that he checked the model
    /// behind `proofHash`. Only in the proof's round, once per validator, never by the improver.
    /// @param proofId The proof voted for.
    /// @param proofHash The proof's hash keccak256(abi.encode(problem, improver, cid, outputs)); must match.
    /// @return position The caller's position s among the proof's validators (1, 2, 3, …).
    function vote(uint256 proofId, bytes32 proofHash) external returns (uint256 position) {
        uint256 round = _enterCompetition();
        ProofRecord storage p = _proof(proofId);
        if (p.proofHash != proofHash) revert ProofHashMismatch(proofId, proofHash, p.proofHash);
        if (p.round != round) revert VotingClosed(proofId, p.round, round);
        if (p.improver == msg.sender) revert SelfVote(proofId);
        if (p.superseded) {
            if (_bindings[proofId].voided) revert Voided(proofId);
            revert Superseded(proofId, p.supersededBy - 1);
        }
        VoteRecord storage v = _votes[proofId][msg.sender];
        if (v.position != 0) revert AlreadyVoted(proofId, msg.sender, v.position);

        uint32 s = p.voteCount + 1;
        p.voteCount = s;
        v.position = s;
        bytes32 digest = keccak256(abi.encode(p.votesDigest, msg.sender, uint256(s)));
        p.votesDigest = digest;
        position = s;
        emit VoteCast(proofId, round, msg.sender, position, digest);

        // The leader has the most votes, ties to the lowest id. Only this proof's count changed, so comparing it
        // with the leader keeps that true after every vote. A superseded leader (a copy whose author came in with
        // an older registration) can never be committed, so any vote for a live proof takes the lead from it.
        PendingRound memory pending = _pending;
        if (
            s > pending.leaderVotes || (s == pending.leaderVotes && proofId < pending.leader)
                || (pending.leader != proofId && _proofs[pending.leader].superseded)
        ) {
            _pending.leader = uint64(proofId);
            _pending.leaderVotes = s;
            emit RoundLeaderChanged(round, proofId, s);
        }
    }

    /// @notice Settles the round that has proofs once it is over (anyone: the paper's block committer): commits an
    /// Improvement block for its leader if the leader has ≥ minVotes votes and still beats d_c by δ, and mints
    /// the improver's reward. Any later action does the same lazily.
    /// @return committed Whether an Improvement block was appended.
    function commitImprovementBlock() external returns (bool committed) {
        _requirePhase(Phase.Competition);
        if (!_state.problemBlockCommitted) _commitProblemBlock();
        PendingRound memory pending = _pending;
        if (!pending.open) revert NothingToCommit();
        uint256 round = _roundAt(block.number);
        if (pending.round >= round) revert RoundNotOver(pending.round, _roundStart(uint256(pending.round) + 1));
        committed = _settle(pending);
    }

    /// @notice Mints the caller's validator reward for Improvement block `blockNumber`: R · 2^−s token units, i.e.
    /// ⌊improverReward / 2^s⌋ for position s.
    /// @param blockNumber The Improvement block (≥ 1) whose proof the caller voted for.
    /// @return amount The minted amount.
    function claimValidatorReward(uint256 blockNumber) external returns (uint256 amount) {
        _enterCompetition();
        uint256 length = _blockHashes.length;
        if (blockNumber == 0 || blockNumber >= length) revert UnknownBlock(blockNumber, length);
        ImprovementRecord memory r = _improvements[blockNumber];
        VoteRecord storage v = _votes[r.proofId][msg.sender];
        uint256 position = v.position;
        if (position == 0) revert NoVote(blockNumber, msg.sender);
        if (v.claimed) revert AlreadyClaimed(blockNumber, msg.sender);
        amount = DaimonMath.validatorShare(r.improverReward, position);
        if (amount == 0) revert NothingToClaim(blockNumber, msg.sender);
        v.claimed = true;
        emit ValidatorRewardClaimed(blockNumber, msg.sender, position, amount);
        _token.mint(msg.sender, amount);
    }

    // =================================================================== disputes (docs/daimon.md §14.3)
    //
    // A proof is disputable from its submission until its round ends; proofs are accepted only before the round's
    // last W blocks (`disputeWindow`), so each has at least W blocks. A proof that loses a dispute is voided: it takes
    // no more votes, is never committed, and its bond goes to the challenger. The third kind of dispute,
    // `disputeOutput` (f(labels) ≠ outputs, segment by segment on the quantized DEL function), is added by
    // contracts/daimon/DaimonDelEvaluator.sol's integration: it voids through {_void} like the two below.

    /// @notice Disputes proof `proofId`'s availability, with a bond of exactly `AVAILABILITY_BOND` wei: its model
    /// bytes (matching modelHash, valid DanKu v1 for this problem) must be posted ({postModel}) within T_a blocks,
    /// or anyone may void the proof with {claimUnavailable}. Open until 2·T_a blocks before the round ends.
    /// @param proofId The proof whose model the caller wants on chain.
    function disputeAvailability(uint256 proofId) external payable {
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
    function postModel(uint256 proofId, bytes calldata model) external {
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
    function postLabels(uint256 proofId, bytes calldata labels) external {
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
    function claimUnavailable(uint256 proofId) external {
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
    function disputeLabel(uint256 proofId, LabelDispute calldata d) external {
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
    function returnBond(uint256 proofId) external {
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

    // =================================================================== views

    /// @notice Proof `proofId`'s model binding and dispute state.
    function bindingOf(uint256 proofId) external view returns (ProofBinding memory) {
        _proof(proofId);
        return _bindings[proofId];
    }

    /// @notice The current phase (docs/daimon.md §5).
    function phase() external view returns (Phase) {
        return _phase();
    }

    /// @notice The competition round of the current block; reverts during the definition period.
    function currentRound() external view returns (uint256) {
        if (block.number < _state.definitionEnd) revert WrongPhase(Phase.Definition, Phase.Competition);
        return _roundAt(block.number);
    }

    /// @notice First block of round `round` and first block after it.
    function roundBounds(uint256 round) external view returns (uint256 start, uint256 end) {
        return (_roundStart(round), _roundStart(round + 1));
    }

    /// @notice The problem's ERC-20 token.
    function token() external view returns (address) {
        return address(_token);
    }

    /// @notice The account that created the problem.
    function creator() external view returns (address) {
        return _creator;
    }

    /// @notice The configuration fixed at creation.
    function config() external view returns (ProblemConfig memory) {
        return _config;
    }

    /// @notice Shape of one test input.
    function inputShape() external view returns (uint32[] memory) {
        return _inputShape;
    }

    /// @notice CID of the off-chain problem description.
    function metadataCid() external view returns (string memory) {
        return _metadataCid;
    }

    /// @notice Block in which the problem was created.
    function createdBlock() external view returns (uint256) {
        return _state.createdBlock;
    }

    /// @notice First block after the definition period (= first block of round 0).
    function definitionEnd() external view returns (uint256) {
        return _state.definitionEnd;
    }

    /// @notice keccak256(abi.encode(problem, token, creator, spec)), part of the Problem block.
    function definitionHash() external view returns (bytes32) {
        return _definitionHash;
    }

    /// @notice Number of test dataset tuples.
    function tupleCount() external view returns (uint256) {
        return _targets.length;
    }

    /// @notice y_t of tuple `index` (packed int16).
    function tupleTarget(uint256 index) external view returns (bytes memory target) {
        uint256 count = _targets.length;
        if (index >= count) revert UnknownTuple(index, count);
        uint256 size = 2 * uint256(_config.embeddingSize);
        target = new bytes(size);
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(target, 32)
        }
        BlobStore.readInto(_targets[index], 0, size, ptr);
    }

    /// @notice Running digest of the tuples: t_{i+1} = keccak256(abi.encode(t_i, tupleHash_i)), t_0 = 0.
    function tuplesDigest() external view returns (bytes32) {
        return _tuplesDigest;
    }

    /// @notice Whether block #0 has been committed.
    function problemBlockCommitted() external view returns (bool) {
        return _state.problemBlockCommitted;
    }

    /// @notice d_c: the distance of the last Improvement block, 1e18 before the first.
    function bestDistance() external view returns (uint256) {
        return _state.bestDistance;
    }

    /// @notice The round with proofs that is not settled yet, with its leader (leaderVotes = 0: no vote yet).
    function pendingRound() external view returns (PendingRound memory) {
        return _pending;
    }

    /// @notice Block in which `registration` was made (0 if never).
    function registeredAt(bytes32 registration) external view returns (uint256) {
        return _registeredAt[registration];
    }

    /// @notice The account whose proof owns the CID with hash `cidHash` (zero address if none).
    function cidOwner(bytes32 cidHash) external view returns (address) {
        return _cidOwner[cidHash].improver;
    }

    /// @notice The account and proof that own the CID with hash `cidHash` (zero address if none) and the block of
    /// that account's registration: another account with an older registration of the CID may still take it over.
    function cidClaim(bytes32 cidHash) external view returns (address improver, uint256 proofId, uint256 registeredBlock) {
        Claim memory c = _cidOwner[cidHash];
        return (c.improver, c.proofId, c.registeredBlock);
    }

    /// @notice The account and proof that own outputs with hash `outputsHash` = keccak256(outputs) (zero address if
    /// none) and the block of that account's registration for them: equal outputs from other accounts registered
    /// later are copies.
    function outputsOwner(bytes32 outputsHash)
        external
        view
        returns (address improver, uint256 proofId, uint256 registeredBlock)
    {
        Claim memory c = _outputsOwner[outputsHash];
        return (c.improver, c.proofId, c.registeredBlock);
    }

    /// @notice Number of accepted proofs.
    function proofCount() external view returns (uint256) {
        return _proofs.length;
    }

    /// @notice Proof `proofId`.
    function proofAt(uint256 proofId) external view returns (Proof memory) {
        ProofRecord storage p = _proof(proofId);
        return Proof({
            improver: p.improver,
            round: p.round,
            voteCount: p.voteCount,
            distance: p.distance,
            proofHash: p.proofHash,
            votesDigest: p.votesDigest,
            supersededBy: p.supersededBy
        });
    }

    /// @notice The position of `validator` among proof `proofId`'s validators (0: no vote) and whether the reward
    /// for it was claimed.
    function voteOf(uint256 proofId, address validator) external view returns (uint256 position, bool claimed) {
        VoteRecord memory v = _votes[proofId][validator];
        return (v.position, v.claimed);
    }

    /// @notice Number of committed blocks, the Problem block included (0 before it).
    function chainLength() external view returns (uint256) {
        return _blockHashes.length;
    }

    /// @notice Hash of block `blockNumber`.
    function blockHashAt(uint256 blockNumber) external view returns (bytes32) {
        uint256 length = _blockHashes.length;
        if (blockNumber >= length) revert UnknownBlock(blockNumber, length);
        return _blockHashes[blockNumber];
    }

    /// @notice Improvement block `blockNumber` (≥ 1).
    function improvementBlockAt(uint256 blockNumber) external view returns (ImprovementBlock memory) {
        uint256 length = _blockHashes.length;
        if (blockNumber == 0 || blockNumber >= length) revert UnknownBlock(blockNumber, length);
        return _improvementBlock(blockNumber, _improvements[blockNumber]);
    }

    /// @notice R(d, d_c) in WAD and the improver's token amount for it under this problem's a and rewardScale.
    function rewardFor(uint256 distance, uint256 bestDistance_) external view returns (uint256 r, uint256 amount) {
        r = DaimonMath.reward(distance, bestDistance_, _config.rewardShape);
        amount = DaimonMath.scaleReward(r, _config.rewardScale);
    }

    /// @notice What `account` may claim now for voting on Improvement block `blockNumber` (0 if nothing).
    function validatorReward(uint256 blockNumber, address account) external view returns (uint256) {
        if (blockNumber == 0 || blockNumber >= _blockHashes.length) return 0;
        ImprovementRecord memory r = _improvements[blockNumber];
        VoteRecord memory v = _votes[r.proofId][account];
        if (v.position == 0 || v.claimed) return 0;
        return DaimonMath.validatorShare(r.improverReward, v.position);
    }

    /// @notice The per-tuple distances and the aggregate distance of `outputs` against the tuples added so far
    /// (what {submitProof} would compute), with the same reverts.
    function distanceOf(bytes calldata outputs) external view returns (uint256[] memory distances, uint256 distance) {
        return _distances(outputs);
    }

    // =================================================================== internals

    function _phase() private view returns (Phase) {
        if (block.number < _state.definitionEnd) return Phase.Definition;
        return _targets.length == 0 ? Phase.Dead : Phase.Competition;
    }

    function _requirePhase(Phase required) private view {
        Phase current = _phase();
        if (current != required) revert WrongPhase(current, required);
    }

    function _roundStart(uint256 round) private view returns (uint256) {
        return uint256(_state.definitionEnd) + round * _config.competitionPeriod;
    }

    /// @dev Block `b` ≥ definitionEnd lies in round ⌊(b − definitionEnd) / T_b⌋.
    function _roundAt(uint256 b) private view returns (uint256) {
        return (b - _state.definitionEnd) / _config.competitionPeriod;
    }

    /// @dev Start of every competition action: commits the Problem block if due and settles the previous round if it
    /// is over, so d_c is current. Returns the current round.
    function _enterCompetition() private returns (uint256 round) {
        _requirePhase(Phase.Competition);
        if (!_state.problemBlockCommitted) _commitProblemBlock();
        round = _roundAt(block.number);
        PendingRound memory pending = _pending;
        if (pending.open && pending.round < round) _settle(pending);
    }

    /// @dev A proof that can still be disputed or posted: exists, not voided, not a superseded copy.
    function _live(uint256 proofId) private view returns (ProofRecord storage p, ProofBinding storage b) {
        p = _proof(proofId);
        b = _bindings[proofId];
        if (b.voided) revert Voided(proofId);
        if (p.superseded) revert Superseded(proofId, p.supersededBy - 1);
    }

    /// @dev Voids a proof that lost a dispute: dead for votes and settlement, its bond (plus `extra` held for the
    /// challenger) paid to `challenger`.
    function _void(uint256 proofId, address challenger, VoidReason reason, uint256 tuple, uint256 index, uint256 extra)
        private
    {
        _bindings[proofId].voided = true;
        _proofs[proofId].superseded = true;
        uint256 paid = DaimonLimits.PROOF_BOND + extra;
        emit ProofVoided(proofId, challenger, reason, tuple, index, paid);
        _pay(challenger, paid);
    }

    function _pay(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    /// @dev F: the number of input values per test point (the product of the input shape, ≤ 8 dimensions).
    function _featureCount() private view returns (uint256 f) {
        uint32[] storage shape = _inputShape;
        f = 1;
        for (uint256 i; i < shape.length; ++i) f *= shape[i];
    }

    function _checkCid(string calldata cid) private pure {
        uint256 length = bytes(cid).length;
        if (length == 0 || length > DaimonLimits.MAX_CID_BYTES) revert CidLength(length, DaimonLimits.MAX_CID_BYTES);
    }

    /// @dev The caller's registration of (cid, outputs) and its block; it must be `REGISTRATION_AGE` blocks old. A
    /// failed proof publishes cid and outputs: whoever registers them after seeing them gets a usable registration R
    /// blocks after the author, whose registration was that old before he first sent the proof.
    function _requireRegistration(string calldata cid, bytes calldata outputs) private view returns (uint256 at) {
        bytes32 registration = keccak256(abi.encode(address(this), msg.sender, cid, keccak256(outputs)));
        at = _registeredAt[registration];
        if (at == 0) revert NotRegistered(registration);
        uint256 usableFrom = at + DaimonLimits.REGISTRATION_AGE;
        if (block.number < usableFrom) revert RegistrationTooRecent(registration, at, usableFrom);
    }

    /// @dev Ownership of a CID (`isOutputs` false) or of an outputs vector (the copy rule), decided by registration
    /// age, never by which proof was mined first: a front-runner can only register what he has seen, so his
    /// registration is younger than the author's. Another account's claim registered earlier refuses this proof
    /// ({CidTaken} / {CopiedOutputs}); one registered in the same block is left in place and this proof accepted too
    /// (neither can have seen the other's outputs, which appear on chain R blocks after a registration at the
    /// earliest); one registered later (a copier who got in while the author was kept out) passes to this proof, and
    /// the copier's proof is superseded: no more votes, never committed.
    function _claim(
        mapping(bytes32 => Claim) storage claims,
        bytes32 key,
        uint256 proofId,
        uint256 registeredBlock,
        bool isOutputs
    ) private {
        Claim memory c = claims[key];
        if (c.improver == msg.sender) {
            // The owner resubmits (later round, or another CID for his outputs): keep his oldest registration.
            if (registeredBlock < c.registeredBlock) claims[key].registeredBlock = uint48(registeredBlock);
            return;
        }
        if (c.improver != address(0)) {
            if (c.registeredBlock < registeredBlock) {
                if (isOutputs) revert CopiedOutputs(key, c.proofId, c.improver);
                revert CidTaken(key, c.improver);
            }
            if (c.registeredBlock == registeredBlock) return;
            ProofRecord storage displaced = _proofs[c.proofId];
            if (!displaced.superseded) {
                displaced.superseded = true;
                displaced.supersededBy = uint64(proofId + 1);
                emit ProofSuperseded(c.proofId, proofId, key, c.improver, msg.sender);
            }
        }
        claims[key] = Claim({improver: msg.sender, proofId: uint48(proofId), registeredBlock: uint48(registeredBlock)});
    }

    function _addTuple(
        address contributor,
        string calldata inputsCid,
        string calldata delCid,
        bytes32 inputsRoot,
        bytes calldata target
    ) private {
        uint256 index = _targets.length;
        if (index >= DaimonLimits.MAX_TUPLES) revert TooManyTuples(DaimonLimits.MAX_TUPLES);
        _checkCid(inputsCid);
        _checkCid(delCid);
        uint256 size = 2 * uint256(_config.embeddingSize);
        if (target.length != size) revert VectorLength(index, target.length, size);
        bytes memory packed = target;
        uint256 ptr;
        uint256 any;
        assembly ("memory-safe") {
            ptr := add(packed, 32)
            let end := add(ptr, size)
            for { let p := ptr } lt(p, end) { p := add(p, 32) } {
                let word := mload(p)
                let left := sub(end, p)
                if lt(left, 32) { word := shr(mul(8, sub(32, left)), word) }
                any := or(any, word)
            }
        }
        if (any == 0) revert ZeroVector(index);
        _targets.push(BlobStore.writeMemory(ptr, size));
        _inputsRoots.push(inputsRoot);
        bytes32 tupleHash = keccak256(abi.encode(inputsCid, delCid, inputsRoot, target));
        _tuplesDigest = keccak256(abi.encode(_tuplesDigest, tupleHash));
        emit TupleAdded(index, contributor, inputsCid, delCid, inputsRoot, target, tupleHash);
    }

    function _commitProblemBlock() private {
        _state.problemBlockCommitted = true;
        uint256 count = _targets.length;
        bytes32 digest = _tuplesDigest;
        bytes32 blockHash = keccak256(abi.encode(uint256(0), bytes32(0), _definitionHash, count, digest));
        _blockHashes.push(blockHash);
        emit ProblemBlockCommitted(blockHash, _definitionHash, count, digest, msg.sender);
    }

    /// @dev Distances of `outputs` (one vector per tuple) to the targets: per tuple the modified cosine distance,
    /// overall the mean rounded up.
    function _distances(bytes calldata outputs) private view returns (uint256[] memory distances, uint256 distance) {
        uint256 n = _config.embeddingSize;
        uint256 size = 2 * n;
        uint256 count = _targets.length;
        if (outputs.length != count * size) revert ProofLength(outputs.length, count * size);
        distances = new uint256[](count);
        // Two buffers with 32 spare bytes each: the dot-product loop reads a little past a vector's end.
        uint256 output = _alloc(size + 32);
        uint256 target = _alloc(size + 32);
        uint256 sum;
        for (uint256 i; i < count; ++i) {
            BlobStore.readInto(_targets[i], 0, size, target);
            assembly ("memory-safe") {
                calldatacopy(output, add(outputs.offset, mul(i, size)), size)
            }
            (int256 dot, uint256 normOutput, uint256 normTarget) = DaimonMath.dotAndNorms(output, target, n);
            if (normOutput == 0) revert ZeroVector(i);
            uint256 d = DaimonMath.cosineDistance(dot, normOutput, normTarget);
            distances[i] = d;
            sum += d;
        }
        distance = count == 0 ? DaimonMath.WAD : DaimonMath.meanRoundedUp(sum, count);
    }

    /// @dev Closes `pending` (the caller checked it is over). Commits the leader if it qualifies; mints last.
    function _settle(PendingRound memory pending) private returns (bool committed) {
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
        private
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
        private
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

    function _proof(uint256 proofId) private view returns (ProofRecord storage) {
        if (proofId >= _proofs.length) revert UnknownProof(proofId, _proofs.length);
        return _proofs[proofId];
    }

    /// @dev Reserves `size` bytes of memory (rounded up to whole words) and returns their start.
    function _alloc(uint256 size) private pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }
}
