"use client";

import { useEffect, useRef } from "react";
import type { ImageSample, ImageShape } from "../../lib/danku/images";

/** Thumbnail edge in CSS pixels: small images are scaled up (pixelated, so every byte stays visible). */
const THUMB = 72;

/** Draws one image's bytes (row-major H × W × C, grayscale or RGB) on a canvas at its own resolution. */
function Thumbnail({ sample, shape, index }: { sample: ImageSample; shape: ImageShape; index: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    const image = context.createImageData(shape.width, shape.height);
    const { pixels } = sample;
    for (let p = 0; p < shape.width * shape.height; p++) {
      const r = pixels[p * shape.channels] as number;
      image.data[p * 4] = r;
      image.data[p * 4 + 1] = shape.channels === 3 ? (pixels[p * 3 + 1] as number) : r;
      image.data[p * 4 + 2] = shape.channels === 3 ? (pixels[p * 3 + 2] as number) : r;
      image.data[p * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [sample, shape]);
  const scale = THUMB / Math.max(shape.width, shape.height);
  return (
    <figure className="flex flex-col items-center gap-1" data-testid="image-thumbnail">
      <canvas
        ref={canvas}
        width={shape.width}
        height={shape.height}
        role="img"
        aria-label={`Image ${index + 1}: ${sample.source}, class ${sample.className}`}
        style={{ width: shape.width * scale, height: shape.height * scale, imageRendering: "pixelated" }}
        className="rounded border border-slate-200 dark:border-slate-700"
      />
      <figcaption className="max-w-[6rem] truncate text-xs text-slate-600 dark:text-slate-300" title={sample.source}>
        {sample.className}
      </figcaption>
    </figure>
  );
}

/** The first images of an image dataset with their classes, next to the summary and charts. */
export function ImageThumbnails({ shape, samples }: { shape: ImageShape; samples: readonly ImageSample[] }) {
  return (
    <ul className="flex flex-wrap gap-3" aria-label="First images">
      {samples.map((sample, i) => (
        <li key={`${i}:${sample.source}`}>
          <Thumbnail sample={sample} shape={shape} index={i} />
        </li>
      ))}
    </ul>
  );
}

/** "28 × 28 × 1 (grayscale)". */
export function formatImageShape(shape: ImageShape): string {
  return `${shape.height} × ${shape.width} × ${shape.channels} (${shape.channels === 1 ? "grayscale" : "RGB"})`;
}
