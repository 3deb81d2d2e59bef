/**
 * The wizard's competition settings: raw form values (strings, as typed) and their validation against the
 * protocol bounds of lib/danku/constants.ts, producing the exact `CompetitionConfig` the factory receives.
 * Pure functions, so the form, the summary and the tests all agree on what a valid setting is.
 */
import { formatUnits, parseEther, parseUnits } from "viem";
import {
  BPS,
  MAX_BOND_GAS_PRICE,
  MAX_CHALLENGE_WINDOW,
  MAX_CLAIM_MODE_POINTS,
  MIN_BOND_GAS_PRICE,
  MIN_CHALLENGE_WINDOW,
  MAX_GROUPS,
  MAX_INIT2_WINDOW,
  MAX_PERIOD,
  MAX_TRAINING_BPS,
  MIN_GROUPS,
  MAX_SPLIT_DELAY,
  MIN_INIT2_WINDOW,
  MIN_PERIOD,
  MIN_SPLIT_DELAY,
  MIN_TRAINING_BPS,
} from "../../lib/danku/constants";
import { minimumEvaluationPeriod, trainingGroupCount } from "../../lib/danku/groups";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../lib/danku/metadata";
import { LOCAL_CHAIN_SPLIT_DELAY, PUBLIC_CHAIN_SPLIT_DELAY } from "../../lib/danku/split";
import { maxRevealablePointsPerGroup } from "../../lib/chain/gas";
import type { CompetitionConfig } from "../../lib/chain/danku";

export const PERIOD_FIELDS = [
  { key: "trainingRevealPeriod", label: "Training reveal", help: "blocks you have to reveal the training data after the split" },
  { key: "submissionPeriod", label: "Submission", help: "blocks in which data scientists commit models" },
  { key: "modelRevealPeriod", label: "Model reveal", help: "blocks in which committed models are revealed" },
  { key: "testRevealPeriod", label: "Test reveal", help: "blocks you have to reveal the test data" },
  { key: "evaluationPeriod", label: "Evaluation", help: "blocks in which models are evaluated on chain" },
] as const;
export type PeriodKey = (typeof PERIOD_FIELDS)[number]["key"];

export interface SettingsForm {
  title: string;
  description: string;
  groupMode: "count" | "size";
  groupCount: string;
  groupSize: string;
  /** Percent of groups revealed for training (10..90). */
  trainingPercent: string;
  /** Percent accuracy a model needs to win (0..100). */
  minAccuracyPercent: string;
  reward: string;
  init2Window: string;
  /** Blocks after creation whose hash seeds the split (docs/protocol.md §3). */
  splitDelay: string;
  periods: Record<PeriodKey, string>;
  /** How submissions are scored (docs/protocol.md §11): every model on every point on chain, or claims with disputes. */
  evaluationMode: EvaluationMode;
  /** Claim mode: blocks in which a claim can be disputed. */
  challengeWindow: string;
  /** Claim mode: the bond's gas price in gwei (bond = CLAIM_BOND_GAS × this). */
  bondGasPriceGwei: string;
}

export type EvaluationMode = "onchain" | "claim";


export const DEFAULT_SETTINGS: SettingsForm = {
  title: "",
  description: "",
  groupMode: "size",
  groupCount: "20",
  groupSize: "5",
  trainingPercent: "80",
  minAccuracyPercent: "50",
  reward: "1",
  init2Window: "5",
  splitDelay: String(PUBLIC_CHAIN_SPLIT_DELAY),
  periods: {
    trainingRevealPeriod: "100",
    submissionPeriod: "7200",
    modelRevealPeriod: "300",
    testRevealPeriod: "300",
    evaluationPeriod: "7200",
  },
  evaluationMode: "onchain",
  challengeWindow: "300",
  bondGasPriceGwei: "10",
};

/** The settings a new draft starts with on this chain. */
export function defaultSettings(localChain: boolean): SettingsForm {
  return { ...structuredClone(DEFAULT_SETTINGS), splitDelay: String(localChain ? LOCAL_CHAIN_SPLIT_DELAY : PUBLIC_CHAIN_SPLIT_DELAY) };
}

/** A draft saved before a setting existed gets that setting's default. */
export function withSettingDefaults(form: Partial<SettingsForm> & Pick<SettingsForm, "periods">, localChain: boolean): SettingsForm {
  const defaults = defaultSettings(localChain);
  return { ...defaults, ...form, periods: { ...defaults.periods, ...form.periods } };
}

export type SettingsField = Exclude<keyof SettingsForm, "periods" | "groupMode"> | PeriodKey;

/** The claim mode's terms as the factory's `createClaimCompetition` takes them (bondGasPrice in wei). */
export interface ClaimTermsInput {
  readonly challengeWindow: number;
  readonly bondGasPrice: bigint;
}

export interface ValidSettings {
  readonly title: string;
  readonly description: string;
  readonly groupCount: number;
  readonly trainingGroups: number;
  readonly trainingBps: number;
  readonly minAccuracyBps: number;
  readonly reward: bigint;
  readonly init2Window: number;
  readonly splitDelay: number;
  readonly periods: Record<PeriodKey, number>;
  /** Present for claim mode only; absent means on-chain evaluation. */
  readonly claimTerms?: ClaimTermsInput;
}

export type SettingsValidation =
  | { readonly ok: true; readonly settings: ValidSettings; readonly errors: Partial<Record<SettingsField, string>> }
  | { readonly ok: false; readonly errors: Partial<Record<SettingsField, string>> };

function integerIn(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

/** A decimal percentage with at most two decimals (the contract counts basis points). */
function percentToBps(text: string, minBps: number, maxBps: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const bps = Math.round(Number(trimmed) * 100);
  return bps >= minBps && bps <= maxBps ? bps : undefined;
}

/** G from a group size, as the CLI computes it: ⌊N / size⌋ groups (at least 2), the remainder spread over the first. */
export function groupCountFromSize(pointCount: number, groupSize: number): number {
  return Math.max(MIN_GROUPS, Math.floor(pointCount / groupSize));
}

/** The group count the form asks for, or undefined when the entry is not a usable integer. */
export function requestedGroupCount(form: SettingsForm, pointCount: number): number | undefined {
  if (form.groupMode === "count") return integerIn(form.groupCount, 1, Number.MAX_SAFE_INTEGER);
  const size = integerIn(form.groupSize, 1, Number.MAX_SAFE_INTEGER);
  return size === undefined ? undefined : groupCountFromSize(pointCount, size);
}

/**
 * Checks the form for a dataset of `pointCount` points; with `featureCount` known it also refuses groups too large to
 * be revealed in one transaction (such a competition could never complete its setup, and that burns the reward).
 */
export function validateSettings(form: SettingsForm, pointCount: number, featureCount?: number): SettingsValidation {
  const errors: Partial<Record<SettingsField, string>> = {};
  const title = form.title.trim();
  if (title === "") errors.title = "Give the competition a title.";
  else if (title.length > MAX_TITLE_LENGTH) errors.title = `At most ${MAX_TITLE_LENGTH} characters (now ${title.length}).`;
  const description = form.description.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    errors.description = `At most ${MAX_DESCRIPTION_LENGTH} characters (now ${description.length}).`;
  }

  const maxGroups = Math.min(MAX_GROUPS, pointCount);
  const groupCount = requestedGroupCount(form, pointCount);
  const groupField = form.groupMode === "count" ? "groupCount" : "groupSize";
  if (groupCount === undefined) {
    errors[groupField] = "Enter a whole number.";
  } else if (groupCount < MIN_GROUPS || groupCount > maxGroups) {
    errors[groupField] =
      `That gives ${groupCount} groups; ${MIN_GROUPS}..${maxGroups} are possible ` +
      (pointCount < MAX_GROUPS ? `(every group needs at least one of the ${pointCount} points).` : `(the contract's limit is ${MAX_GROUPS}).`);
  } else if (featureCount !== undefined) {
    const maxPoints = maxRevealablePointsPerGroup(featureCount + 1);
    const largest = Math.ceil(pointCount / groupCount);
    if (largest > maxPoints) {
      errors[groupField] =
        `Groups of ${largest.toLocaleString("en-US")} points are too large to reveal: one transaction carries at most ` +
        `${maxPoints.toLocaleString("en-US")} points of ${featureCount + 1} bytes. Use at least ` +
        `${Math.ceil(pointCount / maxPoints).toLocaleString("en-US")} groups.`;
    }
  }

  const trainingBps = percentToBps(form.trainingPercent, MIN_TRAINING_BPS, MAX_TRAINING_BPS);
  if (trainingBps === undefined) {
    errors.trainingPercent = `Enter a percentage between ${MIN_TRAINING_BPS / 100} and ${MAX_TRAINING_BPS / 100}.`;
  }
  let trainingGroups: number | undefined;
  if (trainingBps !== undefined && groupCount !== undefined && !errors[groupField]) {
    try {
      trainingGroups = trainingGroupCount(groupCount, trainingBps);
    } catch (error) {
      errors.trainingPercent = `${(error as Error).message}.`;
    }
  }

  const minAccuracyBps = percentToBps(form.minAccuracyPercent, 0, BPS);
  if (minAccuracyBps === undefined) errors.minAccuracyPercent = "Enter a percentage between 0 and 100 (at most two decimals).";

  let reward: bigint | undefined;
  try {
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(form.reward.trim())) throw new Error("not a number");
    reward = parseEther(form.reward.trim());
    if (reward <= 0n) {
      errors.reward = "The reward must be more than 0 ETH.";
      reward = undefined;
    }
  } catch {
    errors.reward = "Enter an amount of ETH such as 1 or 0.25 (at most 18 decimals).";
  }

  const init2Window = integerIn(form.init2Window, MIN_INIT2_WINDOW, MAX_INIT2_WINDOW);
  if (init2Window === undefined) errors.init2Window = `Enter a whole number of blocks between ${MIN_INIT2_WINDOW} and ${MAX_INIT2_WINDOW}.`;

  const splitDelay = integerIn(form.splitDelay, MIN_SPLIT_DELAY, MAX_SPLIT_DELAY);
  if (splitDelay === undefined) errors.splitDelay = `Enter a whole number of blocks between ${MIN_SPLIT_DELAY} and ${MAX_SPLIT_DELAY}.`;

  const periods = {} as Record<PeriodKey, number>;
  for (const { key } of PERIOD_FIELDS) {
    const value = integerIn(form.periods[key], MIN_PERIOD, MAX_PERIOD);
    if (value === undefined) errors[key] = `Enter a whole number of blocks between ${MIN_PERIOD} and ${MAX_PERIOD.toLocaleString("en-US")}.`;
    else periods[key] = value;
  }
  const claimMode = form.evaluationMode === "claim";
  let claimTerms: ClaimTermsInput | undefined;
  if (claimMode) {
    if (pointCount > MAX_CLAIM_MODE_POINTS) {
      errors.evaluationMode =
        `Claim mode takes at most ${MAX_CLAIM_MODE_POINTS.toLocaleString("en-US")} points (a claim carries one byte per test point in one ` +
        `transaction); this dataset has ${pointCount.toLocaleString("en-US")}. Choose on-chain evaluation or use fewer points.`;
    }
    const challengeWindow = integerIn(form.challengeWindow, MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW);
    if (challengeWindow === undefined) {
      errors.challengeWindow = `Enter a whole number of blocks between ${MIN_CHALLENGE_WINDOW} and ${MAX_CHALLENGE_WINDOW.toLocaleString("en-US")}.`;
    }
    const bondGasPrice = parseBondGasPrice(form.bondGasPriceGwei);
    if (bondGasPrice === undefined) {
      errors.bondGasPriceGwei =
        `Enter a gas price in gwei between ${formatUnits(BigInt(MIN_BOND_GAS_PRICE), 9)} and ` +
        `${Number(formatUnits(BigInt(MAX_BOND_GAS_PRICE), 9)).toLocaleString("en-US")} (at most 9 decimals).`;
    }
    if (challengeWindow !== undefined && bondGasPrice !== undefined) claimTerms = { challengeWindow, bondGasPrice };
  }
  // The contract refuses a period that cannot hold a worst-case evaluation of all committed points (§7.2); in claim
  // mode there is no full evaluation, so the rule does not apply (§11.1).
  const minimumEvaluation = minimumEvaluationPeriod(pointCount);
  if (!claimMode && periods.evaluationPeriod !== undefined && periods.evaluationPeriod < minimumEvaluation) {
    errors.evaluationPeriod =
      `At least ${minimumEvaluation.toLocaleString("en-US")} blocks for ${pointCount.toLocaleString("en-US")} points: ` +
      `the contract refuses a period too short for a worst-case evaluation (EvaluationPeriodTooShort).`;
  }

  if (
    Object.keys(errors).length > 0 ||
    groupCount === undefined ||
    trainingGroups === undefined ||
    trainingBps === undefined ||
    minAccuracyBps === undefined ||
    reward === undefined ||
    init2Window === undefined ||
    splitDelay === undefined ||
    (claimMode && claimTerms === undefined)
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    errors,
    settings: {
      title,
      description,
      groupCount,
      trainingGroups,
      trainingBps,
      minAccuracyBps,
      reward,
      init2Window,
      splitDelay,
      periods,
      ...(claimTerms ? { claimTerms } : {}),
    },
  };
}

/** A bond gas price typed in gwei, in wei, or undefined when it is not a number within the contract's bounds. */
export function parseBondGasPrice(gwei: string): bigint | undefined {
  const trimmed = gwei.trim();
  if (!/^(\d+(\.\d{0,9})?|\.\d{1,9})$/.test(trimmed)) return undefined;
  const wei = parseUnits(trimmed, 9);
  return wei >= BigInt(MIN_BOND_GAS_PRICE) && wei <= BigInt(MAX_BOND_GAS_PRICE) ? wei : undefined;
}

/** The factory's `CompetitionConfig` for valid settings and a dataset shape. */
export function competitionConfig(settings: ValidSettings, featureCount: number, classCount: number): CompetitionConfig {
  return {
    featureCount,
    classCount,
    trainingBps: settings.trainingBps,
    minAccuracyBps: settings.minAccuracyBps,
    init2Window: settings.init2Window,
    splitDelay: settings.splitDelay,
    ...settings.periods,
  };
}

/** "≈ 20 min", "≈ 1.2 days": how long a number of blocks takes at the chain's block time. */
export function formatBlockDuration(blocks: number, blockTimeSeconds: number): string {
  const seconds = blocks * blockTimeSeconds;
  if (seconds < 90) return `≈ ${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `≈ ${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `≈ ${(seconds / 3600).toFixed(1)} h`;
  return `≈ ${(seconds / 86400).toFixed(1)} days`;
}
