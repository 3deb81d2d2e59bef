import { expect } from "chai";
import { MAX_CLASSES, MAX_FEATURES } from "../../lib/danku/constants";
import {
  DatasetError,
  MAX_REPORTED_ISSUES,
  compareCodePoints,
  datasetToCsv,
  mapRawFeature,
  mapRawFeatures,
  orderClassNames,
  parseCsvDataset,
} from "../../lib/danku/dataset";
import { DataFormatError } from "../../lib/danku/encoding";

function parseError(text: string, labelColumn = "label"): DatasetError {
  try {
    parseCsvDataset(text, { labelColumn });
  } catch (error) {
    expect(error).to.be.instanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error("expected the CSV to be rejected");
}

describe("lib/danku/dataset", () => {
  describe("parseCsvDataset", () => {
    it("reads features around a label column and maps byte-valued columns by identity", () => {
      const ds = parseCsvDataset("a,label,b\n0,x,255\n7,y,3\n200,x,9\n", { labelColumn: "label" });
      expect(ds.featureNames).to.deep.equal(["a", "b"]);
      expect(ds.classNames).to.deep.equal(["x", "y"]);
      expect(ds.featureMappings).to.deep.equal([{ kind: "identity" }, { kind: "identity" }]);
      expect(ds.points.map((p) => [Array.from(p.features), p.label])).to.deep.equal([
        [[0, 255], 0],
        [[7, 3], 1],
        [[200, 9], 0],
      ]);
      expect(ds.points[0]!.features).to.be.instanceOf(Uint8Array);
      expect(ds.rawRowCount).to.equal(3);
      expect(ds.classCounts).to.deep.equal([2, 1]);
      expect(ds.featureRanges).to.deep.equal([
        { min: 0, max: 200 },
        { min: 3, max: 255 },
      ]);
    });

    it("maps non-byte columns linearly with round((x-min)/(max-min)*255) and constant non-byte columns to 0", () => {
      const ds = parseCsvDataset("f,g,h,k,label\n0,-1,0.5,300,a\n0.5,1,0.5,300,b\n1,3,0.5,300,a\n0.25,0,0.5,300,b\n", {
        labelColumn: "label",
      });
      expect(ds.featureMappings).to.deep.equal([
        { kind: "linear", min: 0, max: 1 },
        { kind: "linear", min: -1, max: 3 },
        { kind: "linear", min: 0.5, max: 0.5 },
        { kind: "linear", min: 300, max: 300 },
      ]);
      // 0.5 → 127.5 → 128 (half up); 0.25 → 63.75 → 64; -1..3: 1 → 127.5 → 128, 0 → 63.75 → 64.
      expect(ds.points.map((p) => Array.from(p.features))).to.deep.equal([
        [0, 0, 0, 0],
        [128, 128, 0, 0],
        [255, 255, 0, 0],
        [64, 64, 0, 0],
      ]);
    });

    it("keeps a constant byte-valued column as identity (its value is the byte)", () => {
      const ds = parseCsvDataset("f,label\n5,a\n5,b\n", { labelColumn: "label" });
      expect(ds.featureMappings).to.deep.equal([{ kind: "identity" }]);
      expect(ds.points.map((p) => p.features[0])).to.deep.equal([5, 5]);
    });

    it("treats 256 or a fraction as non-byte values", () => {
      const ds = parseCsvDataset("f,g,label\n256,1.5,a\n0,0,b\n", { labelColumn: "label" });
      expect(ds.featureMappings[0]).to.deep.equal({ kind: "linear", min: 0, max: 256 });
      expect(ds.featureMappings[1]).to.deep.equal({ kind: "linear", min: 0, max: 1.5 });
    });

    it("orders numeric labels numerically and others by code point", () => {
      expect(parseCsvDataset("f,y\n1,10\n2,9\n3,2\n", { labelColumn: "y" }).classNames).to.deep.equal(["2", "9", "10"]);
      expect(parseCsvDataset("f,y\n1,b\n2,B\n3,a\n", { labelColumn: "y" }).classNames).to.deep.equal(["B", "a", "b"]);
      expect(parseCsvDataset("f,y\n1,10\n2,9\n3,x\n", { labelColumn: "y" }).classNames).to.deep.equal(["10", "9", "x"]);
      const ds = parseCsvDataset("f,y\n1,-1.5\n2,1e1\n3,0\n", { labelColumn: "y" });
      expect(ds.classNames).to.deep.equal(["-1.5", "0", "1e1"]);
      expect(ds.points.map((p) => p.label)).to.deep.equal([0, 2, 1]);
    });

    it("accepts CRLF line ends, a byte-order mark, quoted fields, padding spaces and blank lines", () => {
      const ds = parseCsvDataset('\uFEFF"feat, one",label\r\n 1 ,"cat, big"\r\n\r\n2, dog\r\n', { labelColumn: "label" });
      expect(ds.featureNames).to.deep.equal(["feat, one"]);
      expect(ds.classNames).to.deep.equal(["cat, big", "dog"]);
      expect(ds.rawRowCount).to.equal(2);
    });

    it("supports another delimiter when asked", () => {
      const ds = parseCsvDataset("a;b;label\n1;2;x\n3;4;y\n", { labelColumn: "label", delimiter: ";" });
      expect(ds.points.map((p) => Array.from(p.features))).to.deep.equal([
        [1, 2],
        [3, 4],
      ]);
    });

    it("collects every malformed row with its 1-based line number and produces nothing", () => {
      const text = [
        "a,b,label", // 1
        "1,2,x", // 2
        "", // 3
        "1,2", // 4: too few columns
        "abc,2,y", // 5: not a number
        '1,"2', // 6-7: a quoted field spanning two lines still starts on line 6 …
        '",y', // 7
        "NaN,2,x", // 8
        "Infinity,2,x", // 9
        "1e999,2,x", // 10
        ",2,x", // 11: empty feature
        "1,2,", // 12: empty label
        "1,2,3,4", // 13: too many
        "0x10,2,y", // 14
      ].join("\n");
      const error = parseError(text);
      const lines = error.issues.map((i) => i.line);
      // The quoted row on lines 6-7 is valid ("2\n" trims to 2); counting continues correctly after it.
      expect(lines).to.deep.equal([4, 5, 8, 9, 10, 11, 12, 13, 14]);
      expect(error.issues.find((i) => i.line === 4)!.message).to.match(/expected 3 columns, found 2/);
      expect(error.issues.find((i) => i.line === 5)!.message).to.match(/feature "a" "abc" is not a number/);
      expect(error.issues.find((i) => i.line === 8)!.message).to.match(/not a number/);
      expect(error.issues.find((i) => i.line === 9)!.message).to.match(/not a number/);
      expect(error.issues.find((i) => i.line === 10)!.message).to.match(/not a finite number/);
      expect(error.issues.find((i) => i.line === 11)!.message).to.match(/feature "a" is empty/);
      expect(error.issues.find((i) => i.line === 12)!.message).to.match(/label .* is empty/);
      expect(error.issues.find((i) => i.line === 13)!.message).to.match(/expected 3 columns, found 4/);
      expect(error.totalIssues).to.equal(9);
      expect(error.message).to.match(/9 problems/);
      expect(error.message).to.contain("line 4:");
      expect(error.message).to.contain("… and 4 more");
    });

    it("reports the starting line of a row after a multi-line quoted field", () => {
      const error = parseError('a,label\n"1\n2",x\nbad,y\n');
      // Row "1\n2" occupies lines 2-3 (and is not a number); "bad" is on line 4.
      expect(error.issues.map((i) => i.line)).to.deep.equal([2, 4]);
    });

    it("counts lines correctly without a trailing newline, after leading blank lines and with CRLF", () => {
      expect(parseError("f,label\n1,x\n\nbad,y").issues.map((i) => i.line)).to.deep.equal([4]);
      expect(parseError("\n\nf,label\nbad,x\n1,y\n").issues.map((i) => i.line)).to.deep.equal([4]);
      expect(parseError("f,label\r\n1,x\r\n\r\nbad,y\r\n").issues.map((i) => i.line)).to.deep.equal([4]);
    });

    it("reports an unterminated quote", () => {
      const error = parseError('f,label\n1,x\n"2,y\n');
      expect(error.issues[0]!.line).to.equal(3);
      expect(error.issues[0]!.message).to.match(/quoted field unterminated/i);
    });

    it("caps the stored issues but counts them all", () => {
      const rows = Array.from({ length: MAX_REPORTED_ISSUES + 5 }, () => "x,a");
      const error = parseError(`f,label\n${rows.join("\n")}\n`);
      expect(error.issues).to.have.length(MAX_REPORTED_ISSUES);
      expect(error.totalIssues).to.equal(MAX_REPORTED_ISSUES + 5);
    });

    it("rejects header problems: missing label column, duplicate or empty names", () => {
      expect(parseError("a,b\n1,2\n", "label").message).to.match(/no label column "label".*"a", "b"/);
      expect(parseError("a,a,label\n1,2,x\n").message).to.match(/"a" appears more than once/);
      expect(parseError("a,,label\n1,2,x\n").message).to.match(/column 2 has an empty name/);
      // With "a" as the label, "label" is a feature column and "x" is not a number.
      expect(parseError("a,label\n1,x\n", "a").issues).to.deep.equal([{ line: 2, message: 'feature "label" "x" is not a number' }]);
    });

    it("rejects an empty file, a header without rows, and a file with only a label column", () => {
      expect(parseError("").message).to.match(/empty/);
      expect(parseError("\n\n").message).to.match(/empty/);
      expect(parseError("a,label\n").message).to.match(/no data rows/);
      expect(parseError("label\nx\ny\n").message).to.match(/0 feature columns/);
    });

    it("enforces the class and feature limits", () => {
      expect(parseError("f,label\n1,x\n2,x\n").message).to.match(/1 distinct value; a competition needs 2\.\.255 classes/);
      const many = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => `1,c${i}`).join("\n");
      expect(parseError(`f,label\n${many}\n`).message).to.match(/256 distinct values/);
      const header = [...Array.from({ length: MAX_FEATURES + 1 }, (_, i) => `f${i}`), "label"].join(",");
      const row = [...new Array<string>(MAX_FEATURES + 1).fill("1"), "x"].join(",");
      expect(parseError(`${header}\n${row}\n`).message).to.match(/1025 feature columns; a dataset needs 1\.\.1024/);
      const okHeader = [...Array.from({ length: MAX_FEATURES }, (_, i) => `f${i}`), "label"].join(",");
      const okRow = (label: string) => [...new Array<string>(MAX_FEATURES).fill("1"), label].join(",");
      expect(parseCsvDataset(`${okHeader}\n${okRow("x")}\n${okRow("y")}\n`, { labelColumn: "label" }).featureNames).to.have.length(MAX_FEATURES);
    });
  });

  describe("class ordering", () => {
    it("compares by code point, not UTF-16 unit", () => {
      // U+1F600 is encoded as the surrogate pair D83D DE00, which UTF-16 order puts before U+FFFF.
      expect(["\u{1F600}", "\uFFFF"].sort()).to.deep.equal(["\u{1F600}", "\uFFFF"]);
      expect(orderClassNames(["\u{1F600}", "\uFFFF"])).to.deep.equal(["\uFFFF", "\u{1F600}"]);
      expect(compareCodePoints("ab", "abc")).to.be.lessThan(0);
      expect(compareCodePoints("abc", "ab")).to.be.greaterThan(0);
      expect(compareCodePoints("ab", "ab")).to.equal(0);
    });

    it("breaks ties between equal numbers deterministically", () => {
      expect(orderClassNames(["1.0", "1", "0"])).to.deep.equal(["0", "1", "1.0"]);
      expect(orderClassNames(["1", "1.0", "0"])).to.deep.equal(["0", "1", "1.0"]);
    });
  });

  describe("mapRawFeatures", () => {
    it("maps new raw data exactly like the dataset and clamps out-of-range values", () => {
      const mappings = [{ kind: "linear", min: -1, max: 3 }, { kind: "identity" }, { kind: "linear", min: 2, max: 2 }] as const;
      expect(Array.from(mapRawFeatures([1, 7, 2], mappings))).to.deep.equal([128, 7, 0]);
      expect(Array.from(mapRawFeatures([-5, -3, 9], mappings))).to.deep.equal([0, 0, 0]);
      expect(Array.from(mapRawFeatures([10, 300, 2], mappings))).to.deep.equal([255, 255, 0]);
      expect(Array.from(mapRawFeatures([3, 7.5, 2], mappings))).to.deep.equal([255, 8, 0]);
    });

    it("agrees with the mapping parseCsvDataset applied", () => {
      const ds = parseCsvDataset("f,g,label\n0.1,3,a\n0.7,200,b\n0.33,17,a\n", { labelColumn: "label" });
      const raw = [
        [0.1, 3],
        [0.7, 200],
        [0.33, 17],
      ];
      raw.forEach((row, i) => expect(Array.from(mapRawFeatures(row, ds.featureMappings))).to.deep.equal(Array.from(ds.points[i]!.features)));
    });

    it("rejects a wrong length and non-finite values", () => {
      expect(() => mapRawFeatures([1], [{ kind: "identity" }, { kind: "identity" }])).to.throw(DataFormatError, /expected 2 feature values/);
      expect(() => mapRawFeature(NaN, { kind: "identity" })).to.throw(DataFormatError, /not a finite number/);
      expect(() => mapRawFeature(Infinity, { kind: "linear", min: 0, max: 1 })).to.throw(DataFormatError);
    });
  });

  describe("datasetToCsv", () => {
    it("round-trips through parseCsvDataset", () => {
      const points = [
        { features: Uint8Array.from([0, 255]), label: 1 },
        { features: Uint8Array.from([17, 3]), label: 0 },
        { features: Uint8Array.from([9, 9]), label: 2 },
      ];
      const names = ["f 1", 'quote"d'];
      const classes = ["a,b", "c", "d"];
      const csv = datasetToCsv(points, names, classes);
      expect(csv.split("\n")[0]).to.equal('f 1,"quote""d",label');
      const back = parseCsvDataset(csv, { labelColumn: "label" });
      expect(back.featureNames).to.deep.equal(names);
      expect(back.classNames).to.deep.equal(classes);
      expect(back.points.map((p) => [Array.from(p.features), p.label])).to.deep.equal(points.map((p) => [Array.from(p.features), p.label]));
    });

    it("refuses inconsistent input", () => {
      expect(() => datasetToCsv([{ features: [1], label: 0 }], ["label"], ["a", "b"])).to.throw(DataFormatError, /also a feature name/);
      expect(() => datasetToCsv([{ features: [1], label: 0 }], ["label"], ["a", "b"], { labelColumn: "y" })).not.to.throw();
      expect(() => datasetToCsv([{ features: [1, 2], label: 0 }], ["f"], ["a", "b"])).to.throw(DataFormatError, /2 features/);
      expect(() => datasetToCsv([{ features: [1], label: 5 }], ["f"], ["a", "b"])).to.throw(DataFormatError, /label 5/);
    });
  });
});
