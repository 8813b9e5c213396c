/** Quantities as people read them, one way everywhere (the page, the reports, the README). */

/** Bytes in binary units: 512 B, 14.8 KiB, 1.2 MiB, 3.0 GiB ('—' for a negative or non-finite count). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
