// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title RevertingReceiver
/// @notice Test-only: an account that refuses every plain ETH transfer. Anyone may make it call a contract through
/// {execute} (forwarding `msg.value`), so it can commit, reveal, donate and withdraw like an externally owned account
/// while a payout sent to it always fails. Used to check that a reverting winner or donor blocks nobody else and
/// can still be paid with `withdrawTo`. Never deployed by the app.
contract RevertingReceiver {
    /// @notice Raised by {receive} for every incoming plain transfer.
    error ReceiveRefused(address from, uint256 amount);

    /// @notice Calls `target` with `data` and `msg.value` as this contract; bubbles the callee's revert data unchanged.
    function execute(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    receive() external payable {
        revert ReceiveRefused(msg.sender, msg.value);
    }
}
