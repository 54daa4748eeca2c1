// A display colour for a material that has no (local) texture: named woods and finishes get
// their usual tone, anything else a stable muted colour derived from its name.

const NAMED: [RegExp, string][] = [
  [/walnut/i, "#5d4030"],
  [/oak/i, "#c49a6c"],
  [/maple|birch|beech|ash/i, "#e1c699"],
  [/cherry/i, "#9c4a2f"],
  [/pine/i, "#e3bf87"],
  [/teak/i, "#a0703c"],
  [/black|anthracite|graphite/i, "#2e2e30"],
  [/white|snow|chalk/i, "#f1f0ec"],
  [/grey|gray|concrete/i, "#9a9a98"],
  [/green|sage/i, "#7d9274"],
  [/blue|navy/i, "#3d5a80"],
  [/red/i, "#a33b32"],
  [/mdf|plywood|ply/i, "#d8c3a0"],
];

export function materialColor(name: string | null | undefined): string {
  if (!name) return "#c8b79d";
  for (const [pattern, color] of NAMED) if (pattern.test(name)) return color;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return `hsl(${hue}, 22%, 62%)`;
}
