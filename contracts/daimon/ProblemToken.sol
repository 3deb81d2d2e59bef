// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IDaimonProblem} from "./IDaimonProblem.sol";

/// @title ProblemToken
/// @notice The ERC-20 token of one DaiMoN problem (18 decimals). Only its problem mints, as rewards for committed
/// Improvement blocks; nobody can burn or mint otherwise. Deployed as an EIP-1167 clone by {ProblemFactory}.
/// @dev OpenZeppelin's ERC20 keeps name and symbol in constructor-set storage, which a clone never runs; this
/// contract stores its own and overrides the getters.
contract ProblemToken is ERC20, Initializable {
    /// @notice The factory that deployed this implementation; the only account allowed to initialize clones.
    address public immutable factory;

    address private _problem;
    string private _tokenName;
    string private _tokenSymbol;

    constructor() ERC20("", "") {
        factory = msg.sender;
        _disableInitializers();
    }

    /// @notice Called once by the factory right after cloning.
    /// @param problem_ The only account that may mint.
    /// @param name_ ERC-20 name.
    /// @param symbol_ ERC-20 symbol.
    function initialize(address problem_, string calldata name_, string calldata symbol_) external initializer {
        if (msg.sender != factory) revert IDaimonProblem.NotFactory(msg.sender, factory);
        _problem = problem_;
        _tokenName = name_;
        _tokenSymbol = symbol_;
    }

    /// @notice Mints `amount` to `to`; only the problem.
    function mint(address to, uint256 amount) external {
        if (msg.sender != _problem) revert IDaimonProblem.NotProblem(msg.sender, _problem);
        _mint(to, amount);
    }

    /// @notice The problem that owns this token.
    function problem() external view returns (address) {
        return _problem;
    }

    /// @inheritdoc ERC20
    function name() public view override returns (string memory) {
        return _tokenName;
    }

    /// @inheritdoc ERC20
    function symbol() public view override returns (string memory) {
        return _tokenSymbol;
    }
}
