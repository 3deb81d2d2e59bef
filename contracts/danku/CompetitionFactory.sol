// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {CompetitionConfig, ClaimTerms, IDankuCompetition} from "./IDankuCompetition.sol";
import {DankuClaimModule} from "./DankuClaimModule.sol";
import {DankuCompetition} from "./DankuCompetition.sol";
import {DankuEvaluatorEngine} from "./DankuEvaluatorEngine.sol";

/// @title CompetitionFactory
/// @notice Creates DanKu competitions as EIP-1167 clones of one implementation and initializes each in the
/// same transaction (init1), so nobody can initialize a competition but its creator.
contract CompetitionFactory {
    /// @notice The DankuCompetition implementation every competition delegates to.
    address public immutable implementation;

    address[] private _competitions;

    /// @notice A competition was created (init1) with `reward` wei and `groupCount` committed group hashes.
    event CompetitionCreated(
        address indexed competition,
        address indexed organizer,
        uint256 reward,
        uint256 groupCount,
        uint256 trainingGroupCount,
        uint256 totalPoints,
        uint256 init1Block,
        CompetitionConfig config,
        string metadataCid
    );

    /// @notice There is no competition number `index` (the factory has created `count`).
    error CompetitionIndexOutOfRange(uint256 index, uint256 count);

    /// @dev Deploys the competition implementation that uses the given engine and claim module.
    /// @param claimModule The claim-mode module every competition of this factory runs (docs/protocol.md §10, §11),
    /// deployed first on its own: its init code does not fit in this one's under EIP-3860.
    /// @param evaluator The stateless forward-pass engine (dense and convolutional), deployed first on its own for the
    /// same reason.
    constructor(DankuClaimModule claimModule, DankuEvaluatorEngine evaluator) {
        implementation = address(new DankuCompetition(evaluator, claimModule));
    }

    /// @notice Creates a competition with reward `msg.value` (> 0): init1 of docs/protocol.md.
    /// @param config Dataset shape, split share, accuracy threshold and stage periods (bounds: docs §1).
    /// @param groupHashes keccak256(points ‖ nonce) per data group, 2 … 1024 of them.
    /// @param groupPointCounts The number of points of each group (committed: a reveal of another size reverts).
    /// @param metadataCid Content identifier of the competition's metadata.
    /// @return competition The new competition's address.
    function createCompetition(
        CompetitionConfig calldata config,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid
    ) external payable returns (address competition) {
        if (msg.value == 0) revert IDankuCompetition.ZeroReward();
        competition = Clones.clone(implementation);
        (uint256 nTrain, uint256 totalPoints) = DankuCompetition(payable(competition)).initialize{value: msg.value}(
            msg.sender, config, groupHashes, groupPointCounts, metadataCid
        );
        _competitions.push(competition);
        _announce(competition, groupHashes.length, nTrain, totalPoints, config, metadataCid);
    }

    /// @notice Creates a claim-mode competition (docs/protocol.md §11) with reward `msg.value` (> 0): scores are
    /// claimed with a bond of CLAIM_BOND_GAS × `terms.bondGasPrice` and can be disputed one point at a time for
    /// `terms.challengeWindow` blocks. Trust assumption: at least one honest checker watches every claim during its
    /// window. At most MAX_CLAIM_MODE_POINTS points; no evaluation-fits rule (no full evaluation in this mode).
    /// @param config Dataset shape, split share, accuracy threshold and stage periods (bounds: docs §1).
    /// @param terms Challenge window (blocks) and bond gas price (wei), bounds in docs §1.
    /// @param groupHashes keccak256(points ‖ nonce) per data group.
    /// @param groupPointCounts The number of points of each group.
    /// @param metadataCid Content identifier of the competition's metadata.
    /// @return competition The new competition's address.
    function createClaimCompetition(
        CompetitionConfig calldata config,
        ClaimTerms calldata terms,
        bytes32[] calldata groupHashes,
        uint32[] calldata groupPointCounts,
        string calldata metadataCid
    ) external payable returns (address competition) {
        if (msg.value == 0) revert IDankuCompetition.ZeroReward();
        competition = Clones.clone(implementation);
        DankuClaimModule(payable(competition)).chooseClaimMode(terms);
        (uint256 nTrain, uint256 totalPoints) = DankuCompetition(payable(competition)).initialize{value: msg.value}(
            msg.sender, config, groupHashes, groupPointCounts, metadataCid
        );
        _competitions.push(competition);
        _announce(competition, groupHashes.length, nTrain, totalPoints, config, metadataCid);
    }

    function _announce(
        address competition,
        uint256 groupCount,
        uint256 nTrain,
        uint256 totalPoints,
        CompetitionConfig calldata config,
        string calldata metadataCid
    ) private {
        emit CompetitionCreated(
            competition, msg.sender, msg.value, groupCount, nTrain, totalPoints, block.number, config, metadataCid
        );
    }

    /// @notice Number of competitions created by this factory.
    function competitionCount() external view returns (uint256) {
        return _competitions.length;
    }

    /// @notice The `index`-th competition created by this factory.
    function competitionAt(uint256 index) external view returns (address) {
        if (index >= _competitions.length) revert CompetitionIndexOutOfRange(index, _competitions.length);
        return _competitions[index];
    }
}
