// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DankuCompetition} from "../danku/DankuCompetition.sol";
import {CompetitionConfig, Stage} from "../danku/IDankuCompetition.sol";

/// @title CompetitionProbe
/// @notice Test-only: reads a competition's money state for many accounts in one `eth_call`, so the invariant tests
/// (test/danku/invariants.test.ts) can check it after every action cheaply. Every value comes from the competition's
/// own views or its balance, all at the same block. Never deployed by the app.
contract CompetitionProbe {
    /// @notice One consistent reading.
    struct Reading {
        uint256 blockNumber;
        uint256 balance;
        Stage stage;
        uint256 reward;
        uint256 totalDonations;
        uint256[] withdrawable;
        uint256[] donations;
        uint256 submissionCount;
        bool bestExists;
        uint256 bestId;
        uint256 bestCorrect;
        address winner;
        bool rewardForfeited;
        bool testWithheld;
    }

    /// @notice Reads `competition`, with `withdrawable` and `donationOf` for each of `accounts` (in order).
    function read(address payable competition, address[] calldata accounts) external view returns (Reading memory r) {
        DankuCompetition c = DankuCompetition(competition);
        r.blockNumber = block.number;
        r.balance = competition.balance;
        r.stage = c.stage();
        r.reward = c.reward();
        r.totalDonations = c.totalDonations();
        r.withdrawable = new uint256[](accounts.length);
        r.donations = new uint256[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            r.withdrawable[i] = c.withdrawable(accounts[i]);
            r.donations[i] = c.donationOf(accounts[i]);
        }
        r.submissionCount = c.submissionCount();
        (r.bestExists, r.bestId, r.bestCorrect) = c.best();
        r.winner = c.winner();
        r.rewardForfeited = c.rewardForfeited();
        r.testWithheld = c.testWithheld();
    }
}

interface ICompetitionFactoryForGrinder {
    function createCompetition(
        CompetitionConfig calldata config,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid
    ) external payable returns (address);
}

/// @title SplitGrinder
/// @notice Test-only: the organizer of the split-grinding attack of issue 9 §3 (test/danku/attacks.test.ts). Creates
/// many competitions in one transaction (it is their organizer), then cancels the ones whose split it does not want
/// and withdraws whatever the cancellations leave it. Never deployed by the app.
contract SplitGrinder {
    /// @notice Creates `count` identical competitions with `msg.value / count` wei of reward each, in this transaction.
    function createMany(
        address factory,
        CompetitionConfig calldata config,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid,
        uint256 count
    ) external payable returns (address[] memory competitions) {
        competitions = new address[](count);
        uint256 each = msg.value / count;
        for (uint256 i; i < count; ++i) {
            competitions[i] = ICompetitionFactoryForGrinder(factory).createCompetition{value: each}(
                config, groupHashes, groupPointCounts, metadataCid
            );
        }
    }

    /// @notice Cancels `competition` as its organizer.
    function cancel(address payable competition) external {
        DankuCompetition(competition).cancel();
    }

    /// @notice Withdraws what `competition` owes this contract.
    function withdraw(address payable competition) external {
        DankuCompetition(competition).withdraw();
    }

    receive() external payable {}
}
