// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DaimonDelEvaluator} from "../daimon/DaimonDelEvaluator.sol";

/// @title DelEvaluatorHarness
/// @notice Test-only: the two f-dispute steps as a dispute would run them, in a transaction (so its receipt carries the
/// whole cost, calldata floor included): STATICCALL the evaluator, compare with the claim, emit the outcome.
/// Never deployed by the app; DaimonProblem's disputeOutput is wired separately (docs/daimon.md §14.3.1).
contract DelEvaluatorHarness {
    /// @notice The stateless evaluator this harness calls.
    DaimonDelEvaluator public immutable evaluator;

    /// @notice Segment `j` recomputed: `computed` is checkpoint j + 1 from the claim's checkpoint j; `wrong` when it
    /// differs from the claim's checkpoint j + 1 (the dispute is won).
    event SegmentChecked(uint256 indexed j, bytes32 computed, bool wrong);
    /// @notice The output step recomputed: `wrong` when y differs from the claimed outputs.
    event OutputChecked(bytes32 computedHash, bool wrong);

    /// @param evaluator_ A deployed DaimonDelEvaluator.
    constructor(DaimonDelEvaluator evaluator_) {
        evaluator = evaluator_;
    }

    /// @notice Disputes segment s.j of a claim whose checkpoints j and j + 1 are `before` and `claimedAfter`.
    /// @return wrong Whether the claim's checkpoint j + 1 is not what f gives.
    function disputeSegment(
        DaimonDelEvaluator.DelCommit calldata f,
        bytes32 root,
        bytes32 labelsRoot,
        bytes32 before,
        bytes32 claimedAfter,
        DaimonDelEvaluator.Segment calldata s
    ) external returns (bool wrong) {
        bytes32 computed = evaluator.segment(f, root, labelsRoot, before, s);
        wrong = computed != claimedAfter;
        emit SegmentChecked(s.j, computed, wrong);
    }

    /// @notice Disputes the output step of a claim whose last checkpoint is `before` and whose outputs are `claimed`.
    /// @return wrong Whether the claimed outputs are not what f gives.
    function disputeOutput(
        DaimonDelEvaluator.DelCommit calldata f,
        bytes32 root,
        bytes32 before,
        bytes calldata state,
        bytes calldata b2,
        bytes calldata w2,
        bytes calldata claimed
    ) external returns (bool wrong) {
        bytes memory computed = evaluator.output(f, root, before, state, b2, w2);
        wrong = keccak256(computed) != keccak256(claimed);
        emit OutputChecked(keccak256(computed), wrong);
    }
}
