// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CompetitionConfig} from "../danku/IDankuCompetition.sol";

interface ICompetitionFactoryLike {
    function createCompetition(
        CompetitionConfig calldata config,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid
    )
        external
        payable
        returns (address);
}

interface IDankuCompetitionLike {
    function selectTrainingGroups() external;
    function withdraw() external;
    function withdrawTo(address payable recipient) external;
}

/// @title TestActor
/// @notice Test-only contract account: donates, commits, reveals and withdraws through `forward`, and reacts to
/// incoming ETH according to `mode` (accept, revert, or re-enter the competition) to test reentrancy and
/// reverting recipients. Never deployed by the app.
contract TestActor {
    enum Mode {
        Accept,
        Revert,
        ReenterWithdraw,
        ReenterWithdrawTo
    }

    Mode public mode;
    address public target;
    uint256 public received;
    uint256 public reentryAttempts;
    bool public reentrySucceeded;
    bytes public lastReentryError;

    error Refused();

    /// @notice Sets how `receive` behaves and which competition it re-enters.
    function setMode(Mode mode_, address target_) external {
        mode = mode_;
        target = target_;
    }

    /// @notice Calls `to` with `data` and `msg.value`, bubbling any revert.
    function forward(address to, bytes calldata data) external payable returns (bytes memory result) {
        (bool ok, bytes memory ret) = to.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    /// @notice Creates a competition and calls init2 in the same transaction (the same block as init1).
    function createAndSplit(
        address factory,
        CompetitionConfig calldata config,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid
    ) external payable {
        address competition = ICompetitionFactoryLike(factory).createCompetition{value: msg.value}(
            config, groupHashes, groupPointCounts, metadataCid
        );
        IDankuCompetitionLike(competition).selectTrainingGroups();
    }

    receive() external payable {
        if (mode == Mode.Revert) revert Refused();
        received += msg.value;
        if (mode == Mode.ReenterWithdraw || mode == Mode.ReenterWithdrawTo) {
            ++reentryAttempts;
            if (mode == Mode.ReenterWithdraw) {
                try IDankuCompetitionLike(target).withdraw() {
                    reentrySucceeded = true;
                } catch (bytes memory reason) {
                    lastReentryError = reason;
                }
            } else {
                try IDankuCompetitionLike(target).withdrawTo(payable(address(this))) {
                    reentrySucceeded = true;
                } catch (bytes memory reason) {
                    lastReentryError = reason;
                }
            }
        }
    }
}
