/**
 * Claim mode's training reveal (docs/protocol.md §11.2): every group is verified as in the on-chain mode (a wrong
 * group still reverts, nothing is recorded), but no training data is stored as contract code; lib/chain rebuilds the
 * training points from the reveal transactions' calldata, in reveal order, and the on-chain mode still stores them.
 */
import { expect } from "chai";
import type { PublicClient } from "viem";
import { bytesHex, createCompetition, deployEnv, doSplit, expectRevert, reveal, type Env } from "./fixtures";
import { createClaimCompetition } from "./claimFixtures";
import { readRevealedPoints } from "../../lib/chain/danku";
import { readClaimModeTrainingPoints } from "../../lib/chain/claims";
import { encodePoints } from "../../lib/danku/encoding";

describe("claim mode: training data in calldata only (docs/protocol.md §11.2)", function () {
  let env: Env;
  before(async function () {
    env = await deployEnv();
  });

  it("verifies every training group, stores no data contract, and lib/chain rebuilds the points from calldata", async function () {
    const c = await createClaimCompetition(env);
    const split = await doSplit(env, c);
    const groups = split.training.map((g) => c.groups[g]!);
    expect(groups.length).to.be.greaterThan(1);
    const [first, ...rest] = groups;
    // A group whose bytes are not the committed ones is refused, exactly as in the on-chain mode.
    const tampered = { ...first!, bytes: Uint8Array.from(first!.bytes, (v, i) => (i === 0 ? v ^ 1 : v)) };
    await expectRevert(reveal(env, c.organizer, true, [tampered]), "GroupHashMismatch");
    const wrongNonce = { ...first!, nonce: bytesHex(new Uint8Array(32)) };
    await expectRevert(reveal(env, c.organizer, true, [wrongNonce]), "GroupHashMismatch");
    expect(await c.organizer.read.isGroupRevealed([BigInt(first!.index)])).to.equal(false);
    // Revealed in two calls, the later groups first: reveal order is what readers rebuild.
    await reveal(env, c.organizer, true, [...rest].reverse());
    await reveal(env, c.organizer, true, [first!]);
    expect(await c.organizer.read.dataChunkCount([true])).to.equal(0n);
    expect(await c.organizer.read.pointCount([true])).to.equal(BigInt(groups.reduce((n, g) => n + g.points.length, 0)));
    expect(await c.organizer.read.trainingCompletedBlock()).to.not.equal(0n);
    const client = env.publicClient as unknown as PublicClient;
    const order = [...[...rest].reverse(), first!].flatMap((g) => g.points);
    const F = c.config.featureCount;
    const C = c.config.classCount;
    const read = await readRevealedPoints(client, c.address, true, F);
    expect(encodePoints(read, F, C)).to.deep.equal(encodePoints(order, F, C));
    const direct = await readClaimModeTrainingPoints(client, c.address, F, { trainingPoints: order.length, blockRange: 3n });
    expect(encodePoints(direct, F, C)).to.deep.equal(encodePoints(order, F, C));
    let refused: unknown;
    try {
      await readClaimModeTrainingPoints(client, c.address, F, { trainingPoints: order.length + 1 });
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.match(/holds \d+ points, the competition reports/);
  });

  it("the on-chain mode still stores its training data as contract code", async function () {
    const c = await createCompetition(env);
    const split = await doSplit(env, c);
    await reveal(env, c.organizer, true, split.training.map((g) => c.groups[g]!));
    expect((await c.organizer.read.dataChunkCount([true])) > 0n).to.equal(true);
  });
});
