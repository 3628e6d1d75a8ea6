// mfakit/qr: QR codes for otpauth URIs (and any text). The QR encoder is the optional peer `uqr`,
// imported statically: an app without it fails when it imports 'mfakit/qr' (or when it is
// bundled), not at the first enrolment. An installed uqr without `encode` (an incompatible major)
// is reported as QR_ENCODER_MISSING. The core 'mfakit' entry never imports this file.
import * as uqr from 'uqr';
import { MfaError } from '../errors.js';
import { checkInteger } from '../_internal/check.js';
import { encodeBase64 } from '../_internal/base64.js';
import { encodeBilevelPng, type Rgb } from '../_internal/png.js';

/** Options shared by every renderer. */
export interface QrOptions {
  /**
   * Error correction level: `'L'` 7 %, `'M'` 15 %, `'Q'` 25 %, `'H'` 30 % of the code may be
   * damaged. Default `'M'`; higher levels make denser codes.
   */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
  /** Quiet zone around the code, in modules. Default 4 (the ISO/IEC 18004 minimum). */
  margin?: number;
}

/** Options of {@link qrSvg}. */
export interface QrSvgOptions extends QrOptions {
  /** Pixels per module for the `width`/`height` attributes. Default 8. */
  moduleSize?: number;
  /** Colour of dark modules (any CSS colour). Default `'#000'`. */
  foreground?: string;
  /** Colour of light modules and the quiet zone. Default `'#fff'`. */
  background?: string;
  /** Accessible name, written as `<title>` and `aria-label`. Default none. */
  title?: string;
}

/** Options of {@link qrTerminal}. */
export interface QrTerminalOptions extends QrOptions {
  /**
   * The terminal's background. `'dark'` (default) draws light modules as blocks, so the code
   * reads dark-on-light on a dark terminal; `'light'` draws dark modules as blocks.
   */
  terminalBackground?: 'dark' | 'light';
}

/** Options of {@link qrPng} and {@link qrPngDataUrl}. */
export interface QrPngOptions extends QrOptions {
  /** Pixels per module. Default 8. */
  scale?: number;
  /** Colour of dark modules as `#rrggbb`. Default `'#000000'`. */
  foreground?: string;
  /** Colour of light modules as `#rrggbb`. Default `'#ffffff'`. */
  background?: string;
}

/**
 * The QR code as rows of modules, quiet zone included: `true` is dark.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION` for a bad option or text too long for any QR version;
 * `QR_ENCODER_MISSING` when the installed `uqr` is not a compatible version.
 * @example Drawing the code yourself
 * ```ts
 * import { qrMatrix } from 'mfakit/qr';
 * const rows = qrMatrix('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example');
 * rows.length; // modules per side, 4-module quiet zone included
 * ```
 * @see ISO/IEC 18004:2015 (QR code), byte mode with UTF-8 text
 */
export function qrMatrix(text: string, options: QrOptions = {}): boolean[][] {
  if (typeof text !== 'string' || text === '') throw new MfaError('INVALID_OPTION', 'QR text must be a non-empty string');
  const margin = checkInteger('margin', options.margin ?? 4, 0, 64);
  const ecc = options.errorCorrection ?? 'M';
  if (!['L', 'M', 'Q', 'H'].includes(ecc)) throw new MfaError('INVALID_OPTION', "errorCorrection must be 'L', 'M', 'Q' or 'H'");
  const bytes = utf8(text);
  const encode = (uqr as Partial<typeof uqr>).encode;
  if (typeof encode !== 'function') {
    throw new MfaError('QR_ENCODER_MISSING', "mfakit/qr needs the QR encoder 'uqr' 0.1.x: npm install uqr");
  }
  let modules: boolean[][];
  try {
    // Pass bytes, not the string: uqr would switch to alphanumeric mode for some texts and its own
    // UTF-8 conversion throws on unpaired surrogates.
    modules = encode(bytes, { ecc, border: 0 }).data;
  } catch (err) {
    throw new MfaError('INVALID_OPTION', `text of ${bytes.length} bytes does not fit a QR code at level ${ecc}`, { cause: err });
  }
  const size = modules.length + 2 * margin;
  const blank = () => new Array<boolean>(size).fill(false);
  const rows: boolean[][] = [];
  for (let i = 0; i < margin; i++) rows.push(blank());
  for (const row of modules) rows.push([...new Array<boolean>(margin).fill(false), ...row, ...new Array<boolean>(margin).fill(false)]);
  for (let i = 0; i < margin; i++) rows.push(blank());
  return rows;
}

function utf8(text: string): number[] {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    throw new MfaError('INVALID_OPTION', 'QR text is not valid Unicode (unpaired surrogate)');
  }
  const out: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '%') {
      out.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(encoded.charCodeAt(i));
  }
  return out;
}

/**
 * Renders a QR code as a standalone SVG document (crisp edges, scalable, no scripts).
 *
 * Coordinates are whole pixels (`moduleSize` per module) rather than one unit per module: some
 * rasterisers (ImageMagick's built-in one among them) blur a scaled-up unit grid into a code that
 * no longer scans. Browsers scale it either way through `viewBox`.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION`
 * @example Enrolment page
 * ```ts
 * import { buildOtpauthUri, generateSecret } from 'mfakit';
 * import { qrSvg } from 'mfakit/qr';
 * const uri = buildOtpauthUri({ issuer: 'Example', account: 'alice@example.com', secret: generateSecret() });
 * const svg = qrSvg(uri, { title: 'Scan with your authenticator app' }); // '<svg xmlns=...'
 * ```
 */
export function qrSvg(text: string, options: QrSvgOptions = {}): string {
  const rows = qrMatrix(text, options);
  const moduleSize = checkInteger('moduleSize', options.moduleSize ?? 8, 1, 1000);
  const size = rows.length;
  let d = '';
  rows.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let run = 1;
      while (x + run < size && row[x + run]) run++;
      d += `M${x * moduleSize} ${y * moduleSize}h${run * moduleSize}v${moduleSize}h-${run * moduleSize}z`;
      x += run - 1;
    }
  });
  const px = size * moduleSize;
  const title = options.title === undefined ? '' : escapeXml(options.title);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${px} ${px}" shape-rendering="crispEdges"` +
    (title ? ` role="img" aria-label="${title}"><title>${title}</title>` : '>') +
    `<rect width="${px}" height="${px}" fill="${escapeXml(options.background ?? '#fff')}"/>` +
    `<path fill="${escapeXml(options.foreground ?? '#000')}" d="${d}"/></svg>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Renders a QR code for a terminal with UTF-8 half blocks (`▀ ▄ █`): two module rows per text
 * line, so the code stays square in most fonts. Lines are joined with `\n`, no trailing newline.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION`
 * @example A CLI enrolment
 * ```ts
 * import { buildOtpauthUri, formatManualKey, generateSecret } from 'mfakit';
 * import { qrTerminal } from 'mfakit/qr';
 * const secret = generateSecret();
 * console.log(qrTerminal(buildOtpauthUri({ issuer: 'Example CLI', account: 'alice', secret })));
 * console.log('Or enter this key:', formatManualKey(secret));
 * ```
 */
export function qrTerminal(text: string, options: QrTerminalOptions = {}): string {
  const rows = qrMatrix(text, options);
  const ink = options.terminalBackground === 'light';
  const glyphs = [' ', '▄', '▀', '█']; // index: top inked ×2 + bottom inked
  const lines: string[] = [];
  for (let y = 0; y < rows.length; y += 2) {
    const top = rows[y]!;
    const bottom = rows[y + 1];
    let line = '';
    for (let x = 0; x < top.length; x++) {
      const t = top[x] === ink ? 2 : 0;
      // An odd last row is completed with quiet zone (light).
      const b = (bottom ? bottom[x] : false) === ink ? 1 : 0;
      line += glyphs[t + b];
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * Renders a QR code as PNG bytes (1 bit per pixel, compressed): small enough for a `data:` URL or
 * an e-mail attachment. Pure and synchronous; needs no canvas and runs in browsers too.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION`
 * @example Saving a PNG in Node
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { qrPng } from 'mfakit/qr';
 * writeFileSync('enrol.png', qrPng('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example'));
 * ```
 * @see ISO/IEC 15948 (PNG)
 */
export function qrPng(text: string, options: QrPngOptions = {}): Uint8Array {
  const rows = qrMatrix(text, options);
  const scale = checkInteger('scale', options.scale ?? 8, 1, 100);
  const side = rows.length * scale;
  if (side > 16_384) throw new MfaError('INVALID_OPTION', 'PNG would exceed 16384 pixels per side; lower scale');
  return encodeBilevelPng({
    width: side,
    height: side,
    pixel: (x, y) => rows[(y / scale) | 0]![(x / scale) | 0]!,
    foreground: rgb('foreground', options.foreground ?? '#000000'),
    background: rgb('background', options.background ?? '#ffffff'),
  });
}

function rgb(name: string, hex: string): Rgb {
  const m = typeof hex === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  if (!m) throw new MfaError('INVALID_OPTION', `${name} must be a #rrggbb colour`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/**
 * {@link qrPng} as a `data:image/png;base64,…` URL, for an `<img src>`.
 *
 * @throws {@link index!MfaError} `INVALID_OPTION`
 * @example
 * ```ts
 * import { qrPngDataUrl } from 'mfakit/qr';
 * const src = qrPngDataUrl('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example');
 * // `<img src="${src}" alt="QR code for your authenticator app">`
 * ```
 */
export function qrPngDataUrl(text: string, options: QrPngOptions = {}): string {
  return 'data:image/png;base64,' + encodeBase64(qrPng(text, options));
}
