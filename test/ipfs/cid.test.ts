import { expect } from "chai";
import {
  computeCid,
  InvalidCidError,
  IPFS_CID_PARAMS,
  IpfsVerificationError,
  isValidCid,
  KUBO_ADD_QUERY,
  normalizeCid,
  parseCid,
  verifyContent,
} from "../../lib/ipfs/cid";
import { patternBytes, referenceCid } from "./support/kuboReference";

const CHUNK = 262_144;
const text = (value: string) => new TextEncoder().encode(value);

/** CIDs printed by kubo itself for `ipfs add --cid-version=1` of these contents. */
const KUBO_VECTORS: Array<[label: string, content: Uint8Array, cid: string]> = [
  ["hello world", text("hello world"), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"],
  // `echo "Hello IPFS" | ipfs add --cid-version 1` in kubo's sharness fixtures (t0124), note the newline
  ["Hello IPFS\\n", text("Hello IPFS\n"), "bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244"],
  ["the empty file", new Uint8Array(0), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"],
];

describe("lib/ipfs/cid", () => {
  describe("known kubo vectors", () => {
    for (const [label, content, cid] of KUBO_VECTORS) {
      it(`${label} → ${cid}`, async () => {
        expect(await computeCid(content)).to.equal(cid);
        expect(referenceCid(content).cid, "the independent reference agrees with kubo").to.equal(cid);
      });
    }
  });

  it("uses kubo's parameters, in one place", () => {
    expect(IPFS_CID_PARAMS).to.deep.equal({
      cidVersion: 1,
      rawLeaves: true,
      chunkSize: 262_144,
      maxLinksPerNode: 174,
      hashName: "sha2-256",
    });
    expect(KUBO_ADD_QUERY).to.equal("cid-version=1&raw-leaves=true&chunker=size-262144");
  });

  describe("multi-block files match an independent implementation of kubo's balanced layout", () => {
    const cases: Array<[label: string, size: number, depth: number, rootLinks: number]> = [
      ["one byte", 1, 0, 0],
      ["exactly one chunk (still a single raw block)", CHUNK, 0, 0],
      ["one chunk and one byte", CHUNK + 1, 1, 2],
      ["1 MiB (four leaves)", 1024 * 1024, 1, 4],
      ["1 MiB and 7 bytes (a short last leaf)", 1024 * 1024 + 7, 1, 5],
      ["174 leaves: a full single-level root", 174 * CHUNK, 1, 174],
      ["175 leaves: the balanced layout's second level", 174 * CHUNK + 1, 2, 2],
    ];
    for (const [label, size, depth, rootLinks] of cases) {
      it(`${label} (${size.toLocaleString("en-US")} bytes)`, async () => {
        const data = patternBytes(size, size);
        const reference = referenceCid(data);
        expect(reference.depth, "tree depth").to.equal(depth);
        expect(reference.rootLinks, "links in the root").to.equal(rootLinks);
        expect(await computeCid(data)).to.equal(reference.cid);
        expect(reference.cid.startsWith(depth === 0 ? "bafk" : "bafy")).to.equal(true);
      });
    }

    it("would notice another chunk size or link limit (the comparison can fail)", async () => {
      const data = patternBytes(174 * CHUNK + 1, 7);
      const ours = await computeCid(data);
      expect(referenceCid(data).cid).to.equal(ours);
      expect(referenceCid(data, { maxLinks: 175 }).cid).to.not.equal(ours);
      expect(referenceCid(data, { maxLinks: 1024, chunkSize: 1024 * 1024 }).cid).to.not.equal(ours);
      const small = patternBytes(CHUNK + 1, 7);
      expect(referenceCid(small, { chunkSize: CHUNK + 1 }).cid).to.not.equal(await computeCid(small));
    });
  });

  describe("verifyContent", () => {
    it("accepts the content of a CID", async () => {
      await verifyContent(text("hello world"), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
      const data = patternBytes(3 * CHUNK + 5, 3);
      await verifyContent(data, await computeCid(data));
    });

    it("rejects a single flipped bit with a clear IpfsVerificationError", async () => {
      const data = patternBytes(2 * CHUNK + 100, 11);
      const cid = await computeCid(data);
      const tampered = data.slice();
      tampered[CHUNK + 3] = (tampered[CHUNK + 3] ?? 0) ^ 1;
      let caught: unknown;
      try {
        await verifyContent(tampered, cid);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(IpfsVerificationError);
      const error = caught as IpfsVerificationError;
      expect(error.expectedCid).to.equal(cid);
      expect(error.actualCid).to.equal(await computeCid(tampered));
      expect(error.message).to.match(/does not match/).and.match(/not used/);
    });

    it("rejects content under another CID, and malformed CIDs", async () => {
      await expectRejection(verifyContent(text("hello world!"), KUBO_VECTORS[0]![2]), IpfsVerificationError);
      await expectRejection(verifyContent(text("hello world"), "not-a-cid"), InvalidCidError);
    });
  });

  describe("parseCid", () => {
    it("accepts CIDv1 and CIDv0, and normalizes to CIDv1 base32", () => {
      const v0 = "QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u";
      expect(isValidCid(v0)).to.equal(true);
      expect(normalizeCid(v0)).to.match(/^bafybei/);
      expect(parseCid("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e").version).to.equal(1);
    });

    it("rejects garbage, empty strings, other codecs and other hashes with a sentence", () => {
      for (const input of ["", "hello", "bafkrei", "Qm123", `b${"a".repeat(200)}`]) {
        expect(() => parseCid(input), input).to.throw(InvalidCidError);
      }
      // dag-cbor (from the IPLD codec fixtures): a valid CID, but not a file
      expect(() => parseCid("bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe")).to.throw(
        InvalidCidError,
        /not address a file/,
      );
      // raw codec with an identity multihash
      expect(() => parseCid("bafkqaaa")).to.throw(InvalidCidError, /sha2-256/);
    });
  });
});

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a rejection").to.be.instanceOf(type);
}
