// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Lifecycle of a competition (docs/protocol.md §6). Computed from block height and state by `stage()`.
enum Stage {
    AwaitingSplit,
    TrainingReveal,
    Submission,
    ModelReveal,
    TestReveal,
    Evaluation,
    AwaitingFinalization,
    Finalized,
    Cancelled,
    SetupExpired
}

/// @notice Organizer-chosen parameters, fixed at creation; bounds in docs/protocol.md §1.
struct CompetitionConfig {
    uint16 featureCount;
    uint16 classCount;
    uint16 trainingBps;
    uint16 minAccuracyBps;
    uint16 init2Window;
    uint16 splitDelay;
    uint32 trainingRevealPeriod;
    uint32 submissionPeriod;
    uint32 modelRevealPeriod;
    uint32 testRevealPeriod;
    uint32 evaluationPeriod;
}

/// @notice Which configuration value a {IDankuCompetition.ConfigOutOfRange} error is about.
enum ConfigField {
    FeatureCount,
    ClassCount,
    TrainingBps,
    MinAccuracyBps,
    Init2Window,
    SplitDelay,
    TrainingRevealPeriod,
    SubmissionPeriod,
    ModelRevealPeriod,
    TestRevealPeriod,
    EvaluationPeriod,
    GroupCount,
    TrainingGroupCount,
    TotalPoints
}

/// @notice Why `revealModel` rejected a model (docs/protocol.md §4.1).
enum ModelDefect {
    TooShort,
    Version,
    LayerCount,
    Width,
    InputWidth,
    OutputWidth,
    LaneWords,
    Length,
    Shift,
    OutputShift,
    Bias,
    Padding,
    TooLarge
}

/// @notice Block heights that end each stage; 0 where not yet known.
struct Deadlines {
    uint64 splitSeedBlock;
    uint64 init2Deadline;
    uint64 trainingRevealDeadline;
    uint64 submissionEnd;
    uint64 modelRevealEnd;
    uint64 testRevealEnd;
    uint64 evaluationEnd;
}

/// @notice Everything a marketplace card shows that changes over time, in one call (one `eth_call` sub-call per
/// competition when listing hundreds of them).
struct CompetitionSummary {
    Stage stage;
    uint256 totalDonations;
    Deadlines deadlines;
    uint256 submissionCount;
    bool bestExists;
    uint256 bestId;
    uint256 bestCorrect;
    bool usesTestData;
    uint256 trainingPoints;
    uint256 testPoints;
    uint256 totalCommittedPoints;
    uint256 committedTrainingPoints;
    uint256 committedTestPoints;
    bool rewardForfeited;
    bool testWithheld;
}

/// @notice Public view of one submission.
struct Submission {
    address submitter;
    bytes32 commitment;
    bytes32 modelHash;
    bool revealed;
    bool evaluated;
    uint32 cursor;
    uint32 correct;
    uint64 commitBlock;
}

/// @title IDankuCompetition
/// @notice Events and errors of DanKu competitions and their factory.
interface IDankuCompetition {
    // ---------------------------------------------------------------- events

    /// @notice init2 fixed the train/test split.
    event TrainingGroupsSelected(bytes32 seed, uint256 trainingGroupCount);
    /// @notice Verified data groups were stored (training or test), `pointCount` points in total.
    event GroupsRevealed(bool indexed training, uint256[] groupIndices, uint256 pointCount);
    /// @notice A data contract with `pointCount` whole points was appended to the training or test data.
    event DataChunkStored(bool indexed training, uint256 index, address pointer, uint256 pointCount);
    /// @notice The last training group was revealed; the submission period starts at `blockNumber`.
    event TrainingDataComplete(uint256 blockNumber, uint256 pointCount);
    /// @notice The last test group was revealed; evaluation will use the test data.
    event TestDataComplete(uint256 blockNumber, uint256 pointCount);
    /// @notice A model commitment was recorded.
    event ModelCommitted(uint256 indexed submissionId, address indexed submitter, bytes32 commitment);
    /// @notice A committed model was revealed, validated and stored.
    event ModelRevealed(uint256 indexed submissionId, address indexed submitter, bytes32 modelHash);
    /// @notice A submission's evaluation advanced to `cursor` points with `correct` correct predictions.
    event EvaluationProgressed(uint256 indexed submissionId, uint256 cursor, uint256 correct);
    /// @notice A submission's evaluation completed.
    event SubmissionEvaluated(uint256 indexed submissionId, uint256 correct, uint256 total, bool qualified, bool newBest);
    /// @notice ETH was donated to the prize pool.
    event DonationReceived(address indexed donor, uint256 amount, uint256 totalDonations);
    /// @notice The competition was finalized; `payout` is what the winner may withdraw (0 without a winner).
    event Finalized(bool hasWinner, uint256 winningSubmissionId, address winner, uint256 payout);
    /// @notice The competition was cancelled; refunds are open.
    event Cancelled(address by);
    /// @notice The organizer backed out after the split seed existed (cancel or lapsed setup): the reward stays
    /// locked in the contract for ever (burned), so a redrawn split costs the reward (docs/protocol.md §3).
    event RewardForfeited(uint256 amount);
    /// @notice The test data was not revealed in full: the reward (`pool` wei) is shared equally by the
    /// `revealedSubmissions` revealed submissions (`share` each, the first revealer also gets the remainder);
    /// donors are refunded (docs/protocol.md §7.1).
    event TestWithheldPayout(uint256 revealedSubmissions, uint256 share, uint256 pool);
    /// @notice `amount` owed to `account` was paid to `recipient`.
    event Withdrawn(address indexed account, address indexed recipient, uint256 amount);

    // ---------------------------------------------------------------- errors

    /// @notice The action needs stage `required`; the competition is in `current`.
    error WrongStage(Stage current, Stage required);
    /// @notice A configuration value lies outside `min..max`.
    error ConfigOutOfRange(ConfigField field, uint256 value, uint256 min, uint256 max);
    /// @notice A competition needs a reward greater than zero.
    error ZeroReward();
    /// @notice Only the factory that deployed the implementation may initialize a clone.
    error NotFactory(address caller, address factory);
    /// @notice Only the organizer may do this.
    error NotOrganizer(address caller, address organizer);
    /// @notice init2 needs the init1 block's hash, which exists only from the next block on.
    error SplitTooEarly(uint256 currentBlock, uint256 firstBlock);
    /// @notice Reveal arrays differ in length, or are empty.
    error BadRevealArrays(uint256 groups, uint256 pointArrays, uint256 nonces);
    /// @notice A group index is not below the group count.
    error GroupOutOfRange(uint256 group, uint256 groupCount);
    /// @notice The group is a test group revealed as training, or the reverse.
    error WrongGroupKind(uint256 group, bool isTraining);
    /// @notice The group was revealed before (possibly earlier in the same call).
    error GroupAlreadyRevealed(uint256 group);
    /// @notice A group's byte length is not a non-zero multiple of the point size.
    error BadGroupLength(uint256 group, uint256 length, uint256 pointSize);
    /// @notice A revealed group holds `points` points, but `committedPoints` were committed at creation.
    error GroupSizeMismatch(uint256 group, uint256 points, uint256 committedPoints);
    /// @notice Creation needs one point count per group hash.
    error GroupSizesLength(uint256 groupHashes, uint256 groupPointCounts);
    /// @notice A committed group must hold at least one point.
    error EmptyGroup(uint256 group);
    /// @notice The evaluation period cannot hold the worst-case evaluation of one submission on this much data
    /// (docs/protocol.md §7.2): at least `requiredBlocks` blocks are needed.
    error EvaluationPeriodTooShort(uint256 evaluationPeriod, uint256 requiredBlocks, uint256 totalPoints);
    /// @notice Element `element` of the reveal's `bytes[]` is not a canonical, non-overlapping ABI encoding.
    error MalformedReveal(uint256 element);
    /// @notice The test data was not revealed in full: there is no evaluation; the pool is shared (§7.1).
    error TestDataWithheld();
    /// @notice A point's label is not a class index.
    error LabelOutOfRange(uint256 group, uint256 point, uint256 label, uint256 classCount);
    /// @notice keccak256(points ‖ nonce) differs from the committed hash of the group.
    error GroupHashMismatch(uint256 group);
    /// @notice There is no data contract `index` (the count is `count`).
    error ChunkOutOfRange(uint256 index, uint256 count);
    /// @notice The submission id does not exist.
    error UnknownSubmission(uint256 submissionId, uint256 submissionCount);
    /// @notice Only the committer may reveal a submission.
    error NotSubmitter(address caller, address submitter);
    /// @notice The submission was revealed already.
    error AlreadyRevealed(uint256 submissionId);
    /// @notice The model and salt do not match the commitment.
    error CommitmentMismatch(uint256 submissionId);
    /// @notice The model violates docs/protocol.md §4.1; `index` locates the problem (layer, byte offset or value).
    error InvalidModel(ModelDefect reason, uint256 index);
    /// @notice Only revealed submissions can be evaluated.
    error NotRevealed(uint256 submissionId);
    /// @notice The submission's evaluation is complete.
    error AlreadyEvaluated(uint256 submissionId);
    /// @notice `evaluate` needs `maxPoints > 0`.
    error ZeroMaxPoints();
    /// @notice Donations are closed in this stage.
    error DonationsClosed(Stage current);
    /// @notice A donation of zero wei.
    error ZeroDonation();
    /// @notice Cancelling is not possible in this stage (or not by this caller).
    error CancelNotAllowed(Stage current);
    /// @notice Nothing is owed to `account`.
    error NothingToWithdraw(address account);
    /// @notice Payouts to the zero address are refused.
    error ZeroRecipient();
}
