// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CnnModelDefect} from "./DankuCnnEvaluator.sol";

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
    TotalPoints,
    ChallengeWindow,
    BondGasPrice
}

/// @notice How a competition scores its submissions, chosen at creation (docs/protocol.md §7, §11).
enum EvaluationMode {
    /// The contract runs every model on every test point (`evaluate`).
    OnChain,
    /// Anyone claims a submission's predictions with a bond; the contract scores them and any one point can be
    /// disputed during the challenge window by running the model on it (`claimScore`, `disputeClaim`, `settleClaim`).
    Claim
}

/// @notice Claim-mode terms fixed at creation (docs/protocol.md §11); bounds in docs §1.
struct ClaimTerms {
    /// Blocks after a claim during which any of its points can be disputed.
    uint32 challengeWindow;
    /// Gas price (wei) the bond is sized at: bond = CLAIM_BOND_GAS × bondGasPrice.
    uint128 bondGasPrice;
}

/// @notice The commitment to the test points of one claim-mode reveal call: a Merkle root over the call's points in
/// reveal order (leaf keccak256(0x00 ‖ point), node keccak256(0x01 ‖ left ‖ right), padded with bytes32(0) leaves to
/// 2^depth), and the global test index of its first point.
struct TestRoot {
    bytes32 root;
    uint32 firstPoint;
    uint32 pointCount;
    uint8 depth;
}

/// @notice A claimed score (docs/protocol.md §11).
struct ScoreClaim {
    address claimant;
    uint32 submissionId;
    uint64 claimBlock;
    bool voided;
    bool settled;
    bytes32 predictionsHash;
    uint128 bond;
    uint32 correct;
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
    /// @notice The competition uses the claim mode with these terms (emitted once, at creation).
    event ClaimModeChosen(uint256 challengeWindow, uint256 bondGasPrice, uint256 claimBond);
    /// @notice A claim-mode test reveal stored the labels and this root over the call's `pointCount` points, the
    /// first being global test point `firstPoint` (the points themselves are in the transaction's calldata).
    event TestRootStored(uint256 indexed rootIndex, bytes32 root, uint256 firstPoint, uint256 pointCount, uint256 depth);
    /// @notice A score was claimed: the predictions (one byte per test point, in the transaction's calldata) hash to
    /// `predictionsHash` and get `correct` of `total` right against the revealed labels.
    event ScoreClaimed(
        uint256 indexed claimId,
        uint256 indexed submissionId,
        address indexed claimant,
        bytes32 predictionsHash,
        uint256 correct,
        uint256 total,
        uint256 bond
    );
    /// @notice A claim was disproven at test point `point`: the model does not predict `claimedPrediction` there.
    /// The claim is void and its bond is credited to `challenger`.
    event ClaimDisputed(
        uint256 indexed claimId, uint256 indexed submissionId, address indexed challenger, uint256 point, uint256 claimedPrediction, uint256 bond
    );
    /// @notice A claim survived its window: its bond is credited back to the claimant; `counted` says whether it
    /// gave the submission its score (false when the submission had one already or the competition was finalized).
    event ClaimSettled(uint256 indexed claimId, uint256 indexed submissionId, address indexed claimant, bool counted);
    /// @notice Claim mode's full evaluation: `evaluator` ran submission `submissionId`'s model on all
    /// `pointCount` points of test root `rootIndex`, `correct` of them right (docs/protocol.md §11.9).
    event RootEvaluated(
        uint256 indexed submissionId, uint256 indexed rootIndex, address indexed evaluator, uint256 correct, uint256 pointCount
    );
    /// @notice The completed full evaluation gives submission `submissionId` `evaluatedCorrect`; claim `claimId`
    /// said `claimedCorrect`: it is void and its bond is credited to `evaluator`, whose call completed the evaluation.
    event ClaimVoidedByEvaluation(
        uint256 indexed claimId,
        uint256 indexed submissionId,
        address indexed evaluator,
        uint256 claimedCorrect,
        uint256 evaluatedCorrect,
        uint256 bond
    );
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
    /// @notice The revealed version-2 (convolutional) model is malformed (docs/cnn.md §3); raised by DankuCnnEvaluator,
    /// declared here too so the competition's ABI decodes it.
    error InvalidCnnModel(CnnModelDefect reason, uint256 index);
    /// @notice A convolutional (version-2) model was revealed in an on-chain-evaluation competition: CNNs are scored
    /// in claim mode only (docs/protocol.md §11, docs/cnn.md §8), where a dispute runs the model on one point.
    error CnnNeedsClaimMode(uint256 submissionId);
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
    /// @notice Only claim-mode competitions have claims (this one evaluates on chain: use `evaluate`).
    error NotClaimMode();
    /// @notice Claim-mode competitions have no on-chain evaluation: claim the score with `claimScore`.
    error ClaimModeCompetition();
    /// @notice A claim must send exactly the claim bond.
    error WrongBond(uint256 sent, uint256 required);
    /// @notice A claim needs one prediction byte per revealed test point.
    error BadPredictionsLength(uint256 length, uint256 testPoints);
    /// @notice A claimed prediction is not a class index.
    error PredictionOutOfRange(uint256 point, uint256 prediction, uint256 classCount);
    /// @notice There is no claim `claimId` (the count is `count`).
    error UnknownClaim(uint256 claimId, uint256 count);
    /// @notice The claim was disproven already.
    error ClaimIsVoid(uint256 claimId);
    /// @notice The claim was settled already.
    error ClaimAlreadySettled(uint256 claimId);
    /// @notice The claim's challenge window closed at block `closedAt`: it can no longer be disputed.
    error ChallengeWindowClosed(uint256 claimId, uint256 closedAt);
    /// @notice The claim's challenge window is open until block `closesAt`: it cannot be settled yet.
    error ChallengeWindowOpen(uint256 claimId, uint256 closesAt);
    /// @notice The predictions given with a dispute are not the claim's (their keccak256 differs).
    error PredictionsMismatch(uint256 claimId);
    /// @notice There is no test root `rootIndex` (the count is `count`).
    error UnknownTestRoot(uint256 rootIndex, uint256 count);
    /// @notice Root `rootIndex` holds `pointCount` points; `index` is not one of them (padding or beyond).
    error PointOutOfRoot(uint256 rootIndex, uint256 index, uint256 pointCount);
    /// @notice A disputed point must be exactly one point's bytes (features and label).
    error BadPointLength(uint256 length, uint256 pointSize);
    /// @notice A Merkle proof must have one node per level of its root's tree.
    error BadProofLength(uint256 length, uint256 depth);
    /// @notice The point and proof do not lead to the root: it is not the revealed test point at that index.
    error PointNotInRoot(uint256 rootIndex, uint256 index);
    /// @notice The dispute fails: the model does predict `prediction` at test point `point`, as claimed.
    error ClaimedPredictionCorrect(uint256 claimId, uint256 point, uint256 prediction);
    /// @notice The model bytes given to a dispute are not the submission's revealed model (their keccak256 differs).
    error ModelMismatch(uint256 submissionId);
    /// @notice Submission `submissionId` was evaluated on test root `rootIndex` already.
    error RootAlreadyEvaluated(uint256 submissionId, uint256 rootIndex);
    /// @notice A full evaluation of test root `rootIndex` takes all its points: `expected` bytes, not `length`.
    error BadRootPointsLength(uint256 rootIndex, uint256 length, uint256 expected);
    /// @notice The points given for test root `rootIndex` do not rebuild its root: they are not the revealed ones.
    error RootPointsMismatch(uint256 rootIndex);
    /// @notice A claim-mode competition finalizes from block `firstBlock` on (evaluation end + 2 challenge
    /// windows, so every claim can be disputed and settled first).
    error FinalizeTooEarly(uint256 currentBlock, uint256 firstBlock);
}
