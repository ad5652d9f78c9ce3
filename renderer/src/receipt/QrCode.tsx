import QRCode from 'qrcode';
import { useMemo } from 'react';

/** Modules of white around the code, as scanners expect. */
const QUIET = 2;

/** One SVG path for the dark modules: a rectangle per run of dark modules in a row. */
function modulesPath(data: string): { size: number; path: string } {
  const { modules } = QRCode.create(data, { errorCorrectionLevel: 'M' });
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col += 1;
      runs.push(`M${start + QUIET} ${row + QUIET}h${col - start}v1h${start - col}z`);
    }
  }
  return { size: modules.size + 2 * QUIET, path: runs.join('') };
}

/** A QR code drawn as the printer prints it (error correction M, as on every receipt). */
export function QrCode({ data, label }: { data: string; label: string }) {
  const { size, path } = useMemo(() => modulesPath(data), [data]);
  return (
    <svg
      className="receipt-qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      data-payload={data}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
