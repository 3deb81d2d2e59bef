/**
 * lib/browser/droppedFiles.ts: a dropped folder is walked through the entries API (readEntries in batches until an
 * empty one, depth first in name order), each file keeping its path inside the drop, hidden files left out; and the
 * walk's result packs into the same image dataset as the same files chosen one by one.
 */
import { expect } from "chai";
import { collectDroppedFiles, pickedFromList, type DroppedDirectoryReader, type DroppedFileEntry } from "../../lib/browser/droppedFiles";
import { packImageFiles, parseImageFiles } from "../../lib/danku/images";
import { encode as encodePng } from "fast-png";

type Tree = { [name: string]: Uint8Array | Tree };

/** An entries-API tree of `tree` under `parent`; directories answer readEntries in batches of `batch`. */
function entry(name: string, node: Uint8Array | Tree, parent: string, batch: number): DroppedFileEntry {
  const fullPath = `${parent}/${name}`;
  if (node instanceof Uint8Array) {
    return { isFile: true, isDirectory: false, name, fullPath, file: (ok) => setTimeout(() => ok(new File([node as Uint8Array<ArrayBuffer>], name))) };
  }
  // Deliberately not in name order: the walk sorts.
  const children = Object.entries(node).reverse().map(([n, child]) => entry(n, child, fullPath, batch));
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader: (): DroppedDirectoryReader => {
      let at = 0;
      return {
        readEntries: (ok) => {
          const next = children.slice(at, at + batch);
          at += next.length;
          setTimeout(() => ok(next));
        },
      };
    },
  };
}

function png(value: number): Uint8Array {
  return encodePng({ width: 2, height: 2, channels: 1, depth: 8, data: new Uint8Array([value, 0, 0, value]) });
}

describe("lib/browser/droppedFiles (folder drops)", () => {
  const csv = new TextEncoder().encode("file,label\nx/a.png,cat\nx/b.png,dog\nc.png,cat\n");
  const tree: Tree = { "labels.csv": csv, x: { "a.png": png(10), "b.png": png(20), ".DS_Store": new Uint8Array([1]) }, "c.png": png(30), "._c.png": new Uint8Array([2]) };

  it("walks a dropped folder in batches, depth first in name order, with paths inside the drop and no hidden files", async () => {
    for (const batch of [1, 2, 100]) {
      const picked = await collectDroppedFiles([entry("set", tree, "", batch)]);
      expect(picked.map((p) => p.path), `batch ${batch}`).to.deep.equal(["set/c.png", "set/labels.csv", "set/x/a.png", "set/x/b.png"]);
      expect(new Uint8Array(await picked[1]!.file.arrayBuffer())).to.deep.equal(csv);
    }
  });

  it("gives the dataset the folder picker gives for the same folder", async () => {
    const picked = await collectDroppedFiles([entry("set", tree, "", 3)]);
    const fromDrop = parseImageFiles([{ name: "set.zip", bytes: packImageFiles(await Promise.all(picked.map(async (p) => ({ name: p.path, bytes: new Uint8Array(await p.file.arrayBuffer()) })))) }]);
    expect(fromDrop.points.map((p) => [Array.from(p.features), p.label])).to.deep.equal([
      [[10, 0, 0, 10], 0],
      [[20, 0, 0, 20], 1],
      [[30, 0, 0, 30], 0],
    ]);
    expect(fromDrop.classNames).to.deep.equal(["cat", "dog"]);
  });

  it("keeps loose files and folders of one drop together, and names a file it cannot read", async () => {
    const picked = await collectDroppedFiles([entry("labels.csv", csv, "", 5), entry("x", { "a.png": png(1) }, "", 5)]);
    expect(picked.map((p) => p.path)).to.deep.equal(["labels.csv", "x/a.png"]);
    const unreadable: DroppedFileEntry = { isFile: true, isDirectory: false, name: "gone.png", fullPath: "/set/gone.png", file: (_ok, fail) => fail?.(new DOMException("NotFoundError")) };
    let message = "";
    await collectDroppedFiles([unreadable]).catch((error: Error) => (message = error.message));
    expect(message).to.equal("/set/gone.png could not be read (NotFoundError); drop it again");
  });

  it("takes a picker's paths from webkitRelativePath, else the name", () => {
    const plain = new File([new Uint8Array([1])], "a.png");
    expect(pickedFromList([plain]).map((p) => p.path)).to.deep.equal(["a.png"]);
  });
});
