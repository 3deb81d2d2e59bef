// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DaimonDelEvaluator} from "./DaimonDelEvaluator.sol";

/// @notice Lifecycle of a problem (docs/daimon.md §5), computed from the block height and the tuple count.
enum Phase {
    /// Blocks [createdBlock, definitionEnd): test dataset tuples may be added.
    Definition,
    /// From definitionEnd on, with at least one tuple: competition rounds of `competitionPeriod` blocks.
    Competition,
    /// The definition period ended without a single tuple: nothing can ever happen on this problem.
    Dead
}

/// @notice Creator-chosen parameters, fixed at creation; bounds in docs/daimon.md §1.
struct ProblemConfig {
    /// C: number of classes (labels 1…C).
    uint16 classCount;
    /// m: test-set size, the length of the label vector x_t every DEL function takes.
    uint32 testSetSize;
    /// n: length of every DEL output vector y (2…256).
    uint16 embeddingSize;
    /// T_p in blocks.
    uint32 definitionPeriod;
    /// T_b in blocks.
    uint32 competitionPeriod;
    /// a: shape parameter of the reward I_{1−d}(a, ½) − I_{1−d_c}(a, ½), an integer 1…32.
    uint8 rewardShape;
    /// Votes a round's leading proof needs to be committed (≥ 1).
    uint16 minVotes;
    /// Whether anyone (true) or only the creator (false) may add test dataset tuples.
    bool openTuples;
    /// δ in WAD (1e18 = 1): a proof is accepted only if d + δ < d_c.
    uint64 margin;
    /// Token base units minted to the improver for R = 1 (WAD).
    uint128 rewardScale;
}

/// @notice One test dataset tuple (Z, f, y_t): test inputs and DEL function by IPFS CID, y_t = f(x_t) packed as
/// `embeddingSize` big-endian int16 values (docs/daimon.md §2).
struct TestTuple {
    string inputsCid;
    string delCid;
    /// Merkle root of Z's points in the DanKu feature-byte form (docs/daimon.md §14.3, lib/daimon/disputes.ts
    /// `inputsRoot`): what `disputeLabel` proves Z_i against.
    bytes32 inputsRoot;
    /// @notice fRoot of the tuple's quantized DEL function f_q (docs/daimon.md §14.3.1, lib/daimon/delQuantized.ts
    /// `delqRoot`, `DaimonDelEvaluator.fRoot`): what `disputeOutput` checks the f it is given against.
    bytes32 delRoot;
    bytes target;
}

/// @notice Everything that defines a problem besides its tuples; emitted in `ProblemCreated` and hashed into the
/// Problem block (docs/daimon.md §6).
struct ProblemSpec {
    ProblemConfig config;
    /// Shape of one test input z, e.g. [1, 28, 28] (1…8 dimensions, each ≥ 1).
    uint32[] inputShape;
    /// The problem token's ERC-20 name and symbol.
    string name;
    string symbol;
    /// CID of the off-chain problem description.
    string metadataCid;
}

/// @notice Which configuration value a {IDaimonProblem.ConfigOutOfRange} error is about.
enum ConfigField {
    ClassCount,
    TestSetSize,
    EmbeddingSize,
    DefinitionPeriod,
    CompetitionPeriod,
    RewardShape,
    MinVotes,
    Margin,
    RewardScale,
    InputRank,
    InputDimension,
    NameLength,
    SymbolLength,
    MetadataCidLength,
    InitialTuples
}

/// @notice Public view of one proof-of-improvement.
struct Proof {
    address improver;
    uint64 round;
    uint32 voteCount;
    uint64 distance;
    bytes32 proofHash;
    bytes32 votesDigest;
    /// 1 + the id of the proof, registered earlier, that took this proof's outputs or CID (0: none); a superseded
    /// proof takes no votes and is never committed (docs/daimon.md §7).
    uint64 supersededBy;
}

/// @notice Public view of one committed Improvement block (block numbers ≥ 1; block 0 is the Problem block). The
/// block hash covers every field but `improver` and `improverReward` (both follow from the others).
struct ImprovementBlock {
    uint64 blockNumber;
    bytes32 blockHash;
    bytes32 parentHash;
    uint64 round;
    uint64 proofId;
    address improver;
    bytes32 proofHash;
    uint64 distance;
    uint64 previousDistance;
    uint32 voteCount;
    bytes32 votesDigest;
    uint128 improverReward;
}

/// @notice What binds a proof to its model (docs/daimon.md §14.3) and where its disputes stand.
struct ProofBinding {
    /// keccak256 of the model bytes in the DanKu integer format v1.
    bytes32 modelHash;
    /// Merkle root of the predicted labels, leaf t·mp + i (mp = 2^⌈log₂ m⌉) = the model's label of tuple t's Z_i.
    bytes32 labelsRoot;
    /// Who disputed the model's availability (zero: nobody).
    address availabilityChallenger;
    /// Last block in which the model may be posted to answer that dispute.
    uint64 availabilityDeadline;
    /// Whether the model bytes are on chain (BlobStore chunks, `modelChunks`).
    bool modelPosted;
    /// Whether the labels were posted (checked against labelsRoot, published in `LabelsPosted`).
    bool labelsPosted;
    /// Whether the proof lost a dispute: no votes, never committed, its bond went to the challenger.
    bool voided;
    /// Whether the improver's bond was returned.
    bool bondReturned;
    /// keccak256(abi.encode(keccak256(outputs), keccak256(checkpoints))): what output disputes check the outputs and
    /// the f_q checkpoints they are given against (both are published in `ProofSubmitted` / `ProofCheckpoints`).
    bytes32 claimHash;
}

/// @notice Why a proof was voided.
enum VoidReason {
    /// A label dispute showed that the posted model does not predict the claimed label of some Z_i.
    WrongLabel,
    /// The model was not posted within the availability period after a dispute.
    Unavailable,
    /// An output dispute showed that a checkpoint or the outputs of tuple `tuple` do not follow from the proof's
    /// labels through the tuple's f_q (index: the segment j, or S for the output step; 2^256 − 1 when the
    /// checkpoints are not laid out for the tuples' f: a count other than f's S, or too few bytes).
    WrongOutput
}

/// @notice Arguments of a label dispute: test point `index` of tuple `tuple`, its feature bytes with their Merkle
/// path to the tuple's inputsRoot, and the proof's claimed label with its path to the proof's labelsRoot.
struct LabelDispute {
    uint256 tuple;
    uint256 index;
    bytes features;
    bytes32[] inputsPath;
    uint16 label;
    bytes32[] labelsPath;
}

/// @notice What every output dispute names (docs/daimon.md §14.3.1): the tuple, its f_q commitment (checked against
/// the tuple's delRoot), the proof's outputs and checkpoints (checked against its claimHash), and the root of the
/// tuple's m labels with its path to the proof's labelsRoot (lib/daimon/delQuantized.ts `outputClaimArgs`).
/// @dev The checkpoints are, per tuple in tuple order, S_t as one 32-byte word then c_1 … c_{S_t} (32 bytes each).
struct OutputClaim {
    uint256 tuple;
    DaimonDelEvaluator.DelCommit f;
    bytes outputs;
    bytes checkpoints;
    bytes32 tupleLabelsRoot;
    bytes32[] tupleLabelsPath;
}

/// @notice The round that has proofs and is not settled yet (at most one at any time).
struct PendingRound {
    bool open;
    uint64 round;
    uint64 leader;
    uint32 leaderVotes;
}

/// @title IDaimonProblem
/// @notice Events and errors of DaiMoN problems, their tokens and their factory.
interface IDaimonProblem {
    // ---------------------------------------------------------------- events

    /// @notice Test dataset tuple number `index` was added by `contributor`.
    event TupleAdded(
        uint256 indexed index,
        address indexed contributor,
        string inputsCid,
        string delCid,
        bytes32 inputsRoot,
        bytes32 delRoot,
        bytes target,
        bytes32 tupleHash
    );
    /// @notice Block #0 of the problem's chain: the definition and every tuple added during T_p.
    event ProblemBlockCommitted(
        bytes32 indexed blockHash, bytes32 definitionHash, uint256 tupleCount, bytes32 tuplesDigest, address committer
    );
    /// @notice `registrant` registered keccak256(abi.encode(problem, registrant, cid, keccak256(outputs))) for a
    /// model and outputs not yet published.
    event ModelRegistered(bytes32 indexed registration, address indexed registrant);
    /// @notice A proof-of-improvement was accepted: `distance` = ceil(mean(distances)) < bestDistance − margin.
    event ProofSubmitted(
        uint256 indexed proofId,
        uint256 indexed round,
        address indexed improver,
        string cid,
        bytes outputs,
        uint256[] distances,
        uint256 distance,
        bytes32 proofHash
    );
    /// @notice Proof `proofId` is bound to the model with hash `modelHash` and the labels with root `labelsRoot`;
    /// it carries a bond of `bond` wei until its round is over.
    event ProofBound(uint256 indexed proofId, bytes32 modelHash, bytes32 labelsRoot, uint256 bond);
    /// @notice Proof `proofId`'s f_q checkpoints (per tuple: S_t as a 32-byte word, then c_1 … c_{S_t}), what a
    /// challenger rebuilds an output dispute from.
    event ProofCheckpoints(uint256 indexed proofId, bytes checkpoints);
    /// @notice `challenger` disputed proof `proofId`'s availability: its model must be posted by block `deadline`.
    event AvailabilityDisputed(uint256 indexed proofId, address indexed challenger, uint256 deadline);
    /// @notice Proof `proofId`'s model was posted by `poster` as `chunks` data contracts.
    event ModelPosted(uint256 indexed proofId, address indexed poster, address[] chunks);
    /// @notice Proof `proofId`'s labels (uint16 big-endian, leaf order), checked against its labelsRoot.
    event LabelsPosted(uint256 indexed proofId, bytes labels);
    /// @notice Proof `proofId` lost a dispute (`reason`; for a wrong label, test point `index` of tuple `tuple`):
    /// `challenger` received `paid` wei (the proof's bond, plus his availability bond back, plus the slashed bonds of
    /// the proof's votes, {VoteBondsSlashed}).
    event ProofVoided(
        uint256 indexed proofId, address indexed challenger, VoidReason reason, uint256 tuple, uint256 index, uint256 paid
    );
    /// @notice The bonds of the `votes` votes on proof `proofId`, which lost a dispute, `amount` wei, went to
    /// `challenger` (docs/daimon.md §14.4).
    event VoteBondsSlashed(uint256 indexed proofId, address indexed challenger, uint256 votes, uint256 amount);
    /// @notice `validator` withdrew the `amount` wei bond of his vote on proof `proofId`, which survived its round.
    event VoteBondWithdrawn(uint256 indexed proofId, address indexed validator, uint256 amount);
    /// @notice The bond of proof `proofId`, which survived its round, was returned to `improver`.
    event BondReturned(uint256 indexed proofId, address indexed improver, uint256 amount);
    /// @notice Proof `byProofId` by `owner`, registered before proof `proofId` by `copier`, took over the CID or the
    /// outputs with hash `key`: proof `proofId` takes no more votes and is never committed.
    event ProofSuperseded(
        uint256 indexed proofId, uint256 indexed byProofId, bytes32 key, address copier, address owner
    );
    /// @notice `validator` voted for proof `proofId` at position `position` (1, 2, 3… per proof).
    event VoteCast(
        uint256 indexed proofId, uint256 indexed round, address indexed validator, uint256 position, bytes32 votesDigest
    );
    /// @notice Proof `proofId` leads round `round` with `votes` votes (most votes, ties to the earliest proof); emitted
    /// whenever the leader or its vote count changes.
    event RoundLeaderChanged(uint256 indexed round, uint256 indexed proofId, uint256 votes);
    /// @notice Improvement block `blockNumber` was appended to the problem's chain.
    event ImprovementBlockCommitted(
        uint256 indexed blockNumber, bytes32 indexed blockHash, address indexed improver, ImprovementBlock info, address committer
    );
    /// @notice Round `round` is over and settled; `committed` tells whether it produced an Improvement block.
    event RoundSettled(uint256 indexed round, bool committed, uint256 leader, uint256 leaderVotes);
    /// @notice `validator` (position `position`) claimed `amount` tokens for voting on block `blockNumber`.
    event ValidatorRewardClaimed(uint256 indexed blockNumber, address indexed validator, uint256 position, uint256 amount);

    // ---------------------------------------------------------------- errors

    /// @notice Only the factory that deployed the implementation may initialize a clone.
    error NotFactory(address caller, address factory);
    /// @notice A configuration value lies outside `min..max`.
    error ConfigOutOfRange(ConfigField field, uint256 value, uint256 min, uint256 max);
    /// @notice The action needs phase `required`; the problem is in `current`.
    error WrongPhase(Phase current, Phase required);
    /// @notice Only the creator may add tuples to this problem (`openTuples` is false).
    error NotCreator(address caller, address creator);
    /// @notice The problem holds the maximum number of tuples already.
    error TooManyTuples(uint256 max);
    /// @notice There is no tuple `index` (the problem has `count`).
    error UnknownTuple(uint256 index, uint256 count);
    /// @notice A CID is empty or longer than `max` bytes.
    error CidLength(uint256 length, uint256 max);
    /// @notice Vector `tuple` (a target, or the proof's output for that tuple) is not `expected` bytes long.
    error VectorLength(uint256 tuple, uint256 length, uint256 expected);
    /// @notice Vector `tuple` (a target, or the proof's output for that tuple) is the zero vector.
    error ZeroVector(uint256 tuple);
    /// @notice The Problem block was committed already.
    error ProblemBlockAlreadyCommitted();
    /// @notice This registration exists already.
    error AlreadyRegistered(bytes32 registration);
    /// @notice No registration keccak256(abi.encode(problem, msg.sender, cid, keccak256(outputs))) exists: the
    /// caller did not register this CID with exactly these outputs.
    error NotRegistered(bytes32 registration);
    /// @notice The registration was made in block `registeredBlock`; its proof is accepted from block `usableFrom`
    /// (registeredBlock + REGISTRATION_AGE) on.
    error RegistrationTooRecent(bytes32 registration, uint256 registeredBlock, uint256 usableFrom);
    /// @notice Another account, registered earlier, owns a proof with this CID.
    error CidTaken(bytes32 cidHash, address owner);
    /// @notice The proof's outputs equal those of proof `earlierProofId` by another account `earlierImprover`, whose
    /// registration for them is older (the copy rule: outputs belong to their earliest registrant).
    error CopiedOutputs(bytes32 outputsHash, uint256 earlierProofId, address earlierImprover);
    /// @notice The proof's outputs are not `expected` bytes (tupleCount · embeddingSize · 2) long.
    error ProofLength(uint256 length, uint256 expected);
    /// @notice The proof's distance does not beat the best distance by the margin: not `distance + margin < best`.
    error NoImprovement(uint256 distance, uint256 bestDistance, uint256 margin);
    /// @notice The proof id does not exist.
    error UnknownProof(uint256 proofId, uint256 proofCount);
    /// @notice The vote names a proof hash that differs from proof `proofId`'s.
    error ProofHashMismatch(uint256 proofId, bytes32 given, bytes32 actual);
    /// @notice Votes for proof `proofId` are accepted only during its round `proofRound`.
    error VotingClosed(uint256 proofId, uint256 proofRound, uint256 currentRound);
    /// @notice Proof `proofId` is a copy: proof `byProofId`, registered earlier, took its outputs or CID.
    error Superseded(uint256 proofId, uint256 byProofId);
    /// @notice An improver cannot vote for his own proof.
    error SelfVote(uint256 proofId);
    /// @notice `validator` voted for this proof already, at `position`.
    error AlreadyVoted(uint256 proofId, address validator, uint256 position);
    /// @notice No round with proofs awaits settlement.
    error NothingToCommit();
    /// @notice Round `round` ends at block `endBlock` (exclusive); it can be committed from then on.
    error RoundNotOver(uint256 round, uint256 endBlock);
    /// @notice There is no Improvement block `blockNumber` (the chain has `chainLength` blocks, block 0 included).
    error UnknownBlock(uint256 blockNumber, uint256 chainLength);
    /// @notice `account` did not vote for the proof of block `blockNumber`.
    error NoVote(uint256 blockNumber, address account);
    /// @notice `account` claimed its reward for block `blockNumber` already.
    error AlreadyClaimed(uint256 blockNumber, address account);
    /// @notice The reward of `account` for block `blockNumber` rounds to zero tokens.
    error NothingToClaim(uint256 blockNumber, address account);
    /// @notice The call must send exactly `required` wei (the proof bond or the availability bond), not `sent`.
    error WrongBond(uint256 sent, uint256 required);
    /// @notice Proofs of round `round` are accepted only before block `closesAt` (its dispute window follows).
    error SubmissionsClosed(uint256 round, uint256 closesAt);
    /// @notice This dispute (or posting) is possible only before block `closesAt`.
    error DisputeClosed(uint256 proofId, uint256 closesAt);
    /// @notice Proof `proofId` lost a dispute already.
    error Voided(uint256 proofId);
    /// @notice Proof `proofId`'s model is not on chain: dispute its availability first.
    error ModelNotPosted(uint256 proofId);
    /// @notice Proof `proofId`'s model (or, for {postLabels}, its labels; for an availability dispute, both) is on
    /// chain already.
    error ModelAlreadyPosted(uint256 proofId);
    /// @notice The posted labels are `length` bytes; the proof has `expected` (2 · tupleCount · m).
    error LabelsLength(uint256 length, uint256 expected);
    /// @notice The posted labels' root is `given`; proof `proofId` is bound to `expected`.
    error LabelsMismatch(uint256 proofId, bytes32 given, bytes32 expected);
    /// @notice The posted bytes hash to `given`, proof `proofId` is bound to `expected`.
    error ModelHashMismatch(uint256 proofId, bytes32 given, bytes32 expected);
    /// @notice `challenger` disputed proof `proofId`'s availability already.
    error AlreadyChallenged(uint256 proofId, address challenger);
    /// @notice Nobody disputed proof `proofId`'s availability.
    error NotChallenged(uint256 proofId);
    /// @notice The model of proof `proofId` may still be posted until block `deadline` (inclusive).
    error AvailabilityPending(uint256 proofId, uint256 deadline);
    /// @notice Test point `index` does not exist (the tuple has `count` points).
    error PointOutOfRange(uint256 index, uint256 count);
    /// @notice The features are `length` bytes; the problem's input width is `expected`.
    error FeatureLength(uint256 length, uint256 expected);
    /// @notice The features and path do not lead to tuple `tuple`'s inputsRoot at point `index`.
    error BadInputsProof(uint256 tuple, uint256 index);
    /// @notice The label and path do not lead to the proof's labelsRoot at leaf `leaf` (= tuple · mp + index).
    error BadLabelsProof(uint256 leaf);
    /// @notice The posted model does predict `label` for point `index` of tuple `tuple`: the proof is right there.
    error LabelCorrect(uint256 proofId, uint256 tuple, uint256 index, uint256 label);
    /// @notice Labels above 255 cannot be checked by the DanKu evaluator (one label byte per point).
    error LabelNotDisputable(uint256 label);
    /// @notice The outputs and checkpoints given do not hash to proof `proofId`'s claimHash.
    error ClaimMismatch(uint256 proofId);
    /// @notice The f given hashes to `computed`, tuple `tuple`'s delRoot is `delRoot`.
    error DelRootMismatch(uint256 tuple, bytes32 computed, bytes32 delRoot);
    /// @notice Tuple `tuple`'s f_q does not take this problem's m labels of C classes to n outputs: it cannot be
    /// disputed against (the contributor's f is unusable, docs/daimon.md §14.5).
    error DelShapeMismatch(uint256 tuple);
    /// @notice The tuple's labels root and path do not lead to the proof's labelsRoot (subtree `tuple`).
    error BadTupleLabelsProof(uint256 tuple);
    /// @notice Step `step` (a segment j, or S: the output step) of tuple `tuple` is what f_q gives: the proof is right
    /// there.
    error OutputCorrect(uint256 proofId, uint256 tuple, uint256 step);
    /// @notice Proof `proofId`'s bond cannot be returned (yet): its round is not over, it was voided or returned.
    error BondNotReturnable(uint256 proofId);
    /// @notice Proof `proofId` already has the most votes a proof can take (`max`, DaimonLimits.MAX_VOTES).
    error TooManyVotes(uint256 proofId, uint256 max);
    /// @notice `validator`'s vote bond on proof `proofId` cannot be withdrawn: no vote, already withdrawn, the round
    /// is not over, the proof was voided (the bond went to the challenger) or its model is still owed.
    error VoteBondNotWithdrawable(uint256 proofId, address validator);
    /// @notice Sending `amount` wei to `to` failed.
    error TransferFailed(address to, uint256 amount);
    /// @notice Only the problem that owns the token may mint it.
    error NotProblem(address caller, address problem);
    /// @notice There is no problem number `index` (the factory has created `count`).
    error ProblemIndexOutOfRange(uint256 index, uint256 count);
}
