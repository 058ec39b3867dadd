/**
 * The status page's icon, so browsers stop logging a 404 for /favicon.ico on every load: a
 * green dot as SVG (`/favicon.svg`, linked from every page) and the same dot as a 16×16 ICO
 * (`/favicon.ico`, for browsers and tools that ask for it by name). The ICO is drawn in code
 * once at start (a 32-bit BMP inside the ICO container), so no binary file ships.
 */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#2fa44f"/><path d="M4.5 8.2l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const SIZE = 16;
const GREEN = { r: 0x2f, g: 0xa4, b: 0x4f };

/** A 16×16 ICO of a filled green circle on transparency. */
export function drawFaviconIco(): Buffer {
  const pixelBytes = SIZE * SIZE * 4;
  const maskBytes = SIZE * 4; // 1 bit per pixel, rows padded to 32 bits; all zero: alpha decides
  const bmpBytes = 40 + pixelBytes + maskBytes;
  const ico = Buffer.alloc(6 + 16 + bmpBytes);
  // ICONDIR: reserved, type 1 (icon), one image.
  ico.writeUInt16LE(0, 0);
  ico.writeUInt16LE(1, 2);
  ico.writeUInt16LE(1, 4);
  // ICONDIRENTRY: width, height, no palette, reserved, planes, bits per pixel, size, offset.
  ico.writeUInt8(SIZE, 6);
  ico.writeUInt8(SIZE, 7);
  ico.writeUInt16LE(1, 10);
  ico.writeUInt16LE(32, 12);
  ico.writeUInt32LE(bmpBytes, 14);
  ico.writeUInt32LE(22, 18);
  // BITMAPINFOHEADER: the height counts the XOR image and the AND mask, hence twice the size.
  const bmp = 22;
  ico.writeUInt32LE(40, bmp);
  ico.writeInt32LE(SIZE, bmp + 4);
  ico.writeInt32LE(SIZE * 2, bmp + 8);
  ico.writeUInt16LE(1, bmp + 12);
  ico.writeUInt16LE(32, bmp + 14);
  ico.writeUInt32LE(pixelBytes + maskBytes, bmp + 20);
  // Pixels: BGRA, bottom row first.
  for (let row = 0; row < SIZE; row++) {
    for (let x = 0; x < SIZE; x++) {
      const y = SIZE - 1 - row;
      const inside = (x + 0.5 - 8) ** 2 + (y + 0.5 - 8) ** 2 <= 7 * 7;
      const at = bmp + 40 + (row * SIZE + x) * 4;
      if (inside) {
        ico.writeUInt8(GREEN.b, at);
        ico.writeUInt8(GREEN.g, at + 1);
        ico.writeUInt8(GREEN.r, at + 2);
        ico.writeUInt8(0xff, at + 3);
      }
    }
  }
  return ico;
}
