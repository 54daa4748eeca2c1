// Builds, from code, every GLB the repository ships (GLB_ASSET_STANDARD.md):
// - crates/paform-glb/tests/fixtures/: one valid file and one file per kind of violation;
// - assets/models/: the demo catalog's Draco-compressed models (seeded by paform-app).
// Usage: `npm ci && node build.mjs [--bench OUT.glb]`. The output is deterministic, so a
// rebuild that changes a file means the generator changed.
//
// Modules are made of boxes: one unit-cube mesh per material slot, scaled and placed by its
// node, the way a shop's cut list places panels. Violation fixtures are the valid model built
// with one thing wrong, or its GLB with one field of the JSON chunk patched.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { Document, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { draco } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'crates', 'paform-glb', 'tests', 'fixtures');
const MODELS = join(ROOT, 'assets', 'models');

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
  'draco3d.encoder': await draco3d.createEncoderModule(),
  'draco3d.decoder': await draco3d.createDecoderModule(),
});

const SLOT_COLOURS = {
  carcass: [0.93, 0.92, 0.89, 1],
  front: [0.78, 0.66, 0.5, 1],
  handle: [0.12, 0.12, 0.13, 1],
  metal: [0.6, 0.6, 0.62, 1],
};

// A unit cube [0,1]³ with flat normals: 24 vertices, 12 triangles.
function unitCube(doc, buffer) {
  const faces = [
    [[1, 0, 0], [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]]],
    [[-1, 0, 0], [[0, 0, 0], [0, 0, 1], [0, 1, 1], [0, 1, 0]]],
    [[0, 1, 0], [[0, 1, 0], [0, 1, 1], [1, 1, 1], [1, 1, 0]]],
    [[0, -1, 0], [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]]],
    [[0, 0, 1], [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]]],
    [[0, 0, -1], [[0, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0]]],
  ];
  const positions = [];
  const normals = [];
  const indices = [];
  faces.forEach(([normal, corners], f) => {
    for (const corner of corners) {
      positions.push(...corner);
      normals.push(...normal);
    }
    const b = f * 4;
    indices.push(b, b + 1, b + 2, b, b + 2, b + 3);
  });
  return {
    position: doc.createAccessor().setType('VEC3').setArray(new Float32Array(positions)).setBuffer(buffer),
    normal: doc.createAccessor().setType('VEC3').setArray(new Float32Array(normals)).setBuffer(buffer),
    indices: doc.createAccessor().setType('SCALAR').setArray(new Uint16Array(indices)).setBuffer(buffer),
  };
}

// A flat grid of `n`×`n` quads in [0,1]² (2n² triangles): dense geometry for the budget fixture.
function grid(doc, buffer, n) {
  const positions = [];
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) positions.push(i / n, j / n, 0);
  const indices = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const a = j * (n + 1) + i;
      indices.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
  }
  return {
    position: doc.createAccessor().setType('VEC3').setArray(new Float32Array(positions)).setBuffer(buffer),
    indices: doc.createAccessor().setType('SCALAR').setArray(new Uint32Array(indices)).setBuffer(buffer),
  };
}

// A PNG of the given size: one flat colour (enough for the texture-size rule), or noise that
// does not compress (a realistic file size for the timing model).
function png(width, height, { noise = false } = {}) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const stride = width * 3 + 1; // a filter byte (0) opens each row
  const raw = Buffer.alloc(stride * height, 0xc8);
  let seed = 1;
  for (let i = 0; i < raw.length; i++) {
    if (i % stride === 0) raw[i] = 0;
    else if (noise) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      raw[i] = seed >>> 24;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: noise ? 0 : 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A module in metres following the standard. `spec`: slug, width/height/depth (mm), shelves,
 * doors, drawers, mount ('floor' | 'wall'), lods (adds lod:0/lod:1 groups), and `twist`, a
 * hook that may break one rule: twist(ctx) with ctx = {doc, root, meshes, materials, add}.
 */
function moduleDocument(spec) {
  const doc = new Document();
  doc.createScene('scene');
  const buffer = doc.createBuffer();
  const scene = doc.getRoot().listScenes()[0];
  const W = spec.width / 1000;
  const H = spec.height / 1000;
  const D = spec.depth / 1000;
  const t = 0.018; // board
  const ft = 0.019; // front
  const handleDepth = 0.025;
  const gap = 0.003;
  const carcassDepth = D - ft - handleDepth;

  const materials = {};
  const meshes = {};
  const cube = unitCube(doc, buffer);
  for (const [slot, colour] of Object.entries(SLOT_COLOURS)) {
    materials[slot] = doc.createMaterial(slot).setBaseColorFactor(colour).setRoughnessFactor(slot === 'handle' ? 0.3 : 0.7);
    const prim = doc
      .createPrimitive()
      .setAttribute('POSITION', cube.position)
      .setAttribute('NORMAL', cube.normal)
      .setIndices(cube.indices)
      .setMaterial(materials[slot]);
    meshes[slot] = doc.createMesh(`box-${slot}`).addPrimitive(prim);
  }

  const root = doc
    .createNode(`module:${spec.slug}`)
    .setExtras({
      paform: {
        standard: 1,
        module_slug: spec.slug,
        dimensions_mm: spec.declared ?? { width: spec.width, height: spec.height, depth: spec.depth },
        author: 'Paform demo (tools/glb/build.mjs)',
        source: 'generated from the catalog dimensions',
      },
    });
  scene.addChild(root);

  // A box from (x0,y0,z0) to (x1,y1,z1) in metres, under `parent`.
  const add = (parent, name, slot, [x0, y0, z0], [x1, y1, z1]) => {
    const node = doc
      .createNode(name)
      .setMesh(meshes[slot])
      .setTranslation([x0, y0, z0])
      .setScale([x1 - x0, y1 - y0, z1 - z0]);
    parent.addChild(node);
    return node;
  };

  const level0 = spec.lods ? doc.createNode('lod:0') : root;
  if (spec.lods) root.addChild(level0);

  add(level0, 'panel:side-1', 'carcass', [0, 0, 0], [t, H, carcassDepth]);
  add(level0, 'panel:side-2', 'carcass', [W - t, 0, 0], [W, H, carcassDepth]);
  add(level0, 'panel:top-bottom-1', 'carcass', [t, 0, 0], [W - t, t, carcassDepth]);
  add(level0, 'panel:top-bottom-2', 'carcass', [t, H - t, 0], [W - t, H, carcassDepth]);
  add(level0, 'panel:back-1', 'carcass', [t, t, 0], [W - t, H - t, t]);
  for (let s = 1; s <= spec.shelves; s++) {
    const y = t + ((H - 2 * t) * s) / (spec.shelves + 1);
    add(level0, `panel:shelf-${s}`, 'carcass', [t, y - t / 2, t], [W - t, y + t / 2, carcassDepth - 0.002]);
  }

  const frontZ = [carcassDepth, carcassDepth + ft];
  const handleZ = [carcassDepth + ft, D];
  let handles = 0;
  const handle = (x, y, horizontal) => {
    handles += 1;
    const [hw, hh] = horizontal ? [0.16, 0.012] : [0.012, 0.16];
    add(level0, `hw:handle-${handles}`, 'handle', [x - hw / 2, y - hh / 2, handleZ[0]], [x + hw / 2, y + hh / 2, handleZ[1]]);
  };
  if (spec.drawers > 0) {
    const h = (H - gap * (spec.drawers + 1)) / spec.drawers;
    for (let d = 1; d <= spec.drawers; d++) {
      // Numbered top to bottom.
      const y1 = H - gap - (d - 1) * (h + gap);
      add(level0, `front:drawer-${d}`, 'front', [gap, y1 - h, frontZ[0]], [W - gap, y1, frontZ[1]]);
      handle(W / 2, y1 - 0.05, true);
    }
  } else {
    const w = (W - gap * (spec.doors + 1)) / spec.doors;
    for (let d = 1; d <= spec.doors; d++) {
      const x0 = gap + (d - 1) * (w + gap);
      add(level0, `front:door-${d}`, 'front', [x0, gap, frontZ[0]], [x0 + w, H - gap, frontZ[1]]);
      // The handle sits by the opening edge: the right door opens on its left.
      const hx = spec.doors > 1 && d === spec.doors ? x0 + 0.04 : x0 + w - 0.04;
      const hy = spec.mount === 'wall' ? gap + 0.12 : H - gap - 0.12;
      handle(hx, hy, false);
    }
  }

  if (spec.lods) {
    const level1 = doc.createNode('lod:1');
    root.addChild(level1);
    add(level1, 'part:carcass', 'carcass', [0, 0, 0], [W, H, carcassDepth]);
    add(level1, 'part:fronts', 'front', [gap, gap, frontZ[0]], [W - gap, H - gap, frontZ[1]]);
  }

  for (const [side, x] of [['left', 0], ['right', W]]) {
    root.addChild(doc.createNode(`connect:${side}`).setTranslation([x, 0, 0]));
  }

  spec.twist?.({ doc, root, buffer, meshes, materials, add, level0 });
  return doc;
}

async function glb(doc, { compress = false } = {}) {
  if (compress) await doc.transform(draco({ method: 'edgebreaker' }));
  return Buffer.from(await io.writeBinary(doc));
}

// Splits a GLB into its JSON and binary chunks.
function unpack(bytes) {
  const jsonLength = bytes.readUInt32LE(12);
  const json = JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8'));
  const binStart = 20 + jsonLength;
  const bin = binStart < bytes.length ? bytes.subarray(binStart + 8, binStart + 8 + bytes.readUInt32LE(binStart)) : null;
  return { json, bin };
}

function pack(json, bin) {
  let text = Buffer.from(JSON.stringify(json), 'utf8');
  text = Buffer.concat([text, Buffer.alloc((4 - (text.length % 4)) % 4, 0x20)]);
  const chunks = [chunkOf(0x4e4f534a, text)];
  if (bin) chunks.push(chunkOf(0x004e4942, Buffer.concat([bin, Buffer.alloc((4 - (bin.length % 4)) % 4)])));
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('glTF', 0, 'ascii');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + body.length, 8);
  return Buffer.concat([header, body]);
}

function chunkOf(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(data.length, 0);
  head.writeUInt32LE(type, 4);
  return Buffer.concat([head, data]);
}

// The GLB with its JSON chunk changed by `edit(json)`.
function patch(bytes, edit) {
  const { json, bin } = unpack(bytes);
  edit(json);
  return pack(json, bin);
}

const base = { slug: 'fixture-base-600', width: 600, height: 720, depth: 560, shelves: 1, doors: 2, drawers: 0, mount: 'floor' };
const nodeNamed = (json, name) => json.nodes.find((node) => node.name === name);

async function fixtures() {
  const valid = await glb(moduleDocument(base));
  const files = {
    'valid.glb': valid,
    'valid-draco-lods.glb': await glb(moduleDocument({ ...base, lods: true }), { compress: true }),
    'not-glb.glb': Buffer.from(JSON.stringify(unpack(valid).json)),
    'truncated.glb': valid.subarray(0, 200),
    'gltf-version.glb': (() => {
      const copy = Buffer.from(valid);
      copy.writeUInt32LE(1, 4);
      return copy;
    })(),
    'external-uri.glb': patch(valid, (json) => {
      json.images = [{ uri: 'https://cdn.example.com/oak.jpg' }];
    }),
    'extension.glb': patch(valid, (json) => {
      json.extensionsUsed = ['EXT_meshopt_compression'];
      json.extensionsRequired = ['EXT_meshopt_compression'];
    }),
    'node-names.glb': patch(valid, (json) => {
      nodeNamed(json, 'panel:side-1').name = 'panel:side-left';
      nodeNamed(json, 'panel:top-bottom-2').name = 'panel:top';
      nodeNamed(json, 'front:door-1').name = 'Door_LOD0';
      delete nodeNamed(json, 'hw:handle-2').name;
    }),
    'duplicate-name.glb': patch(valid, (json) => {
      nodeNamed(json, 'panel:side-2').name = 'panel:side-1';
    }),
    'root.glb': patch(valid, (json) => {
      json.nodes[json.scenes[0].nodes[0]].name = 'Kitchen Base 600';
    }),
    'metadata.glb': patch(valid, (json) => {
      delete json.nodes[json.scenes[0].nodes[0]].extras;
    }),
    'material-slot.glb': patch(valid, (json) => {
      json.materials[json.materials.findIndex((m) => m.name === 'front')].name = 'Oak Veneer';
      delete json.meshes.find((m) => m.name === 'box-metal').primitives[0].material;
    }),
    'position-bounds.glb': patch(valid, (json) => {
      const accessor = json.accessors[json.meshes[0].primitives[0].attributes.POSITION];
      delete accessor.min;
      delete accessor.max;
    }),
    'bounding-box.glb': await glb(moduleDocument({ ...base, width: 650, declared: { width: 600, height: 720, depth: 560 } })),
    'units.glb': patch(valid, (json) => {
      json.nodes[json.scenes[0].nodes[0]].scale = [1000, 1000, 1000];
    }),
    'origin.glb': patch(valid, (json) => {
      json.nodes[json.scenes[0].nodes[0]].translation = [-0.3, 0, -0.28];
    }),
    'lod.glb': patch(await glb(moduleDocument({ ...base, lods: true })), (json) => {
      nodeNamed(json, 'lod:1').name = 'lod:2';
    }),
    'triangle-budget.glb': await glb(
      moduleDocument({
        ...base,
        twist: ({ doc, buffer, materials, level0 }) => {
          // 2 × 160² = 51 200 triangles in one back-panel skin.
          const dense = grid(doc, buffer, 160);
          const prim = doc.createPrimitive().setAttribute('POSITION', dense.position).setIndices(dense.indices).setMaterial(materials.carcass);
          level0.addChild(
            doc
              .createNode('part:back-skin')
              .setMesh(doc.createMesh('back-skin').addPrimitive(prim))
              .setTranslation([0.018, 0.018, 0.018])
              .setScale([0.564, 0.684, 1]),
          );
        },
      }),
      { compress: true },
    ),
    'texture-size.glb': await glb(
      moduleDocument({
        ...base,
        twist: ({ doc, materials }) => {
          const texture = doc.createTexture('oak').setMimeType('image/png').setImage(png(4096, 4));
          materials.front.setBaseColorTexture(texture);
        },
      }),
    ),
  };
  mkdirSync(FIXTURES, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(FIXTURES, name), bytes);
  console.log(`fixtures: ${Object.keys(files).length} files in ${FIXTURES}`);
}

// The demo catalog's models (crates/paform-app/src/seed.rs): name → file.
const DEMO = [
  { slug: 'kitchen-base-600', width: 600, height: 720, depth: 560, shelves: 1, doors: 2, drawers: 0, mount: 'floor', lods: true },
  { slug: 'kitchen-wall-600', width: 600, height: 720, depth: 320, shelves: 2, doors: 2, drawers: 0, mount: 'wall', lods: true },
  { slug: 'kitchen-drawer-base-600', width: 600, height: 720, depth: 560, shelves: 0, doors: 0, drawers: 3, mount: 'floor', lods: true },
];

async function demoModels() {
  mkdirSync(MODELS, { recursive: true });
  for (const spec of DEMO) {
    const bytes = await glb(moduleDocument(spec), { compress: true });
    writeFileSync(join(MODELS, `${spec.slug}.glb`), bytes);
    console.log(`model: ${spec.slug}.glb ${bytes.length} bytes`);
  }
}

// A ~5 MB valid GLB for timing the checker: a module whose back carries a dense skin.
async function bench(out) {
  const doc = moduleDocument({
    ...base,
    twist: ({ doc, buffer, materials, level0 }) => {
      const dense = grid(doc, buffer, 150); // 45 000 triangles, inside the budget
      const prim = doc.createPrimitive().setAttribute('POSITION', dense.position).setIndices(dense.indices).setMaterial(materials.carcass);
      level0.addChild(doc.createNode('part:back-skin').setMesh(doc.createMesh('back-skin').addPrimitive(prim)).setTranslation([0.018, 0.018, 0.018]).setScale([0.564, 0.684, 1]));
      // An incompressible 1200² texture brings the file to about 5 MB.
      const texture = doc.createTexture('noise').setMimeType('image/png').setImage(png(1200, 1200, { noise: true }));
      materials.front.setBaseColorTexture(texture);
    },
  });
  const bytes = await glb(doc);
  writeFileSync(out, bytes);
  console.log(`bench: ${out} ${bytes.length} bytes`);
}

const benchAt = process.argv.indexOf('--bench');
if (benchAt >= 0) {
  await bench(process.argv[benchAt + 1]);
} else {
  await fixtures();
  await demoModels();
}
