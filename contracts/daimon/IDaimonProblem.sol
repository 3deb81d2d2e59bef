// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

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
        uint256 indexed index, address indexed contributor, string inputsCid, string delCid, bytes target, bytes32 tupleHash
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
    /// @notice Only the problem that owns the token may mint it.
    error NotProblem(address caller, address problem);
    /// @notice There is no problem number `index` (the factory has created `count`).
    error ProblemIndexOutOfRange(uint256 index, uint256 count);
}
