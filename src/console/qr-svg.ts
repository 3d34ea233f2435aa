import QRCode from 'qrcode';

/** Pixel widths of the three picture sizes a precreate answer links (docs/protocol.md §12.1). */
export const QR_SIZES: Readonly<Record<string, number>> = { S: 128, M: 256, L: 512 };

/** An SVG QR code of `text` at one of QR_SIZES (M when the size is missing or unknown). */
export function qrSvg(text: string, size: string | undefined): Promise<string> {
  const width = QR_SIZES[size ?? 'M'] ?? QR_SIZES['M'];
  // Level M, as phone wallets print them: the URL fits, and a smudged screen still scans.
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width });
}
