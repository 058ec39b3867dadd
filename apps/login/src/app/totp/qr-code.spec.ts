/**
 * The QR encoder: structure checked always (finder patterns, timing, format bits decode to
 * level M and the chosen mask), and the codes read back by a real decoder, zbarimg from
 * Debian's zbar-tools, when it is installed (skipped with the reason otherwise).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QrCode, reedSolomon } from './qr-code';

const ZBARIMG = '/usr/bin/zbarimg';
const hasZbar = existsSync(ZBARIMG);
if (!hasZbar) console.warn(`QR decode check SKIPPED: ${ZBARIMG} is missing (apt-get install zbar-tools)`);

/** A plain PBM image of the code, 4 pixels a module with the quiet zone. */
function pbm(qr: QrCode): string {
  const scale = 4;
  const quiet = 4;
  const n = (qr.size + 2 * quiet) * scale;
  const rows: string[] = [];
  for (let y = 0; y < n; y++) {
    const row: string[] = [];
    for (let x = 0; x < n; x++) {
      const mx = Math.floor(x / scale) - quiet;
      const my = Math.floor(y / scale) - quiet;
      row.push(mx >= 0 && my >= 0 && mx < qr.size && my < qr.size && qr.modules[my]?.[mx] ? '1' : '0');
    }
    rows.push(row.join(''));
  }
  return `P1\n${n} ${n}\n${rows.join('\n')}\n`;
}

const SAMPLES = [
  'A',
  'otpauth://totp/Orcest:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Orcest&algorithm=SHA1&digits=6&period=30',
  'x'.repeat(60),
  'y'.repeat(150),
  'é'.repeat(100),
];

describe('QrCode', () => {
  it('computes Reed–Solomon codewords as the standard example (ISO 18004 Annex I, 1-M "01234567")', () => {
    const data = Uint8Array.from([0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]);
    expect([...reedSolomon(data, 10)]).toEqual([0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
  });

  it.each(SAMPLES.map((s) => [s.slice(0, 24), s] as const))('draws the fixed patterns and the format bits for %s', (_name, text) => {
    const qr = QrCode.encode(text);
    const at = (x: number, y: number): boolean => qr.modules[y]?.[x] === true;
    for (const [ox, oy] of [[0, 0], [qr.size - 7, 0], [0, qr.size - 7]]) {
      expect(at(ox + 3, oy + 3) && at(ox, oy) && !at(ox + 1, oy + 1) && at(ox + 6, oy + 6)).toBe(true);
    }
    for (let i = 8; i < qr.size - 8; i++) expect(at(i, 6)).toBe(i % 2 === 0);
    let format = 0;
    for (let i = 14; i >= 9; i--) format = (format << 1) | (at(14 - i, 8) ? 1 : 0);
    format = (format << 1) | (at(7, 8) ? 1 : 0);
    format = (format << 1) | (at(8, 8) ? 1 : 0);
    format = (format << 1) | (at(8, 7) ? 1 : 0);
    for (let i = 5; i >= 0; i--) format = (format << 1) | (at(8, i) ? 1 : 0);
    const data = (format ^ 0x5412) >>> 10;
    expect(data >>> 3).toBe(0); // level M
    expect(data & 7).toBe(qr.mask);
    expect(qr.toSvg('code')).toMatch(/^<svg [^>]*viewBox="0 0 (\d+) \1"/);
  });

  it('refuses text longer than version 10 holds', () => {
    expect(() => QrCode.encode('z'.repeat(214))).toThrow(RangeError);
    expect(QrCode.encode('z'.repeat(213)).version).toBe(10);
  });

  (hasZbar ? it : it.skip)('is read back exactly by zbarimg, for every version it picks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qr-'));
    try {
      const versions = new Set<number>();
      for (const [i, text] of [...SAMPLES, 'v'.repeat(30), 'w'.repeat(90), 'u'.repeat(120), 't'.repeat(200)].entries()) {
        const qr = QrCode.encode(text);
        versions.add(qr.version);
        const file = join(dir, `${i}.pbm`);
        writeFileSync(file, pbm(qr));
        const out = execFileSync(ZBARIMG, ['--raw', '-q', '-Sbinary', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
        expect(out.replace(/\n$/, '')).toBe(text);
      }
      expect(versions.size).toBeGreaterThanOrEqual(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
