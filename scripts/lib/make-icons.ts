/**
 * Draws the Teams app icons with pngjs: a speech bubble with a tick ("yes, you can share").
 *
 *   npx tsx scripts/lib/make-icons.ts      # rewrites manifest/color.png and manifest/outline.png
 *
 * - color.png: 192×192, full-bleed accent-colour square, white bubble, accent-coloured tick,
 *   anti-aliased by 4×4 supersampling.
 * - outline.png: 32×32, white bubble on transparent with the tick cut out; every pixel is either
 *   pure white (opaque) or fully transparent, as Teams requires.
 *
 * The drawing is deterministic, so re-running the script gives the same bytes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/** #1F5F8B, the manifest's accentColor. */
export const ACCENT = { r: 0x1f, g: 0x5f, b: 0x8b } as const;

type Shape = (x: number, y: number) => boolean;

/** Shapes in a unit square (0..1 both ways), so one drawing serves both sizes. */
function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape {
  const sign = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  return (x, y) => {
    const d1 = sign(x, y, ax, ay, bx, by);
    const d2 = sign(x, y, bx, by, cx, cy);
    const d3 = sign(x, y, cx, cy, ax, ay);
    const neg = d1 < 0 || d2 < 0 || d3 < 0;
    const pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
  };
}

/** A thick polyline with round joins and caps. */
function stroke(points: ReadonlyArray<readonly [number, number]>, width: number): Shape {
  const r2 = (width / 2) ** 2;
  return (x, y) => {
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i] as readonly [number, number];
      const [bx, by] = points[i + 1] as readonly [number, number];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= r2) return true;
    }
    return false;
  };
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));

/** The bubble: a rounded body with a tail at the lower left. `inset` shrinks it for the full-bleed icon. */
function bubble(inset: number): Shape {
  const span = 1 - 2 * inset;
  const at = (v: number) => inset + v * span;
  return union(
    roundedRect(at(0.02), at(0.06), at(0.98), at(0.78), 0.2 * span),
    triangle(at(0.18), at(0.7), at(0.46), at(0.7), at(0.12), at(0.98)),
  );
}

function tick(inset: number, width: number): Shape {
  const span = 1 - 2 * inset;
  const at = (v: number) => inset + v * span;
  return stroke(
    [
      [at(0.27), at(0.43)],
      [at(0.44), at(0.6)],
      [at(0.74), at(0.26)],
    ],
    width * span,
  );
}

/** Fraction of an output pixel covered by a shape, sampled n×n. */
function coverage(shape: Shape, px: number, py: number, size: number, n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (shape((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size)) hits++;
    }
  }
  return hits / (n * n);
}

/** 192×192 colour icon as PNG bytes. */
export function drawColorIcon(size = 192): Buffer {
  const png = new PNG({ width: size, height: size });
  const body = bubble(0.17);
  const mark = tick(0.17, 0.13);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const white = coverage(body, x, y, size, 4) * (1 - coverage(mark, x, y, size, 4));
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(ACCENT.r + (255 - ACCENT.r) * white);
      png.data[i + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * white);
      png.data[i + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * white);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** 32×32 outline icon: only opaque white and fully transparent pixels. */
export function drawOutlineIcon(size = 32): Buffer {
  const png = new PNG({ width: size, height: size });
  const body = bubble(0.03);
  const mark = tick(0.03, 0.14);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = coverage(body, x, y, size, 4) >= 0.5 && coverage(mark, x, y, size, 4) < 0.5;
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = on ? 255 : 0;
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

export function writeIcons(dir: string): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  writeFileSync(color, drawColorIcon());
  writeFileSync(outline, drawOutlineIcon());
  return { color, outline };
}

if (require.main === module) {
  const out = writeIcons(path.resolve(__dirname, '..', '..', 'manifest'));
  console.log(`Wrote ${path.relative(process.cwd(), out.color)} and ${path.relative(process.cwd(), out.outline)}`);
}
