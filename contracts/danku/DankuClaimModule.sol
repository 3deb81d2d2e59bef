// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {
    Stage, EvaluationMode, ClaimTerms, TestRoot, ScoreClaim
} from "./IDankuCompetition.sol";
import {DankuGroupVerifier} from "./DankuGroupVerifier.sol";
import {DankuConfig} from "./DankuConfig.sol";
import {DankuEvaluatorEngine} from "./DankuEvaluatorEngine.sol";
import {BlobStore} from "./BlobStore.sol";

/// @notice The competition's immutables the module reads (by a call to the competition it runs in).
interface IDankuParts {
    function factory() external view returns (address);
    function evaluator() external view returns (DankuEvaluatorEngine);
}

/// @title DankuClaimModule
/// @notice The claim mode of a DanKu competition (docs/protocol.md §11): claim-mode creation, the test reveal that
/// keeps only labels and Merkle roots, claimed scores with a bond, one-point disputes and settlement. Like
/// {DankuRevealModule} its code runs only by DELEGATECALL from {DankuCompetition} (which creates it in its
/// constructor), on the competition's storage ({DankuCompetitionState}); called directly, every function reverts.
/// @dev Declares no state variables. The only contract it calls is the stateless forward-pass engine (STATICCALL,
/// in disputes); it moves no ETH: bonds are credited and pulled through the competition's `withdraw`.
contract DankuClaimModule is DankuGroupVerifier, Initializable {
    using SafeCast for uint256;

    /// @dev 0x01 in every byte, and the masks of the SWAR comparisons derived from it.
    uint256 private constant ONES = 0x0101010101010101010101010101010101010101010101010101010101010101;
    uint256 private constant LOW7 = 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f;
    uint256 private constant HIGH = 0x8080808080808080808080808080808080808080808080808080808080808080;
    /// @dev 0x0001, 0x00ff and 0x0100 in every 16-bit lane.
    uint256 private constant LANES16 = 0x0001000100010001000100010001000100010001000100010001000100010001;
    uint256 private constant EVEN_BYTES = 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff;
    uint256 private constant BIT8 = 0x0100010001000100010001000100010001000100010001000100010001000100;

    /// @dev This module's own address: a call that runs here outside a DELEGATECALL has `address(this) == _self`.
    address private immutable _self;

    /// @notice A claim-mode function was called on the module itself rather than through a competition.
    error OnlyDelegateCall();

    /// @dev Deployed on its own (its init code does not fit the factory's, EIP-3860) and given to the factory's
    /// constructor; it reads the factory and the engine from the competition it runs for (immutables of the
    /// implementation), so one module serves exactly the implementation that names it.
    constructor() {
        _self = address(this);
    }

    /// @dev Claims change a competition's storage; on the module itself there is no competition to change.
    modifier onlyDelegateCall() {
        if (address(this) == _self) revert OnlyDelegateCall();
        _;
    }

    modifier onlyClaimMode() {
        if (_evaluationMode != EvaluationMode.Claim) revert NotClaimMode();
        _;
    }

    // =================================================================== creation

    /// @notice Makes a fresh clone a claim-mode competition: called once by the factory right after cloning and
    /// before `initialize` (init1), which then applies the claim-mode bounds (at most MAX_CLAIM_MODE_POINTS points,
    /// no evaluation-fits rule: the full evaluation of this mode, {evaluateRoot}, runs where it fits a transaction).
    /// @param terms Challenge window and bond gas price (docs/protocol.md §1, §11).
    function chooseClaimMode(ClaimTerms calldata terms) external onlyDelegateCall {
        address factory = IDankuParts(address(this)).factory();
        if (msg.sender != factory) revert NotFactory(msg.sender, factory);
        // Only before init1: the mode is part of what the competition is created with.
        if (_init1Block != 0 || _evaluationMode == EvaluationMode.Claim) revert InvalidInitialization();
        uint256 bond = DankuConfig.validateClaimTerms(terms);
        _evaluationMode = EvaluationMode.Claim;
        _claimTerms = terms;
        emit ClaimModeChosen(terms.challengeWindow, terms.bondGasPrice, bond);
    }

    // =================================================================== test reveal

    /// @notice Reveals test groups of a claim-mode competition (TestReveal stage; anyone). Every group is verified
    /// exactly as in the on-chain mode (canonical `bytes[]`, committed size and hash, labels < C), but only the
    /// labels are stored (one byte per point, as data contracts) and one Merkle root over the call's points; the
    /// points stay in this transaction's calldata, where disputes and readers take them from.
    /// @param groupIndices Test group indices, each not yet revealed.
    /// @param groupPoints The groups' point bytes.
    /// @param nonces The groups' 32-byte nonces.
    function revealTestGroups(
        uint256[] calldata groupIndices,
        bytes[] calldata groupPoints,
        bytes32[] calldata nonces
    ) external onlyDelegateCall onlyClaimMode {
        _requireStage(Stage.TestReveal);
        uint256 count = groupIndices.length;
        if (count == 0 || groupPoints.length != count || nonces.length != count) {
            revert BadRevealArrays(count, groupPoints.length, nonces.length);
        }
        uint256 pointSize = uint256(_config.featureCount) + 1;
        uint256 ctx = _revealContext(false, true);
        // Labels first (at most one per point of calldata), 32 bytes of writer scratch before them; then the reused
        // group buffer, so the memory touched is the labels plus the largest group.
        uint256 labels = _alloc(32 + msg.data.length / pointSize + 32) + 32;
        _setLabelBuffer(ctx, labels);
        uint256 data = _alloc(32) + 32;
        _verifyGroups(ctx, groupIndices, groupPoints, nonces, data);
        _failOnError(ctx);
        _storeRevealedBitmap(ctx);
        uint256 newPoints = _labelsEnd(ctx) - labels;
        _storeTestRoot(ctx, labels, newPoints);
        emit GroupsRevealed(false, groupIndices, newPoints);
        _recordReveal(false, count, newPoints);
    }

    /// @dev Stores the call's labels and its Merkle root (the streaming tree of the context).
    function _storeTestRoot(uint256 ctx, uint256 labels, uint256 newPoints) private {
        uint256 firstPoint = _state.testPoints;
        _storeLabels(labels, newPoints, firstPoint);
        (bytes32 root, uint256 depth,) = _treeRoot(ctx);
        uint256 rootIndex = _testRoots.length;
        _testRoots.push(
            TestRoot({root: root, firstPoint: firstPoint.toUint32(), pointCount: newPoints.toUint32(), depth: uint8(depth)})
        );
        emit TestRootStored(rootIndex, root, firstPoint, newPoints, depth);
    }

    /// @dev Stores `n` labels at memory `labels` as data contracts (test data chunks of one byte per point).
    function _storeLabels(uint256 labels, uint256 n, uint256 firstPoint) private {
        uint256 index = _testChunkCount;
        for (uint256 done; done < n; done += BlobStore.MAX_CHUNK) {
            uint256 take = n - done < BlobStore.MAX_CHUNK ? n - done : BlobStore.MAX_CHUNK;
            address pointer = BlobStore.writeMemory(labels + done, take);
            _testChunks[index] = DataChunk({pointer: pointer, pointCount: uint32(take), start: (firstPoint + done).toUint32()});
            emit DataChunkStored(false, index, pointer, take);
            ++index;
        }
        _testChunkCount = index.toUint16();
    }

    // =================================================================== claims

    /// @notice Claims submission `submissionId`'s predictions on every test point, with exactly `claimBond()` wei
    /// (Evaluation stage; anyone, for any revealed submission without a score yet; several claims may be live).
    /// The contract scores the predictions against the revealed labels itself; the claim counts once its
    /// challenge window has passed undisputed ({settleClaim}).
    /// @param submissionId The submission whose model the predictions are claimed to be.
    /// @param predictions One class byte per test point, in reveal order.
    /// @return claimId The new claim's id (0, 1, 2, … in claim order).
    function claimScore(uint256 submissionId, bytes calldata predictions)
        external
        payable
        onlyDelegateCall
        onlyClaimMode
        returns (uint256 claimId)
    {
        _requireStage(Stage.Evaluation);
        if (!_state.testCompleted) revert TestDataWithheld();
        SubmissionRecord storage s = _submission(submissionId);
        if (!s.revealed) revert NotRevealed(submissionId);
        if (s.evaluated) revert AlreadyEvaluated(submissionId);
        uint256 bond = _claimBond();
        if (msg.value != bond) revert WrongBond(msg.value, bond);
        uint256 total = _state.testPoints;
        if (predictions.length != total) revert BadPredictionsLength(predictions.length, total);

        uint256 correct = _score(predictions, total);
        bytes32 predictionsHash = keccak256(predictions);
        claimId = _claims.length;
        _claims.push(
            ScoreClaim({
                claimant: msg.sender,
                submissionId: submissionId.toUint32(),
                claimBlock: uint64(block.number),
                predictionsHash: predictionsHash,
                bond: uint128(bond),
                correct: uint32(correct),
                voided: false,
                settled: false
            })
        );
        emit ScoreClaimed(claimId, submissionId, msg.sender, predictionsHash, correct, total, bond);
    }

    /// @dev Counts the predictions equal to the stored labels, 32 at a time, and reverts on the first prediction
    /// that is not a class (both by SWAR on whole words; the failing index is located only on failure).
    function _score(bytes calldata predictions, uint256 total) private view returns (uint256 correct) {
        uint256 labels = _alloc(total + 32);
        uint256 chunkCount = _testChunkCount;
        for (uint256 i; i < chunkCount; ++i) {
            DataChunk memory c = _testChunks[i];
            BlobStore.readInto(c.pointer, 0, c.pointCount, labels + c.start);
        }
        uint256 classCount = _config.classCount;
        uint256 bad;
        assembly ("memory-safe") {
            mstore(add(labels, total), 0)
            // b + (256 − C) reaches bit 8 of its 16-bit lane iff b ≥ C.
            let lift := mul(sub(256, classCount), LANES16)
            let words := shr(5, add(total, 31))
            let at := predictions.offset
            for { let w := 0 } lt(w, words) { w := add(w, 1) } {
                let p := calldataload(add(at, shl(5, w)))
                let l := mload(add(labels, shl(5, w)))
                let valid := sub(total, shl(5, w))
                if lt(valid, 32) {
                    // The last word: keep its `valid` high bytes (calldata after the predictions is not theirs).
                    let keep := not(sub(shl(shl(3, sub(32, valid)), 1), 1))
                    p := and(p, keep)
                    l := and(l, keep)
                }
                bad := or(bad, and(add(and(p, EVEN_BYTES), lift), BIT8))
                bad := or(bad, and(add(and(shr(8, p), EVEN_BYTES), lift), BIT8))
                // High bit of every byte where prediction and label differ; their number by one multiplication.
                let x := xor(p, l)
                let differ := shr(7, and(or(add(and(x, LOW7), LOW7), x), HIGH))
                correct := add(correct, sub(32, shr(248, mul(differ, ONES))))
            }
            // The masked bytes past the last prediction compared equal: take them off again.
            correct := sub(correct, sub(shl(5, words), total))
        }
        if (bad != 0) {
            for (uint256 i; i < total; ++i) {
                uint256 v = uint8(predictions[i]);
                if (v >= classCount) revert PredictionOutOfRange(i, v, classCount);
            }
        }
    }

    /// @notice Disproves claim `claimId` at one test point (anyone, while the claim's window is open): the point is
    /// proven against the root of its reveal call, the claimed submission's model (given as bytes, checked against
    /// its revealed hash: claim mode stores no model code) is run on it by the engine, and if it does not predict
    /// what the claim says, the claim is void and its bond is credited to the caller. Disputing a correct prediction
    /// reverts ({ClaimedPredictionCorrect}).
    /// @param claimId The claim.
    /// @param rootIndex The reveal call (test root) holding the point.
    /// @param indexInRoot The point's position in that call (global index = root's firstPoint + indexInRoot).
    /// @param point The point's bytes as revealed (features and label).
    /// @param proof The Merkle siblings from the leaf up (one per level of the root's tree).
    /// @param predictions The claim's predictions (from its transaction's calldata), checked against its hash.
    /// @param model The submission's model bytes (from its revealModel transaction's calldata), checked against
    /// its `modelHash` ({ModelMismatch}).
    function disputeClaim(
        uint256 claimId,
        uint256 rootIndex,
        uint256 indexInRoot,
        bytes calldata point,
        bytes32[] calldata proof,
        bytes calldata predictions,
        bytes calldata model
    ) external onlyDelegateCall onlyClaimMode {
        ScoreClaim storage c = _openClaim(claimId, predictions);
        uint256 global = _provePoint(rootIndex, indexInRoot, point, proof);
        _voidIfWrong(c, claimId, global, point, uint8(predictions[global]), model);
    }

    /// @dev The claim, if it can still be disputed with these predictions.
    function _openClaim(uint256 claimId, bytes calldata predictions) private view returns (ScoreClaim storage c) {
        c = _claim(claimId);
        if (c.voided) revert ClaimIsVoid(claimId);
        uint256 closes = uint256(c.claimBlock) + _claimTerms.challengeWindow;
        if (block.number >= closes) revert ChallengeWindowClosed(claimId, closes);
        if (keccak256(predictions) != c.predictionsHash) revert PredictionsMismatch(claimId);
    }

    /// @dev Runs the claim's model on the proven `point` and voids the claim unless it predicts `claimed` there.
    function _voidIfWrong(
        ScoreClaim storage c,
        uint256 claimId,
        uint256 global,
        bytes calldata point,
        uint256 claimed,
        bytes calldata model
    ) private {
        uint256 submissionId = c.submissionId;
        if (keccak256(model) != _submissions[submissionId].modelHash) revert ModelMismatch(submissionId);
        // The point with its label replaced by the claimed prediction: the engine says whether the model hits it.
        uint256 len = point.length;
        bytes memory probe = new bytes(len);
        assembly ("memory-safe") {
            calldatacopy(add(probe, 32), point.offset, len)
            mstore8(add(probe, add(31, len)), claimed)
        }
        if (IDankuParts(address(this)).evaluator().predicts(model, probe, _config.classCount)) {
            revert ClaimedPredictionCorrect(claimId, global, claimed);
        }
        c.voided = true;
        uint256 bond = c.bond;
        _bondCredits[msg.sender] += bond;
        emit ClaimDisputed(claimId, submissionId, msg.sender, global, claimed, bond);
    }

    /// @dev Checks `point` against test root `rootIndex` at `indexInRoot`; returns its global test index.
    function _provePoint(uint256 rootIndex, uint256 indexInRoot, bytes calldata point, bytes32[] calldata proof)
        private
        view
        returns (uint256)
    {
        if (rootIndex >= _testRoots.length) revert UnknownTestRoot(rootIndex, _testRoots.length);
        TestRoot memory r = _testRoots[rootIndex];
        if (indexInRoot >= r.pointCount) revert PointOutOfRoot(rootIndex, indexInRoot, r.pointCount);
        uint256 pointSize = uint256(_config.featureCount) + 1;
        if (point.length != pointSize) revert BadPointLength(point.length, pointSize);
        if (proof.length != r.depth) revert BadProofLength(proof.length, r.depth);
        bytes32 h = keccak256(abi.encodePacked(bytes1(0x00), point));
        for (uint256 level; level < proof.length; ++level) {
            h = (indexInRoot >> level) & 1 == 1 ? _node(proof[level], h) : _node(h, proof[level]);
        }
        if (h != r.root) revert PointNotInRoot(rootIndex, indexInRoot);
        return uint256(r.firstPoint) + indexInRoot;
    }

    // =================================================================== full evaluation

    /// @notice Evaluates submission `submissionId` on every point of test root `rootIndex` (Evaluation stage,
    /// anyone, for a revealed submission without a score, once per root): `points` are all the root's points as
    /// revealed, in order (the contract rebuilds the root from them: no proofs), `model` the submission's model bytes
    /// (checked against its hash); the engine runs the model on them and the correct predictions are added to the
    /// submission's. The call that evaluates the last root records the score exactly as a settled claim does and
    /// becomes the submission's evaluator: from then on its claims settle at once by comparison ({settleClaim}).
    /// Where a root does not fit one transaction, this mode has only claims and disputes (docs/protocol.md §11.9).
    /// @param submissionId The submission.
    /// @param rootIndex The test root (reveal call).
    /// @param points The root's `pointCount` points, `pointSize` bytes each, in reveal order.
    /// @param model The submission's model bytes (from its revealModel transaction's calldata).
    function evaluateRoot(uint256 submissionId, uint256 rootIndex, bytes calldata points, bytes calldata model)
        external
        onlyDelegateCall
        onlyClaimMode
    {
        _requireStage(Stage.Evaluation);
        if (!_state.testCompleted) revert TestDataWithheld();
        SubmissionRecord storage s = _submission(submissionId);
        if (!s.revealed) revert NotRevealed(submissionId);
        if (s.evaluated) revert AlreadyEvaluated(submissionId);
        uint256 n = _checkRootPoints(submissionId, rootIndex, points);
        if (keccak256(model) != s.modelHash) revert ModelMismatch(submissionId);
        uint256 hits = IDankuParts(address(this)).evaluator().evaluatePoints(
            model, points, uint256(_config.featureCount) + 1, _config.classCount
        );
        _evaluatedRoots[submissionId][rootIndex >> 8] |= 1 << (rootIndex & 255);
        emit RootEvaluated(submissionId, rootIndex, msg.sender, hits, n);
        uint256 done = uint256(s.cursor) + n;
        uint256 correct = uint256(s.correct) + hits;
        s.cursor = uint32(done);
        s.correct = uint32(correct);
        uint256 total = _state.testPoints;
        if (done == total) {
            _fullEvaluator[submissionId] = msg.sender;
            _recordEvaluated(s, submissionId, correct, total);
        }
    }

    /// @dev Checks that root `rootIndex` exists, is not evaluated for the submission yet and that `points` are all its
    /// points (they rebuild its root); returns its point count.
    function _checkRootPoints(uint256 submissionId, uint256 rootIndex, bytes calldata points)
        private
        view
        returns (uint256 n)
    {
        if (rootIndex >= _testRoots.length) revert UnknownTestRoot(rootIndex, _testRoots.length);
        if ((_evaluatedRoots[submissionId][rootIndex >> 8] >> (rootIndex & 255)) & 1 == 1) {
            revert RootAlreadyEvaluated(submissionId, rootIndex);
        }
        TestRoot memory r = _testRoots[rootIndex];
        uint256 pointSize = uint256(_config.featureCount) + 1;
        n = r.pointCount;
        if (points.length != n * pointSize) revert BadRootPointsLength(rootIndex, points.length, n * pointSize);
        if (_rootOf(points, n, pointSize, r.depth) != r.root) revert RootPointsMismatch(rootIndex);
    }

    /// @dev The Merkle root of §11.2 over `n` points of `points` (padded with zero leaves to 2^depth), in memory.
    function _rootOf(bytes calldata points, uint256 n, uint256 pointSize, uint256 depth) private pure returns (bytes32) {
        uint256 width = 1 << depth;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i; i < n; ++i) {
            uint256 at = i * pointSize;
            level[i] = keccak256(abi.encodePacked(bytes1(0x00), points[at:at + pointSize]));
        }
        for (; width > 1; width >>= 1) {
            for (uint256 i; i < width; i += 2) level[i >> 1] = _node(level[i], level[i + 1]);
        }
        return level[0];
    }

    /// @notice Settles claim `claimId` (anyone), for a claim neither void nor settled. If the claimed submission was
    /// fully evaluated ({evaluateRoot}), at once: a claim of the evaluated score gets its bond back (counted: false,
    /// the score is set), any other is void and its bond is credited to the submission's evaluator
    /// (`ClaimVoidedByEvaluation`). Otherwise once its challenge window has closed undisputed: the bond is
    /// credited back to the claimant and, if the submission has no score yet and the competition is not finalized,
    /// the claim's score becomes the submission's exactly as a completed `evaluate` would record it (same event,
    /// same best-so-far rule).
    /// @param claimId The claim.
    function settleClaim(uint256 claimId) external onlyDelegateCall onlyClaimMode {
        ScoreClaim storage c = _claim(claimId);
        if (c.voided) revert ClaimIsVoid(claimId);
        if (c.settled) revert ClaimAlreadySettled(claimId);
        uint256 submissionId = c.submissionId;
        SubmissionRecord storage s = _submissions[submissionId];
        address evaluator = _fullEvaluator[submissionId];
        if (evaluator != address(0) && c.correct != s.correct) {
            c.voided = true;
            _bondCredits[evaluator] += c.bond;
            emit ClaimVoidedByEvaluation(claimId, submissionId, evaluator, c.correct, s.correct, c.bond);
            return;
        }
        uint256 closes = uint256(c.claimBlock) + _claimTerms.challengeWindow;
        if (evaluator == address(0) && block.number < closes) revert ChallengeWindowOpen(claimId, closes);
        c.settled = true;
        address claimant = c.claimant;
        _bondCredits[claimant] += c.bond;
        bool counted = !s.evaluated && !_state.finalized;
        if (counted) {
            uint256 total = _state.testPoints;
            s.cursor = uint32(total);
            _recordEvaluated(s, submissionId, c.correct, total);
        }
        emit ClaimSettled(claimId, submissionId, claimant, counted);
    }

    function _claim(uint256 claimId) private view returns (ScoreClaim storage) {
        if (claimId >= _claims.length) revert UnknownClaim(claimId, _claims.length);
        return _claims[claimId];
    }

    function _claimBond() private view returns (uint256) {
        return DankuConfig.validateClaimTerms(_claimTerms);
    }

    // =================================================================== views

    /// @notice How this competition scores submissions.
    function evaluationMode() external view onlyDelegateCall returns (EvaluationMode) {
        return _evaluationMode;
    }

    /// @notice The claim-mode terms (zero in the on-chain mode).
    function claimTerms() external view onlyDelegateCall returns (ClaimTerms memory) {
        return _claimTerms;
    }

    /// @notice The bond a claim sends: CLAIM_BOND_GAS × bondGasPrice.
    function claimBond() external view onlyDelegateCall onlyClaimMode returns (uint256) {
        return _claimBond();
    }

    /// @notice Number of claims made.
    function claimCount() external view onlyDelegateCall returns (uint256) {
        return _claims.length;
    }

    /// @notice Claim `claimId`.
    function claimAt(uint256 claimId) external view onlyDelegateCall returns (ScoreClaim memory) {
        return _claim(claimId);
    }

    /// @notice Number of claim-mode test reveal calls (test roots).
    function testRootCount() external view onlyDelegateCall returns (uint256) {
        return _testRoots.length;
    }

    /// @notice Test root `rootIndex`.
    function testRootAt(uint256 rootIndex) external view onlyDelegateCall returns (TestRoot memory) {
        if (rootIndex >= _testRoots.length) revert UnknownTestRoot(rootIndex, _testRoots.length);
        return _testRoots[rootIndex];
    }

    /// @notice Whether submission `submissionId` was evaluated on test root `rootIndex` ({evaluateRoot}).
    function rootEvaluated(uint256 submissionId, uint256 rootIndex) external view onlyDelegateCall returns (bool) {
        return (_evaluatedRoots[submissionId][rootIndex >> 8] >> (rootIndex & 255)) & 1 == 1;
    }

    /// @notice The account whose {evaluateRoot} call completed submission `submissionId`'s full evaluation (zero
    /// while it is not complete).
    function fullEvaluator(uint256 submissionId) external view onlyDelegateCall returns (address) {
        return _fullEvaluator[submissionId];
    }

    /// @notice Claim bonds owed to `account` (included in the competition's `withdrawable`).
    function bondCreditOf(address account) external view onlyDelegateCall returns (uint256) {
        return _bondCredits[account];
    }
}
