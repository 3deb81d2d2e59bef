// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IDaimonProblem, ProblemSpec, TestTuple} from "./IDaimonProblem.sol";
import {DaimonDisputeModule} from "./DaimonDisputeModule.sol";
import {DaimonProblem} from "./DaimonProblem.sol";
import {ProblemToken} from "./ProblemToken.sol";

/// @title ProblemFactory
/// @notice Creates DaiMoN problems: an EIP-1167 clone of the problem implementation and one of the token
/// implementation per problem, both initialized in the same transaction, so nobody else can initialize either.
contract ProblemFactory {
    /// @notice The DaimonProblem implementation every problem delegates to.
    address public immutable problemImplementation;
    /// @notice The ProblemToken implementation every problem token delegates to.
    address public immutable tokenImplementation;

    address[] private _problems;

    /// @notice A problem was created; everything a marketplace listing shows is in this event.
    /// @param problem The problem's address.
    /// @param creator The account that created it.
    /// @param token The problem's ERC-20 token.
    /// @param spec Name, symbol, C, m, n, periods, a, δ, min votes, reward scale, input shape and metadata CID.
    /// @param initialTupleCount Tuples added at creation.
    /// @param createdBlock The creation block.
    /// @param definitionEnd First block of round 0 (createdBlock + T_p).
    event ProblemCreated(
        address indexed problem,
        address indexed creator,
        address indexed token,
        ProblemSpec spec,
        uint256 initialTupleCount,
        uint256 createdBlock,
        uint256 definitionEnd
    );

    /// @notice The DanKu-evaluator judge of every problem's disputes (docs/daimon.md §14.3), the dispute module's.
    address public immutable judge;
    /// @notice The dispute module every problem runs its disputes in (by DELEGATECALL, docs/daimon.md §14.3).
    address public immutable disputeModule;

    /// @dev Deploys the problem and token implementations. The dispute module and its judge are deployed before the
    /// factory and given to it (lib/chain/daimon.ts): their init code would push the factory's past EIP-3860.
    /// @param disputeModule_ The dispute module the problem implementation (and so every clone) delegates to.
    constructor(DaimonDisputeModule disputeModule_) {
        disputeModule = address(disputeModule_);
        judge = address(disputeModule_.judge());
        problemImplementation = address(new DaimonProblem(disputeModule_));
        tokenImplementation = address(new ProblemToken());
    }

    /// @notice Creates a problem and its token.
    /// @param spec The problem definition (bounds: docs/daimon.md §1).
    /// @param initialTuples Test dataset tuples to add right away (0…8; more may follow during T_p).
    /// @return problem The new problem's address.
    /// @return token The new problem's token.
    function createProblem(ProblemSpec calldata spec, TestTuple[] calldata initialTuples)
        external
        returns (address problem, address token)
    {
        problem = Clones.clone(problemImplementation);
        token = Clones.clone(tokenImplementation);
        ProblemToken(token).initialize(problem, spec.name, spec.symbol);
        DaimonProblem(problem).initialize(msg.sender, ProblemToken(token), spec, initialTuples);
        _problems.push(problem);
        emit ProblemCreated(
            problem,
            msg.sender,
            token,
            spec,
            initialTuples.length,
            block.number,
            block.number + spec.config.definitionPeriod
        );
    }

    /// @notice Number of problems created by this factory.
    function problemCount() external view returns (uint256) {
        return _problems.length;
    }

    /// @notice The `index`-th problem created by this factory.
    function problemAt(uint256 index) external view returns (address) {
        if (index >= _problems.length) revert IDaimonProblem.ProblemIndexOutOfRange(index, _problems.length);
        return _problems[index];
    }
}
