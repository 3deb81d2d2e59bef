/**
 * lib/danku/images.ts: IDX pairs (plain and gzipped) and PNGs with a labels CSV (loose files and zip archives) give
 * the byte dataset §2.3 states, and every refusal names the file and what to do. Fixtures are generated here: IDX
 * bytes written by hand from the format, PNGs with fast-png's encoder, archives and gzip with fflate.
 */
import { expect } from "chai";
import { encode as encodePng } from "fast-png";
import { gzipSync, zipSync } from "fflate";
import { MAX_FEATURES } from "../../lib/danku/constants";
import { DatasetError, parseCsvDataset } from "../../lib/danku/dataset";
import { buildDataGroups } from "../../lib/danku/groups";
import {
  imageFeatureNames,
  imageSamples,
  MAX_IMAGE_DECODED_BYTES,
  parseIdxDataset,
  parseImageFiles,
  packImageFiles,
  parsePngDataset,
  readIdxHeader,
  type NamedBytes,
} from "../../lib/danku/images";
import { buildCompetitionMetadata, MetadataError, validateCompetitionMetadata } from "../../lib/danku/metadata";

/** An IDX file of unsigned bytes: 00 00 08 ndims, big-endian uint32 dims, then the values. */
function idx(dims: number[], values: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, type, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

/** `n` images of h × w whose pixel (r, c) of image i is (i·31 + r·7 + c) mod 256, so every byte is checkable. */
function pixelAt(i: number, r: number, c: number, ch = 0): number {
  return (i * 31 + r * 7 + c + ch * 101) % 256;
}

function idxImages(n: number, h: number, w: number): Uint8Array {
  const values: number[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) values.push(pixelAt(i, r, c));
  return idx([n, h, w], values);
}

function png(width: number, height: number, channels: number, value: (r: number, c: number, ch: number) => number, depth: 8 | 16 = 8): Uint8Array {
  const data = depth === 8 ? new Uint8Array(width * height * channels) : new Uint16Array(width * height * channels);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) for (let ch = 0; ch < channels; ch++) data[(r * width + c) * channels + ch] = value(r, c, ch);
  return encodePng({ width, height, data, channels, depth });
}

function text(name: string, content: string): NamedBytes {
  return { name, bytes: new TextEncoder().encode(content) };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(DatasetError);
    return (error as DatasetError).issues.map((issue) => (issue.line > 0 ? `line ${issue.line}: ${issue.message}` : issue.message)).join("\n");
  }
  throw new Error("expected the image dataset to be refused");
}

describe("lib/danku/images", () => {
  describe("IDX pairs", () => {
    const labels = [3, 1, 4, 1, 5, 9];
    const images = { name: "train-images-idx3-ubyte", bytes: idxImages(6, 3, 2) };
    const labelFile = { name: "train-labels-idx1-ubyte", bytes: idx([6], labels) };

    it("reads idx3 images and idx1 labels into row-major byte points with identity mappings", () => {
      const ds = parseIdxDataset(images, labelFile);
      expect(ds.imageShape).to.deep.equal({ height: 3, width: 2, channels: 1 });
      expect(ds.featureNames).to.deep.equal(["pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1", "pixel_2_0", "pixel_2_1"]);
      expect(ds.featureMappings).to.have.length(6);
      expect(ds.featureMappings.every((m) => m.kind === "identity")).to.equal(true);
      // Classes are the label values in numeric order (§2.1); the index is the position: 1→0, 3→1, 4→2, 5→3, 9→4.
      expect(ds.classNames).to.deep.equal(["1", "3", "4", "5", "9"]);
      expect(ds.points.map((p) => p.label)).to.deep.equal([1, 0, 2, 0, 3, 4]);
      expect(ds.classCounts).to.deep.equal([2, 1, 1, 1, 1]);
      expect(Array.from(ds.points[4]?.features ?? [])).to.deep.equal([pixelAt(4, 0, 0), pixelAt(4, 0, 1), pixelAt(4, 1, 0), pixelAt(4, 1, 1), pixelAt(4, 2, 0), pixelAt(4, 2, 1)]);
      expect(ds.labelColumn).to.equal("label");
      expect(ds.rawRowCount).to.equal(6);
    });

    it("gives the same dataset as the CSV of the same pixels (so grouping and hashing cannot tell them apart)", () => {
      const ds = parseIdxDataset(images, labelFile);
      const rows = ds.points.map((p, i) => [...Array.from(p.features), labels[i]].join(","));
      const csv = parseCsvDataset([[...ds.featureNames, "label"].join(","), ...rows].join("\n"), { labelColumn: "label" });
      expect(csv.classNames).to.deep.equal(ds.classNames);
      expect(csv.featureMappings).to.deep.equal(ds.featureMappings);
      expect(csv.featureRanges).to.deep.equal(ds.featureRanges);
      expect(csv.points.map((p) => [Array.from(p.features), p.label])).to.deep.equal(ds.points.map((p) => [Array.from(p.features), p.label]));
      const groups = buildDataGroups(ds.points, { groupCount: 2, featureCount: 6, classCount: 5 });
      expect(groups.reduce((n, g) => n + g.bytes.length, 0)).to.equal(6 * 7);
    });

    it("reads gzipped files as MNIST ships them, and finds which of two files holds the labels", () => {
      const gz = [
        { name: "t10k-labels-idx1-ubyte.gz", bytes: gzipSync(labelFile.bytes) },
        { name: "t10k-images-idx3-ubyte.gz", bytes: gzipSync(images.bytes) },
      ];
      const ds = parseImageFiles(gz);
      expect(ds.points.map((p) => p.label)).to.deep.equal([1, 0, 2, 0, 3, 4]);
      expect(Array.from(ds.points[5]?.features ?? [])[5]).to.equal(pixelAt(5, 2, 1));
      // Packed in a zip (what the wizard makes of several selected files): the same points.
      const zipped = parseImageFiles([{ name: "mnist.zip", bytes: zipSync({ "a/labels.gz": gz[0]?.bytes ?? new Uint8Array(), "a/images.gz": gz[1]?.bytes ?? new Uint8Array() }) }]);
      expect(zipped.points.map((p) => Array.from(p.features))).to.deep.equal(ds.points.map((p) => Array.from(p.features)));
    });

    it("reads idx4 RGB images with their channels last", () => {
      const values = Array.from({ length: 2 * 2 * 1 * 3 }, (_, i) => i * 10);
      const ds = parseIdxDataset({ name: "rgb-idx4", bytes: idx([2, 2, 1, 3], values) }, { name: "l", bytes: idx([2], [0, 1]) });
      expect(ds.imageShape).to.deep.equal({ height: 2, width: 1, channels: 3 });
      expect(ds.featureNames).to.deep.equal(["pixel_0_0_r", "pixel_0_0_g", "pixel_0_0_b", "pixel_1_0_r", "pixel_1_0_g", "pixel_1_0_b"]);
      expect(Array.from(ds.points[1]?.features ?? [])).to.deep.equal([60, 70, 80, 90, 100, 110]);
    });

    it("refuses a wrong magic, a type other than 0x08, and truncated or padded files, naming the file", () => {
      const bad = images.bytes.slice();
      bad[0] = 1;
      expect(refusal(() => parseIdxDataset({ name: "x.idx", bytes: bad }, labelFile))).to.include("x.idx is not an IDX file").and.include("two zero bytes");
      const floats = idx([1], [0], 0x0d);
      expect(refusal(() => parseIdxDataset(images, { name: "f.idx", bytes: floats }))).to.include("f.idx holds IDX values of type 0x0d").and.include("only 0x08");
      expect(refusal(() => parseIdxDataset({ name: "short", bytes: images.bytes.subarray(0, images.bytes.length - 1) }, labelFile))).to.equal(
        "short declares 6 × 3 × 2 = 36 values but holds 35 bytes after its header (truncated); download it again",
      );
      const padded = new Uint8Array([...labelFile.bytes, 0]);
      expect(refusal(() => parseIdxDataset(images, { name: "pad", bytes: padded }))).to.include("(trailing bytes)");
      expect(refusal(() => readIdxHeader(new Uint8Array([0, 0, 8]), "tiny"))).to.include("tiny is 3 bytes long");
      expect(refusal(() => readIdxHeader(new Uint8Array([0, 0, 8, 3, 0, 0]), "cut"))).to.include("cut ends inside its header");
    });

    it("refuses swapped, mismatched and single-class pairs", () => {
      expect(refusal(() => parseIdxDataset(labelFile, images))).to.include("has 1 dimension").and.include("Swap the two");
      expect(refusal(() => parseIdxDataset(images, { name: "l5", bytes: idx([5], [1, 2, 3, 4, 5]) }))).to.equal(
        "train-images-idx3-ubyte holds 6 images but l5 holds 5 labels; they must be a matching pair",
      );
      expect(refusal(() => parseIdxDataset(images, { name: "one", bytes: idx([6], [7, 7, 7, 7, 7, 7]) }))).to.include("1 distinct value").and.include("2..255 classes");
      expect(refusal(() => parseIdxDataset({ name: "c2", bytes: idx([1, 1, 1, 2], [0, 0]) }, { name: "l", bytes: idx([1], [0]) }))).to.include(
        "c2 has 2 channels per pixel",
      );
      expect(refusal(() => parseImageFiles([images]))).to.include("exactly two files");
    });

    it("refuses images over MAX_FEATURES, and accepts 28 × 28 × 1 = 784", () => {
      const big = { name: "big", bytes: idx([1, 33, 32], new Uint8Array(33 * 32)) };
      expect(33 * 32).to.be.greaterThan(MAX_FEATURES);
      expect(refusal(() => parseIdxDataset(big, { name: "l", bytes: idx([1], [0]) }))).to.include("big: images of 33 × 32 × 1 are 1,056 features").and.include("28 × 28 × 1 = 784 fits");
      const mnist = parseIdxDataset({ name: "m", bytes: idxImages(2, 28, 28) }, { name: "l", bytes: idx([2], [0, 1]) });
      expect(mnist.featureNames).to.have.length(784);
      expect(mnist.featureNames[783]).to.equal("pixel_27_27");
    });

    it("refuses a gzip that is corrupt or expands past the decompressed-size cap", () => {
      const gz = gzipSync(images.bytes);
      const corrupt = gz.slice();
      corrupt[12] = (corrupt[12] as number) ^ 0xff;
      corrupt[13] = (corrupt[13] as number) ^ 0xff;
      expect(refusal(() => parseImageFiles([{ name: "c.gz", bytes: corrupt }, labelFile]))).to.include("c.gz is not a valid gzip file");
      // 257 MiB of zeros compress to ~260 KB: refused while inflating, not after.
      const bomb = gzipSync(new Uint8Array(MAX_IMAGE_DECODED_BYTES + 1024 * 1024), { level: 9 });
      expect(refusal(() => parseImageFiles([{ name: "bomb.gz", bytes: bomb }, labelFile]))).to.include("bomb.gz expands to").and.include("256 MiB limit");
    });
  });

  describe("PNGs with a labels CSV", () => {
    const gray = (i: number) => png(3, 2, 1, (r, c) => pixelAt(i, r, c));
    const files: NamedBytes[] = [
      { name: "digits/b.png", bytes: gray(1) },
      { name: "digits/a.png", bytes: gray(0) },
      { name: "digits/c.png", bytes: gray(2) },
    ];

    it("reads grayscale PNGs in the labels CSV's row order with class names in §2.1 order", () => {
      const ds = parsePngDataset(files, text("labels.csv", "file,label\na.png,dog\nb.png,cat\ndigits/c.png,dog\n"));
      expect(ds.imageShape).to.deep.equal({ height: 2, width: 3, channels: 1 });
      expect(ds.classNames).to.deep.equal(["cat", "dog"]);
      expect(ds.points.map((p) => p.label)).to.deep.equal([1, 0, 1]);
      expect(ds.sources).to.deep.equal(["digits/a.png", "digits/b.png", "digits/c.png"]);
      expect(Array.from(ds.points[1]?.features ?? [])).to.deep.equal([0, 1, 2, 3, 4, 5].map((k) => pixelAt(1, Math.floor(k / 3), k % 3)));
      expect(ds.labelColumn).to.equal("label");
      const samples = imageSamples(ds, 2);
      expect(samples.map((s) => [s.source, s.className])).to.deep.equal([["digits/a.png", "dog"], ["digits/b.png", "cat"]]);
    });

    it("reads a gzipped labels CSV as the CSV it is, not as one of MNIST's gzipped IDX files", () => {
      const pngs = [{ name: "a.png", bytes: png(2, 2, 1, (r, c) => pixelAt(0, r, c)) }, { name: "b.png", bytes: png(2, 2, 1, (r, c) => pixelAt(1, r, c)) }];
      const csv = new TextEncoder().encode("file,label\na.png,cat\nb.png,dog\n");
      const plain = parseImageFiles([...pngs, { name: "labels.csv", bytes: csv }]);
      for (const name of ["labels.csv.gz", "labels.csv"]) {
        const gz = parseImageFiles([...pngs, { name, bytes: gzipSync(csv) }]);
        expect(gz.classNames, name).to.deep.equal(plain.classNames);
        expect(gz.points.map((p) => [Array.from(p.features), p.label]), name).to.deep.equal(plain.points.map((p) => [Array.from(p.features), p.label]));
      }
    });

    it("reads RGB, drops an opaque alpha channel, expands palettes, and refuses transparency", () => {
      const rgb = png(2, 2, 3, (r, c, ch) => pixelAt(0, r, c, ch));
      const rgba = png(2, 2, 4, (r, c, ch) => (ch === 3 ? 255 : pixelAt(0, r, c, ch)));
      const a = parseImageFiles([{ name: "a.png", bytes: rgb }, { name: "b.png", bytes: rgba }, text("l.csv", "filename,class\na.png,1\nb.png,2\n")]);
      expect(a.imageShape).to.deep.equal({ height: 2, width: 2, channels: 3 });
      expect(a.featureNames.slice(0, 4)).to.deep.equal(["pixel_0_0_r", "pixel_0_0_g", "pixel_0_0_b", "pixel_0_1_r"]);
      expect(Array.from(a.points[1]?.features ?? [])).to.deep.equal(Array.from(a.points[0]?.features ?? []));
      expect(a.points[0]?.features[4]).to.equal(pixelAt(0, 0, 1, 1));
      const palette = encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([1, 0]), palette: [[10, 20, 30], [40, 50, 60]] });
      const p = parseImageFiles([{ name: "p.png", bytes: palette }, { name: "q.png", bytes: png(2, 1, 3, () => 0) }, text("l.csv", "file,label\np.png,x\nq.png,y\n")]);
      expect(Array.from(p.points[0]?.features ?? [])).to.deep.equal([40, 50, 60, 10, 20, 30]);
      const seeThrough = png(2, 2, 2, (r, c, ch) => (ch === 1 ? (r === 1 && c === 0 ? 128 : 255) : 9));
      expect(refusal(() => parseImageFiles([{ name: "t.png", bytes: seeThrough }, { name: "u.png", bytes: png(2, 2, 1, () => 0) }, text("l.csv", "file,label\nu.png,y\nt.png,x\n")]))).to.include(
        "t.png has transparent pixels (pixel 0,1 has alpha 128)",
      );
    });

    it("reads a zip archive of PNGs and its labels CSV (macOS resource forks ignored)", () => {
      const archive = zipSync({
        "set/labels.csv": new TextEncoder().encode("file,label\na.png,0\nb.png,1\nc.png,0\n"),
        "set/a.png": files[1]?.bytes ?? new Uint8Array(),
        "set/b.png": files[0]?.bytes ?? new Uint8Array(),
        "set/c.png": files[2]?.bytes ?? new Uint8Array(),
        "__MACOSX/set/._a.png": new Uint8Array([1, 2, 3]),
      });
      const ds = parseImageFiles([{ name: "set.zip", bytes: archive }]);
      expect(ds.points.map((p) => p.label)).to.deep.equal([0, 1, 0]);
      expect(Array.from(ds.points[2]?.features ?? [])).to.deep.equal([0, 1, 2, 3, 4, 5].map((k) => pixelAt(2, Math.floor(k / 3), k % 3)));
      expect(refusal(() => parseImageFiles([{ name: "junk.zip", bytes: new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]) }]))).to.include("junk.zip is not a readable zip archive");
    });

    it("refuses listed files that are missing, PNGs that are not listed, duplicates and empty labels, with line numbers", () => {
      const message = refusal(() => parsePngDataset(files, text("labels.csv", "file,label\na.png,1\nmissing.png,2\n\na.png,1\nb.png,\n")));
      expect(message.split("\n")).to.deep.equal([
        `line 3: labels.csv: "missing.png" is listed but no such PNG was given; add it, or remove the row`,
        `line 5: labels.csv: "a.png" is listed twice (first on line 2); each image is one point`,
        `line 6: labels.csv: the label of "b.png" is empty`,
        `digits/c.png is not listed in labels.csv; add a row "c.png,<label>", or leave the file out`,
      ]);
    });

    it("refuses a header without file and label columns, and names shared by two folders", () => {
      expect(refusal(() => parsePngDataset(files, text("l.csv", "name,digit\na.png,1\n")))).to.include(`line 1: l.csv: the header ("name", "digit") needs a file column`);
      const twins = [{ name: "x/a.png", bytes: gray(0) }, { name: "y/a.png", bytes: gray(1) }];
      expect(refusal(() => parsePngDataset(twins, text("l.csv", "file,label\na.png,1\ny/a.png,2\n")))).to.include(`"a.png" matches PNGs in several folders`);
      const byPath = parsePngDataset(twins, text("l.csv", "file,label\nx/a.png,1\ny/a.png,2\n"));
      expect(byPath.points.map((p) => p.features[0])).to.deep.equal([pixelAt(0, 0, 0), pixelAt(1, 0, 0)]);
      // From the CSV's folder: a folder selection names everything from its top ("set/x/a.png", "set/l.csv").
      const nested = twins.map((t) => ({ ...t, name: `set/${t.name}` }));
      const fromCsv = parsePngDataset(nested, text("set/l.csv", "file,label\ny/a.png,2\nx/a.png,1\n"));
      expect(fromCsv.sources).to.deep.equal(["set/y/a.png", "set/x/a.png"]);
    });

    it("refuses images of different sizes or channel counts, 16-bit PNGs, and undecodable files", () => {
      const odd = [...files, { name: "d.png", bytes: png(3, 3, 1, () => 0) }];
      expect(refusal(() => parsePngDataset(odd, text("l.csv", "file,label\na.png,1\nb.png,2\nc.png,1\nd.png,2\n")))).to.include(
        "d.png is 3 × 3 grayscale but digits/a.png is 2 × 3 grayscale",
      );
      const colour = [files[0] as NamedBytes, { name: "e.png", bytes: png(3, 2, 3, () => 0) }];
      expect(refusal(() => parsePngDataset(colour, text("l.csv", "file,label\nb.png,1\ne.png,2\n")))).to.include("e.png is 2 × 3 RGB but digits/b.png is 2 × 3 grayscale");
      const deep = [{ name: "w.png", bytes: png(1, 1, 1, () => 4000, 16) }, { name: "v.png", bytes: png(1, 1, 1, () => 0) }];
      expect(refusal(() => parsePngDataset(deep, text("l.csv", "file,label\nw.png,1\nv.png,2\n")))).to.include("w.png is a 16-bit PNG").and.include("Save it as 8-bit");
      const broken = (files[0]?.bytes ?? new Uint8Array()).slice(0, 30);
      expect(refusal(() => parsePngDataset([{ name: "b.png", bytes: broken }, files[1] as NamedBytes], text("l.csv", "file,label\nb.png,1\na.png,2\n")))).to.include("b.png could not be decoded as a PNG");
      const wide = [{ name: "w.png", bytes: png(40, 26, 1, () => 0) }, { name: "v.png", bytes: png(40, 26, 1, () => 1) }];
      expect(refusal(() => parsePngDataset(wide, text("l.csv", "file,label\nw.png,1\nv.png,2\n")))).to.include("1,040 features");
    });

    it("packs a selection into one stored zip that reads back as the same dataset (what the wizard keeps), refusing a name given twice", () => {
      const labels = text("labels.csv", "file,label\na.png,dog\nb.png,cat\nc.png,dog\n");
      const packed = packImageFiles([...files, labels]);
      const fromZip = parseImageFiles([{ name: "selection.zip", bytes: packed }]);
      const loose = parseImageFiles([...files, labels]);
      expect(fromZip.points.map((p) => [Array.from(p.features), p.label])).to.deep.equal(loose.points.map((p) => [Array.from(p.features), p.label]));
      expect(fromZip.sources).to.deep.equal(["digits/a.png", "digits/b.png", "digits/c.png"]);
      expect(refusal(() => packImageFiles([files[0] as NamedBytes, { ...(files[0] as NamedBytes) }]))).to.equal("digits/b.png was given twice; choose each file once");
    });

    it("refuses selections that are not one dataset", () => {
      expect(refusal(() => parseImageFiles(files))).to.include("3 PNGs but no labels CSV");
      expect(refusal(() => parseImageFiles([...files, text("a.csv", "file,label\n"), text("b.csv", "file,label\n")]))).to.include("2 CSV files (a.csv, b.csv)");
      expect(refusal(() => parseImageFiles([text("l.csv", "file,label\na.png,1\n")]))).to.include("no PNG files were given");
      expect(refusal(() => parseImageFiles([...files, text("notes.txt", "hello"), text("l.csv", "file,label\n")]))).to.include("notes.txt is neither a PNG");
    });
  });

  describe("metadata imageShape", () => {
    const base = {
      title: "Digits",
      description: "",
      dataset: { name: "m.zip", featureNames: imageFeatureNames({ height: 2, width: 2, channels: 1 }), classNames: ["0", "1"], featureMappings: Array.from({ length: 4 }, () => ({ kind: "identity" as const })), pointCount: 10, groupCount: 2, labelColumn: "label" },
    };

    it("declares the input shape, and is refused when it does not match the features", () => {
      const ok = buildCompetitionMetadata({ ...base, dataset: { ...base.dataset, imageShape: { height: 2, width: 2, channels: 1 } } });
      expect(ok.dataset.imageShape).to.deep.equal({ height: 2, width: 2, channels: 1 });
      expect(() => buildCompetitionMetadata({ ...base, dataset: { ...base.dataset, imageShape: { height: 2, width: 3, channels: 1 } } })).to.throw(
        MetadataError,
        "metadata.dataset.imageShape is 2 × 3 × 1 = 6 features, but the dataset has 4",
      );
      const wrongChannels = { ...ok, dataset: { ...ok.dataset, imageShape: { height: 2, width: 1, channels: 2 } } };
      expect(() => validateCompetitionMetadata(wrongChannels)).to.throw(MetadataError, "imageShape needs integer height and width ≥ 1 and 1 or 3 channels");
      // Without imageShape the document is what it was (CSV competitions are unchanged).
      expect(buildCompetitionMetadata(base).dataset).to.not.have.property("imageShape");
    });
  });
});
