/**
 * Shared by the CNN evaluator tests: the test-only CnnEvaluatorHarness (contracts/testing) and the reference's
 * defect → the contract's CnnModelDefect code.
 */
import { parseAbi, toHex } from "viem";
import { CNN_MODEL_DEFECTS, CnnModelFormatError, decodeCnnModel } from "../../lib/danku/cnn/encoding";
import { deployEnv, deployTestContract, revertOf } from "./fixtures";

/** Human-readable ABI of the test-only harness (the production ABIs come from lib/generated/abis.ts). */
export const cnnEvaluatorHarnessAbi = parseAbi([
  "function validate(bytes model, uint256 featureCount, uint256 classCount) pure",
  "function predict(bytes model, bytes point, uint256 classCount) pure returns (uint256 prediction)",
  "function store(bytes model) returns (address[] chunks)",
  "function predictStored(address[] chunks, bytes point, uint256 classCount) view returns (uint256 prediction)",
  "function measureStored(address[] chunks, bytes point, uint256 classCount) view returns (uint256 prediction, uint256 gasUsed)",
  "function work(bytes model, uint256 featureCount, uint256 classCount) pure returns (uint256 units)",
  "function limits() pure returns (uint256[9] values)",
  "error InvalidCnnModel(uint8 reason, uint256 index)",
]);

export async function deployCnnHarness() {
  const env = await deployEnv();
  const harness = await deployTestContract(env, "CnnEvaluatorHarness", cnnEvaluatorHarnessAbi);
  return { env, harness };
}
export type CnnHarness = Awaited<ReturnType<typeof deployCnnHarness>>["harness"];

/** What the chain must answer for these bytes: the reference's (code, index), or null when it accepts them. */
export function referenceVerdict(bytes: Uint8Array, featureCount: number, classCount: number): [number, bigint] | null {
  try {
    decodeCnnModel(bytes, { featureCount, classCount });
    return null;
  } catch (error) {
    if (!(error instanceof CnnModelFormatError)) throw error;
    return [CNN_MODEL_DEFECTS.indexOf(error.defect), BigInt(error.index)];
  }
}

/** The contract's verdict on the same bytes: (code, index) of its InvalidCnnModel, or null when it accepts them. */
export async function chainVerdict(harness: CnnHarness, bytes: Uint8Array, featureCount: number, classCount: number): Promise<[number, bigint] | null> {
  try {
    await harness.read.validate([toHex(bytes), BigInt(featureCount), BigInt(classCount)]);
    return null;
  } catch (error) {
    const { errorName, args } = revertOf(error, cnnEvaluatorHarnessAbi);
    if (errorName !== "InvalidCnnModel") throw new Error(`validate reverted with ${errorName}, not InvalidCnnModel`);
    return [Number(args[0]), args[1] as bigint];
  }
}
