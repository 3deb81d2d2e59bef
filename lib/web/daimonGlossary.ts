/**
 * Plain words for the DaiMoN symbols the pages show (DEL, d, d_c, δ, DMZ1, T_p, T_b, rounds, …): a short gloss shown
 * next to each term and a longer meaning for its tooltip and for the "What these terms mean" list (issue 12 §5: the
 * DaiMoN pages' jargon needs plain words next to it). One place, so the problem page, the marketplace card and the
 * creation wizard say the same thing; docs/daimon.md has the exact rules.
 */

export interface GlossaryEntry {
  /** The symbol as the pages print it. */
  term: string;
  /** A few plain words, shown next to the term. */
  plain: string;
  /** One or two sentences, for the tooltip and the glossary list. */
  meaning: string;
}

export const DAIMON_GLOSSARY = {
  DEL: {
    term: "DEL",
    plain: "distance embedding for labels",
    meaning: "Distance embedding for labels — a learned function that turns predicted labels into a distance, so a model can be scored against the hidden test labels without publishing them.",
  },
  f: {
    term: "f",
    plain: "the DEL function",
    meaning: "The problem's DEL function (an ONNX file on IPFS): it maps a whole vector of predicted labels to n numbers; comparing them with y_t gives the distance d.",
  },
  d: {
    term: "d",
    plain: "distance, lower is better",
    meaning: "The distance of a model: how far its predictions on the test inputs Z are from the hidden labels, as measured through f. 0 is perfect, 1 is as far as it gets; 1 − d estimates accuracy.",
  },
  d_c: {
    term: "d_c",
    plain: "current best distance",
    meaning: "Current best distance — the distance of the last accepted Improvement block (1 before any). A new proof has to get below it by the margin δ.",
  },
  δ: {
    term: "δ",
    plain: "margin: how much better a new model must be",
    meaning: "Margin — how much a new model must beat the current best distance by: a proof is accepted only if d + δ < d_c, so tiny or noise-level gains earn nothing.",
  },
  DMZ1: {
    term: "DMZ1",
    plain: "the binary file of test inputs",
    meaning: "DMZ1 — the binary file format of the test inputs Z: a 'DMZ1' header, the shape, then the values as 32-bit floats (docs/daimon.md, Test inputs Z).",
  },
  Z: {
    term: "Z",
    plain: "the test inputs (public)",
    meaning: "The test inputs: the examples every model is run on. Public on IPFS; only their labels stay hidden.",
  },
  y_t: {
    term: "y_t",
    plain: "f of the true labels",
    meaning: "Target — what f gives for the true test labels x_t. It is published instead of the labels; a model's distance compares f of its predictions with y_t.",
  },
  tuple: {
    term: "tuple",
    plain: "a test set: Z, f and y_t",
    meaning: "A test dataset tuple (Z, f, y_t): test inputs, a DEL function and its target. Every proof is checked against every tuple.",
  },
  T_p: {
    term: "T_p",
    plain: "definition period, in blocks",
    meaning: "Definition period — the blocks after creation during which contributors may add test tuples; proofs are accepted only after it.",
  },
  T_b: {
    term: "T_b",
    plain: "round length, in blocks",
    meaning: "Round length — the blocks in each competition round. Proofs and votes of one round decide at most one Improvement block.",
  },
  round: {
    term: "round",
    plain: "a window of T_b blocks for proofs and votes",
    meaning: "After the definition period the problem runs in rounds of T_b blocks, counted from 0. In each round improvers submit proofs and validators vote; the best proof with enough votes becomes the next Improvement block.",
  },
  m: { term: "m", plain: "number of test examples", meaning: "Test set size — how many examples the test inputs Z hold (the length of the label vector f takes)." },
  n: { term: "n", plain: "numbers f outputs", meaning: "Embedding size — how many numbers f outputs; larger n makes guessing the labels from f and y_t harder." },
  C: { term: "C", plain: "number of classes", meaning: "Classes — labels are integers 0 … C − 1." },
  a: { term: "a", plain: "reward shape", meaning: "Reward shape — how the reward grows with the improvement: larger a pays relatively more for improvements near a perfect model." },
  R: { term: "R", plain: "reward of an improvement", meaning: "The reward of an Improvement block, a number from the distances before and after; R = 1 pays the configured number of tokens." },
  PROVE: { term: "PROVE", plain: "run the model to compute its distance", meaning: "PROVE — run the model on every tuple's Z and f on its predictions, giving the outputs y and the distance d that a proof submits." },
} as const satisfies Record<string, GlossaryEntry>;

export type DaimonTerm = keyof typeof DAIMON_GLOSSARY;

/**
 * Plain words for the phase badge's "Competition · round 2": "round 2: the 3rd window of 40 blocks for proofs and
 * votes (rounds count from 0)"; without the round length, "… window of T_b blocks …".
 */
export function describeRound(round: bigint, roundLength?: number | bigint): string {
  const ordinal = round + 1n;
  const lastTwo = ordinal % 100n;
  const suffix = lastTwo >= 11n && lastTwo <= 13n ? "th" : (["th", "st", "nd", "rd"][Number(ordinal % 10n)] ?? "th");
  const length = roundLength === undefined ? "T_b" : BigInt(roundLength).toLocaleString("en-US");
  return `round ${round.toString()}: the ${ordinal.toString()}${suffix} window of ${length} blocks for proofs and votes (rounds count from 0)`;
}
