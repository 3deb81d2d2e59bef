import "@nomicfoundation/hardhat-viem";
import "@nomicfoundation/hardhat-network-helpers";
import { subtask, task } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { generateAbis } from "./scripts/hardhat/generate-abis";
import type { HardhatUserConfig } from "hardhat/config";

/**
 * The solc version is pinned twice on purpose: here and in package.json ("solc": "0.8.28").
 * Hardhat would otherwise download a native compiler, which this project's machines cannot reach;
 * the npm `solc` package ships the same compiler as WebAssembly.
 */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const installed = (require("solc/package.json") as { version: string }).version;
  if (args.solcVersion === installed) {
    return {
      compilerPath: require.resolve("solc/soljson.js"),
      isSolcJs: true,
      version: args.solcVersion,
      longVersion: solc.version(),
    };
  }
  return runSuper();
});

// Every compile refreshes the typed ABIs that lib/, app/ and the CLI import.
task(TASK_COMPILE, async (args, hre, runSuper) => {
  const result: unknown = await runSuper(args);
  await generateAbis(hre);
  return result;
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      viaIR: false,
      evmVersion: "cancun",
    },
  },
  networks: {
    hardhat: {
      // Keep Hardhat's default hardfork (osaka): it enforces EIP-7825's 16,777,216 gas per-transaction cap,
      // which is exactly the limit the evaluator is designed around.
      allowUnlimitedContractSize: false,
    },
    localhost: {
      url: process.env.MODELBOUNTY_RPC_URL ?? "http://127.0.0.1:8545",
    },
  },
  paths: {
    sources: "./contracts",
    tests: "./test",
    cache: "./.cache/hardhat",
    artifacts: "./.cache/artifacts",
  },
  mocha: {
    timeout: 600_000,
  },
};

export default config;
