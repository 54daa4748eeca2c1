// Generates the bundled material textures in public/textures/ (wood, melamine, lacquer): no
// CC0 texture set is reachable offline, so they are drawn here from tileable value noise and
// committed; rerun only to change them. Neutral light tones: the viewer multiplies them by the
// material's colour, so one wood grain serves oak, walnut and birch alike. Uses sharp (installed
// with Next.js) for the JPEG encoding.
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const SIZE = 512;
const out = resolve(dirname(fileURLToPath(import.meta.url)), "..", "public", "textures");

/** A deterministic generator, so regenerating gives the same files. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Value noise that tiles over the unit square, with `cellsU` × `cellsV` lattice cells. */
function tileNoise(cellsU, cellsV, seed) {
  const next = random(seed);
  const lattice = Array.from({ length: cellsU * cellsV }, next);
  const at = (i, j) => lattice[(((j % cellsV) + cellsV) % cellsV) * cellsU + (((i % cellsU) + cellsU) % cellsU)];
  const smooth = (t) => t * t * (3 - 2 * t);
  return (u, v) => {
    const x = u * cellsU;
    const y = v * cellsV;
    const i = Math.floor(x);
    const j = Math.floor(y);
    const fx = smooth(x - i);
    const fy = smooth(y - j);
    const top = at(i, j) * (1 - fx) + at(i + 1, j) * fx;
    const bottom = at(i, j + 1) * (1 - fx) + at(i + 1, j + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
}

function fbm(octaves, seed) {
  const layers = octaves.map(([cellsU, cellsV, weight], index) => [tileNoise(cellsU, cellsV, seed + index * 7919), weight]);
  const total = layers.reduce((sum, [, weight]) => sum + weight, 0);
  return (u, v) => layers.reduce((sum, [noise, weight]) => sum + noise(u, v) * weight, 0) / total;
}

async function write(name, shade) {
  const pixels = Buffer.alloc(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < SIZE; x += 1) {
      const [r, g, b] = shade(x / SIZE, y / SIZE);
      const offset = (y * SIZE + x) * 3;
      pixels[offset] = Math.max(0, Math.min(255, Math.round(r * 255)));
      pixels[offset + 1] = Math.max(0, Math.min(255, Math.round(g * 255)));
      pixels[offset + 2] = Math.max(0, Math.min(255, Math.round(b * 255)));
    }
  }
  const file = join(out, `${name}.jpg`);
  await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } }).jpeg({ quality: 80, mozjpeg: true }).toFile(file);
  console.log(`${file}: ${Math.round(statSync(file).size / 1024)} kB`);
}

mkdirSync(out, { recursive: true });

// Wood: grain running along v (the viewer lays it along a board's length), growth rings bent
// by low-frequency noise, fine pores on top.
const warp = fbm([[3, 1, 1], [6, 2, 0.5], [12, 3, 0.25]], 11);
const pores = fbm([[256, 8, 1], [128, 4, 0.6]], 23);
const figure = fbm([[4, 2, 1], [8, 2, 0.4]], 37);
const density = fbm([[5, 1, 1]], 59);
await write("wood", (u, v) => {
  const phase = u * 7 + warp(u, v) * 1.3 + density(u, v) * 1.2;
  const ring = phase - Math.floor(phase);
  // Early wood light and wide, late wood a narrow darker band.
  const late = Math.exp(-(((ring - 0.85) / 0.07) ** 2));
  const value = 0.86 - late * 0.16 + (pores(u, v) - 0.5) * 0.09 + (figure(u, v) - 0.5) * 0.07;
  return [value * 1.02, value, value * 0.95];
});

// Floor: oak boards, 8 across and 2 staggered lengths down the tile, each its own tone, with
// dark seams and the same grain as above, finer.
const tone = random(71);
const tones = Array.from({ length: 32 }, () => 0.9 + tone() * 0.12);
await write("floor", (u, v) => {
  const column = Math.floor(u * 8);
  const shifted = v + (column % 4) * 0.125 + (column % 2) * 0.25;
  const row = Math.floor(shifted * 2) % 2;
  const across = u * 8 - column;
  const along = shifted * 2 - Math.floor(shifted * 2);
  const seam = across < 0.025 || along < 0.008 ? 0.72 : 1;
  const phase = u * 28 + warp(u, v) * 1.2 + column * 0.37;
  const ring = phase - Math.floor(phase);
  const late = Math.exp(-(((ring - 0.85) / 0.09) ** 2));
  const value = (0.84 - late * 0.08 + (pores(u, v) - 0.5) * 0.06) * tones[column * 2 + row] * seam;
  return [value * 1.02, value, value * 0.95];
});

// Melamine: a near-white decor paper with a faint speckle.
const speckle = fbm([[128, 128, 1], [256, 256, 0.5]], 41);
const cloud = fbm([[4, 4, 1], [8, 8, 0.5]], 43);
await write("melamine", (u, v) => {
  const value = 0.93 + (speckle(u, v) - 0.5) * 0.05 + (cloud(u, v) - 0.5) * 0.03;
  return [value, value, value];
});

// Lacquer: smooth, only a hint of orange peel.
const peel = fbm([[32, 32, 1], [64, 64, 0.5]], 53);
await write("lacquer", (u, v) => {
  const value = 0.95 + (peel(u, v) - 0.5) * 0.025;
  return [value, value, value];
});
