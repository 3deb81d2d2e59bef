// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title BlobStore
/// @notice SSTORE2-style storage of immutable bytes as contract code. A data contract's code is a STOP byte
/// followed by the data, so calling it does nothing; the data is read back with EXTCODECOPY. EIP-170 limits
/// code to 24,576 bytes, so one data contract holds at most {MAX_CHUNK} bytes; callers split larger blobs.
/// @dev Writers work on memory the caller prepared: the {HEADER_SPACE} bytes *before* the data are used as
/// scratch for the creation header and restored afterwards, so a large buffer can be cut into consecutive
/// chunks without copying.
library BlobStore {
    /// @notice Data bytes per data contract (24,576 − 1 STOP byte).
    uint256 internal constant MAX_CHUNK = 24575;
    /// @notice Bytes of scratch the writer needs right before the data in memory.
    uint256 internal constant HEADER_SPACE = 11;

    /// @notice The CREATE of a data contract failed (out of gas or empty data).
    error BlobWriteFailed(uint256 length);

    /// @notice Creates one data contract holding the `length` bytes at memory `ptr` (1 ≤ length ≤ MAX_CHUNK).
    /// The 11 bytes before `ptr` must be addressable memory; they are restored before returning.
    /// @return pointer The data contract's address.
    function writeMemory(uint256 ptr, uint256 length) internal returns (address pointer) {
        if (length == 0 || length > MAX_CHUNK) revert BlobWriteFailed(length);
        assembly ("memory-safe") {
            let at := sub(ptr, 32)
            let saved := mload(at)
            // init code (10 bytes) + STOP: PUSH2 size, DUP1, PUSH1 0x0a, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN, STOP
            let header := or(shl(80, 0x61), or(shl(64, add(length, 1)), 0x80600a3d393df300))
            mstore(at, or(and(saved, not(0xffffffffffffffffffffff)), header))
            pointer := create(0, sub(ptr, 11), add(length, 11))
            mstore(at, saved)
        }
        if (pointer == address(0)) revert BlobWriteFailed(length);
    }

    /// @notice Copies `length` data bytes starting at data offset `start` of `pointer` to memory `dest`.
    function readInto(address pointer, uint256 start, uint256 length, uint256 dest) internal view {
        assembly ("memory-safe") {
            extcodecopy(pointer, dest, add(start, 1), length)
        }
    }

    /// @notice Number of data bytes held by `pointer`.
    function size(address pointer) internal view returns (uint256 length) {
        assembly ("memory-safe") {
            length := extcodesize(pointer)
            if length { length := sub(length, 1) }
        }
    }
}
