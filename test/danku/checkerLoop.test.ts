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
import { checkerRound, newCheckerState, startCheckerLoop, type CheckerRound } from "../../lib/danku/checkerLoop";
import { disputablePoint, predictionsOf } from "../../lib/danku/claims";
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
});
