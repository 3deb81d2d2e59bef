/**
 * The server's claim checker (lib/danku/checkerLoop.ts) on the in-process Hardhat network: given only the factory, it
 * finds the claim-mode competition by itself (an on-chain-mode competition of the same factory is left out), disputes
 * the wrong claim at the first point where it differs from the model, leaves the honest claim alone, credits the
 * wrong claim's bond to its own account, and stops cleanly (no round starts after stop()).
 */
import { expect } from "chai";
import type { PublicClient } from "viem";
import { createCompetition, deployEnv, mineTo, PERFECT_MODEL, WRONG_MODEL, type Env } from "./fixtures";
import { BOND, claim, evaluationEnd, toEvaluation, withdrawable } from "./claimFixtures";
import { checkAndDispute, checkerRound, newCheckerState, startCheckerLoop, type CheckerRound } from "../../lib/danku/checkerLoop";
import { disputablePoint, predictionsOf, scorePredictions } from "../../lib/danku/claims";
import { readClaims } from "../../lib/chain/claims";
import type { DankuWallet } from "../../lib/chain/danku";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the claim checker loop (lib/danku/checkerLoop.ts)", function () {
  let env: Env;
  before(async () => {
    env = await deployEnv();
  });

  it("finds the factory's claim-mode competition, disputes the wrong claim, leaves the honest one and stops", async function () {
    const client = env.publicClient as unknown as PublicClient;
    const checker = env.wallets[9]!;
    const fromBlock = await client.getBlockNumber();
    // An on-chain-mode competition of the same factory: the loop must not check it (it has no claims).
    const onChain = await createCompetition(env);
    const r = await toEvaluation(env);
    const honest = predictionsOf(PERFECT_MODEL, r.testPoints);
    const modelSays = predictionsOf(WRONG_MODEL, r.testPoints);
    // Bob claims his WRONG_MODEL predicts every label: wrong wherever the model does not.
    const lie = Uint8Array.from(r.testPoints, (p) => p.label);
    const expectedPoint = disputablePoint(lie, modelSays)!;
    expect(expectedPoint, "the fixture's wrong model misses some label").to.not.equal(null);
    await claim(env, r, r.wallets.alice, r.ids.perfect, honest);
    await claim(env, r, r.wallets.bob, r.ids.wrong, lie);
    const before = await withdrawable(r, checker);

    const rounds: CheckerRound[] = [];
    const errors: unknown[] = [];
    const loop = startCheckerLoop({
      client,
      wallet: checker as unknown as DankuWallet,
      factory: env.factory,
      fromBlock,
      intervalMs: 20,
      onRound: (round) => rounds.push(round),
      onError: (error) => errors.push(error),
    });
    const deadline = Date.now() + 30_000;
    while (rounds.length < 3 && Date.now() < deadline) await sleep(20);
    await loop.stop();
    const stoppedAt = rounds.length;
    await sleep(100);
    expect(rounds.length, "no round after stop()").to.equal(stoppedAt);
    expect(errors).to.deep.equal([]);
    expect(stoppedAt).to.be.at.least(3);

    const [first, ...later] = rounds;
    expect(first!.failures).to.deep.equal([]);
    expect(first!.checked.map((c) => c.result.competition)).to.deep.equal([r.created.address]);
    expect(first!.checked.map((c) => c.result.competition)).to.not.include(onChain.address);
    const actions = first!.checked[0]!.actions;
    expect(actions.map((a) => [a.claimId, a.submissionId, a.verdict, a.error])).to.deep.equal([
      [0, Number(r.ids.perfect), "honest", undefined],
      [1, Number(r.ids.wrong), "wrong", undefined],
    ]);
    expect(actions[0]!.disputed).to.equal(undefined);
    expect(actions[1]!.disputed?.point).to.equal(expectedPoint.index);
    // Later rounds see the wrong claim void and send nothing more.
    for (const round of later) {
      expect(round.checked[0]!.actions.map((a) => [a.claimId, a.verdict, a.disputed])).to.deep.equal([
        [0, "honest", undefined],
        [1, "void", undefined],
      ]);
    }

    const claims = await readClaims(client, r.created.address);
    expect(claims.map((c) => [c.id, c.voided, c.settled])).to.deep.equal([
      [0, false, false],
      [1, true, false],
    ]);
    expect((await withdrawable(r, checker)) - before).to.equal(BOND);
  });

  it("a round reads only the factory's new events and stops checking a competition once its checking is over", async function () {
    const client = env.publicClient as unknown as PublicClient;
    const state = newCheckerState();
    const options = { client, wallet: env.wallets[9]! as unknown as DankuWallet, factory: env.factory, fromBlock: 0n };
    const firstRound = await checkerRound(options, state);
    const known = state.claimMode.length;
    expect(firstRound.checked.length).to.equal(known - state.finished.size);
    const r = await toEvaluation(env);
    const secondRound = await checkerRound(options, state);
    expect(state.claimMode.length).to.equal(known + 1);
    expect(state.claimMode.at(-1)).to.equal(r.created.address);
    expect(secondRound.checked.map((c) => c.result.competition)).to.include(r.created.address);
    expect(secondRound.checked.find((c) => c.result.competition === r.created.address)?.actions).to.deep.equal([]);
    // Once the Evaluation stage is over and no window is open, the competition is checked one last time and then no more.
    await mineTo(env, (await evaluationEnd(r)) + 1n);
    const lastRound = await checkerRound(options, state);
    expect(lastRound.checked.find((c) => c.result.competition === r.created.address)?.result.stage).to.equal("AwaitingFinalization");
    expect(state.finished.has(r.created.address)).to.equal(true);
    const afterRound = await checkerRound(options, state);
    expect(afterRound.checked.map((c) => c.result.competition)).to.not.include(r.created.address);
  });
  it("settles honest claims whose window closed as its policy says, never a wrong one, and never at a loss", async function () {
    const client = env.publicClient as unknown as PublicClient;
    const checker = env.wallets[9]!;
    const wallet = checker as unknown as DankuWallet;
    const r = await toEvaluation(env);
    const own = await claim(env, r, checker, r.ids.perfect, predictionsOf(PERFECT_MODEL, r.testPoints));
    const honest = predictionsOf(WRONG_MODEL, r.testPoints);
    const others = await claim(env, r, r.wallets.alice, r.ids.wrong, honest);
    // A wrong claim nobody disputed in its window: settling it would make its score count.
    const lie = await claim(env, r, r.wallets.bob, r.ids.wrong, Uint8Array.from(r.testPoints, (p) => p.label));
    await mineTo(env, lie.receipt.blockNumber + 10n);
    const settledIds = async () => (await readClaims(client, r.created.address)).filter((c) => c.settled).map((c) => c.id);

    const none = await checkAndDispute(client, wallet, r.created.address, { settle: "none" });
    expect(none.actions.map((a) => [a.claimId, a.verdict, a.settled, a.disputed, a.error])).to.deep.equal([
      [Number(own.claimId), "honest", undefined, undefined, undefined],
      [Number(others.claimId), "honest", undefined, undefined, undefined],
      [Number(lie.claimId), "window-closed", undefined, undefined, undefined],
    ]);
    expect(await settledIds()).to.deep.equal([]);

    // Default ("own"): only its own claim, whose bond comes back to it; the gas is less than the bond.
    const before = await client.getBalance({ address: checker.account.address });
    const credit = await withdrawable(r, checker);
    const mine = await checkAndDispute(client, wallet, r.created.address);
    expect(mine.actions.map((a) => [a.claimId, a.settled !== undefined, a.error])).to.deep.equal([
      [Number(own.claimId), true, undefined],
      [Number(others.claimId), false, undefined],
      [Number(lie.claimId), false, undefined],
    ]);
    const tx = await client.getTransactionReceipt({ hash: mine.actions[0]!.settled!.transaction as `0x${string}` });
    const spent = tx.gasUsed * tx.effectiveGasPrice;
    expect(await client.getBalance({ address: checker.account.address })).to.equal(before - spent);
    expect((await withdrawable(r, checker)) - credit).to.equal(BOND);
    expect(spent < BOND).to.equal(true);
    expect(await settledIds()).to.deep.equal([Number(own.claimId)]);

    // "all": also others' honest claim that gives a submission its score; the wrong one stays unsettled.
    const all = await checkAndDispute(client, wallet, r.created.address, { settle: "all" });
    expect(all.actions.map((a) => [a.claimId, a.settled !== undefined, a.error])).to.deep.equal([
      [Number(own.claimId), false, undefined],
      [Number(others.claimId), true, undefined],
      [Number(lie.claimId), false, undefined],
    ]);
    expect(await settledIds()).to.deep.equal([Number(own.claimId), Number(others.claimId)]);
    const scored = await r.created.organizer.read.submissionAt([r.ids.wrong]);
    expect([scored.evaluated, scored.correct]).to.deep.equal([true, scorePredictions(honest, r.testPoints.map((p) => p.label))]);
    expect(await withdrawable(r, r.wallets.alice)).to.equal(BOND);
    // Nothing left to settle: a further round sends nothing.
    const again = await checkAndDispute(client, wallet, r.created.address, { settle: "all" });
    expect(again.actions.filter((a) => a.settled || a.error)).to.deep.equal([]);
  });
});
