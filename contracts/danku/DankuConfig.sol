// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CompetitionConfig, ConfigField, IDankuCompetition, ClaimTerms} from "./IDankuCompetition.sol";
import {DankuLimits} from "./DankuLimits.sol";

/// @title DankuConfig
/// @notice Validation of a competition's configuration against docs/protocol.md §1 and §3.
library DankuConfig {
    /// @notice Number of training groups: floor(groupCount · trainingBps / 10000).
    function trainingGroupCount(uint256 groupCount, uint256 trainingBps) internal pure returns (uint256) {
        return (groupCount * trainingBps) / DankuLimits.BPS;
    }

    /// @notice Reverts with {IDankuCompetition.ConfigOutOfRange} on the first value out of bounds.
    /// @return nTrain The number of training groups.
    function validate(CompetitionConfig memory c, uint256 groupCount) internal pure returns (uint256 nTrain) {
        _check(ConfigField.FeatureCount, c.featureCount, 1, DankuLimits.MAX_FEATURES);
        _check(ConfigField.ClassCount, c.classCount, DankuLimits.MIN_CLASSES, DankuLimits.MAX_CLASSES);
        _check(ConfigField.TrainingBps, c.trainingBps, DankuLimits.MIN_TRAINING_BPS, DankuLimits.MAX_TRAINING_BPS);
        _check(ConfigField.MinAccuracyBps, c.minAccuracyBps, 0, DankuLimits.BPS);
        _check(ConfigField.Init2Window, c.init2Window, DankuLimits.MIN_INIT2_WINDOW, DankuLimits.MAX_INIT2_WINDOW);
        _check(ConfigField.SplitDelay, c.splitDelay, DankuLimits.MIN_SPLIT_DELAY, DankuLimits.MAX_SPLIT_DELAY);
        _check(ConfigField.TrainingRevealPeriod, c.trainingRevealPeriod, DankuLimits.MIN_PERIOD, DankuLimits.MAX_PERIOD);
        _check(ConfigField.SubmissionPeriod, c.submissionPeriod, DankuLimits.MIN_PERIOD, DankuLimits.MAX_PERIOD);
        _check(ConfigField.ModelRevealPeriod, c.modelRevealPeriod, DankuLimits.MIN_PERIOD, DankuLimits.MAX_PERIOD);
        _check(ConfigField.TestRevealPeriod, c.testRevealPeriod, DankuLimits.MIN_PERIOD, DankuLimits.MAX_PERIOD);
        _check(ConfigField.EvaluationPeriod, c.evaluationPeriod, DankuLimits.MIN_PERIOD, DankuLimits.MAX_PERIOD);
        _check(ConfigField.GroupCount, groupCount, DankuLimits.MIN_GROUPS, DankuLimits.MAX_GROUPS);
        nTrain = trainingGroupCount(groupCount, c.trainingBps);
        _check(ConfigField.TrainingGroupCount, nTrain, 1, groupCount - 1);
    }

    /// @notice Checks the committed group sizes and, in the on-chain mode, that the evaluation period holds the
    /// worst-case evaluation of one submission on all committed points (docs/protocol.md §7.2). The claim mode has
    /// no full evaluation; its points are bounded by {DankuLimits.MAX_CLAIM_MODE_POINTS} instead (§11).
    /// @return totalPoints The sum of the group sizes.
    function validateGroupSizes(
        CompetitionConfig memory c,
        uint256 groupCount,
        uint32[] calldata groupPointCounts,
        bool claimMode
    )
        internal
        pure
        returns (uint256 totalPoints)
    {
        if (groupPointCounts.length != groupCount) {
            revert IDankuCompetition.GroupSizesLength(groupCount, groupPointCounts.length);
        }
        for (uint256 g; g < groupCount; ++g) {
            uint256 n = groupPointCounts[g];
            if (n == 0) revert IDankuCompetition.EmptyGroup(g);
            totalPoints += n;
        }
        if (claimMode) {
            _check(ConfigField.TotalPoints, totalPoints, groupCount, DankuLimits.MAX_CLAIM_MODE_POINTS);
            return totalPoints;
        }
        _check(ConfigField.TotalPoints, totalPoints, groupCount, DankuLimits.MAX_TOTAL_POINTS);
        uint256 required = requiredEvaluationBlocks(totalPoints);
        if (c.evaluationPeriod < required) {
            revert IDankuCompetition.EvaluationPeriodTooShort(c.evaluationPeriod, required, totalPoints);
        }
    }

    /// @notice Blocks the evaluation period needs so that a worst-case model can be evaluated on `points` points
    /// at one {DankuLimits.EVALUATION_TX_GAS} transaction per block, using at most 1 / EVALUATION_PERIOD_FACTOR
    /// of the period's blocks.
    function requiredEvaluationBlocks(uint256 points) internal pure returns (uint256) {
        uint256 perTransaction = (DankuLimits.EVALUATION_TX_GAS - DankuLimits.MAX_EVALUATION_SETUP_GAS)
            / DankuLimits.MAX_EVALUATION_GAS_PER_POINT;
        return DankuLimits.EVALUATION_PERIOD_FACTOR * ((points + perTransaction - 1) / perTransaction);
    }

    /// @notice Checks the claim-mode terms against docs/protocol.md §1.
    /// @return bond The claim bond: CLAIM_BOND_GAS × bondGasPrice.
    function validateClaimTerms(ClaimTerms memory t) internal pure returns (uint256 bond) {
        _check(
            ConfigField.ChallengeWindow, t.challengeWindow, DankuLimits.MIN_CHALLENGE_WINDOW, DankuLimits.MAX_CHALLENGE_WINDOW
        );
        _check(ConfigField.BondGasPrice, t.bondGasPrice, DankuLimits.MIN_BOND_GAS_PRICE, DankuLimits.MAX_BOND_GAS_PRICE);
        return DankuLimits.CLAIM_BOND_GAS * t.bondGasPrice;
    }

    function _check(ConfigField field, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert IDankuCompetition.ConfigOutOfRange(field, value, min, max);
    }
}
