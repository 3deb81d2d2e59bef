/**
 * A gas model of `evaluate` so clients can size transactions and show costs before sending anything.
 * Structure follows the evaluator (contracts/danku/DankuEvaluator.sol): a per-transaction setup (load the model's
 * code, expand weights into lane words) and a per-point cost made of one SWAR multiply-accumulate step per
 * (lane group, input), lane-wise activation work per lane group, and a byte sum per input.
 * The coefficients are fitted to measured gas by `npm run bench:gas` (bench/gas.ts prints the fit error);
 * estimates are then confirmed with eth_estimateGas before any transaction is sent.
 */
import { LANES, TX_GAS_CAP } from "./constants";
import { encodedModelLength, laneWords } from "./encoding";

export const EVALUATION_GAS_COEFFICIENTS = {
  /** Intrinsic + storage reads/writes + events of one evaluate transaction. */
  perTransaction: 60_000,
  /** Expanding one lane word of the model in memory. */
  perLaneWordSetup: 60,
  /** Copying one model byte out of contract code. */
  perModelByte: 4,
  /** Fixed work per evaluated point (decode, compare with the label, loop). */
  perPoint: 150,
  /** One 8-lane multiply-accumulate step: load lane word, MUL, ADD. */
  perLaneStep: 38,
  /** Bias, ReLU, shift and saturation on eight lanes, and unpacking them. */
  perLaneGroup: 120,
  /** Summing the layer's input bytes (for the weight offset). */
  perInput: 6,
} as const;

/** Gas of the per-point work for a network with these widths. */
export function evaluationGasPerPoint(widths: readonly number[]): number {
  const c = EVALUATION_GAS_COEFFICIENTS;
  let gas = c.perPoint;
  for (let l = 1; l < widths.length; l++) {
    const fanIn = widths[l - 1] as number;
    const groups = Math.ceil((widths[l] as number) / LANES);
    gas += c.perLaneStep * fanIn * groups + c.perLaneGroup * groups + c.perInput * fanIn;
  }
  return gas;
}

/** Gas of one evaluate transaction's fixed part. */
export function evaluationGasPerTransaction(widths: readonly number[]): number {
  const c = EVALUATION_GAS_COEFFICIENTS;
  return c.perTransaction + c.perLaneWordSetup * laneWords(widths) + c.perModelByte * encodedModelLength(widths);
}

export interface EvaluationGasEstimate {
  perPointGas: number;
  perTransactionGas: number;
  /** Points one transaction can cover while staying under 90 % of the per-transaction cap. */
  pointsPerTransaction: number;
  transactions: number;
  totalGas: number;
}

export function estimateEvaluationGas(widths: readonly number[], points: number, targetTxGas = Math.floor(TX_GAS_CAP * 0.9)): EvaluationGasEstimate {
  const perPointGas = evaluationGasPerPoint(widths);
  const perTransactionGas = evaluationGasPerTransaction(widths);
  const pointsPerTransaction = Math.max(1, Math.floor((targetTxGas - perTransactionGas) / perPointGas));
  const transactions = points === 0 ? 0 : Math.ceil(points / pointsPerTransaction);
  return {
    perPointGas,
    perTransactionGas,
    pointsPerTransaction,
    transactions,
    totalGas: transactions * perTransactionGas + points * perPointGas,
  };
}
