/**
 * `npx modelbounty <command>`: the DanKu protocol for scripts and software agents (the paper: contracts can be
 * created programmatically). Every command validates its input before a transaction is sent, prints progress to
 * stderr, and with --json prints exactly one JSON document to stdout.
 */
import { Command, Option } from "commander";
import { Output, run, RPC_ENV, PRIVATE_KEY_ENV, FACTORY_ENV, type GlobalOptions } from "./context";
import { cancelCommand, createCommand, revealTestCommand, revealTrainingCommand } from "./organizer";
import { commitCommand, evaluateCommand, revealModelCommand, scoreCommand } from "./submitter";
import { deployCommand, donateCommand, finalizeCommand, listCommand, oddsCommand, statusCommand, withdrawCommand } from "./common";

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
  "hash a CSV dataset into groups, create the competition with its reward (init1) and draw the train/test split (init2)",
  (c) =>
    c
      .requiredOption("--data <csv>", "dataset with a header row")
      .requiredOption("--label <column>", "name of the label column")
      .requiredOption("--reward <eth>", "reward in ETH, escrowed by the contract")
      .requiredOption("--secrets <file>", "where to write the nonces and data groups (keep it: reveals need it)")
      .option("--groups <n>", "number of data groups")
      .option("--group-size <n>", "points per data group when --groups is not given", "5")
      .option("--training-ratio <r>", "share of groups revealed for training", "0.8")
      .option("--min-accuracy <r>", "minimum accuracy a model needs to win", "0.5")
      .option("--init2-window <blocks>", "blocks after creation in which the split must be drawn", "5")
      .option("--training-reveal-period <blocks>", "blocks to reveal the training data", "100")
      .option("--submission-period <blocks>", "blocks in which models can be committed", "100")
      .option("--model-reveal-period <blocks>", "blocks in which committed models are revealed", "50")
      .option("--test-reveal-period <blocks>", "blocks in which the organizer reveals the test data", "50")
      .option("--evaluation-period <blocks>", "blocks in which models are evaluated", "100")
      .option("--metadata-cid <cid>", "IPFS CID of the competition's metadata JSON", "")
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
command("cancel", "cancel before the training data is revealed (organizer), or after setup lapsed (anyone)", (c) => c.requiredOption("--competition <address>"), cancelCommand);
command(
  "score",
  "offline: quantize a model and compute exactly the score the chain will compute",
  (c) =>
    c
      .requiredOption("--model <file>", "float model JSON or ONNX file")
      .option("--data <csv>", "dataset to score on")
      .option("--label <column>", "label column of --data")
      .option("--competition <address>", "score on the competition's revealed data instead")
      .option("--test", "with --competition: use the revealed test data")
      .option("--min-accuracy <r>", "report whether the score meets this minimum"),
  scoreCommand,
);
command(
  "commit",
  "quantize a model on the revealed training data and commit to it (the model stays secret until the reveal)",
  (c) =>
    c
      .requiredOption("--competition <address>")
      .requiredOption("--model <file>", "float model JSON or ONNX file")
      .requiredOption("--out <file>", "where to write the salt and model bytes (keep it: the reveal needs it)")
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
  "the paper's §5.2 odds that an organizer obtains a chosen training set",
  (c) =>
    c
      .requiredOption("--groups <n>")
      .option("--training-ratio <r>", "share of training groups", "0.8")
      .option("--attempts <n>", "split draws available to the organizer (the paper's L)", "1"),
  (options: { groups: string; trainingRatio: string; attempts: string }, output) => oddsCommand(options, output),
);
command("deploy", "deploy the CompetitionFactory and the DaiMoN ProblemFactory and record them in deployments/<chainId>.json", (c) => c, deployCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
