// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ConfigField, IDaimonProblem, ProblemConfig} from "./IDaimonProblem.sol";

/// @title DaimonLimits
/// @notice Protocol constants of docs/daimon.md §1 and the validation of a problem's configuration. They mirror
/// lib/daimon/fixedPoint.ts; a test asserts the two agree.
library DaimonLimits {
    /// @notice Fixed-point unit of distances, margins and rewards: 1e18 = 1.
    uint256 internal constant WAD = 1e18;
    uint256 internal constant MIN_CLASSES = 2;
    uint256 internal constant MAX_CLASSES = type(uint16).max;
    uint256 internal constant MIN_TEST_SET_SIZE = 1;
    uint256 internal constant MAX_TEST_SET_SIZE = type(uint32).max;
    /// @notice n = 1 would make every distance 0 or 1.
    uint256 internal constant MIN_EMBEDDING = 2;
    /// @notice The paper's n; keeps Σ y² ≤ 256 · 2^30 = 2^38 for int16 entries.
    uint256 internal constant MAX_EMBEDDING = 256;
    /// @notice Test dataset tuples per problem: a proof is verified against all of them in one transaction.
    uint256 internal constant MAX_TUPLES = 8;
    uint256 internal constant MIN_PERIOD = 10;
    uint256 internal constant MAX_PERIOD = 2_000_000;
    uint256 internal constant MIN_REWARD_SHAPE = 1;
    uint256 internal constant MAX_REWARD_SHAPE = 32;
    uint256 internal constant MIN_MIN_VOTES = 1;
    uint256 internal constant MAX_MIN_VOTES = 1000;
    /// @notice δ ≤ ½: a larger margin would leave almost nothing to improve.
    uint256 internal constant MAX_MARGIN = WAD / 2;
    uint256 internal constant MIN_REWARD_SCALE = 1;
    /// @notice 1e12 whole tokens of 18 decimals per unit of R; keeps rewardScale · R far below 2^256.
    uint256 internal constant MAX_REWARD_SCALE = 1e30;
    uint256 internal constant MIN_INPUT_RANK = 1;
    uint256 internal constant MAX_INPUT_RANK = 8;
    uint256 internal constant MIN_INPUT_DIMENSION = 1;
    uint256 internal constant MAX_INPUT_DIMENSION = type(uint32).max;
    uint256 internal constant MAX_NAME_BYTES = 64;
    uint256 internal constant MAX_SYMBOL_BYTES = 16;
    /// @notice Every CID (metadata, test inputs, DEL function, model): 1…128 bytes of its string form.
    uint256 internal constant MAX_CID_BYTES = 128;
    /// @notice R: a proof needs a registration at least this many blocks old (docs/daimon.md §7, §10). A failed
    /// `submitProof` publishes its CID and outputs; anyone who registers them after seeing them waits R blocks, so
    /// the author, whose registration was R blocks old before he ever sent the proof, has R blocks to retry first.
    /// 8 blocks are 96 s at 12-s slots (several retries, and a censor must exclude him from 8 consecutive blocks)
    /// and 16 s on the local chain's 2-s blocks. A chain property, not a problem's choice, hence a constant.
    uint256 internal constant REGISTRATION_AGE = 8;
    /// @notice The bond every proof carries (wei): the challenger who wins a dispute against it receives it; a proof
    /// that survives its round gets it back (`returnBond`). 0.01 ether pays a 16.7 M-gas dispute at ≈ 600 gwei.
    uint256 internal constant PROOF_BOND = 0.01 ether;
    /// @notice The bond of an availability dispute (wei): paid to the improver when his model is posted in time (the
    /// posting costs him ≈ 200 gas per byte), returned to the challenger with the proof's bond otherwise.
    uint256 internal constant AVAILABILITY_BOND = 0.001 ether;
    /// @notice The bond every vote carries (wei, docs/daimon.md §14.4): slashed to the challenger who voids the proof,
    /// withdrawable by the validator ({withdrawVoteBond}) once the proof's round is over and the proof survived it.
    uint256 internal constant VOTE_BOND = 0.001 ether;
    /// @notice Votes per proof: bounds what one void pays (PROOF_BOND + MAX_VOTES · VOTE_BOND) and keeps the equal
    /// validator share ⌊⌊amount / 4⌋ / votes⌋ meaningful; equal to MAX_MIN_VOTES, so every `minVotes` is reachable.
    uint256 internal constant MAX_VOTES = 1000;
    /// @notice The committed proof's validators together receive ⌊improverReward / VALIDATOR_POOL_DIVISOR⌋, in equal
    /// shares per vote (docs/daimon.md §4): an improver voting for himself through other accounts gains ≤ 1/4.
    uint256 internal constant VALIDATOR_POOL_DIVISOR = 4;
    /// @notice Smallest dispute window W (blocks).
    uint256 internal constant MIN_DISPUTE_WINDOW = 3;

    /// @notice W: the last W = max(⌊T_b / 4⌋, 3) blocks of every round are its dispute window; proofs are accepted only
    /// before it, so each proof can be disputed for at least W blocks (docs/daimon.md §14.3).
    function disputeWindow(uint256 competitionPeriod) internal pure returns (uint256) {
        uint256 w = competitionPeriod / 4;
        return w < MIN_DISPUTE_WINDOW ? MIN_DISPUTE_WINDOW : w;
    }

    /// @notice T_a = max(⌊W / 3⌋, 1): blocks the improver has to post his model after an availability dispute.
    /// Availability disputes close 2·T_a blocks before the round ends, so a model posted at the deadline leaves
    /// ≥ T_a blocks for label disputes.
    function availabilityPeriod(uint256 competitionPeriod) internal pure returns (uint256) {
        uint256 a = disputeWindow(competitionPeriod) / 3;
        return a == 0 ? 1 : a;
    }

    /// @notice Reverts with {IDaimonProblem.ConfigOutOfRange} on the first value out of bounds.
    function validate(
        ProblemConfig memory c,
        uint32[] memory inputShape,
        uint256 nameLength,
        uint256 symbolLength,
        uint256 metadataCidLength,
        uint256 initialTuples
    ) internal pure {
        _check(ConfigField.ClassCount, c.classCount, MIN_CLASSES, MAX_CLASSES);
        _check(ConfigField.TestSetSize, c.testSetSize, MIN_TEST_SET_SIZE, MAX_TEST_SET_SIZE);
        _check(ConfigField.EmbeddingSize, c.embeddingSize, MIN_EMBEDDING, MAX_EMBEDDING);
        _check(ConfigField.DefinitionPeriod, c.definitionPeriod, MIN_PERIOD, MAX_PERIOD);
        _check(ConfigField.CompetitionPeriod, c.competitionPeriod, MIN_PERIOD, MAX_PERIOD);
        _check(ConfigField.RewardShape, c.rewardShape, MIN_REWARD_SHAPE, MAX_REWARD_SHAPE);
        _check(ConfigField.MinVotes, c.minVotes, MIN_MIN_VOTES, MAX_MIN_VOTES);
        _check(ConfigField.Margin, c.margin, 0, MAX_MARGIN);
        _check(ConfigField.RewardScale, c.rewardScale, MIN_REWARD_SCALE, MAX_REWARD_SCALE);
        _check(ConfigField.InputRank, inputShape.length, MIN_INPUT_RANK, MAX_INPUT_RANK);
        for (uint256 i; i < inputShape.length; ++i) {
            _check(ConfigField.InputDimension, inputShape[i], MIN_INPUT_DIMENSION, MAX_INPUT_DIMENSION);
        }
        _check(ConfigField.NameLength, nameLength, 1, MAX_NAME_BYTES);
        _check(ConfigField.SymbolLength, symbolLength, 1, MAX_SYMBOL_BYTES);
        _check(ConfigField.MetadataCidLength, metadataCidLength, 1, MAX_CID_BYTES);
        _check(ConfigField.InitialTuples, initialTuples, 0, MAX_TUPLES);
    }

    function _check(ConfigField field, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert IDaimonProblem.ConfigOutOfRange(field, value, min, max);
    }
}
