// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {BlobStore} from "../danku/BlobStore.sol";
import {ImprovementBlock, PendingRound, Phase, ProblemConfig, ProblemSpec, Proof, ProofBinding, TestTuple} from "./IDaimonProblem.sol";
import {DaimonLimits} from "./DaimonLimits.sol";
import {DaimonMath} from "./DaimonMath.sol";
import {DaimonDisputeModule} from "./DaimonDisputeModule.sol";
import {DaimonProblemState} from "./DaimonProblemState.sol";
import {ProblemToken} from "./ProblemToken.sol";

/// @title DaimonProblem
/// @notice One DaiMoN problem chain (docs/daimon.md): a definition period T_p in which test dataset tuples
/// (Z, f, y_t) are added, the Problem block, then competition rounds of T_b blocks in which model improvers register
/// and submit proofs-of-improvement, validators vote on them, and the proof with the most votes is committed as an
/// Improvement block that mints the problem's token to its improver and, on claim, to its validators. The disputes
/// of proofs (docs/daimon.md §14.3: disputeAvailability, postModel, postLabels, claimUnavailable, disputeLabel,
/// returnBond, withdrawVoteBond, bindingOf, judge) run in {disputeModule} by DELEGATECALL, through {fallback} (and the payable
/// {disputeAvailability}, the one that takes a bond), on this contract's storage ({DaimonProblemState}); their ABI
/// is `daimonDisputeModuleAbi`, called at the problem's address.
/// @dev Every function does a bounded amount of work: no loop runs over an array that users can grow (the loops
/// are over ≤ 8 tuples, ≤ 256 vector entries and ≤ 32 series terms). The round that has proofs is settled lazily by
/// the first action of a later round, so the best distance is always current when a proof is checked.
contract DaimonProblem is DaimonProblemState, Initializable {
    /// @notice The factory that deployed this implementation; the only account allowed to initialize clones.
    address public immutable factory;
    /// @notice The dispute part of every problem (docs/daimon.md §14.3), run by DELEGATECALL: every function this
    /// contract does not have reaches it through {fallback}. An immutable of the implementation, so every EIP-1167
    /// clone (which runs this code) uses the same module.
    DaimonDisputeModule public immutable disputeModule;

    /// @param disputeModule_ The dispute module every clone delegates its disputes to (deployed before the factory).
    constructor(DaimonDisputeModule disputeModule_) {
        factory = msg.sender;
        disputeModule = disputeModule_;
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
            _addTuple(creator_, t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target);
        }
    }

    /// @notice Adds a test dataset tuple (Definition phase; anyone if `openTuples`, else the creator).
    /// @param inputsCid CID of the test inputs Z.
    /// @param delCid CID of the DEL function f (an ONNX file).
    /// @param inputsRoot Merkle root of Z's points in DanKu feature bytes (lib/daimon/disputes.ts `inputsRoot`).
    /// @param delRoot fRoot of f's quantized form f_q (lib/daimon/delQuantized.ts `delqRoot`), what output disputes
    /// check f against.
    /// @param target y_t = f(x_t) as `embeddingSize` big-endian int16 values, not all zero.
    function addTuple(
        string calldata inputsCid,
        string calldata delCid,
        bytes32 inputsRoot,
        bytes32 delRoot,
        bytes calldata target
    ) external {
        _requirePhase(Phase.Definition);
        if (!_config.openTuples && msg.sender != _creator) revert NotCreator(msg.sender, _creator);
        _addTuple(msg.sender, inputsCid, delCid, inputsRoot, delRoot, target);
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
    /// @param checkpoints f_q's checkpoints on the labels, per tuple in tuple order: S_t as one 32-byte word, then
    /// c_1 … c_{S_t} (lib/daimon/delQuantized.ts `packCheckpoints`); hashed with the outputs into the binding's
    /// claimHash and published in {ProofCheckpoints}: what output disputes recompute step by step. Not checked here
    /// (S_t depends on each f): a layout that is not f's loses the first output dispute of a tuple it misplaces.
    /// @param outputs The proof's vectors, one per tuple in tuple order, each `embeddingSize` big-endian int16.
    /// @return proofId The new proof's id (0, 1, 2, … over the problem's life).
    function submitProof(
        string calldata cid,
        bytes32 modelHash,
        bytes32 labelsRoot,
        bytes calldata checkpoints,
        bytes calldata outputs
    ) external payable returns (uint256 proofId) {
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
        bytes32 proofHash = keccak256(
            abi.encode(address(this), msg.sender, cid, modelHash, labelsRoot, keccak256(checkpoints), outputs)
        );
        _proofs.push(
            ProofRecord({
                improver: msg.sender,
                round: uint56(round),
                voteCount: 0,
                superseded: false,
                distance: uint64(distance),
                supersededBy: 0,
                withdrawnVotes: 0,
                proofHash: proofHash,
                votesDigest: bytes32(0)
            })
        );
        if (!_pending.open) _pending = PendingRound({open: true, round: uint64(round), leader: 0, leaderVotes: 0});
        _emitSubmitted(proofId, round, cid, outputs, distances, distance, proofHash);
        _bind(proofId, modelHash, labelsRoot, checkpoints, outputs);
    }

    /// @dev Stores proof `proofId`'s binding (model, labels, and the claim output disputes check) and publishes it.
    function _bind(
        uint256 proofId,
        bytes32 modelHash,
        bytes32 labelsRoot,
        bytes calldata checkpoints,
        bytes calldata outputs
    ) private {
        ProofBinding storage b = _bindings[proofId];
        b.modelHash = modelHash;
        b.labelsRoot = labelsRoot;
        b.claimHash = keccak256(abi.encode(keccak256(outputs), keccak256(checkpoints)));
        emit ProofBound(proofId, modelHash, labelsRoot, DaimonLimits.PROOF_BOND);
        emit ProofCheckpoints(proofId, checkpoints);
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

    /// @notice Votes for proof `proofId` (its verification proof) with a bond of exactly `VOTE_BOND` wei: the caller
    /// attests that he checked the model behind `proofHash`. If the proof loses a dispute the bond goes to the
    /// challenger; otherwise it is withdrawable after the round ({DaimonDisputeModule-withdrawVoteBond}). Only in the
    /// proof's round, once per validator, never by the improver, at most `MAX_VOTES` per proof.
    /// @param proofId The proof voted for.
    /// @param proofHash The proof's hash keccak256(abi.encode(problem, improver, cid, modelHash, labelsRoot,
    /// keccak256(checkpoints), outputs)) (lib/daimon/encoding.ts `proofHash`); must match.
    /// @return position The caller's position s among the proof's validators (1, 2, 3, …; it earns nothing extra).
    function vote(uint256 proofId, bytes32 proofHash) external payable returns (uint256 position) {
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
        if (msg.value != DaimonLimits.VOTE_BOND) revert WrongBond(msg.value, DaimonLimits.VOTE_BOND);
        if (p.voteCount >= DaimonLimits.MAX_VOTES) revert TooManyVotes(proofId, DaimonLimits.MAX_VOTES);

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

    /// @notice Mints the caller's validator reward for Improvement block `blockNumber`: an equal share of a quarter
    /// of the improver's reward, ⌊⌊improverReward / 4⌋ / voteCount⌋, whatever the vote's position. Only votes on
    /// committed proofs earn it, and a proof is committed only after its round, dispute window included.
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
        amount = DaimonMath.validatorShare(r.improverReward, r.voteCount);
        if (amount == 0) revert NothingToClaim(blockNumber, msg.sender);
        v.claimed = true;
        emit ValidatorRewardClaimed(blockNumber, msg.sender, position, amount);
        _token.mint(msg.sender, amount);
    }

    // =================================================================== disputes, by DELEGATECALL

    /// @notice Disputes proof `proofId`'s availability with a bond of exactly `AVAILABILITY_BOND` wei: the one
    /// dispute that takes ETH, so it has its own payable entry here (the fallback takes none, and plain ETH sent to a
    /// problem reverts). Runs {DaimonDisputeModule-disputeAvailability}.
    /// @param proofId The proof whose model and labels the caller wants on chain.
    function disputeAvailability(uint256 proofId) external payable {
        (proofId); // read by the module, from the same calldata
        _delegate();
    }

    /// @notice Everything else this contract does not declare (the disputes of docs/daimon.md §14.3 and their views)
    /// runs in {disputeModule}, which reverts on anything else.
    fallback() external {
        _delegate();
    }

    /// @dev Runs the current call (same calldata: the module's functions have the selectors they are called by) in
    /// the dispute module on this contract's storage and ends with its result: its return data, or its revert data
    /// (the custom errors of {IDaimonProblem}, which this contract's ABI decodes). The module calls only the judge.
    function _delegate() private {
        address module = address(disputeModule);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    // =================================================================== views

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

    /// @notice The position of `validator` among proof `proofId`'s validators (0: no vote), whether the reward for
    /// it was claimed and whether its bond was withdrawn.
    function voteOf(uint256 proofId, address validator)
        external
        view
        returns (uint256 position, bool claimed, bool bondWithdrawn)
    {
        VoteRecord memory v = _votes[proofId][validator];
        return (v.position, v.claimed, v.bondWithdrawn);
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
        return DaimonMath.validatorShare(r.improverReward, r.voteCount);
    }

    /// @notice The per-tuple distances and the aggregate distance of `outputs` against the tuples added so far
    /// (what {submitProof} would compute), with the same reverts.
    function distanceOf(bytes calldata outputs) external view returns (uint256[] memory distances, uint256 distance) {
        return _distances(outputs);
    }

    // =================================================================== internals

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
        bytes32 delRoot,
        bytes calldata target
    ) private {
        uint256 index = _targets.length;
        if (index >= DaimonLimits.MAX_TUPLES) revert TooManyTuples(DaimonLimits.MAX_TUPLES);
        _checkCid(inputsCid);
        _checkCid(delCid);
        _targets.push(_storeTarget(index, target));
        _inputsRoots.push(inputsRoot);
        _delRoots.push(delRoot);
        bytes32 tupleHash = keccak256(abi.encode(inputsCid, delCid, inputsRoot, delRoot, target));
        _tuplesDigest = keccak256(abi.encode(_tuplesDigest, tupleHash));
        emit TupleAdded(index, contributor, inputsCid, delCid, inputsRoot, delRoot, target, tupleHash);
    }

    /// @dev Checks y_t of tuple `index` (2n bytes, not the zero vector) and stores it as a data contract.
    function _storeTarget(uint256 index, bytes calldata target) private returns (address) {
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
        return BlobStore.writeMemory(ptr, size);
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

    /// @dev Reserves `size` bytes of memory (rounded up to whole words) and returns their start.
    function _alloc(uint256 size) private pure returns (uint256 ptr) {
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, and(add(size, 31), not(31))))
        }
    }
}
