/**
 * Pack files are read by people: JSON indented by two spaces, but any object or array that fits on
 * one line (within 110 columns) kept on it, so a condition like `{ "q": "consent", "in": ["given"] }`
 * reads as one phrase.
 */
const WIDTH = 110;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

function format(value: unknown, indent: string, used: number): string {
  const flat = inline(value);
  if (value === null || typeof value !== 'object' || indent.length + used + flat.length <= WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${format(v, inner, 0)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{\n${entries
    .map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${format(v, inner, key.length)}`;
    })
    .join(',\n')}\n${indent}}`;
}

export function formatPackJson(value: unknown): string {
  return `${format(value, '', 0)}\n`;
}
