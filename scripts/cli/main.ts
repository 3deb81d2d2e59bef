/**
 * `npx modelbounty <command>`: the DanKu protocol for scripts and software agents (the paper: contracts can be
 * created programmatically). Every command validates its input before a transaction is sent, prints progress to
 * stderr, and with --json prints exactly one JSON document to stdout.
 */
import { Command, Option } from "commander";
import { formatEther } from "viem";
import { Output, run, RPC_ENV, PRIVATE_KEY_ENV, FACTORY_ENV, PROBLEM_FACTORY_ENV, type GlobalOptions } from "./context";
import { cancelCommand, createCommand, DEFAULT_BOND_GAS_PRICE_GWEI, DEFAULT_CHALLENGE_WINDOW, revealTestCommand, revealTrainingCommand } from "./organizer";
import { commitCommand, evaluateCommand, revealModelCommand, scoreCommand } from "./submitter";
import { claimScoreCommand, disputeCommand, settleCommand, watchCommand } from "./claims";
import { deployCommand, donateCommand, finalizeCommand, listCommand, oddsCommand, statusCommand, withdrawCommand } from "./common";
import {
  addTupleCommand,
  balancesCommand,
  chainCommand,
  claimCommand,
  commitBlockCommand,
  disputeOutputCommand,
  createProblemCommand,
  listProblemsCommand,
  problemStatusCommand,
  proveCommand,
  registerCommand,
  submitProofCommand,
  verifyCommand,
  voteCommand,
  withdrawVoteBondCommand,
  type DaimonOptions,
} from "./daimon";
import { DEFAULT_IPFS_URL } from "./daimonIpfs";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../lib/danku/metadata";
import { DAIMON_LIMITS } from "../../lib/daimon/fixedPoint";
import { CLAIM_BOND_GAS, MAX_BOND_GAS_PRICE, MAX_CHALLENGE_WINDOW, MIN_BOND_GAS_PRICE, MIN_CHALLENGE_WINDOW } from "../../lib/danku/constants";

const program = new Command()
  .name("modelbounty")
  .description("Trustless machine-learning competitions (DanKu) from the command line")
  .addOption(new Option("--rpc <url>", `JSON-RPC endpoint (default $${RPC_ENV} or http://127.0.0.1:8545)`))
  .option("--factory <address>", `CompetitionFactory address (default $${FACTORY_ENV} or deployments/<chainId>.json)`)
  .option("--json", "print one machine-readable JSON document on stdout")
  .addHelpText("after", `\nTransactions are signed with the private key in $${PRIVATE_KEY_ENV}.`)
  .showHelpAfterError();

/** Registers a command whose action receives the merged global + local options. */
function command<T>(name: string, description: string, configure: (c: Command) => Command, action: (options: T & GlobalOptions, output: Output) => Promise<void> | void): void {
  const sub = configure(program.command(name).description(description));
  sub.action(async (local: T) => {
    const options = { ...program.opts<GlobalOptions>(), ...local };
    const output = new Output(Boolean(options.json));
    await run(output, async () => action(options, output));
  });
}

command(
  "create",
  "hash a dataset (CSV, PNGs with a labels CSV, or an IDX pair) into groups, create the competition with its reward (init1) and draw the train/test split (init2)",
  (c) =>
    c
      .option("--data <csv>", "dataset CSV with a header row (or --images, or --idx-images and --idx-labels)")
      .option("--label <column>", "with --data: name of the label column")
      .option("--images <folder|zip>", "image dataset: PNGs in a folder or .zip, with a labels CSV (columns file,label) inside or given by --labels")
      .option("--labels <csv>", "with --images: the labels CSV (columns file,label), when it is not in the folder or archive")
      .option("--idx-images <file>", "image dataset as MNIST ships it: the idx3 images file (optionally .gz), with --idx-labels")
      .option("--idx-labels <file>", "with --idx-images: the idx1 labels file (optionally .gz)")
      .requiredOption("--reward <eth>", "reward in ETH, escrowed by the contract")
      .requiredOption("--secrets <file>", "where to write the nonces and data groups (keep it: reveals need it)")
      .option("--groups <n>", "number of data groups")
      .option("--group-size <n>", "points per data group when --groups is not given", "5")
      .option("--training-ratio <r>", "share of groups revealed for training", "0.8")
      .option("--min-accuracy <r>", "minimum accuracy a model needs to win", "0.5")
      .option("--split-delay <blocks>", "the split is seeded by the hash of block creation + this (1–1024; default 64, 2 on the local chain 31337); cancelling from that block on burns the reward")
      .option("--init2-window <blocks>", "blocks after the seed block in which the split must be drawn", "5")
      .option("--training-reveal-period <blocks>", "blocks to reveal the training data", "100")
      .option("--submission-period <blocks>", "blocks in which models can be committed", "100")
      .option("--model-reveal-period <blocks>", "blocks in which committed models are revealed", "50")
      .option("--test-reveal-period <blocks>", "blocks in which the organizer reveals the test data", "50")
      .option(
        "--evaluation-period <blocks>",
        "blocks in which models are evaluated (default 100, or the contract's minimum for the data if longer: 2 × ⌈points / 25⌉)",
      )
      .option("--title <text>", `title of the competition (up to ${MAX_TITLE_LENGTH} characters): create builds its metadata JSON and uploads it to IPFS`)
      .option("--description <text>", `description for the metadata (up to ${MAX_DESCRIPTION_LENGTH} characters; needs --title)`)
      .option("--ipfs <url>", `with --title: the ModelBounty app whose IPFS route stores the metadata (default ${DEFAULT_IPFS_URL})`)
      .option("--ipfs-dir <folder>", "with --title: write the metadata into the app's embedded IPFS store in this folder (e.g. .data/ipfs) instead of --ipfs")
      .option("--metadata-cid <cid>", "IPFS CID of an already uploaded metadata JSON, instead of --title", "")
      .option("--mode <mode>", "evaluation mode: onchain (the contract evaluates every model) or claim (scores are claimed with a bond and disputed point by point, docs/protocol.md §11)", "onchain")
      .option("--challenge-window <blocks>", `with --mode claim: blocks in which a claim can be disputed (${MIN_CHALLENGE_WINDOW}–${MAX_CHALLENGE_WINDOW}; default ${DEFAULT_CHALLENGE_WINDOW})`)
      .option("--bond-gas-price <gwei>", `with --mode claim: the gas price the claim bond pays a challenger at (bond = ${CLAIM_BOND_GAS.toLocaleString("en-US")} gas × this; ${MIN_BOND_GAS_PRICE / 1e9}–${MAX_BOND_GAS_PRICE / 1e9} gwei; default ${DEFAULT_BOND_GAS_PRICE_GWEI})`)
      .option("--force", "overwrite an existing secrets file"),
  createCommand,
);
command(
  "reveal-training",
  "reveal the training groups (init3) from the secrets file, in as many transactions as needed",
  (c) => c.requiredOption("--competition <address>").requiredOption("--secrets <file>"),
  revealTrainingCommand,
);
command(
  "reveal-test",
  "reveal the test groups from the secrets file once the model-reveal period is over",
  (c) => c.requiredOption("--competition <address>").requiredOption("--secrets <file>"),
  revealTestCommand,
);
command(
  "cancel",
  "cancel before the training data is revealed (organizer), or after setup lapsed (anyone); from the split's seed block on this burns the reward",
  (c) =>
    c
      .requiredOption("--competition <address>")
      .option("--forfeit-reward", "confirm a cancel by the organizer after the seed block, which burns the reward"),
  cancelCommand,
);
command(
  "score",
  "offline: the model bytes commit would submit (quantized on the training data), scored exactly as the chain will score them",
  (c) =>
    c
      .requiredOption("--model <file>", "float model JSON or ONNX file (dense, or convolutional for image data)")
      .option("--data <csv>", "dataset to score on")
      .option("--label <column>", "label column of --data (and --training)")
      .option(
        "--training <csv>",
        "with --data: the training rows the model would be committed with (e.g. a competition's downloaded training data); the quantization is calibrated on them, as commit does (default: --data itself)",
      )
      .option("--classes <n>", "with --data: the number of classes (the model's outputs) when the CSV holds only some of them; labels are then class numbers 0…n−1")
      .option("--competition <address>", "score on the competition's revealed data instead (always quantized on its training data, as commit does)")
      .option("--test", "with --competition: use the revealed test data")
      .option("--image-shape <HxWxC>", "with --data and a convolutional ONNX model: the image shape the features are, row by row (e.g. 28x28x1)")
      .option("--ipfs <url>", `with --competition and a convolutional model: the app whose IPFS serves the competition's metadata (its image shape; default ${DEFAULT_IPFS_URL})`)
      .option("--ipfs-dir <folder>", "instead of --ipfs: the app's embedded IPFS store in this folder (e.g. .data/ipfs)")
      .option("--min-accuracy <r>", "report whether the score meets this minimum"),
  scoreCommand,
);
command(
  "commit",
  "quantize a model on the revealed training data and commit to it (the model stays secret until the reveal)",
  (c) =>
    c
      .requiredOption("--competition <address>")
      .requiredOption("--model <file>", "float model JSON or ONNX file (dense, or convolutional for an image competition)")
      .requiredOption("--out <file>", "where to write the salt and model bytes (keep it: the reveal needs it)")
      .option("--ipfs <url>", `for a convolutional model: the app whose IPFS serves the competition's metadata (its image shape; default ${DEFAULT_IPFS_URL})`)
      .option("--ipfs-dir <folder>", "instead of --ipfs: the app's embedded IPFS store in this folder (e.g. .data/ipfs)")
      .option("--force", "overwrite an existing submission file"),
  commitCommand,
);
command("reveal-model", "reveal a committed model during the model-reveal period", (c) => c.requiredOption("--submission <file>"), revealModelCommand);
command(
  "evaluate",
  "run a submission's on-chain evaluation to the end, in as many transactions as the gas cap requires",
  (c) => c.requiredOption("--competition <address>").requiredOption("--submission-id <id>"),
  evaluateCommand,
);
command(
  "claim",
  "claim mode: compute a revealed submission's predictions on the revealed test data and claim its score with the bond",
  (c) => c.requiredOption("--competition <address>").requiredOption("--submission-id <id>"),
  claimScoreCommand,
);
command(
  "dispute",
  "claim mode: disprove a wrong claim at one test point (refused, nothing sent, when the claim is honest); its bond goes to you",
  (c) => c.requiredOption("--competition <address>").requiredOption("--claim <id>"),
  disputeCommand,
);
command(
  "settle",
  "claim mode: settle a claim whose challenge window closed: its score counts, its bond returns to the claimant",
  (c) => c.requiredOption("--competition <address>").requiredOption("--claim <id>"),
  settleCommand,
);
command(
  "watch",
  "claim mode: the checker; follows a competition's claims and disputes every wrong one in its window (ends once no claim can come and every window closed; exit status 2 if a dispute failed)",
  (c) =>
    c
      .requiredOption("--competition <address>")
      .option("--once", "check once, dispute what is wrong, and exit (for tests and cron)")
      .option("--interval <seconds>", "seconds between checks", "12")
      .option(
        "--settle <policy>",
        "which honest claims whose window closed it settles: own (this account's, while the gas costs less than the bond it returns), all (also others' that give a submission its score: their bond goes to the claimant, the gas is this account's), none",
        "own",
      ),
  watchCommand,
);
command("finalize", "close the competition after the evaluation period", (c) => c.requiredOption("--competition <address>"), finalizeCommand);
command(
  "withdraw",
  "withdraw a payout or refund",
  (c) => c.requiredOption("--competition <address>").option("--to <address>", "send to another address"),
  withdrawCommand,
);
command("donate", "send ETH to a competition's reward", (c) => c.requiredOption("--competition <address>").requiredOption("--amount <eth>"), donateCommand);
command("status", "stage, deadlines, money and submissions of a competition", (c) => c.requiredOption("--competition <address>"), statusCommand);
command("list", "competitions created by the factory", (c) => c, listCommand);
command(
  "odds",
  "odds that an organizer gets one chosen group into the training set (nTrain/G per draw) and the paper's §5.2 odds of one exact training set",
  (c) =>
    c
      .requiredOption("--groups <n>")
      .option("--training-ratio <r>", "share of training groups", "0.8")
      .option("--attempts <n>", "split draws available to the organizer (the paper's L)", "1"),
  (options: { groups: string; trainingRatio: string; attempts: string }, output) => oddsCommand(options, output),
);
command("deploy", "deploy the CompetitionFactory and the DaiMoN ProblemFactory and record them in deployments/<chainId>.json", (c) => c, deployCommand);

// ------------------------------------------------------------------ DaiMoN

const daimon = program
  .command("daimon")
  .description("DaiMoN problems: improvements proved against a DEL function of the hidden test labels, verified and voted on")
  .option("--problem-factory <address>", `ProblemFactory address (default $${PROBLEM_FACTORY_ENV} or deployments/<chainId>.json)`)
  .option("--ipfs <url>", `the ModelBounty app whose IPFS routes store and serve Z, f and models (default ${DEFAULT_IPFS_URL})`)
  .option("--ipfs-dir <folder>", "use the app's embedded IPFS store in this folder directly (e.g. .data/ipfs) instead of --ipfs")
  .addHelpText("after", "\nLabels are 0…C−1; file formats: docs/daimon.md \"Client formats\".");

/** A `daimon` subcommand; its action receives the global, `daimon` and local options merged. */
function daimonCommand<T>(name: string, description: string, configure: (c: Command) => Command, action: (options: T & DaimonOptions, output: Output) => Promise<void>): void {
  const sub = configure(daimon.command(name).description(description));
  sub.action(async (local: T) => {
    const options = { ...program.opts<GlobalOptions>(), ...daimon.opts<DaimonOptions>(), ...local };
    const output = new Output(Boolean(options.json));
    await run(output, async () => action(options, output));
  });
}

const withTestSet = (c: Command) =>
  c
    .option("--test-set <json>", 'private labelled test set {"inputs": [...], "labels": [...]} (labels 0…C−1; never uploaded)')
    .option("--inputs <file>", "test inputs Z as a DMZ1 file (instead of --test-set, with --labels)")
    .option("--labels <json>", "the true labels of --inputs, a JSON array (never uploaded)");
const withTraining = (c: Command) =>
  c
    .option("--hidden <units>", "hidden units H of f (default 1024, the paper's)")
    .option("--steps <n>", "training steps of f (default 400)")
    .option("--batch-size <n>", "perturbations per step (default 128)")
    .option("--seed <n>", "seed of f's initialization and training data (default 1)");
const withProblem = (c: Command) => c.requiredOption("--problem <address>", "the problem's address");

daimonCommand(
  "create",
  "create a problem and its token; with a labelled test set, train f and add the first tuple in the same transaction",
  (c) =>
    withTraining(
      withTestSet(
        c
          .requiredOption("--name <text>", "token name")
          .requiredOption("--symbol <text>", "token symbol")
          .requiredOption("--classes <C>", "number of classes (labels 0…C−1)")
          .option("--embedding <n>", "entries of every DEL output y", "64")
          .option("--test-set-size <m>", "test points per tuple (default: the labelled test set's)")
          .option("--input-shape <dims>", "shape of one input, e.g. 1,28,28 (default: the labelled test set's)")
          .option("--definition-period <blocks>", "blocks in which tuples may be added (T_p)", "100")
          .option("--competition-period <blocks>", "blocks per round (T_b)", "100")
          .option("--reward-shape <a>", "shape a of the reward I_{1−d}(a, ½) − I_{1−d_c}(a, ½)", "3")
          .option("--margin <delta>", "improvement margin δ: a proof needs d + δ < d_c", "0.01")
          .option("--reward-scale <tokens>", "tokens minted for a reward R = 1", "1000")
          .option("--min-votes <n>", "votes a round's leader needs to be committed", "1")
          .option("--closed", "only the creator may add tuples")
          .option("--title <text>", "title of the problem (metadata uploaded to IPFS)")
          .option("--description <text>", "description for the metadata")
          .option("--class-names <names>", "comma-separated names of labels 0…C−1")
          .option("--input-description <text>", "what one input holds")
          .option("--metadata-cid <cid>", "an already uploaded metadata document instead of --title"),
      ),
    ),
  createProblemCommand,
);
daimonCommand(
  "add-tuple",
  "train f on a labelled test set, show its quality and brute-force odds, upload Z and f and add the tuple (definition period)",
  (c) => withTraining(withTestSet(withProblem(c))),
  addTupleCommand,
);
daimonCommand(
  "register",
  `PROVE, then register the model's CID and outputs (hidden) before publishing either; the proof is accepted ${DAIMON_LIMITS.REGISTRATION_AGE} blocks later`,
  (c) => withProblem(c).requiredOption("--model <onnx>", "the model file"),
  registerCommand,
);
daimonCommand("prove", "offline PROVE: the model's CID, y = f(M(Z)) per tuple and its distance, nothing sent", (c) => withProblem(c).requiredOption("--model <onnx>"), proveCommand);
daimonCommand(
  "submit-proof",
  "PROVE and submit the proof (checked against d_c first), then publish the model on IPFS",
  (c) => withProblem(c).requiredOption("--model <onnx>").option("--no-publish", "do not upload the model after the proof"),
  submitProofCommand,
);
const withProof = (c: Command) =>
  withProblem(c)
    .requiredOption("--proof-id <id>", "the proof's id")
    .option("--tolerance <units>", "accepted difference per int16 entry between the proof's y and f(M(Z))", "0");
daimonCommand("verify", "VERIFY a proof from the files on IPFS (exit status 2 when it does not verify); nothing sent", withProof, verifyCommand);
daimonCommand("vote", `VERIFY a proof and vote for it only if it verifies, with a bond of ${formatEther(DAIMON_LIMITS.VOTE_BOND)} ETH (slashed if the proof loses a dispute)`, withProof, voteCommand);
daimonCommand(
  "dispute-output",
  "find the first step of a proof's f_q checkpoints or outputs that does not follow from its labels and dispute it (voids the proof, its bond to you)",
  (c) => withProblem(c).requiredOption("--proof-id <id>", "the proof's id").option("--tuple <t>", "only this tuple").option("--dry-run", "only say whether a dispute would win"),
  disputeOutputCommand,
);
daimonCommand(
  "withdraw-vote-bond",
  "withdraw your vote bond on a proof once its round is over (not if the proof lost a dispute)",
  (c) => withProblem(c).requiredOption("--proof-id <id>", "the proof you voted for"),
  withdrawVoteBondCommand,
);
daimonCommand("commit-block", "commit the Problem block, or settle the ended round into an Improvement block", withProblem, commitBlockCommand);
daimonCommand(
  "claim",
  "claim validator rewards (every block with one, or --block)",
  (c) => withProblem(c).option("--block <n>", "only this Improvement block"),
  claimCommand,
);
daimonCommand("chain", "the problem's chain of blocks rebuilt from events and checked, with distances", withProblem, chainCommand);
daimonCommand(
  "balances",
  "token balances and unclaimed validator rewards (of --account, or of everyone on the chain)",
  (c) => withProblem(c).option("--account <address...>", "accounts to show"),
  balancesCommand,
);
daimonCommand("status", "phase, rules, tuples, best distance and the current round's proofs", withProblem, problemStatusCommand);
daimonCommand("list", "problems created by the ProblemFactory", (c) => c, listProblemsCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
