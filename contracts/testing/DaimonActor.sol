// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {DaimonProblem} from "../daimon/DaimonProblem.sol";

/// @title DaimonActor
/// @notice Test-only: a contract account that makes several problem calls in one transaction (one block), e.g. a
/// registration and the proof that needs it.
contract DaimonActor {
    /// @notice Registers keccak256(abi.encode(problem, this, cid, keccak256(outputs))) and submits the proof in the
    /// same transaction (zero model hash and labels root, the checkpoints given, the proof bond sent along).
    function registerAndSubmit(
        DaimonProblem problem,
        string calldata cid,
        bytes calldata checkpoints,
        bytes calldata outputs
    ) external payable {
        problem.register(keccak256(abi.encode(address(problem), address(this), cid, keccak256(outputs))));
        problem.submitProof{value: msg.value}(cid, bytes32(0), bytes32(0), checkpoints, outputs);
    }

    /// @notice Registers keccak256(abi.encode(problem, this, cid, keccak256(outputs))).
    function register(DaimonProblem problem, string calldata cid, bytes calldata outputs) external {
        problem.register(keccak256(abi.encode(address(problem), address(this), cid, keccak256(outputs))));
    }

    /// @notice Submits a proof as this contract (zero model hash and labels root, the checkpoints given, the proof bond sent along).
    function submit(DaimonProblem problem, string calldata cid, bytes calldata checkpoints, bytes calldata outputs)
        external
        payable
    {
        problem.submitProof{value: msg.value}(cid, bytes32(0), bytes32(0), checkpoints, outputs);
    }

    /// @notice Receives returned bonds.
    receive() external payable {}
}
