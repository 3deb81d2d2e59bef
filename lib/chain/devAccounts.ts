/**
 * Hardhat's public development accounts, derived from its well-known mnemonic instead of pasted keys.
 * They hold test ETH on local chains only; never use them anywhere else.
 */
import { bytesToHex, type Hex } from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

export function devAccount(index: number): HDAccount {
  return mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
}

export function devPrivateKey(index: number): Hex {
  const key = devAccount(index).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for development account ${index}`);
  return bytesToHex(key);
}
