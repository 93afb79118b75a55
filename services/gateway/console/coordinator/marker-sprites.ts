import { KIND, MARKER_KINDS } from './nurse-store.ts';
import { NURSE_COLOURS } from './palette.ts';

/** One pre-drawn nurse marker per colour, in device pixels, centred on (`half`, `half`). */
export interface MarkerSprites {
  images: OffscreenCanvas[];
  half: number;
}

/**
 * Nurse markers drawn once per colour, radius and pixel ratio, then stamped. In
 * software rendering, copying 10,000 small images costs about half of filling and
 * stroking 10,000 arcs (the white outline is what makes arcs slow), and unlike squares
 * it keeps round dots at every zoom. Stamps land on whole device pixels, which a
 * 9-pixel dot does not show.
 */
export function createMarkerSprites() {
  let key = '';
  let sprites: MarkerSprites = { images: [], half: 0 };

  return function spritesFor(r: number, dpr: number): MarkerSprites {
    if (key === `${r}:${dpr}`) return sprites;
    key = `${r}:${dpr}`;
    const half = Math.ceil((r + 1) * dpr);
    const images = MARKER_KINDS.map((kind, k) => {
      const image = new OffscreenCanvas(2 * half, 2 * half);
      const g = image.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.beginPath();
      g.arc(half / dpr, half / dpr, r, 0, Math.PI * 2);
      g.lineWidth = r > 3 ? 1 : 0.75;
      if (k === KIND.other) {
        g.strokeStyle = '#8d939b';
        g.stroke();
        return image;
      }
      g.fillStyle = NURSE_COLOURS[kind];
      g.fill();
      if (r > 3) {
        g.strokeStyle = 'rgba(255,255,255,0.9)';
        g.stroke();
      }
      return image;
    });
    sprites = { images, half };
    return sprites;
  };
}
